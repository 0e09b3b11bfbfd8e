// How declarations are shown to the user (hover, completion details, signature
// help): signatures rebuilt from the AST and the checker's resolved types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lsp/analysis.h"

namespace flow::lsp {

/// The text of a type expression as resolved (`List[Metrics]`), or as written when unresolved.
std::string TypeText(const Analysis& analysis, const ast::TypeExpr* type);
/// `name: Type = default`.
std::string ParamText(const Analysis& analysis, const ast::Param& param);
/// `train(data: File, epochs: Int = 10) -> (model: File, metrics: Metrics)` (no keyword).
std::string CallableSignature(const Analysis& analysis, const ast::CallableDecl* decl);
/// The type loop variable `index` of `loop` takes, from the iterable's type.
std::optional<types::TypeId> LoopVarType(const Analysis& analysis, const ast::ForExpr* loop, int index);
/// `task` or `workflow`.
std::string_view CallableKeyword(const ast::CallableDecl* decl);
/// Source text with every whitespace run collapsed to one space.
std::string Collapse(std::string_view text);

/// A built-in function from stdlib/builtins.def.
struct BuiltinInfo {
  std::string_view name;
  std::string_view signature;  // overloads separated by " | " at the top level
  std::string_view doc;
};
const std::vector<BuiltinInfo>& Builtins();
/// The overloads of a built-in signature (`len(x: ...) -> Int`, ...).
std::vector<std::string> SplitOverloads(std::string_view signature);
/// The parameter texts of one overload (`x: List[T] | Map[K, V] | String`, ...).
std::vector<std::string> OverloadParams(std::string_view overload);

/// The module that module `module` imports as `alias`, or -1.
int ImportedModule(const Analysis& analysis, int module, std::string_view alias);
/// The task/workflow that `chain` (`train` or `mod.train`) names from module
/// `module`, or null; a built-in's index in Builtins() goes to `*builtin` (else -1).
const ast::CallableDecl* ResolveCallee(const Analysis& analysis, int module, const std::vector<std::string>& chain,
                                       int* builtin);

/// A task field from compiler/ir/task_fields.def, plus `script` and `command`.
struct TaskFieldInfo {
  std::string_view name;
  std::string_view type;
  std::string_view doc;
};
const std::vector<TaskFieldInfo>& TaskFields();

}  // namespace flow::lsp

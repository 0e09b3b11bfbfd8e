// What the checker hands the IR builder (and the LSP): side tables keyed by AST
// node (ast::NodeMap: arrays indexed by node id). The AST itself is never
// written to (STYLE rule 2).
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Allocator.h>

#include "compiler/ast/ast.h"
#include "compiler/ast/node_map.h"
#include "compiler/ir/ir.h"  // BuiltinId, TaskField
#include "compiler/load/load.h"
#include "compiler/types/type_store.h"

namespace flow::check {

/// What a name (NameExpr, or the member part of a FieldExpr) refers to.
enum class RefKind : uint8_t {
  None,        // unresolved (already diagnosed)
  Param,       // `decl` is the TaskDecl/WorkflowDecl, `index` the parameter index
  Let,         // `node` is the LetStmt
  LoopVar,     // `node` is the ForExpr, `index` the variable index (0 or 1)
  Const,       // `node` is the ConstDecl
  Task,        // `node` is the TaskDecl
  Workflow,    // `node` is the WorkflowDecl
  Struct,      // `node` is the StructDecl
  Enum,        // `node` is the EnumDecl
  EnumMember,  // `node` is the EnumDecl, `index` the member index (on the FieldExpr)
  Module,      // `module_index` is the imported module
  Builtin,     // `builtin`
  Output,      // `out` (NameExpr, single output: index 0) or `out.NAME` (FieldExpr: output index)
};

struct DeclRef {
  const ast::Node* node = nullptr;
  int32_t index = -1;
  int32_t module_index = -1;  // the module that declares `node` (index into LoadedProgram::modules)
  RefKind kind = RefKind::None;
  ir::BuiltinId builtin = ir::BuiltinId::Len;
};
static_assert(sizeof(DeclRef) <= 24, "one per name use: keep it small");

/// How a call's arguments bind to the callee's parameters.
/// The arrays live in CheckedProgram::arrays (one per call would cost a heap
/// block each, 100,000 of them in a 100,000-call workflow).
struct CallBinding {
  DeclRef callee;  // Task, Workflow or Builtin
  /// One entry per callee parameter (for builtins: per argument of the chosen
  /// overload, in parameter order); null means "use the default".
  llvm::ArrayRef<const ast::Expr*> args;
  /// `with { ... }` overrides, resolved.
  llvm::ArrayRef<std::pair<ir::TaskField, const ast::Expr*>> overrides;
};
static_assert(sizeof(CallBinding) <= 56, "one per call: keep it small");

struct CheckedProgram {
  /// Owns the arrays the tables point into (CallBinding's).
  llvm::BumpPtrAllocator arrays;
  /// A copy of `items` that lives as long as the program.
  template <typename T>
  llvm::ArrayRef<T> Keep(const std::vector<T>& items) {
    static_assert(std::is_trivially_destructible_v<T>, "the allocator never runs destructors");
    if (items.empty()) return {};
    T* data = arrays.Allocate<T>(items.size());
    std::uninitialized_copy(items.begin(), items.end(), data);
    return llvm::ArrayRef<T>(data, items.size());
  }

  types::TypeStore types;
  const load::LoadedProgram* loaded = nullptr;
  /// Type of every checked expression (Error where a check failed).
  ast::NodeMap<types::TypeId> expr_types;
  /// Resolved TypeExpr nodes (parameters, outputs, annotations, struct fields).
  ast::NodeMap<types::TypeId> type_exprs;
  /// NameExpr → what it names; FieldExpr → set when it names a module member,
  /// an enum member or a task output (`out.NAME`), absent for value field access.
  ast::NodeMap<DeclRef> refs;
  /// Every CallExpr (task, workflow and builtin calls).
  ast::NodeMap<CallBinding> calls;
  /// StructDecl/EnumDecl → its nominal type; ConstDecl → its type.
  ast::NodeMap<types::TypeId> decl_types;
  /// Task/workflow field statements resolved: FieldStmt → TaskField (tasks only).
  ast::NodeMap<ir::TaskField> task_fields;
  /// The entry workflow (`main`, else the only workflow, else `--entry`), or null.
  const ast::WorkflowDecl* entry = nullptr;
  int32_t entry_module = 0;
};

struct CheckOptions {
  std::string entry;  // `--entry NAME`; empty: `main`, else the only workflow
};

/// Resolves and type-checks every loaded module. Always returns a CheckedProgram;
/// build the IR only when `diags` recorded no error.
CheckedProgram Check(const load::LoadedProgram& program, const CheckOptions& options,
                     const SourceManager& sources, diag::DiagnosticEmitter& diags);

}  // namespace flow::check

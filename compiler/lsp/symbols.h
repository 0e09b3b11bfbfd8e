// What each identifier of a program means, for definition, references, rename,
// hover and highlighting: a walk over the AST of a module that reports every
// name occurrence together with the Symbol it declares or refers to, read from
// the checker's side tables (never from the AST alone, so shadowing and
// imports resolve exactly as `flowc check` resolves them).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "compiler/lsp/analysis.h"

namespace flow::lsp {

enum class SymbolKind : uint8_t {
  None,         // unresolved, or a record field (no declaration to point at)
  Task,         // node: TaskDecl
  Workflow,     // node: WorkflowDecl
  Struct,       // node: StructDecl
  Enum,         // node: EnumDecl
  Const,        // node: ConstDecl
  Param,        // node: TaskDecl/WorkflowDecl, index: parameter
  StructField,  // node: StructDecl, index: field
  EnumMember,   // node: EnumDecl, index: member
  Let,          // node: LetStmt
  LoopVar,      // node: ForExpr, index: variable
  Output,       // node: TaskDecl, index: output (`out.NAME`, or 0 for the single output)
  OutputRoot,   // `out` itself; node: TaskDecl
  Module,       // index: module index, file: the importing file (aliases are per importer)
  Builtin,      // index: ir::BuiltinId
  TaskField,    // index: ir::TaskField, or -1 for `script`/`command`
};

/// Identity of a declared entity.
struct Symbol {
  SymbolKind kind = SymbolKind::None;
  const ast::Node* node = nullptr;
  int32_t index = -1;
  FileId file;
  friend bool operator==(const Symbol& a, const Symbol& b) {
    return a.kind == b.kind && a.node == b.node && a.index == b.index && a.file == b.file;
  }
};

/// One identifier in the source.
struct Occurrence {
  SourceRange range;   // the identifier itself
  Symbol symbol;
  bool is_decl = false;                 // the declaring occurrence
  const ast::Node* expr = nullptr;      // the NameExpr/FieldExpr, for its type
};

struct WalkCallbacks {
  std::function<void(const Occurrence&)> occurrence;
  /// Every expression, outermost first.
  std::function<void(const ast::Expr*)> expr;
};

/// Walks module `module` of `analysis` in source order.
void WalkModule(const Analysis& analysis, int module, const WalkCallbacks& callbacks);

/// The occurrence whose identifier contains `offset` (its end counts, so a
/// cursor just after a name finds it), if any.
std::optional<Occurrence> OccurrenceAt(const Analysis& analysis, int module, uint32_t offset);

/// The innermost expression with a checked type that contains `offset`.
const ast::Expr* ExprAt(const Analysis& analysis, int module, uint32_t offset);

/// Where `symbol` is declared: the name in its declaration; for a module, its
/// file's start. Nullopt for built-ins, task fields and unresolved names.
std::optional<SourceRange> DeclarationRange(const Analysis& analysis, const Symbol& symbol);

/// Every occurrence of `symbol` in the program, in module then source order.
std::vector<Occurrence> FindReferences(const Analysis& analysis, const Symbol& symbol);

/// The symbol's name as declared (for messages and hover).
std::string SymbolName(const Analysis& analysis, const Symbol& symbol);

}  // namespace flow::lsp

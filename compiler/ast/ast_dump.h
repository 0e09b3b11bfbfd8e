// A readable, stable text form of an AST, for `flowc check --dump-ast` and for
// parser tests. One node per line, indented by depth, S-expression-like:
//   (TaskDecl greet @1:6
//     (Param name (NamedType String))
//     ...)
// Positions are line:col of a node's start; names and literal values are inline.
#pragma once

#include <string>

#include "compiler/ast/ast.h"
#include "compiler/base/source.h"

namespace flow::ast {

struct DumpOptions {
  bool positions = false;  // append `@line:col` to nodes that have a range
};

/// The whole module: imports, then declarations, in source order.
std::string DumpAst(const Module& module, const SourceManager& sources);
std::string DumpAst(const Module& module, const SourceManager& sources, const DumpOptions& options);

/// One expression (used by tests and by other phases' debugging output).
std::string DumpExpr(const Expr* expr, const SourceManager& sources);

}  // namespace flow::ast

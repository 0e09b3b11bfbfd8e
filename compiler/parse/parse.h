// The parser: `.flow` text → ast::Module (and → tokens for tools).
//
// This is the only interface to the ANTLR-generated code; the parse tree never
// leaves compiler/parse. Syntax errors are reported through the emitter (E00xx)
// and leave ErrorExpr / ErrorStmt / ErrorDecl / ErrorType nodes behind, so a
// module with errors is still complete enough for later phases.
#pragma once

#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/source.h"
#include "compiler/diag/emitter.h"
#include "compiler/parse/token.h"

namespace flow::parse {

/// Limits that keep hostile input from exhausting memory or the stack.
inline constexpr size_t kMaxFileBytes = 64u * 1024 * 1024;  // E0009 beyond
inline constexpr int kMaxNestingDepth = 200;                // E0008 beyond

/// Parses one file. Never fails: problems become diagnostics and error nodes.
/// Ranges in the result are byte offsets into `sources.Text(file)`. Node ids
/// start at `first_node_id` (the loader chains modules so ids stay unique).
ast::Module ParseModule(const SourceManager& sources, FileId file, diag::DiagnosticEmitter& diags,
                        uint32_t first_node_id = 0);

/// Every token of the file in order, including comments, doc comments and
/// stray characters (TokenKind::Error), ending with EndOfFile. Lexing never
/// fails; a file that cannot be lexed (too large, invalid UTF-8) yields only
/// the tokens before the problem, then EndOfFile.
std::vector<Token> Tokenize(const SourceManager& sources, FileId file);

}  // namespace flow::parse

// The language features, each a function from an Analysis (and a cursor) to
// the LSP result as JSON. The server (server.cpp) owns documents, analyses and
// the protocol; these functions only read.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/protocol.h"

namespace flow::lsp {

/// A position in one module of an analysis.
struct Cursor {
  const Analysis& analysis;
  int module;        // index into analysis.loaded.modules
  uint32_t offset;   // byte offset in that module's text
};

/// `Location` of a source range.
json LocationJson(const Analysis& analysis, SourceRange range);

/// Where the symbol under the cursor is declared (normalized path and byte
/// offset): the key that finds the same symbol in another analysis (another
/// open file whose program imports the declaring file).
struct DeclSite {
  std::string path;
  uint32_t offset = 0;
};
std::optional<DeclSite> DeclSiteAt(const Cursor& cursor);
/// A cursor on the declaration `site` in `analysis`, if it loaded that file.
std::optional<Cursor> CursorAtSite(const Analysis& analysis, const DeclSite& site);

/// `Hover` (markdown) or null.
json Hover(const Cursor& cursor);
/// `Location` of the declaration, or null.
json Definition(const Cursor& cursor);
/// `Location[]` of every reference in the program.
json References(const Cursor& cursor, bool include_declaration);
/// `DocumentSymbol[]`: tasks, workflows, structs with fields, enums with members, consts, imports.
json DocumentSymbols(const Analysis& analysis, int module);

/// `{range, placeholder}` for the name under the cursor, or an error saying why it cannot be renamed.
std::optional<json> PrepareRename(const Cursor& cursor, const std::string& stdlib_dir, Error* error);
/// A `WorkspaceEdit` renaming every occurrence, or an error.
std::optional<json> Rename(const Cursor& cursor, const std::string& new_name, const std::string& stdlib_dir,
                           Error* error);

/// `SignatureHelp` for the call around the cursor, or null.
json SignatureHelp(const Cursor& cursor);

/// Re-analyzes the cursor's document with its text replaced (completion
/// analyzes a patched copy to type an expression that is still being typed).
using Reanalyze = std::function<std::unique_ptr<Analysis>(std::string text)>;
/// `CompletionList` at the cursor.
json Completion(const Cursor& cursor, const Reanalyze& reanalyze);

/// `TextEdit[]` turning the module's text into its canonical format (empty
/// when it already is, or when it has syntax errors).
json Formatting(const Analysis& analysis, int module);

/// `PublishDiagnosticsParams` for one file of the program.
json DiagnosticsFor(const Analysis& analysis, FileId file);

/// Flow's keywords (never renameable, offered by completion).
const std::vector<std::string_view>& Keywords();
/// True for a valid Flow identifier that is not a keyword.
bool IsIdentifier(std::string_view name);

}  // namespace flow::lsp

// textDocument/formatting: the same canonical layout as `flowc fmt`.
#include "compiler/diag/emitter.h"
#include "compiler/fmt/format.h"
#include "compiler/lsp/features.h"

namespace flow::lsp {

json Formatting(const Analysis& a, int module) {
  json edits = json::array();
  if (module < 0 || static_cast<size_t>(module) >= a.loaded.modules.size()) return edits;
  FileId file = a.loaded.modules[module].module.file;
  diag::CollectingConsumer ignored;  // syntax errors are already published as diagnostics
  diag::DiagnosticEmitter diags(ignored);
  std::optional<std::string> formatted = format::FormatFile(*a.sources, file, diags);
  std::string_view text = a.sources->Text(file);
  if (!formatted || *formatted == text) return edits;
  // One edit replacing the whole text: simple, and clients keep the cursor
  // close enough; the end position is the end of the last line.
  Range whole{{0, 0}, a.Lines(file).ToPosition(static_cast<uint32_t>(text.size()))};
  edits.push_back({{"range", ToJson(whole)}, {"newText", *formatted}});
  return edits;
}

}  // namespace flow::lsp

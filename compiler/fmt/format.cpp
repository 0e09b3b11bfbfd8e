// FormatFile: parse, print the AST with the source's comments, lay it out.
#include "compiler/fmt/format.h"

#include "compiler/fmt/doc.h"
#include "compiler/fmt/printer.h"
#include "compiler/fmt/render.h"
#include "compiler/fmt/source_info.h"
#include "compiler/parse/parse.h"

namespace flow::format {

std::optional<std::string> FormatFile(const SourceManager& sources, FileId file, diag::DiagnosticEmitter& diags,
                                      const FormatOptions& options) {
  int errors_before = diags.error_count();
  ast::Module module = parse::ParseModule(sources, file, diags);
  if (diags.error_count() > errors_before) return std::nullopt;
  SourceInfo source(sources.Text(file), parse::Tokenize(sources, file));
  DocStore docs;
  // Out-of-range options (from an editor's settings) would only give
  // degenerate layouts; keep them in a range where every rule still applies.
  FormatOptions sane = options;
  if (sane.indent_width < 1) sane.indent_width = 1;
  if (sane.indent_width > 16) sane.indent_width = 16;
  if (sane.max_width < 20) sane.max_width = 20;
  Printer printer(docs, source, sane);
  DocId root = printer.Module(module);
  return Render(docs, root, sane.max_width, sane.indent_width);
}

}  // namespace flow::format

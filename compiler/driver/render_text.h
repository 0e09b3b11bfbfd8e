// Human-readable diagnostics in the style of clang and rustc:
//
//   main.flow:3:11: error[E0102]: unknown name `nmae`
//     |
//   3 |   let x = nmae + 1
//     |           ^~~~
//   note: did you mean `name`?
//
// Columns in the header count bytes (as LineCol does); caret placement counts
// display cells (tabs expanded, UTF-8 sequences as one cell, wide characters
// as two), so carets line up with what a terminal shows.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"

namespace flow::driver {

struct TextRenderOptions {
  bool color = false;  // ANSI colors (bold, red errors, yellow warnings, cyan notes, green carets)
};

/// Writes one diagnostic, with its snippets, labels, notes and fix-its, to `out`.
void RenderText(const SourceManager& sources, const diag::Diagnostic& diagnostic,
                const TextRenderOptions& options, std::ostream& out);

/// "2 errors, 1 warning emitted" (empty when both counts are zero).
std::string SummaryLine(int errors, int warnings);

/// The number of terminal cells `text` occupies once tabs are expanded to
/// `kTabWidth` spaces and UTF-8 is decoded (invalid bytes count as one cell).
int DisplayWidth(std::string_view text);

/// Spaces that replace a tab in displayed source lines.
inline constexpr int kTabWidth = 4;

}  // namespace flow::driver

// The formatter behind `flowc fmt` and the language server's formatting
// request: `.flow` text → its canonical layout, comments kept.
#pragma once

#include <optional>
#include <string>

#include "compiler/base/source.h"
#include "compiler/diag/emitter.h"

namespace flow::format {

struct FormatOptions {
  int indent_width = 2;  // spaces per level
  int max_width = 100;   // lines longer than this are broken where the syntax allows
};

/// Formats one file. Returns the formatted text, or nullopt when the file has
/// syntax errors (reported through `diags`; nothing is formatted then, so a
/// half-typed file is never mangled). The result is a fixed point
/// (formatting it again changes nothing) and parses to the same program.
std::optional<std::string> FormatFile(const SourceManager& sources, FileId file,
                                      diag::DiagnosticEmitter& diags, const FormatOptions& options = {});

}  // namespace flow::format

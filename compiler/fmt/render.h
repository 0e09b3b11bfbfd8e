// Lays a Doc out as text within a maximum width.
//
// Groups are decided outermost first (Wadler/prettier): a group is flat when
// its content, plus what follows it up to the next possible break, fits in the
// rest of the line. Comments are written Go-printer style: a trailing comment
// goes right after the code it followed, before any newline still pending, and
// a leading comment starts a line of its own. Newlines are written lazily, so
// trailing spaces never reach the output and blank lines collapse to one.
#pragma once

#include <string>

#include "compiler/fmt/doc.h"

namespace flow::format {

/// Renders `root`. The result ends with exactly one newline (or is empty).
/// Code that goes on after a trailing comment, where no line break was due,
/// is indented `continuation_indent` more.
std::string Render(const DocStore& docs, DocId root, int max_width, int continuation_indent);

}  // namespace flow::format

// Machine-readable diagnostics: one JSON object per line (JSON Lines), for
// editors and CI:
//   {"file":"a.flow","line":3,"column":11,"end_line":3,"end_column":15,
//    "severity":"error","code":"E0102","message":"unknown name `nmae`",
//    "labels":[{"file":..,"line":..,"column":..,"end_line":..,"end_column":..,"message":".."}],
//    "notes":[{"message":"did you mean `name`?", (location fields when it has one)}],
//    "fixits":[{location fields, "replacement":"name"}]}
// Lines and columns are 1-based; columns count bytes; end_column is exclusive.
// A diagnostic without a location has "file": null and line/column 0.
#pragma once

#include <string>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"

namespace flow::driver {

/// One diagnostic as a single-line JSON object (no trailing newline).
std::string RenderJson(const SourceManager& sources, const diag::Diagnostic& diagnostic);

}  // namespace flow::driver

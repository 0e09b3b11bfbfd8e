// The Tekton backend's entry point (`flowc build --target tekton`).
#pragma once

#include <vector>

#include "compiler/diag/emitter.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/backend.h"

namespace flow::lower::tekton {

/// Lowers `program` (its entry workflow) to Tekton documents appended to `*out`.
/// Reports problems through `diags`; returns false when an error was reported.
bool Lower(const ir::Program& program, const BuildOptions& options, diag::DiagnosticEmitter& diags,
           std::vector<Document>* out);

}  // namespace flow::lower::tekton

// Lowers a checked program (with no errors) to the typed IR.
#pragma once

#include "compiler/base/source.h"
#include "compiler/check/checked_program.h"
#include "compiler/ir/ir.h"

namespace flow::ir {

/// Builds the IR of every task and workflow reachable from the program. Takes
/// the TypeStore out of `checked`. Precondition: Check() reported no errors.
Program BuildIR(check::CheckedProgram&& checked, const SourceManager& sources);

}  // namespace flow::ir

// Checks the invariants of ir.h on a built Program (debug builds run it after
// BuildIR; tests run it on every program they build).
#pragma once

#include <string>

#include "compiler/ir/ir.h"

namespace flow::ir {

/// True if `program` satisfies every invariant listed in ir.h; otherwise false
/// with `*error` describing the first violation found.
bool VerifyProgram(const Program& program, std::string* error);

}  // namespace flow::ir

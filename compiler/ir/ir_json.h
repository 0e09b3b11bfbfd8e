// The IR as JSON: what `flowc ir FILE` prints. Stable (no pointers, no ids that
// depend on allocation), pretty-printed with two-space indentation, types
// spelled as in Flow. docs/ir.md documents the shape.
#pragma once

#include <string>

#include "compiler/ir/ir.h"
#include "compiler/ir/value_json.h"

namespace flow::ir {

/// The whole program as a JSON document (ends without a newline).
std::string ProgramToJson(const Program& program);

/// One expression as JSON. `params` and `outputs` name Input and OutputPath
/// operands (either may be null).
Json ExprToJson(const Program& program, ExprId expr, const std::vector<Param>* params,
                const std::vector<Output>* outputs);

}  // namespace flow::ir

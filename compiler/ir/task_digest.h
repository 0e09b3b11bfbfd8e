// A digest of a task's definition, for cache keys.
#pragma once

#include <string>

#include "compiler/ir/ir.h"

namespace flow::ir {

/// A canonical text of `task`: its qualified name, parameters (names, types,
/// defaults), outputs, locals, fields and program, with expressions spelled
/// structurally. Independent of comments, whitespace, source positions and of
/// where the task's entities sit in the Program's vectors.
std::string CanonicalTaskText(const Program& program, const Task& task);

/// 16 lowercase hex digits of xxHash64 over CanonicalTaskText.
std::string TaskDigest(const Program& program, const Task& task);

}  // namespace flow::ir

// The built-in functions of stdlib/builtins.def, over evaluated arguments.
#pragma once

#include <vector>

#include "compiler/ir/eval.h"

namespace flow::ir {

/// Applies builtin `call.builtin` to `args` (already evaluated, in the
/// builtin's parameter order, with defaults filled), whose static types are
/// `arg_types`. Failures carry `call.loc`.
EvalResult EvalBuiltin(const types::TypeStore& types, const Expr& call, const std::vector<Value>& args,
                       const std::vector<TypeId>& arg_types, int64_t max_length = kMaxRangeLength);

/// The builtin's name as written in Flow ("select_first").
const char* BuiltinName(BuiltinId id);

}  // namespace flow::ir

// Evaluation of pure IR expressions: constants at compile time, `let` values,
// arguments, conditions and templates at run time. Never UB, never a crash:
// every failure (division by zero, a missing map key, `int("x")`, overflow, ...)
// is an EvalResult carrying a message and the location of the failing expression.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/ir/value.h"

namespace flow::ir {

/// Default longest list or string an evaluation may build (see EvalEnv::max_length).
inline constexpr int64_t kMaxRangeLength = 10'000'000;

/// Where the free names of an expression get their values. A callback that is
/// unset (or returns null) makes the evaluation fail with "... is not available".
struct EvalEnv {
  /// Parameter `index` of the enclosing task or workflow.
  std::function<const Value*(int32_t index)> input;
  /// A loop variable or task-body `let` bound outside the expression (variables
  /// bound inside it, by Comprehension and Let, are handled by Eval itself).
  std::function<const Value*(VarId var)> var;
  /// The value of a step (as seen from where the expression stands, see ExprKind::StepValue).
  std::function<const Value*(StepId step)> step_value;
  /// The path of task output `index` (task bodies only).
  std::function<const Value*(int32_t index)> output_path;
  /// Longest list or string `range`, `+` and `flatten` may build; longer is an
  /// error, so a bad program cannot exhaust memory (compile-time folding uses a
  /// smaller budget than the runtime).
  int64_t max_length = kMaxRangeLength;
};

/// The value of an expression, or why it could not be computed.
struct EvalResult {
  bool ok = true;
  Value value;
  std::string error;  // one line, lowercase: "division by zero"
  Loc loc;            // of the expression that failed

  static EvalResult Ok(Value v) {
    EvalResult r;
    r.value = std::move(v);
    return r;
  }
  static EvalResult Error(std::string message, Loc loc) {
    EvalResult r;
    r.ok = false;
    r.error = std::move(message);
    r.loc = loc;
    return r;
  }
};

/// Evaluates `expr` of `program` in `env`. `and`, `or`, `??` and `if` evaluate
/// only what they need.
EvalResult Eval(const Program& program, ExprId expr, const EvalEnv& env);

/// Converts `value` of type `from` to type `to` along the implicit conversions
/// (Int → Float, element-wise through containers; the others keep the value).
Value ConvertValue(const Value& value, TypeId from, TypeId to, const types::TypeStore& types);

/// The values the loop variables take in each iteration of a `for` with
/// `var_count` (1 or 2) variables over `iterable`: a list's elements (with 2
/// variables: the two fields of each record element, as from enumerate/zip), or
/// a map's keys (with 2 variables: key and value). Scatter steps use the same
/// rule at run time. False with `*error` when the value does not fit.
bool LoopBindings(const Value& iterable, size_t var_count, std::vector<std::vector<Value>>* out,
                  std::string* error);

/// Applies a binary operator to two evaluated operands (`and`/`or`/`??` too,
/// without short-circuit). Int arithmetic that overflows, and division or
/// remainder by zero, give nullopt and `*error`.
std::optional<Value> ApplyBinary(BinaryOp op, const Value& a, const Value& b, std::string* error,
                                 int64_t max_length = kMaxRangeLength);


}  // namespace flow::ir

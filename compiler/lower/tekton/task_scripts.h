// Shell fragments of the synthesized Tekton steps (POSIX sh + awk, as in
// alpine/busybox): list parameters from args, input validation, backoff, and
// reading outputs back into results. They never contain a run-time value:
// values arrive in environment variables or arguments.
#pragma once

#include <string>

#include "compiler/ir/ir.h"
#include "compiler/types/type_store.h"

namespace flow::lower::tekton {

/// Separates list parameters in a step's `args` (an element equal to it would split the list).
inline constexpr const char* kListEnd = "--flow-list-end--";

/// Defines `flow_list K MODE "$@"`: prints the K-th (from 0) list of the
/// arguments as a JSON array of strings (MODE `json`) or joined by one space (`text`).
std::string ListArgsPrelude();

/// A check that environment variable `var` holds a valid `type` value (Int,
/// Float, Bool, Duration, Size, enum), failing the step with a message naming
/// `what`. "" when `type` needs no check.
std::string ValidateVar(const std::string& var, ir::TypeId type, const types::TypeStore& types,
                        const std::string& what);

/// Sleeps before a retry: `backoff_ms` before the first retry, doubling each
/// retry (Flow's `backoff`), reading the retry number from FLOW_RETRY.
std::string BackoffScript(int64_t backoff_ms);

/// A guarded Task (an `if` inside a `for`, see context.h Scope::guard): its
/// first step reads the field `flow-guard` of the JSON in FLOW_ITER and writes
/// "true" or "false" to the file in FLOW_GUARD (Python, evaluator image).
std::string GuardStepScript();
/// The sh line that ends a guarded step early (exit 0) unless the file in
/// FLOW_GUARD holds "true".
std::string GuardShellCheck();
/// The same check in Python (for the `values` step).
std::string GuardPythonCheck();

/// Reads output `name` of `type` from the file in `$FLOW_OUT_<n>` into the result
/// file in `$FLOW_RES_<n>`: File/Dir outputs must exist (the result is the path);
/// other outputs are trimmed and validated (lists become arrays of element texts).
/// With `is_try`, a failed main step makes every result none instead; with
/// `guarded`, so does a guard (FLOW_GUARD) that is not "true".
std::string CaptureScript(const std::vector<std::pair<std::string, ir::TypeId>>& outputs,
                          const types::TypeStore& types, bool is_try, bool guarded, const std::string& task_name);

}  // namespace flow::lower::tekton

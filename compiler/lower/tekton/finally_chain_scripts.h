// Script texts of a merged `finally` chain Task (lower_finally_chain.cpp): the
// calls of a chain run as consecutive steps of one Task, each call's steps
// guarded by its dependencies' status files, with per-step retries and
// timeouts done by a wrapper. Like task_scripts.h, they never contain a
// run-time value or a Tekton variable: values and paths arrive in env vars.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flow::lower::tekton {

/// Python lines run before the evaluator in a call's `inputs` step: when the
/// status file named by any FLOW_DEP_<n> env var does not hold `ok` or `none`
/// (a call it needs failed or was skipped), writes "false" to the file in
/// FLOW_GUARD and ends the step (the call is skipped, as `flowc run` skips it).
std::string ChainInputsPrologue();

/// The sh lines a call's `render`/`main` step runs after its guard check: ends
/// the step with a failure when an earlier step of the same call (the paths
/// of their exit-code files are listed in FLOW_PRIOR_EXITS) did not succeed.
std::string ChainPriorCheck();

/// A `main` step script running `inner` (a script with its own `#!` line,
/// written to the file in FLOW_MAIN_FILE) up to `retries + 1` times, sleeping
/// `backoff_ms * 2^(n-1)` before retry n, each attempt killed after
/// `timeout_ms` when it is positive. The step's args reach every attempt.
/// `preamble` (sh lines: the guard and prior-step checks) runs first, once.
std::string RetryWrapperScript(const std::string& inner, const std::string& preamble, int64_t retries,
                               int64_t backoff_ms, int64_t timeout_ms);

/// The longest time RetryWrapperScript's attempts and sleeps may take (0 when
/// `timeout_ms` is 0: unbounded).
int64_t RetryBound(int64_t retries, int64_t backoff_ms, int64_t timeout_ms);

/// A call's `status` step: writes to the file in FLOW_STATUS `skipped` (a
/// dependency's status, FLOW_DEP_1..`deps`, is not ok/none), `failed` (the
/// `inputs` step failed, exit code file in FLOW_INPUTS_EXIT, or, without
/// `is_try`, one of the call's steps listed in FLOW_CALL_EXITS failed), `none`
/// (with `is_try`, a step failed: the result files FLOW_RESULT_1..`results`
/// are removed, so readers see none) or `ok`.
std::string ChainStatusScript(size_t deps, bool is_try, size_t results, const std::string& call);

/// The chain Task's last step: fails the TaskRun (so the PipelineRun fails,
/// as `flowc run` fails) when a call's status (FLOW_STATUS_<n>, one per entry
/// of `calls`, each a description such as "`tag` (main.flow:9:5)") is
/// `failed` or `skipped`, naming each such call.
std::string ChainFinishScript(const std::vector<std::string>& calls);

}  // namespace flow::lower::tekton

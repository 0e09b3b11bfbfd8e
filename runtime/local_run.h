// `flowc run` below the command line: sets up `.flow/` in the current
// directory (work dirs, cache, runs.db), checks resource requests against the
// budgets before anything runs, runs the entry workflow with the real process
// runner, prints the result JSON, records the run, and writes the HTML report.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/ir/value.h"

namespace flow::runtime {

struct LocalRunOptions {
  std::string cwd;            // absolute; `.flow` lives here
  std::string file;           // the workflow file, as given
  std::string args;           // the command line, for `flowc runs`
  int jobs = 0;               // 0: the number of cores
  double cpus = 0;            // 0: the machine's cores
  int64_t memory = 0;         // 0: the machine's memory
  int64_t gpus = 0;
  bool use_cache = true;
  bool explain = false;
  int verbosity = 1;          // 0 quiet, 1 normal, 2 verbose
  bool err_is_tty = false;
  std::string report_path;    // --report FILE ("" none)
  int64_t kill_grace_ms = 1000;
};

/// Runs workflow `workflow` of `program` with `inputs` (one per parameter,
/// defaults filled). Prints the result JSON to `out`, everything else to `err`.
/// Returns the exit code: 0 ok, 1 a task failed, 2 a task can never fit the
/// budgets (or `.flow` cannot be set up), 130 cancelled.
int RunLocally(const ir::Program& program, int32_t workflow, std::vector<ir::Value> inputs,
               const LocalRunOptions& options, std::ostream& out, std::ostream& err);

/// Checks, before anything runs, every task call whose cpu/memory/gpu do not
/// depend on inputs against the budgets. Returns one message per offender.
std::vector<std::string> CheckResourceBudgets(const ir::Program& program, double cpus, int64_t memory,
                                              int64_t gpus);

/// A new run id: "YYYYMMDD-HHMMSS-xxxx" (UTC; sorts by start time).
std::string NewRunId();

}  // namespace flow::runtime

// The harness of the Argo-vs-runtime tests: one program run (a) on the local
// runtime's workflow engine (runtime/workflow_engine.h, the state machine
// behind `flowc run`) and (b) as emitted Argo YAML on the Argo simulator
// (compiler/lower/argo/argo_sim_for_test.h), with the same fake task
// behaviour, so a test can compare the calls, their inputs and the results.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/ir/value.h"
#include "compiler/lower/backend.h"

namespace flow::argo_vs_runtime {

/// One task call as both sides see it: task name and its non-file inputs as text.
struct Invocation {
  std::string task;
  std::vector<std::string> inputs;
  friend bool operator<(const Invocation& a, const Invocation& b) {
    return a.task != b.task ? a.task < b.task : a.inputs < b.inputs;
  }
};

struct EngineRun {
  std::vector<Invocation> calls;
  bool failed = false;
  ir::Value result;
};

struct ArgoRun {
  std::vector<Invocation> calls;
  std::string status;
  std::string result;
  std::vector<std::string> errors;
};

/// The same calls with the same inputs, in any order.
void ExpectSameCalls(std::vector<Invocation> a, std::vector<Invocation> b);

/// Both runs succeeded (no simulator error) and made the same calls.
void ExpectSameSuccessfulRun(const EngineRun& local, const ArgoRun& argo);

/// Compiles `source` with the real front end; the test fails on any error.
std::optional<ir::Program> CompileFlow(const std::string& source);

/// Compiles the file at `path`, relative to the source tree.
std::optional<ir::Program> CompileSourceTreeFile(const std::string& path);

/// What a task returns, from its name and its inputs' text (both sides share it);
/// nullopt: the task fails.
using FakeFn =
    std::function<std::optional<ir::Value>(const std::string& task, const std::map<std::string, std::string>& in)>;

/// Runs the entry workflow on the workflow engine; `given` overrides parameter defaults.
EngineRun RunEngineWith(const ir::Program& p, const FakeFn& fake, const std::map<std::string, ir::Value>& given = {});

/// Lowers `p` to Argo and runs it on the simulator with workflow arguments `args`.
ArgoRun RunArgoWith(const ir::Program& p, const std::map<std::string, std::string>& args, const FakeFn& fake,
                    lower::BuildOptions options = {});

}  // namespace flow::argo_vs_runtime

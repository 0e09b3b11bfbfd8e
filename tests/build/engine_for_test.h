// Compiles test programs from text, and drives the local runtime's workflow engine (runtime/workflow_engine.h, the
// state machine behind `flowc run`) with fake task results, for tests that
// compare what a backend's output means with what `flowc run` does.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/ir/value.h"
#include "runtime/workflow_engine.h"

namespace flow::testing {

/// A program compiled from source text (as /t/main.flow, in memory) by the real
/// front end: the IR when there were no errors, and the rendered diagnostics.
struct Compiled {
  std::optional<ir::Program> program;
  std::string diagnostics;
};
Compiled CompileSource(const std::string& source);

/// The fake result of one task call: its value, or nullopt for a failure.
using TaskAnswer = std::function<std::optional<ir::Value>(const ir::Task& task, const runtime::TaskRequest& request)>;

struct EngineOutcome {
  bool failed = false;  // failed, or stopped before finishing
  ir::Value result;     // the entry workflow's value
};

/// Runs the entry workflow of `p`, its parameters taken from `given` or else
/// their defaults, answering every task call with `answer`, in the engine's order.
EngineOutcome DriveEngine(const ir::Program& p, const std::map<std::string, ir::Value>& given,
                          const TaskAnswer& answer);

}  // namespace flow::testing

// Drives the workflow engine with fake task results (engine_for_test.h).
#include "tests/build/engine_for_test.h"

#include <sstream>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/eval.h"

namespace flow::testing {

Compiled CompileSource(const std::string& source) {
  MemoryFileSystem fs;
  fs.Add("/t/main.flow", source);
  std::stringstream out, err;
  driver::Context ctx;
  ctx.fs = &fs;
  ctx.out = &out;
  ctx.err = &err;
  ctx.cwd = "/t";
  driver::FrontEndOptions opts;
  opts.color = driver::ColorMode::Never;
  driver::Compilation c;
  driver::Compile(ctx, opts, "/t/main.flow", &c);
  return Compiled{std::move(c.program), err.str()};
}

EngineOutcome DriveEngine(const ir::Program& p, const std::map<std::string, ir::Value>& given,
                          const TaskAnswer& answer) {
  runtime::WorkflowEngine engine(p);
  std::vector<ir::Value> inputs;
  for (const ir::Param& param : p.workflows[p.entry].params) {
    auto it = given.find(param.name);
    inputs.push_back(it != given.end() ? it->second : ir::Eval(p, param.default_value, ir::EvalEnv{}).value);
  }
  engine.Start(p.entry, inputs);
  // A bound on rounds: a test program never needs more, and a bug in the
  // engine must not hang the test.
  for (int round = 0; round < 1000 && !engine.finished(); ++round) {
    std::vector<runtime::TaskRequest> ready = engine.TakeReady();
    if (ready.empty()) break;
    for (const runtime::TaskRequest& r : ready) {
      std::optional<ir::Value> value = answer(p.tasks[r.call.task], r);
      if (value) {
        engine.TaskSucceeded(r.node, std::move(*value));
      } else {
        engine.TaskFailed(r.node, "fake failure");
      }
    }
  }
  return EngineOutcome{!engine.finished() || engine.failed(), engine.result()};
}

}  // namespace flow::testing

// The Argo lowering means what the program means: the same programs run (a) on
// the local runtime's workflow engine (runtime/workflow_engine.h, the state
// machine behind `flowc run`) and (b) as emitted Argo YAML on the Argo
// simulator (compiler/lower/argo/argo_sim_for_test.h), with the same fake task
// behaviour. Both must run the same task calls with the same inputs, in an
// order that respects the same dependencies, and end with the same result.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/argo_sim_for_test.h"
#include "compiler/lower/argo/lower_argo.h"
#include "compiler/lower/argo/programs_for_test.h"
#include "runtime/workflow_engine.h"

namespace flow {
namespace {

using lower::argo::testing::ArgoSimulator;
using lower::argo::testing::PodCall;
using lower::argo::testing::PodResult;

/// One task call as both sides see it: task name and its non-file inputs as text.
struct Invocation {
  std::string task;
  std::vector<std::string> inputs;
  friend bool operator<(const Invocation& a, const Invocation& b) {
    return a.task != b.task ? a.task < b.task : a.inputs < b.inputs;
  }
  friend bool operator==(const Invocation& a, const Invocation& b) {
    return a.task == b.task && a.inputs == b.inputs;
  }
};

bool IsPath(const ir::Program& p, types::TypeId t) {
  types::TypeKind k = p.types.KindOf(t);
  return k == types::TypeKind::File || k == types::TypeKind::Dir || p.types.ContainsPath(t);
}

/// The fake behaviour of each task, over input texts: shared by both sides.
/// train fails when epochs == `fail_epochs`; report joins note and score.
struct Fake {
  std::string fail_epochs;
  bool Fails(const std::string& task, const std::map<std::string, std::string>& in) const {
    return task == "train" && in.count("epochs") && in.at("epochs") == fail_epochs;
  }
  std::string Report(const std::map<std::string, std::string>& in) const {
    return in.at("note") + ": " + in.at("score");
  }
};

struct EngineRun {
  std::vector<Invocation> calls;
  bool failed = false;
  ir::Value result;
};

EngineRun RunEngine(const ir::Program& p, const std::map<std::string, ir::Value>& given, const Fake& fake) {
  EngineRun run;
  runtime::WorkflowEngine engine(p);
  const ir::Workflow& wf = p.workflows[p.entry];
  std::vector<ir::Value> inputs;
  for (const ir::Param& param : wf.params) {
    auto it = given.find(param.name);
    inputs.push_back(it != given.end() ? it->second : ir::Eval(p, param.default_value, ir::EvalEnv{}).value);
  }
  engine.Start(p.entry, inputs);
  int files = 0;
  for (int guard = 0; guard < 1000 && !engine.finished(); ++guard) {
    std::vector<runtime::TaskRequest> ready = engine.TakeReady();
    if (ready.empty()) break;
    for (const runtime::TaskRequest& r : ready) {
      const ir::Task& task = p.tasks[r.call.task];
      Invocation inv{task.name, {}};
      std::map<std::string, std::string> text;
      for (size_t i = 0; i < task.params.size(); ++i) {
        if (IsPath(p, task.params[i].type)) continue;
        std::string t = task.params[i].type == types::TypeStore::String() ||
                                p.types.IsScalar(task.params[i].type)
                            ? ir::FormatValueText(r.call.inputs[i], task.params[i].type, p.types)
                            : ir::ValueToJson(r.call.inputs[i], task.params[i].type, p.types).dump();
        inv.inputs.push_back(t);
        text[task.params[i].name] = t;
      }
      run.calls.push_back(inv);
      if (fake.Fails(task.name, text)) {
        engine.TaskFailed(r.node, "fake failure");
        continue;
      }
      ir::Value value;
      if (task.name == "train") {
        value = ir::Value::Record({{"model", ir::Value::String("/work/model-" + std::to_string(++files))},
                                   {"score", ir::Value::Float(0.75)}});
      } else if (task.name == "report") {
        value = ir::Value::String(fake.Report(text));
      } else if (task.name == "greet" || task.name == "merge") {
        value = ir::Value::String("/work/file-" + std::to_string(++files));
      }
      engine.TaskSucceeded(r.node, value);
    }
  }
  run.failed = !engine.finished() || engine.failed();
  run.result = engine.result();
  return run;
}

struct ArgoRun {
  std::vector<Invocation> calls;
  std::string status;
  std::string result;
  std::vector<std::string> errors;
};

ArgoRun RunArgo(const ir::Program& p, const std::map<std::string, std::string>& args, const Fake& fake) {
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  EXPECT_TRUE(lower::argo::Lower(p, {}, emitter, &docs));
  ArgoRun run;
  if (docs.empty()) return run;
  std::map<std::string, const ir::Task*> by_template;
  for (const ir::Task& t : p.tasks) by_template[t.name] = &t;
  ArgoSimulator sim(YAML::Load(docs[0].yaml), [&](const PodCall& call) {
    PodResult r;
    const ir::Task& task = *by_template.at(call.tmpl);
    Invocation inv{task.name, {}};
    std::map<std::string, std::string> text;
    for (const ir::Param& param : task.params) {
      if (IsPath(p, param.type)) continue;
      inv.inputs.push_back(call.inputs.at(param.name));
      text[param.name] = call.inputs.at(param.name);
    }
    run.calls.push_back(inv);
    if (fake.Fails(task.name, text)) {
      r.ok = false;
      return r;
    }
    if (task.name == "train") {
      r.outputs["model"] = call.env.at("FLOW_KEY") + "/model";
      r.outputs["score"] = "0.75";
    } else if (task.name == "report") {
      r.outputs["value"] = fake.Report(text);
    } else if (task.name == "greet" || task.name == "merge") {
      r.outputs["value"] = call.env.at("FLOW_KEY") + "/value";
    }
    return r;
  });
  lower::argo::testing::NodeResult result = sim.Run(args);
  run.status = result.status;
  if (result.outputs.count("value")) run.result = result.outputs.at("value");
  run.errors = sim.errors();
  return run;
}

void ExpectSameCalls(std::vector<Invocation> a, std::vector<Invocation> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].task, b[i].task);
    EXPECT_EQ(a[i].inputs, b[i].inputs) << a[i].task;
  }
}

TEST(ArgoMatchesRuntime, ScatterGather) {
  lower::argo::testing::IrBuilder b = lower::argo::testing::ScatterGather();
  Fake fake;
  EngineRun local = RunEngine(b.p, {}, fake);
  ArgoRun argo = RunArgo(b.p, {}, fake);
  EXPECT_TRUE(argo.errors.empty()) << argo.errors[0];
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
  // Both end with one file made by `merge` from both greetings, after them.
  EXPECT_EQ(local.calls.back().task, "merge");
  EXPECT_EQ(argo.calls.back().task, "merge");
  EXPECT_NE(argo.result.find("/call-merge/"), std::string::npos);
}

TEST(ArgoMatchesRuntime, PipelineBothBranches) {
  lower::argo::testing::IrBuilder b = lower::argo::testing::Pipeline();
  for (bool fast : {false, true}) {
    for (const char* fail : {"5", "none"}) {
      Fake fake{fail};
      std::map<std::string, ir::Value> given = {{"data", ir::Value::String("in/raw.csv")},
                                                {"fast", ir::Value::Bool(fast)}};
      EngineRun local = RunEngine(b.p, given, fake);
      ArgoRun argo = RunArgo(b.p, {{"data", "in/raw.csv"}, {"fast", fast ? "true" : "false"}}, fake);
      SCOPED_TRACE(std::string("fast=") + (fast ? "true" : "false") + " fail_epochs=" + fail);
      EXPECT_TRUE(argo.errors.empty()) << argo.errors[0];
      ASSERT_FALSE(local.failed);
      EXPECT_EQ(argo.status, "Succeeded");
      ExpectSameCalls(local.calls, argo.calls);
      EXPECT_EQ(argo.result, local.result.as_string());
      // The entry's `finally` runs last on both sides.
      EXPECT_EQ(local.calls.back().inputs, std::vector<std::string>{"v1"});
      EXPECT_EQ(argo.calls.back().inputs, std::vector<std::string>{"v1"});
    }
  }
}

}  // namespace
}  // namespace flow

// The Argo lowering means what the program means: the same programs run (a) on
// the local runtime's workflow engine (runtime/workflow_engine.h, the state
// machine behind `flowc run`) and (b) as emitted Argo YAML on the Argo
// simulator (compiler/lower/argo/argo_sim_for_test.h), with the same fake task
// behaviour. Both must run the same task calls with the same inputs, in an
// order that respects the same dependencies, and end with the same result.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/driver/compile.h"
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

TEST(ArgoMatchesRuntime, ScatterOverAnEmptyListGathersAnEmptyList) {
  lower::argo::testing::IrBuilder b = lower::argo::testing::ScatterGather();
  Fake fake;
  EngineRun local = RunEngine(b.p, {{"names", ir::Value::List({})}}, fake);
  ArgoRun argo = RunArgo(b.p, {{"names", "[]"}}, fake);
  EXPECT_TRUE(argo.errors.empty()) << argo.errors[0];
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  // No greeting at all; `merge` still runs, with the empty list.
  ExpectSameCalls(local.calls, argo.calls);
  ASSERT_EQ(argo.calls.size(), 1u);
  EXPECT_EQ(argo.calls[0].task, "merge");
}

// --- Programs compiled from source, with one generic fake -------------------

/// Compiles `source` with the real front end; the test fails on any error.
std::optional<ir::Program> CompileFlow(const std::string& source) {
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
  EXPECT_TRUE(c.program.has_value()) << err.str();
  return std::move(c.program);
}

/// What a task returns, from its name and its inputs' text (both sides share it);
/// nullopt: the task fails.
using FakeFn =
    std::function<std::optional<ir::Value>(const std::string& task, const std::map<std::string, std::string>& in)>;

std::string InputText(const ir::Program& p, const ir::Value& v, types::TypeId t) {
  return p.types.IsScalar(t) ? ir::FormatValueText(v, t, p.types) : ir::ValueToJson(v, t, p.types).dump();
}

EngineRun RunEngineWith(const ir::Program& p, const FakeFn& fake) {
  EngineRun run;
  runtime::WorkflowEngine engine(p);
  const ir::Workflow& wf = p.workflows[p.entry];
  std::vector<ir::Value> inputs;
  for (const ir::Param& param : wf.params) inputs.push_back(ir::Eval(p, param.default_value, ir::EvalEnv{}).value);
  engine.Start(p.entry, inputs);
  for (int guard = 0; guard < 1000 && !engine.finished(); ++guard) {
    std::vector<runtime::TaskRequest> ready = engine.TakeReady();
    if (ready.empty()) break;
    for (const runtime::TaskRequest& r : ready) {
      const ir::Task& task = p.tasks[r.call.task];
      Invocation inv{task.name, {}};
      std::map<std::string, std::string> text;
      for (size_t i = 0; i < task.params.size(); ++i) {
        std::string t = InputText(p, r.call.inputs[i], task.params[i].type);
        inv.inputs.push_back(t);
        text[task.params[i].name] = t;
      }
      run.calls.push_back(inv);
      std::optional<ir::Value> value = fake(task.name, text);
      if (value) {
        engine.TaskSucceeded(r.node, *value);
      } else {
        engine.TaskFailed(r.node, "fake failure");
      }
    }
  }
  run.failed = !engine.finished() || engine.failed();
  run.result = engine.result();
  return run;
}

/// Runs the synthesized `flow-map-items` helper's real script (sh + awk) with
/// its output directory moved to a private temporary one.
PodResult RunMapItemsHelper(const PodCall& call) {
  PodResult r;
  char dir_template[] = "/tmp/flow-argo-test-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    r.ok = false;
    return r;
  }
  std::string script = call.args.back();
  for (size_t at = script.find("/tmp/flow/out"); at != std::string::npos; at = script.find("/tmp/flow/out", at)) {
    script.replace(at, 13, dir);
  }
  std::string script_file = std::string(dir) + "/script.sh";
  std::ofstream(script_file) << script;
  setenv("FLOW_MAP", call.env.at("FLOW_MAP").c_str(), 1);
  int rc = std::system(("/bin/sh -eu " + script_file + " 2>/dev/null").c_str());
  unsetenv("FLOW_MAP");
  std::ifstream in(std::string(dir) + "/value");
  std::stringstream value;
  value << in.rdbuf();
  r.ok = rc == 0;
  r.outputs["value"] = value.str();
  std::filesystem::remove_all(dir);
  return r;
}

ArgoRun RunArgoWith(const ir::Program& p, const std::map<std::string, std::string>& args, const FakeFn& fake,
                    lower::BuildOptions options = {}) {
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  bool lowered = lower::argo::Lower(p, options, emitter, &docs);
  EXPECT_TRUE(lowered) << (consumer.diagnostics().empty() ? "" : consumer.diagnostics()[0].message);
  ArgoRun run;
  if (docs.empty()) return run;
  std::map<std::string, const ir::Task*> by_template;
  for (const ir::Task& t : p.tasks) by_template[t.name] = &t;
  ArgoSimulator sim(YAML::Load(docs[0].yaml), [&](const PodCall& call) {
    if (call.tmpl == "flow-map-items") return RunMapItemsHelper(call);
    PodResult r;
    if (call.tmpl == "flow-noop") return r;
    const ir::Task& task = *by_template.at(call.tmpl);
    Invocation inv{task.name, {}};
    std::map<std::string, std::string> text;
    for (const ir::Param& param : task.params) {
      inv.inputs.push_back(call.inputs.at(param.name));
      text[param.name] = call.inputs.at(param.name);
    }
    run.calls.push_back(inv);
    std::optional<ir::Value> value = fake(task.name, text);
    r.ok = value.has_value();
    if (value && !task.outputs.empty()) r.outputs["value"] = InputText(p, *value, task.output_type);
    return r;
  });
  lower::argo::testing::NodeResult result = sim.Run(args);
  run.status = result.status;
  if (result.outputs.count("value")) run.result = result.outputs.at("value");
  run.errors = sim.errors();
  return run;
}

// `zip`, `round`, `stem` over values only known at run time (Argo expressions),
// a `for` over a map a task computed (the `flow-map-items` helper step, in the
// map's own order), and a `for` over an empty list a task computed (gathers `[]`).
constexpr const char* kRunTimeValues = R"(
task floats() -> List[Float] {
  image  = "alpine:3.20"
  script = "echo '[1.5, 2.5, -0.5]' > {{out}}"
}
task paths() -> List[String] {
  image  = "alpine:3.20"
  script = "echo > {{out}}"
}
task levels() -> Map[String, Int] {
  image  = "alpine:3.20"
  script = "echo > {{out}}"
}
task nothing() -> List[String] {
  image  = "alpine:3.20"
  script = "echo '[]' > {{out}}"
}
task show(text: String, flag: Bool) -> String {
  image  = "alpine:3.20"
  script = "echo {{text}} {{flag}} > {{out}}"
}
task total(items: List[String]) -> String {
  image  = "alpine:3.20"
  script = "echo {{items}} > {{out}}"
}
workflow main(on: Bool = true) -> String {
  let xs = floats()
  let ps = paths()
  let m = levels()
  let none_left = nothing()
  let a = for p in zip(ps, xs) { show(text: "{{stem(p.left)}}={{round(p.right)}}", flag: on) }
  let b = for (k, v) in m { show(text: k, flag: v > 1) }
  let c = for s in none_left { show(text: s, flag: on) }
  return total(items: a + b + c)
}
)";

std::optional<ir::Value> RunTimeFake(const std::string& task, const std::map<std::string, std::string>& in) {
  using V = ir::Value;
  if (task == "floats") return V::List({V::Float(1.5), V::Float(2.5), V::Float(-0.5)});
  if (task == "paths") return V::List({V::String("a/b.tar.gz"), V::String(".bashrc"), V::String("x"), V::String("y")});
  if (task == "levels") return V::Map({{V::String("zeta"), V::Int(1)}, {V::String("alpha"), V::Int(2)}});
  if (task == "nothing") return V::List({});
  if (task == "show") return V::String(in.at("text") + "/" + in.at("flag"));
  if (task == "total") return V::String(in.at("items"));
  if (task == "flaky" && in.at("n") == "1") return std::nullopt;
  if (task == "flaky") return V::String("ok " + in.at("n"));
  return V();
}

TEST(ArgoMatchesRuntime, RunTimeZipRoundStemMapAndEmptyList) {
  std::optional<ir::Program> p = CompileFlow(kRunTimeValues);
  ASSERT_TRUE(p.has_value());
  EngineRun local = RunEngineWith(*p, RunTimeFake);
  ArgoRun argo = RunArgoWith(*p, {}, RunTimeFake);
  EXPECT_TRUE(argo.errors.empty()) << argo.errors[0];
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
  // Exactly what Flow computes: zip stops at the shorter list, round goes half
  // away from zero, stem keeps `.bashrc`, the map keeps its order, `c` is `[]`.
  std::string want = R"(["b.tar=2/true",".bashrc=3/true","x=-1/true","zeta/false","alpha/true"])";
  EXPECT_EQ(local.result.as_string(), want);
  EXPECT_EQ(argo.result, want);
}

// `try`: the failed call continues (continueOn), its consumer reads `none`, and
// a failed `try` nothing waits for does not fail the workflow.
constexpr const char* kTry = R"(
task flaky(n: Int) -> String {
  image  = "alpine:3.20"
  script = "test {{n}} -gt 1 && echo ok > {{out}}"
}
task show(text: String, flag: Bool) -> String {
  image  = "alpine:3.20"
  script = "echo {{text}} {{flag}} > {{out}}"
}
workflow main() -> String {
  let r = try flaky(n: 1)
  let fine = try flaky(n: 2)
  let s = show(text: "{{r ?? "failed"}}+{{fine ?? "failed"}}", flag: defined(r))
  try flaky(n: 1)
  return s
}
)";

TEST(ArgoMatchesRuntime, TryGivesNoneAndTheWorkflowGoesOn) {
  std::optional<ir::Program> p = CompileFlow(kTry);
  ASSERT_TRUE(p.has_value());
  EngineRun local = RunEngineWith(*p, RunTimeFake);
  ArgoRun argo = RunArgoWith(*p, {}, RunTimeFake);
  EXPECT_TRUE(argo.errors.empty()) << argo.errors[0];
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
  EXPECT_EQ(local.result.as_string(), "failed+ok 2/false");
  EXPECT_EQ(argo.result, "failed+ok 2/false");
}

TEST(ArgoMatchesRuntime, MalformedBoolInputFailsBeforeTheTaskRuns) {
  std::optional<ir::Program> p = CompileFlow(kRunTimeValues);
  ASSERT_TRUE(p.has_value());
  ArgoRun argo = RunArgoWith(*p, {{"on", "yes"}}, RunTimeFake);
  bool reported = false;
  for (const std::string& e : argo.errors) {
    reported = reported || e.find("expected a `Bool` (true or false), found: yes") != std::string::npos;
  }
  EXPECT_TRUE(reported) << (argo.errors.empty() ? "no error" : argo.errors[0]);
  EXPECT_EQ(argo.status, "Failed");
  // No `show` ran with the malformed flag (those of the map loop compute theirs).
  int shown = 0;
  for (const Invocation& call : argo.calls) {
    if (call.task != "show") continue;
    ++shown;
    EXPECT_NE(call.inputs.at(1), "yes");
  }
  EXPECT_EQ(shown, 2);
}

}  // namespace
}  // namespace flow

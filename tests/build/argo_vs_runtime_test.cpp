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
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/argo_sim_for_test.h"
#include "compiler/lower/argo/argo_structure_for_test.h"
#include "compiler/lower/argo/lower_argo.h"
#include "compiler/lower/argo/programs_for_test.h"
#include "compiler/lower/names.h"
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

void ExpectSameCalls(std::vector<Invocation> a, std::vector<Invocation> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].task, b[i].task);
    EXPECT_EQ(a[i].inputs, b[i].inputs) << a[i].task;
  }
}

// --- Running a program on both sides ----------------------------------------

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

bool IsFile(const ir::Program& p, types::TypeId t) {
  types::TypeKind k = p.types.KindOf(t);
  return k == types::TypeKind::File || k == types::TypeKind::Dir;
}

/// The identity of the file output `output` of a call of `task` with `inputs`
/// (texts, files by their identity): both sides name a made file this way, so a
/// call's file inputs compare equal exactly when they are the same file.
std::string FileIdentity(const std::string& task, const std::vector<std::string>& inputs,
                         const std::string& output) {
  std::string out = task + "(";
  for (size_t i = 0; i < inputs.size(); ++i) out += (i > 0 ? ", " : "") + inputs[i];
  return out + ")#" + output;
}

/// `value` (what the fake returned) with its file outputs replaced by their identities.
ir::Value WithFileIdentities(const ir::Program& p, const ir::Task& task, const ir::Value& value,
                             const std::vector<std::string>& inputs) {
  if (task.single_output) {
    return IsFile(p, task.outputs[0].type) ? ir::Value::String(FileIdentity(task.name, inputs, "value")) : value;
  }
  std::vector<std::pair<std::string, ir::Value>> fields;
  for (const ir::Output& out : task.outputs) {
    ir::Value field;
    if (IsFile(p, out.type)) {
      field = ir::Value::String(FileIdentity(task.name, inputs, out.name));
    } else if (value.kind() == ir::Value::Kind::Record) {
      for (const auto& [name, v] : value.record()) {
        if (name == out.name) field = v;
      }
    }
    fields.emplace_back(out.name, field);
  }
  return task.outputs.empty() ? value : ir::Value::Record(std::move(fields));
}

EngineRun RunEngineWith(const ir::Program& p, const FakeFn& fake, const std::map<std::string, ir::Value>& given = {}) {
  EngineRun run;
  runtime::WorkflowEngine engine(p);
  const ir::Workflow& wf = p.workflows[p.entry];
  std::vector<ir::Value> inputs;
  for (const ir::Param& param : wf.params) {
    auto it = given.find(param.name);
    inputs.push_back(it != given.end() ? it->second : ir::Eval(p, param.default_value, ir::EvalEnv{}).value);
  }
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
        engine.TaskSucceeded(r.node, WithFileIdentities(p, task, *value, inv.inputs));
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
  std::map<std::string, std::string> identity;  // repository key → identity of the file made there
  ArgoSimulator sim(YAML::Load(docs[0].yaml), [&](const PodCall& call) {
    if (call.tmpl == "flow-map-items") return RunMapItemsHelper(call);
    PodResult r;
    if (call.tmpl == "flow-noop") return r;
    const ir::Task& task = *by_template.at(call.tmpl);
    Invocation inv{task.name, {}};
    std::map<std::string, std::string> text;
    for (const ir::Param& param : task.params) {
      std::string t = call.inputs.at(param.name);
      if (IsFile(p, param.type)) {
        // The file the pod downloads (its input artifact) must be the one the
        // program means (the key it is given): compare by what made it.
        auto art = call.artifacts.find(lower::ParamName(param.name));
        if (art == call.artifacts.end()) {
          run.errors.push_back(call.pod + ": no input artifact for " + param.name);
        } else if (art->second != t) {
          run.errors.push_back(call.pod + ": artifact " + art->second + " is not the file " + t);
        }
        if (identity.count(t)) t = identity.at(t);
      } else if (p.types.ContainsPath(param.type)) {
        // A gathered `List[File]`: its keys, each named by what made it.
        ir::Json keys = ir::Json::parse(t, nullptr, false);
        if (keys.is_array()) {
          for (ir::Json& key : keys) {
            if (key.is_string() && identity.count(key.get<std::string>())) key = identity.at(key.get<std::string>());
          }
          t = keys.dump();
        }
      }
      inv.inputs.push_back(t);
      text[param.name] = t;
    }
    run.calls.push_back(inv);
    std::optional<ir::Value> value = fake(task.name, text);
    r.ok = value.has_value();
    if (!value) return r;
    for (const ir::Output& out : task.outputs) {
      std::string oname = out.name.empty() ? "value" : lower::ParamName(out.name);
      if (IsFile(p, out.type)) {
        // What the script prelude writes: the key of the output artifact.
        std::string key = call.env.at("FLOW_KEY") + "/" + oname;
        identity[key] = FileIdentity(task.name, inv.inputs, out.name.empty() ? "value" : out.name);
        r.outputs[oname] = key;
      } else if (task.single_output) {
        r.outputs[oname] = InputText(p, *value, out.type);
      } else if (value->kind() == ir::Value::Kind::Record) {
        for (const auto& [name, v] : value->record()) {
          if (name == out.name) r.outputs[oname] = InputText(p, v, out.type);
        }
      }
    }
    return r;
  });
  lower::argo::testing::NodeResult result = sim.Run(args);
  run.status = result.status;
  if (result.outputs.count("value")) run.result = result.outputs.at("value");
  run.errors.insert(run.errors.end(), sim.errors().begin(), sim.errors().end());
  return run;
}

// --- Hand-built IR programs (programs_for_test.h) ------------------------------

/// The pipeline's and the scatter's tasks: `train` fails when its epochs are
/// `fail_epochs` and makes a model (a file) scoring 0.75; `report` joins note
/// and score; `greet` and `merge` make a file.
FakeFn BuilderFake(const std::string& fail_epochs) {
  return [fail_epochs](const std::string& task,
                       const std::map<std::string, std::string>& in) -> std::optional<ir::Value> {
    if (task == "train" && in.count("epochs") && in.at("epochs") == fail_epochs) return std::nullopt;
    if (task == "train") return ir::Value::Record({{"model", ir::Value()}, {"score", ir::Value::Float(0.75)}});
    if (task == "report") return ir::Value::String(in.at("note") + ": " + in.at("score"));
    return ir::Value();
  };
}

TEST(ArgoMatchesRuntime, ScatterGather) {
  lower::argo::testing::IrBuilder b = lower::argo::testing::ScatterGather();
  EngineRun local = RunEngineWith(b.p, BuilderFake(""));
  ArgoRun argo = RunArgoWith(b.p, {}, BuilderFake(""));
  for (const std::string& e : argo.errors) ADD_FAILURE() << e;
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  // Same calls, `merge` receiving both greetings (the same files) on both sides.
  ExpectSameCalls(local.calls, argo.calls);
  EXPECT_EQ(local.calls.back().task, "merge");
  EXPECT_EQ(argo.calls.back().task, "merge");
  EXPECT_NE(argo.result.find("/call-merge/"), std::string::npos);
}

TEST(ArgoMatchesRuntime, PipelineBothBranches) {
  lower::argo::testing::IrBuilder b = lower::argo::testing::Pipeline();
  for (bool fast : {false, true}) {
    for (const char* fail : {"5", "none"}) {
      std::map<std::string, ir::Value> given = {{"data", ir::Value::String("in/raw.csv")},
                                                {"fast", ir::Value::Bool(fast)}};
      EngineRun local = RunEngineWith(b.p, BuilderFake(fail), given);
      ArgoRun argo =
          RunArgoWith(b.p, {{"data", "in/raw.csv"}, {"fast", fast ? "true" : "false"}}, BuilderFake(fail));
      SCOPED_TRACE(std::string("fast=") + (fast ? "true" : "false") + " fail_epochs=" + fail);
      for (const std::string& e : argo.errors) ADD_FAILURE() << e;
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
  EngineRun local = RunEngineWith(b.p, BuilderFake(""), {{"names", ir::Value::List({})}});
  ArgoRun argo = RunArgoWith(b.p, {{"names", "[]"}}, BuilderFake(""));
  for (const std::string& e : argo.errors) ADD_FAILURE() << e;
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  // No greeting at all; `merge` still runs, with the empty list.
  ExpectSameCalls(local.calls, argo.calls);
  ASSERT_EQ(argo.calls.size(), 1u);
  EXPECT_EQ(argo.calls[0].task, "merge");
}

// --- Programs compiled from source ------------------------------------------------

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

// Floats computed by Argo expressions print as `flowc run` prints them (Go's
// `string` would give `1`, `1e+06`, `3e+15`): whole values keep `.0`, values
// from 1e-4 up to 1e16 print plainly, others in exponent form, and `0.1 + 0.2`
// keeps its shortest round-trip digits.
constexpr const char* kFloats = R"(
task nums() -> List[Float] {
  image  = "alpine:3.20"
  script = "echo '[]' > {{out}}"
}
task say(text: String) -> String {
  image  = "alpine:3.20"
  script = "echo {{text}} > {{out}}"
}
workflow main() -> List[String] {
  let xs = nums()
  return for x in xs { say(text: "{{x}}|{{x + 0.2}}|{{x * 3.0}}|{{-x / 8.0}}") }
}
)";

TEST(ArgoMatchesRuntime, ComputedFloatsPrintAsFlowPrintsThem) {
  std::optional<ir::Program> p = CompileFlow(kFloats);
  ASSERT_TRUE(p.has_value());
  auto fake = [](const std::string& task, const std::map<std::string, std::string>& in) -> std::optional<ir::Value> {
    using V = ir::Value;
    if (task == "nums") {
      std::vector<V> xs;
      for (double d : {1.0, 2.5, 1e20, 0.1, 1234567.5, 1e-7, 1e15, -3.0, 0.0001, 123456.789, 0.0, 5e-5, 1e16,
                       9007199254740993.0, 2.0 / 3.0}) {
        xs.push_back(V::Float(d));
      }
      return V::List(std::move(xs));
    }
    return V::String(in.at("text"));
  };
  EngineRun local = RunEngineWith(*p, fake);
  ArgoRun argo = RunArgoWith(*p, {}, fake);
  EXPECT_TRUE(argo.errors.empty()) << argo.errors[0];
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
  // Spot checks of Flow's spelling, on the Argo side.
  std::set<std::string> texts;
  for (const Invocation& call : argo.calls) {
    if (call.task == "say") texts.insert(call.inputs.at(0));
  }
  for (const char* want : {"1.0|1.2|3.0|-0.125", "1e+20|1e+20|3e+20|-1.25e+19",
                           "0.1|0.30000000000000004|0.30000000000000004|-0.0125",
                           "1234567.5|1234567.7|3703702.5|-154320.9375", "1e-07|0.20000010000000001|3e-07|-1.25e-08",
                           "1000000000000000.0|1000000000000000.2|3000000000000000.0|-125000000000000.0",
                           "0.0|0.2|0.0|-0.0", "1e+16|1e+16|3e+16|-1250000000000000.0",
                           "9007199254740992.0|9007199254740992.0|2.7021597764222976e+16|-1125899906842624.0"}) {
    EXPECT_EQ(texts.count(want), 1u) << want;
  }
  EXPECT_EQ(local.result.kind(), ir::Value::Kind::List);
}

// Floats inside lists, maps, records/structs and optionals that Argo computes
// (expressions, a `for`'s gather, loop items) print exactly as `flowc run` prints
// them: `[2.0]`, not Go's `[2]`; fields in declaration order, not sorted; map
// literals in their written order; `1e+15` as nlohmann writes it inside JSON.
constexpr const char* kFloatCollections = R"(
struct Point {
  x: Float
  label: String
  n: Int
}
task nums() -> List[Float] {
  image  = "alpine:3.20"
  script = "echo '[]' > {{out}}"
}
task half(v: Float) -> Float {
  image  = "alpine:3.20"
  script = "echo {{v}} > {{out}}"
}
task keep(values: List[Float], point: Point, table: Map[String, Float], grid: List[List[Float]],
          maybe: Float?, missing: Float?, item: Float, text: String) -> String {
  image  = "alpine:3.20"
  script = "echo {{values}} {{string(point)}} {{string(table)}} {{string(grid)}} {{string(maybe)}} {{string(missing)}} {{item}} {{text}} > {{out}}"
}
workflow main(scale: Float = 2.0) -> (xs: List[Float], m: Map[String, Float], p: Point, grid: List[List[Float]],
                                      some_f: Float?, none_f: Float?, gathered: List[Float], points: List[Point],
                                      kept: List[String], text: String) {
  let raw = nums()
  let xs = [for x in raw { x * scale }]
  let m = {"b": scale, "a": scale / 4.0}
  let p = Point { x: scale * 0.5, label: "p", n: 3 }
  let grid = [xs, [for x in raw { x + 1.0 }]]
  let some_f = if scale > 1.0 { scale * 1.5 }
  let none_f = if scale > 100.0 { scale }
  let gathered = for x in raw { half(v: x) }
  let points = [for x in raw { Point { x: x, label: "q", n: 1 } }]
  let kept = for x in xs {
    keep(values: xs, point: p, table: m, grid: grid, maybe: some_f, missing: none_f, item: x,
         text: "{{string(p)}} {{string(m)}} {{string(some_f)}} {{string(none_f)}}")
  }
  return (xs: xs, m: m, p: p, grid: grid, some_f: some_f, none_f: none_f, gathered: gathered,
          points: points, kept: kept, text: string(xs))
}
)";

TEST(ArgoMatchesRuntime, FloatsInsideCollectionsPrintAsFlowPrintsThem) {
  std::optional<ir::Program> p = CompileFlow(kFloatCollections);
  ASSERT_TRUE(p.has_value());
  auto fake = [](const std::string& task, const std::map<std::string, std::string>& in) -> std::optional<ir::Value> {
    using V = ir::Value;
    if (task == "nums") {
      std::vector<V> xs;
      for (double d : {1.0, 2.5, 1e15, 5e14, 1e20, 0.1, 1234567.5, 1e-7, -3.0, 0.0001, 0.0}) xs.push_back(V::Float(d));
      return V::List(std::move(xs));
    }
    if (task == "half") {
      double v = std::strtod(in.at("v").c_str(), nullptr);
      return V::Float(v / 2.0);
    }
    return V::String(in.at("text"));
  };
  EngineRun local = RunEngineWith(*p, fake);
  ArgoRun argo = RunArgoWith(*p, {}, fake);
  for (const std::string& e : argo.errors) ADD_FAILURE() << e;
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  // Same calls with byte-identical inputs (`keep` gets every collection as JSON).
  ExpectSameCalls(local.calls, argo.calls);
  // The workflow's result, byte for byte.
  std::string want = ir::DumpJson(ir::ValueToJson(local.result, p->workflows[p->entry].output_type, p->types));
  EXPECT_EQ(argo.result, want);
  // Spot checks of Flow's spelling (what Go's toJson would spell otherwise).
  EXPECT_NE(want.find(R"("xs":[2.0,5.0,2e+15,1e+15,2e+20,0.2,2469135.0,2e-07,-6.0,0.0002,0.0])"),
            std::string::npos) << want;
  EXPECT_NE(want.find(R"("m":{"b":2.0,"a":0.5})"), std::string::npos) << want;
  EXPECT_NE(want.find(R"("p":{"x":1.0,"label":"p","n":3})"), std::string::npos) << want;
  EXPECT_NE(want.find(R"("some_f":3.0,"none_f":null)"), std::string::npos) << want;
  EXPECT_NE(want.find(R"("gathered":[0.5,1.25,)"), std::string::npos) << want;
}

// Files travel as artifacts into sub-workflows, their exit hooks, loop bodies and
// the entry's exit handler (tests/build/argo_file_artifacts.flow): every pod
// downloads exactly the file the program means, compared by what made it.
constexpr const char* kFiles = R"(
task fetch(url: String) -> File {
  image  = "alpine:3.20"
  script = "wget -q -O {{out}} {{url}}"
}
task split(data: File) -> (head: File, tail: File) {
  image  = "alpine:3.20"
  script = "head -n 1 {{data}} > {{out.head}}; tail -n +2 {{data}} > {{out.tail}}"
}
task count(data: File, label: String) -> Int {
  image  = "alpine:3.20"
  script = "echo counting {{label}} >&2; wc -l < {{data}} > {{out}}"
}
task archive(data: File, label: String) {
  image  = "alpine:3.20"
  script = "echo archiving {{label}}; cat {{data}} > /dev/null"
}
workflow summarize(data: File, label: String) -> Int {
  let n = count(data: data, label: label)
  finally { archive(data: data, label: label) }
  return n
}
workflow main(raw: File, labels: List[String] = ["x", "y"]) -> List[Int] {
  let fetched = fetch(url: "https://example.com/data.csv")
  let mirror = try fetch(url: "https://mirror.example.com/data.csv")
  let parts = split(data: raw)
  let a = summarize(data: fetched, label: "fetched")
  let b = summarize(data: parts.head, label: "head")
  let c = summarize(data: raw, label: "raw")
  let d = summarize(data: mirror ?? raw, label: "mirror")
  let per = for l in labels { count(data: parts.tail, label: l) }
  finally { archive(data: raw, label: "input") }
  return [a, b, c, d] + per
}
)";

std::optional<ir::Value> FileFake(const std::string& task, const std::map<std::string, std::string>& in) {
  if (task == "fetch" && in.at("url").find("mirror") != std::string::npos) return std::nullopt;
  if (task == "count") return ir::Value::Int(static_cast<int64_t>(in.at("data").size() * 100 + in.at("label").size()));
  return ir::Value();
}

TEST(ArgoMatchesRuntime, FilesReachSubWorkflowsHooksLoopsAndOnExitAsArtifacts) {
  std::optional<ir::Program> p = CompileFlow(kFiles);
  ASSERT_TRUE(p.has_value());
  EngineRun local = RunEngineWith(*p, FileFake, {{"raw", ir::Value::String("datasets/raw.csv")}});
  ArgoRun argo = RunArgoWith(*p, {{"raw", "datasets/raw.csv"}}, FileFake);
  for (const std::string& e : argo.errors) ADD_FAILURE() << e;
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
  EXPECT_EQ(argo.result, ir::ValueToJson(local.result, p->workflows[p->entry].output_type, p->types).dump());
  // Five `archive` calls: four sub-workflow exit hooks and the entry's `onExit`.
  int archives = 0;
  for (const Invocation& call : argo.calls) archives += call.task == "archive" ? 1 : 0;
  EXPECT_EQ(archives, 5);
}

// A `File` a sub-workflow returns (alone, or as a field of its record) is an
// output artifact of the nested DAG template, and the caller's tasks take it
// `from` the call's output artifact (tests/build/argo_subworkflow_files.flow);
// every pod still downloads exactly the file the program means.
TEST(ArgoMatchesRuntime, FilesReturnedBySubWorkflowsAreOutputArtifacts) {
  std::ifstream in(std::string(FLOW_SOURCE_DIR) + "/tests/build/argo_subworkflow_files.flow");
  std::stringstream source;
  source << in.rdbuf();
  std::optional<ir::Program> p = CompileFlow(source.str());
  ASSERT_TRUE(p.has_value());
  EngineRun local = RunEngineWith(*p, FileFake);
  ArgoRun argo = RunArgoWith(*p, {}, FileFake);
  for (const std::string& e : argo.errors) ADD_FAILURE() << e;
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
  EXPECT_EQ(argo.result, ir::ValueToJson(local.result, p->workflows[p->entry].output_type, p->types).dump());

  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  ASSERT_TRUE(lower::argo::Lower(*p, {}, emitter, &docs));
  YAML::Node spec = YAML::Load(docs[0].yaml)["spec"];
  std::map<std::string, YAML::Node> templates;
  for (const YAML::Node& t : spec["templates"]) templates[t["name"].as<std::string>()] = t;
  // The nested DAG templates declare the files they return...
  ASSERT_TRUE(templates["fetch-one"]["outputs"]["artifacts"]);
  EXPECT_EQ(templates["fetch-one"]["outputs"]["artifacts"][0]["from"].as<std::string>(),
            "{{tasks.call-fetch.outputs.artifacts.value}}");
  ASSERT_TRUE(templates["halves"]["outputs"]["artifacts"]);
  EXPECT_EQ(templates["halves"]["outputs"]["artifacts"][0]["name"].as<std::string>(), "head");
  EXPECT_EQ(templates["halves"]["outputs"]["artifacts"][0]["from"].as<std::string>(),
            "{{tasks.call-split.outputs.artifacts.head}}");
  // ... and the caller's tasks consume them as the calls' output artifacts.
  std::set<std::string> froms;
  for (const YAML::Node& task : templates["main"]["dag"]["tasks"]) {
    if (!task["arguments"]["artifacts"]) continue;
    for (const YAML::Node& a : task["arguments"]["artifacts"]) {
      if (a["from"]) froms.insert(a["from"].as<std::string>());
    }
  }
  EXPECT_EQ(froms.count("{{tasks.call-fetch-one.outputs.artifacts.value}}"), 1u);
  EXPECT_EQ(froms.count("{{tasks.call-halves.outputs.artifacts.head}}"), 1u);
  EXPECT_TRUE(lower::argo::testing::CheckArgoStructure(YAML::Load(docs[0].yaml)).empty());
}

// Nested loops, a `limit` wrapper (`parallelism`), `enumerate` over constants and
// gathers of gathers (tests/build/nested_for.flow): each level's aggregate is
// unwrapped into the same nested lists `flowc run` computes.
TEST(ArgoMatchesRuntime, NestedLoopsGatherAsTheRuntimeDoes) {
  std::ifstream in(std::string(FLOW_SOURCE_DIR) + "/tests/build/nested_for.flow");
  std::stringstream source;
  source << in.rdbuf();
  std::optional<ir::Program> p = CompileFlow(source.str());
  ASSERT_TRUE(p.has_value());
  auto fake = [](const std::string& task, const std::map<std::string, std::string>& in) -> std::optional<ir::Value> {
    if (task == "cell") return ir::Value::Int(std::stoll(in.at("row")) * std::stoll(in.at("col")));
    return ir::Value::String(in.at("index") + ":" + in.at("name"));
  };
  EngineRun local = RunEngineWith(*p, fake);
  ArgoRun argo = RunArgoWith(*p, {}, fake);
  for (const std::string& e : argo.errors) ADD_FAILURE() << e;
  ASSERT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
  std::string want = ir::DumpJson(ir::ValueToJson(local.result, p->workflows[p->entry].output_type, p->types));
  EXPECT_EQ(want, R"({"table":[[10,20],[20,40],[30,60]],"labels":["0:a","1:b"]})");
  EXPECT_EQ(argo.result, want);
}

// Every example and tests/build program, lowered as validate_argo.sh lowers it,
// passes the structural checks the CRD schema cannot make (every `depends` and
// template exists, no cycle, every parameter and artifact reference resolves,
// every input artifact is supplied by each caller).
TEST(ArgoStructure, EveryProgramAndExample) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "tests/build"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(FLOW_SOURCE_DIR) / dir)) {
      std::string name = entry.path().filename().string();
      if (entry.path().extension() == ".flow" && name.rfind("fail_", 0) != 0) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 20u);
  RealFileSystem disk;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    std::stringstream out, err;
    driver::Context ctx;
    ctx.fs = &disk;
    ctx.out = &out;
    ctx.err = &err;
    ctx.cwd = file.parent_path().string();
    ctx.stdlib_dir = std::string(FLOW_SOURCE_DIR) + "/stdlib";
    driver::FrontEndOptions opts;
    opts.color = driver::ColorMode::Never;
    driver::Compilation c;
    driver::Compile(ctx, opts, file.string(), &c);
    ASSERT_TRUE(c.program.has_value()) << err.str();
    diag::CollectingConsumer consumer;
    diag::DiagnosticEmitter emitter(consumer);
    std::vector<lower::Document> docs;
    lower::BuildOptions options;
    options.default_image = "alpine:3.20";
    bool lowered = lower::argo::Lower(*c.program, options, emitter, &docs);
    // What Argo cannot express fails with E0502 alone (validate_argo.sh keeps
    // the list of such programs); anything else must lower.
    bool inexpressible = !consumer.diagnostics().empty();
    for (const diag::Diagnostic& d : consumer.diagnostics()) {
      if (d.severity == diag::Severity::Error) inexpressible = inexpressible && d.kind == diag::Kind::UnsupportedOnTarget;
    }
    if (!lowered && inexpressible) continue;
    ASSERT_TRUE(lowered) << (consumer.diagnostics().empty() ? "" : consumer.diagnostics()[0].message);
    ASSERT_EQ(docs.size(), 1u);
    for (const std::string& problem : lower::argo::testing::CheckArgoStructure(YAML::Load(docs[0].yaml))) {
      ADD_FAILURE() << problem;
    }
  }
}

}  // namespace
}  // namespace flow

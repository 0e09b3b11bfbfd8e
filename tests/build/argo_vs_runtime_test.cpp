// The Argo lowering means what the program means: the same programs run on the
// local runtime's workflow engine and, as emitted Argo YAML, on the Argo
// simulator, with the same fake task behaviour (argo_vs_runtime_harness.h).
// Both must run the same task calls with the same inputs, in an order that
// respects the same dependencies, and end with the same result. This file:
// scatter/gather, branches, `try`, values only known at run time, nested loops;
// Floats and Files: argo_floats_vs_runtime_test.cpp, argo_files_vs_runtime_test.cpp.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/programs_for_test.h"
#include "tests/build/argo_vs_runtime_harness.h"

namespace flow::argo_vs_runtime {
namespace {

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
      ExpectSameSuccessfulRun(local, argo);
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

// Nested loops, a `limit` wrapper (`parallelism`), `enumerate` over constants and
// gathers of gathers (tests/build/nested_for.flow): each level's aggregate is
// unwrapped into the same nested lists `flowc run` computes.
TEST(ArgoMatchesRuntime, NestedLoopsGatherAsTheRuntimeDoes) {
  std::optional<ir::Program> p = CompileSourceTreeFile("tests/build/nested_for.flow");
  ASSERT_TRUE(p.has_value());
  auto fake = [](const std::string& task, const std::map<std::string, std::string>& in) -> std::optional<ir::Value> {
    if (task == "cell") return ir::Value::Int(std::stoll(in.at("row")) * std::stoll(in.at("col")));
    return ir::Value::String(in.at("index") + ":" + in.at("name"));
  };
  EngineRun local = RunEngineWith(*p, fake);
  ArgoRun argo = RunArgoWith(*p, {}, fake);
  ExpectSameSuccessfulRun(local, argo);
  std::string want = ir::DumpJson(ir::ValueToJson(local.result, p->workflows[p->entry].output_type, p->types));
  EXPECT_EQ(want, R"({"table":[[10,20],[20,40],[30,60]],"labels":["0:a","1:b"]})");
  EXPECT_EQ(argo.result, want);
}

// Every example and tests/build program, lowered as validate_argo.sh lowers it,

}  // namespace
}  // namespace flow::argo_vs_runtime

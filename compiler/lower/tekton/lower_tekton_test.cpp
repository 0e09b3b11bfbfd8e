#include "compiler/lower/tekton/lower_tekton.h"

#include <gtest/gtest.h>

#include "compiler/diag/diagnostic.h"
#include "compiler/lower/argo/ir_builder_for_test.h"
#include "compiler/lower/argo/programs_for_test.h"
#include "compiler/lower/names.h"
#include "compiler/lower/tekton/tekton_sim_for_test.h"

namespace flow::lower::tekton {
namespace {

using argo::testing::IrBuilder;
using types::TypeStore;
namespace sim = testing;

struct Built {
  bool ok = false;
  std::vector<Document> docs;
  std::vector<diag::Diagnostic> diagnostics;
  std::string all;  // every document, for text checks
};

Built Build(const ir::Program& program, BuildOptions options = {}) {
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  Built b;
  b.ok = Lower(program, options, emitter, &b.docs);
  b.diagnostics = consumer.diagnostics();
  for (const Document& d : b.docs) b.all += d.yaml + "---\n";
  return b;
}

bool HasDiagnostic(const Built& b, const std::string& code, const std::string& text) {
  for (const diag::Diagnostic& d : b.diagnostics) {
    if (diag::Info(d.kind).code == code && d.message.find(text) != std::string::npos) return true;
  }
  return false;
}

/// task check(x: Int) -> Bool; task note(msg: String);
/// workflow main(verbose: Bool = false) {
///   let c = try check(x: 1)
///   if verbose { note(msg: "v") }
///   note(msg: "after") after c
///   finally { note(msg: "fin") }
/// }
IrBuilder WhenTryFinally() {
  IrBuilder b;
  ir::Task check;
  check.name = "check";
  check.params = {IrBuilder::Param("x", TypeStore::Int())};
  check.outputs = {ir::Output{"", TypeStore::Bool()}};
  check.single_output = true;
  check.output_type = TypeStore::Bool();
  check.has_script = true;
  int32_t check_id = b.AddTask(check);
  b.p.tasks[check_id].script =
      b.Script({{"echo ", b.Input(0, TypeStore::Int())}, {" > ", b.Out(0, TypeStore::Bool())}, {"\n", {}}});
  b.SetField(check_id, ir::TaskField::Image, b.Str("alpine:3.20"));

  ir::Task note;
  note.name = "note";
  note.params = {IrBuilder::Param("msg", TypeStore::String())};
  note.has_script = false;
  int32_t note_id = b.AddTask(note);
  ir::ArgvElement echo;
  echo.tmpl = b.Script({{"echo", {}}});
  ir::ArgvElement msg;
  msg.tmpl = b.Script({{"", b.Input(0, TypeStore::String())}});
  b.p.tasks[note_id].command = {echo, msg};
  b.SetField(note_id, ir::TaskField::Image, b.Str("alpine:3.20"));

  ir::StepId c = b.Call("call-check", check_id, {b.Int(1)});
  b.step(c).is_try = true;
  b.step(c).type = b.Opt(TypeStore::Bool());
  ir::StepId v = b.Call("call-note", note_id, {b.Str("v")});
  ir::Step cond;
  cond.kind = ir::StepKind::Cond;
  cond.id = "if-l3";
  cond.cond = b.Input(0, TypeStore::Bool());
  cond.then_body.steps = {v};
  ir::StepId if_step = b.AddStep(cond);
  ir::StepId after = b.Call("call-note-2", note_id, {b.Str("after")}, {c});
  b.step(after).after_deps = {c};
  ir::StepId fin = b.Call("call-note-3", note_id, {b.Str("fin")});

  ir::Workflow wf;
  wf.name = "main";
  wf.params = {IrBuilder::Param("verbose", TypeStore::Bool(), b.Lit(ir::Value::Bool(false), TypeStore::Bool()))};
  wf.body.steps = {c, if_step, after};
  wf.finally_body.steps = {fin};
  b.p.entry = b.AddWorkflow(wf);
  return b;
}

TEST(TektonLowering, ScatterGatherIsStructurallySound) {
  IrBuilder b = argo::testing::ScatterGather();
  Built built = Build(b.p);
  ASSERT_TRUE(built.ok) << built.all;
  sim::Docs docs = sim::Parse(built.docs);
  ASSERT_EQ(docs.tasks.size(), 2u);
  ASSERT_TRUE(docs.has_run) << "the default kind is `run`";
  EXPECT_EQ(sim::StructuralProblems(docs), std::vector<std::string>{});
}

TEST(TektonLowering, ScatterGatherSimulatesLikeFlow) {
  IrBuilder b = argo::testing::ScatterGather();
  sim::Docs docs = sim::Parse(Build(b.p).docs);
  sim::SimOutcome out = sim::Simulate(docs, {}, {}, [](const sim::SimRun& run, auto* results) {
    if (run.pipeline_task == "call-greet") (*results)["out"] = "/data/" + run.params.at("name");
    if (run.pipeline_task == "call-merge") {
      std::string joined;
      for (const std::string& f : run.array_params.at("files")) joined += f + ";";
      (*results)["out"] = joined;
    }
    return true;
  });
  // One TaskRun per element (matrix), then the gather receives the aggregated array.
  ASSERT_EQ(out.runs.size(), 3u);
  EXPECT_EQ(out.runs[0].params.at("name"), "ada");
  EXPECT_EQ(out.runs[1].params.at("name"), "grace");
  EXPECT_EQ(out.runs[2].pipeline_task, "call-merge");
  EXPECT_EQ(out.results.at("value"), "/data/ada;/data/grace;");
  // Arguments override the defaults.
  sim::SimOutcome three = sim::Simulate(sim::Parse(Build(b.p).docs), {}, {{"names", {"a", "b", "c"}}}, [](const sim::SimRun&, auto* r) {
    (*r)["out"] = "x";
    return true;
  });
  EXPECT_EQ(three.runs.size(), 4u);

}

TEST(TektonLowering, WhenTryFinallySimulation) {
  IrBuilder b = WhenTryFinally();
  Built built = Build(b.p);
  ASSERT_TRUE(built.ok) << built.all;
  sim::Docs docs = sim::Parse(built.docs);
  EXPECT_EQ(sim::StructuralProblems(docs), std::vector<std::string>{});
  ASSERT_TRUE(docs.pipeline["spec"]["finally"]);
  // `try`: the failure is caught in the TaskRun.
  ASSERT_TRUE(docs.tasks.count("check-try"));
  bool on_error = false;
  for (const YAML::Node& step : docs.tasks["check-try"]["spec"]["steps"]) {
    if (step["name"].as<std::string>() == "main") on_error = step["onError"].as<std::string>() == "continue";
  }
  EXPECT_TRUE(on_error);

  auto fake = [](bool note_fails) {
    return [note_fails](const sim::SimRun& run, std::map<std::string, std::string>* results) {
      if (run.pipeline_task == "call-check") (*results)["out"] = "";  // none: the try caught a failure
      return !(note_fails && run.pipeline_task == "call-note-2");
    };
  };
  sim::SimOutcome quiet = sim::Simulate(docs, {}, {}, fake(false));
  EXPECT_TRUE(quiet.skipped.count("call-note")) << "`if verbose` is false by default";
  ASSERT_EQ(quiet.runs.size(), 3u);
  EXPECT_EQ(quiet.runs[0].pipeline_task, "call-check");
  EXPECT_EQ(quiet.runs[1].pipeline_task, "call-note-2");  // after the `try` call, even though it "failed"
  EXPECT_EQ(quiet.runs[2].pipeline_task, "call-note-3");  // finally last

  sim::SimOutcome loud = sim::Simulate(sim::Parse(built.docs), {{"verbose", "true"}}, {}, fake(true));
  EXPECT_FALSE(loud.skipped.count("call-note"));
  EXPECT_TRUE(loud.failed.count("call-note-2"));

  EXPECT_EQ(loud.runs.back().pipeline_task, "call-note-3") << "finally runs after a failure too";
}

TEST(TektonLowering, ScriptsNeverContainParams) {
  for (IrBuilder b : {argo::testing::ScatterGather(), WhenTryFinally(), argo::testing::Pipeline()}) {
    BuildOptions options;
    options.default_image = "alpine:3.20";
    Built built = Build(b.p, options);
    sim::Docs docs = sim::Parse(built.docs);
    for (const auto& [name, task] : docs.tasks) {
      for (const YAML::Node& step : task["spec"]["steps"]) {
        if (!step["script"]) continue;
        for (const char* prefix : {"$(params.", "$(tasks.", "$(context.", "$(workspaces.", "$(results."}) {
          EXPECT_EQ(step["script"].as<std::string>().find(prefix), std::string::npos)
              << "Tekton variable inside the script of " << name << "/" << step["name"].as<std::string>();
        }
      }
    }
  }
}

TEST(TektonLowering, Deterministic) {
  IrBuilder b = WhenTryFinally();
  EXPECT_EQ(Build(b.p).all, Build(b.p).all);
}

TEST(TektonLowering, KindPipelineHasNoRun) {
  IrBuilder b = argo::testing::ScatterGather();
  BuildOptions options;
  options.kind = "pipeline";
  sim::Docs docs = sim::Parse(Build(b.p, options).docs);
  EXPECT_FALSE(docs.has_run);
  options.kind = "cron";
  Built bad = Build(b.p, options);
  EXPECT_FALSE(bad.ok);
  EXPECT_TRUE(HasDiagnostic(bad, "E0502", "`--kind cron`"));
}

TEST(TektonLowering, MissingImageIsE0501) {
  IrBuilder b = argo::testing::ScatterGather();
  b.p.tasks[0].fields[static_cast<size_t>(ir::TaskField::Image)] = ir::ExprId{};
  Built built = Build(b.p);
  EXPECT_FALSE(built.ok);
  EXPECT_TRUE(HasDiagnostic(built, "E0501", "greet"));
  BuildOptions options;
  options.default_image = "busybox:1.36";
  Built fixed = Build(b.p, options);
  EXPECT_TRUE(fixed.ok);
  EXPECT_NE(fixed.all.find("image: busybox:1.36"), std::string::npos);
}

TEST(TektonLowering, MatrixLimit) {
  IrBuilder b = argo::testing::ScatterGather();
  std::vector<ir::Value> many;
  for (int i = 0; i < 300; ++i) many.push_back(ir::Value::String("n" + std::to_string(i)));
  ir::TypeId list = b.ListOf(TypeStore::String());
  ir::ExprId iterable = b.Lit(ir::Value::List(many), list);
  for (ir::Step& s : b.p.steps) {
    if (s.kind == ir::StepKind::Scatter) s.iterable = iterable;
  }
  Built built = Build(b.p);
  EXPECT_FALSE(built.ok);
  EXPECT_TRUE(HasDiagnostic(built, "E0502", "a `for` over 300 elements"));
}

TEST(TektonNames, DnsLabels) {
  EXPECT_EQ(DnsLabel("Train_Model"), "train-model");
  EXPECT_LE(DnsLabel(std::string(100, 'a')).size(), 63u);
  EXPECT_NE(DnsLabel(std::string(70, 'a') + "x"), DnsLabel(std::string(70, 'a') + "y"));
}

}  // namespace
}  // namespace flow::lower::tekton

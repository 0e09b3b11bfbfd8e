// Semantic check of the Argo lowering: the emitted Workflow is interpreted by a
// small Argo simulator (argo_sim_for_test.h) over fake container results that
// follow each task's Flow meaning, and the order of runs, the values tasks
// receive and the workflow's result are compared with what the IR means
// (`flowc run` order: a call runs after exactly the values it uses).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "compiler/diag/diagnostic.h"
#include "compiler/lower/argo/argo_expr_for_test.h"
#include "compiler/lower/argo/argo_sim_for_test.h"
#include "compiler/lower/argo/lower_argo.h"
#include "compiler/lower/argo/programs_for_test.h"

namespace flow::lower::argo {
namespace {

using testing::ArgoSimulator;
using testing::ExprEval;
using testing::PodCall;
using testing::PodResult;
using testing::SimJson;

YAML::Node Lowered(const ir::Program& program) {
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<Document> docs;
  EXPECT_TRUE(Lower(program, {}, emitter, &docs));
  return YAML::Load(docs.at(0).yaml);
}

SimJson Eval(const std::string& code, const SimJson& env = SimJson::object()) {
  SimJson out;
  ExprEval eval(code, env);
  EXPECT_TRUE(eval.Run(&out)) << code << ": " << eval.error();
  return out;
}

TEST(ArgoExprInterpreter, Basics) {
  EXPECT_EQ(Eval("1 + 2 * 3"), 7);
  EXPECT_EQ(Eval("asInt('41') + 1"), 42);
  EXPECT_EQ(Eval("toJson(map(jsonpath('[1,2]', '$'), {# * 2}))"), "[2,4]");
  EXPECT_EQ(Eval("filter([nil, 3, 4], {# != nil})[0]"), 3);
  EXPECT_EQ(Eval("(nil != nil ? 1 : 2)"), 2);
  EXPECT_EQ(Eval("sprig.join(' ', ['a', 'b'])"), "a b");
  EXPECT_EQ(Eval("inputs.parameters['x'] == 'true'", {{"inputs", {{"parameters", {{"x", "true"}}}}}}), true);
  SimJson out;
  SimJson env = SimJson::object();
  ExprEval bad("asInt('x1')", env);
  EXPECT_FALSE(bad.Run(&out));
}

// `string(x)` of a float is Go's %v (strconv 'g', shortest digits): exponent form
// below 1e-4 and from 1e6 (two exponent digits at least), plain otherwise.
TEST(ArgoExprInterpreter, FloatsPrintAsGoPrintsThem) {
  EXPECT_EQ(ExprEval::GoFloat(1.0), "1");
  EXPECT_EQ(ExprEval::GoFloat(2.5), "2.5");
  EXPECT_EQ(ExprEval::GoFloat(123456.0), "123456");
  EXPECT_EQ(ExprEval::GoFloat(999999.5), "999999.5");
  EXPECT_EQ(ExprEval::GoFloat(1e6), "1e+06");
  EXPECT_EQ(ExprEval::GoFloat(1234567.5), "1.2345675e+06");
  EXPECT_EQ(ExprEval::GoFloat(1e20), "1e+20");
  EXPECT_EQ(ExprEval::GoFloat(1e100), "1e+100");
  EXPECT_EQ(ExprEval::GoFloat(0.0001), "0.0001");
  EXPECT_EQ(ExprEval::GoFloat(1e-5), "1e-05");
  EXPECT_EQ(ExprEval::GoFloat(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(ExprEval::GoFloat(0.0), "0");
  EXPECT_EQ(ExprEval::GoFloat(-0.0), "-0");
  EXPECT_EQ(ExprEval::GoFloat(-3.0), "-3");
  EXPECT_EQ(Eval("string(asFloat('1.0') * 1000000)"), "1e+06");
  EXPECT_EQ(Eval("sprig.splitList('e', '1.5e+06')[1]"), "+06");
  EXPECT_EQ(Eval("sprig.trimPrefix('12', '12345')"), "345");
}

/// Fake containers: `greet` writes its key; `merge` checks it received local paths.
PodResult FakeGather(const PodCall& call) {
  PodResult r;
  if (call.tmpl == "greet" || call.tmpl == "merge") r.outputs["value"] = call.env.at("FLOW_KEY") + "/value";
  return r;
}

TEST(ArgoSimulation, ScatterGatherMatchesTheIr) {
  testing::IrBuilder b = testing::ScatterGather();
  ArgoSimulator sim(Lowered(b.p), FakeGather);
  testing::NodeResult result = sim.Run({});
  EXPECT_TRUE(sim.errors().empty()) << sim.errors()[0];
  ASSERT_EQ(sim.pods().size(), 3u);
  // One `greet` per name, each seeing exactly its element, then `merge`.
  EXPECT_EQ(sim.pods()[0].env.at("FLOW_V1"), "ada");
  EXPECT_EQ(sim.pods()[1].env.at("FLOW_V1"), "grace");
  const PodCall& merge = sim.pods()[2];
  EXPECT_EQ(merge.tmpl, "merge");
  // The gathered List[File] arrives as local paths under the downloaded prefix.
  EXPECT_EQ(merge.inputs.at("files-prefix"), "flow/uid-1/for-greet-l9");
  EXPECT_EQ(merge.env.at("FLOW_V1"),
            "[\"/flow/in/files/call-greet/greet-pod-1/value\",\"/flow/in/files/call-greet/greet-pod-2/value\"]");
  EXPECT_EQ(result.status, "Succeeded");
  EXPECT_EQ(result.outputs.at("value"), "flow/uid-1/call-merge/merge-pod-3/value");

  // Another list: as many iterations, in order.
  ArgoSimulator sim2(Lowered(b.p), FakeGather);
  sim2.Run({{"names", "[\"x\",\"y\",\"z\"]"}});
  EXPECT_EQ(sim2.pods().size(), 4u);
  EXPECT_EQ(sim2.pods()[2].env.at("FLOW_V1"), "z");
}

/// Fake containers for Pipeline(): `train` fails when `fail_epochs` matches.
struct FakePipeline {
  std::string fail_epochs = "5";
  PodResult operator()(const PodCall& call) const {
    PodResult r;
    if (call.tmpl == "train") {
      if (call.env.at("FLOW_V2") == fail_epochs) r.ok = false;
      r.outputs["model"] = call.env.at("FLOW_KEY") + "/model";
      r.outputs["score"] = "0.75";
    }
    if (call.tmpl == "report") r.outputs["value"] = call.env.at("FLOW_V1") + ": " + call.env.at("FLOW_V2");
    return r;
  }
};

std::vector<std::string> Templates(const ArgoSimulator& sim) {
  std::vector<std::string> out;
  for (const PodCall& p : sim.pods()) out.push_back(p.tmpl);
  return out;
}

TEST(ArgoSimulation, PipelineTryIfFinallyMatchTheIr) {
  testing::IrBuilder b = testing::Pipeline();
  ArgoSimulator sim(Lowered(b.p), FakePipeline{});
  testing::NodeResult result = sim.Run({{"data", "in/raw.csv"}});
  EXPECT_TRUE(sim.errors().empty()) << sim.errors()[0];
  // `try train(epochs: 5)` fails, the workflow goes on; `else` branch reports `tag`.
  EXPECT_EQ(result.status, "Succeeded");
  EXPECT_EQ(result.outputs.at("value"), "v1: 0.5");
  std::vector<std::string> order = Templates(sim);
  // train (try, fails), train-2, report (else), report-3 (after try), echo (sub), echo (its finally),
  // the loop's two trains, echo of the gathered scores, then the entry's finally.
  std::vector<std::string> want = {"train", "train", "report", "report", "echo", "echo",
                                   "train", "train", "echo", "echo"};
  EXPECT_EQ(order, want);
  const auto& pods = sim.pods();
  EXPECT_EQ(pods[3].env.at("FLOW_V1"), "v1: 0.5");     // report-3's note is the `if` value
  EXPECT_EQ(pods[3].env.at("FLOW_V2"), "1.0");         // a Float keeps Flow's spelling
  EXPECT_EQ(pods[4].args.back(), "msg=v1: 0.5: 1.0");  // the sub-workflow's call
  EXPECT_EQ(pods[5].args.back(), "msg=done v1: 0.5: 1.0");  // its `finally`
  EXPECT_EQ(pods[8].args.back(), "msg=[0.75,0.75]");    // [for r in runs { r.score }]
  EXPECT_EQ(pods[9].args.back(), "msg=v1");             // the entry's `finally`
  EXPECT_EQ(sim.max_parallelism(), 2);

  // fast = true: the `then` branch reports train-2's score.
  ArgoSimulator fast(Lowered(b.p), FakePipeline{"none"});
  testing::NodeResult fast_result = fast.Run({{"data", "in/raw.csv"}, {"fast", "true"}});
  EXPECT_TRUE(fast.errors().empty()) << fast.errors()[0];
  EXPECT_EQ(fast_result.outputs.at("value"), "fast: 0.75");
}

TEST(ArgoSimulation, FileInputIsAWorkflowArtifactReadByItsConsumers) {
  testing::IrBuilder b = testing::Pipeline();
  YAML::Node doc = Lowered(b.p);
  // `data: File` is an input artifact of the Workflow, keyed by the parameter.
  YAML::Node arts = doc["spec"]["arguments"]["artifacts"];
  ASSERT_TRUE(arts);
  EXPECT_EQ(arts[0]["name"].as<std::string>(), "data");
  EXPECT_EQ(arts[0]["s3"]["key"].as<std::string>(), "{{workflow.parameters.data}}");
  // Nested DAGs (the loop body, its `limit` wrapper) receive it as an artifact too.
  for (const YAML::Node& t : doc["spec"]["templates"]) {
    std::string name = t["name"].as<std::string>();
    if (name != "for-train-l24" && name != "for-train-l24-limit") continue;
    EXPECT_EQ(t["inputs"]["artifacts"][0]["name"].as<std::string>(), "data") << name;
    EXPECT_EQ(t["dag"]["tasks"][0]["arguments"]["artifacts"][0]["from"].as<std::string>(),
              "{{inputs.artifacts.data}}")
        << name;
  }
  ArgoSimulator sim(doc, FakePipeline{});
  sim.Run({{"data", "in/raw.csv"}});
  EXPECT_TRUE(sim.errors().empty()) << sim.errors()[0];
  // Every `train` downloads the object the user named with `-p data=KEY`.
  int trains = 0;
  for (const PodCall& pod : sim.pods()) {
    if (pod.tmpl != "train") continue;
    ++trains;
    EXPECT_EQ(pod.artifacts.at("data"), "in/raw.csv");
  }
  EXPECT_EQ(trains, 4);
}

TEST(ArgoSimulation, TryContinuesOnFailure) {
  testing::IrBuilder b = testing::Pipeline();
  YAML::Node doc = Lowered(b.p);
  ArgoSimulator sim(doc, FakePipeline{});
  testing::NodeResult result = sim.Run({{"data", "in/raw.csv"}});
  EXPECT_TRUE(sim.errors().empty()) << sim.errors()[0];
  EXPECT_EQ(result.status, "Succeeded");
  // report-3 (`after` the tried call) still runs once the tried call failed (continueOn).
  EXPECT_EQ(sim.pods()[0].tmpl, "train");
  const PodCall& report = sim.pods()[3];
  EXPECT_EQ(report.tmpl, "report");
  EXPECT_EQ(report.inputs.at("score"), "1.0");
}

TEST(ArgoSimulation, IntInputsAreValidatedBeforeUse) {
  testing::IrBuilder b = testing::Pipeline();
  b.p.tasks[0].params[1].default_value = ir::ExprId{};
  // Feed a malformed Int straight into a train call: Argo's asInt fails the step.
  YAML::Node doc = Lowered(b.p);
  ArgoSimulator sim(doc, FakePipeline{});
  SimJson env = {{"inputs", {{"parameters", {{"epochs", "5; rm -rf /"}}}}}};
  std::string value = sim.Substitute("{{=asInt(inputs.parameters['epochs']) != nil ? inputs.parameters['epochs'] : '' }}", env);
  EXPECT_EQ(sim.errors().size(), 1u);
  EXPECT_TRUE(value.empty());
}

}  // namespace
}  // namespace flow::lower::argo

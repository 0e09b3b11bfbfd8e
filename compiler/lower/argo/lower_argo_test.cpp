#include "compiler/lower/argo/lower_argo.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>

#include "compiler/diag/diagnostic.h"
#include "compiler/lower/argo/argo_sim_for_test.h"
#include "compiler/lower/argo/argo_structure_for_test.h"
#include "compiler/lower/argo/ir_builder_for_test.h"
#include "compiler/lower/argo/programs_for_test.h"
#include "compiler/lower/names.h"
#include "compiler/lower/yaml_tree.h"

namespace flow::lower::argo {
namespace {

using testing::IrBuilder;
using testing::Pipeline;
using testing::ScatterGather;
using types::TypeStore;

struct Result {
  bool ok = false;
  std::string yaml;
  std::vector<diag::Diagnostic> diagnostics;
};

Result Build(const ir::Program& program, BuildOptions options = {}, const std::string& dump_name = "") {
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<Document> docs;
  Result r;
  r.ok = Lower(program, options, emitter, &docs);
  if (!docs.empty()) r.yaml = docs[0].yaml;
  r.diagnostics = consumer.diagnostics();
  // ARGO_DUMP_DIR=dir writes the YAML for the external validator.
  if (const char* dir = std::getenv("ARGO_DUMP_DIR"); dir != nullptr && !dump_name.empty()) {
    std::ofstream(std::string(dir) + "/" + dump_name + ".yaml") << r.yaml;
  }
  return r;
}

void ExpectStructurallySound(const std::string& yaml) {
  YAML::Node doc = YAML::Load(yaml);
  std::vector<std::string> problems = testing::CheckArgoStructure(doc);
  for (const std::string& p : problems) ADD_FAILURE() << p << "\n" << yaml;
}

TEST(ArgoNames, DnsLabels) {
  EXPECT_EQ(DnsLabel("Call_Train"), "call-train");
  EXPECT_EQ(DnsLabel("--x--"), "x");
  EXPECT_EQ(DnsLabel("!!!"), "x");
  std::string long_name(100, 'a');
  std::string label = DnsLabel(long_name);
  EXPECT_EQ(label.size(), 63u);
  EXPECT_NE(DnsLabel(long_name + "b"), label);
  NameScope scope;
  EXPECT_EQ(scope.Unique("call-train"), "call-train");
  EXPECT_EQ(scope.Unique("call-train"), "call-train-2");
  EXPECT_EQ(scope.Unique("Call Train"), "call-train-3");
}

TEST(ArgoYaml, StringsReadBackExactly) {
  YNode doc = YNode::Map();
  YNode& seq = doc.Set("values", YNode::Seq());
  for (const char* s : {"3", "true", "on", "no", "null", "~", "0777", "1:30", "-1", ".5", "a: b", "#x", "x #y",
                        "- x", "{{x}}", "a\nb\n", "a\nb", "a\n\n", "\n", " lead", "trail ", "tab\tx\n",
                        "\"q\"", "'s'", "", "[x]", "a,b", "*ref", "&anchor", "!tag", "%x", "@x", "`x`",
                        "line1\n  indented\n", "é", "\x01"}) {
    seq.Push(YNode::Str(s));
  }
  std::string text = EmitYaml(doc);
  YAML::Node back = YAML::Load(text);
  size_t i = 0;
  for (const YNode& item : doc.Find("values")->items()) {
    EXPECT_EQ(back["values"][i].as<std::string>(), item.str()) << text;
    EXPECT_EQ(back["values"][i].Tag(), back["values"][i].Tag());
    ++i;
  }
}

TEST(ArgoLower, ScatterGatherOfFiles) {
  IrBuilder b = ScatterGather();
  Result r = Build(b.p, {}, "scatter_gather");
  ASSERT_TRUE(r.ok) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
  ExpectStructurallySound(r.yaml);
  YAML::Node doc = YAML::Load(r.yaml);
  EXPECT_EQ(doc["kind"].as<std::string>(), "Workflow");
  EXPECT_EQ(doc["metadata"]["generateName"].as<std::string>(), "main-");
  EXPECT_EQ(doc["spec"]["arguments"]["parameters"][0]["value"].as<std::string>(), "[\"ada\",\"grace\"]");
  // The loop runs over the runtime list; the gather downloads the loop's prefix.
  EXPECT_NE(r.yaml.find("withParam: \"{{inputs.parameters.names}}\""), std::string::npos) << r.yaml;
  EXPECT_NE(r.yaml.find("value: \"flow/{{workflow.uid}}/for-greet-l9\""), std::string::npos) << r.yaml;
  // The script never contains the value: it reads an environment variable.
  EXPECT_EQ(r.yaml.find("Hello, {{"), std::string::npos) << r.yaml;
  // Deterministic.
  EXPECT_EQ(Build(b.p).yaml, r.yaml);
}

TEST(ArgoLower, MissingImageIsAnErrorUnlessDefaulted) {
  IrBuilder b = ScatterGather();
  b.p.tasks[0].fields[static_cast<size_t>(ir::TaskField::Image)] = ir::ExprId{};
  Result r = Build(b.p);
  EXPECT_FALSE(r.ok);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].kind, diag::Kind::MissingImage);
  BuildOptions options;
  options.default_image = "busybox:1.36";
  Result fixed = Build(b.p, options);
  EXPECT_TRUE(fixed.ok);
  EXPECT_NE(fixed.yaml.find("image: busybox:1.36"), std::string::npos);
}

TEST(ArgoLower, LiteralBracesAreEscaped) {
  IrBuilder b = ScatterGather();
  b.p.tasks[0].script.parts[0].text = "echo '{{not a tag}}' \"Hello, ";
  Result r = Build(b.p, {}, "braces");
  ASSERT_TRUE(r.ok);
  EXPECT_NE(r.yaml.find("{{='{{' }}not a tag}}"), std::string::npos) << r.yaml;
}

TEST(ArgoLower, KindsAndArguments) {
  IrBuilder b = ScatterGather();
  BuildOptions options;
  options.kind = "template";
  options.arguments["names"] = ir::Value::List({ir::Value::String("x")});
  Result r = Build(b.p, options);
  ASSERT_TRUE(r.ok);
  YAML::Node doc = YAML::Load(r.yaml);
  EXPECT_EQ(doc["kind"].as<std::string>(), "WorkflowTemplate");
  EXPECT_EQ(doc["metadata"]["name"].as<std::string>(), "main");
  EXPECT_EQ(doc["spec"]["arguments"]["parameters"][0]["value"].as<std::string>(), "[\"x\"]");
  // No --artifact-repo: the controller's default repository (no reference).
  EXPECT_FALSE(doc["spec"]["artifactRepositoryRef"]);
  options.artifact_repo = "my-minio";
  Result with_repo = Build(b.p, options);
  ASSERT_TRUE(with_repo.ok);
  EXPECT_EQ(YAML::Load(with_repo.yaml)["spec"]["artifactRepositoryRef"]["key"].as<std::string>(), "my-minio");

  b.p.workflows[0].schedule = "0 3 * * *";
  Result cron = Build(b.p, {}, "cron");
  ASSERT_TRUE(cron.ok);
  YAML::Node cdoc = YAML::Load(cron.yaml);
  EXPECT_EQ(cdoc["kind"].as<std::string>(), "CronWorkflow");
  EXPECT_EQ(cdoc["spec"]["schedules"][0].as<std::string>(), "0 3 * * *");
  ExpectStructurallySound(cron.yaml);
}

}  // namespace
}  // namespace flow::lower::argo

namespace flow::lower::argo {
namespace {

TEST(ArgoLower, PipelineConstructs) {
  IrBuilder b = Pipeline();
  Result r = Build(b.p, {}, "pipeline");
  ASSERT_TRUE(r.ok) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
  ExpectStructurallySound(r.yaml);
  YAML::Node doc = YAML::Load(r.yaml);
  YAML::Node spec = doc["spec"];
  EXPECT_EQ(spec["onExit"].as<std::string>(), "main-finally");
  std::map<std::string, YAML::Node> templates;
  for (const YAML::Node& t : spec["templates"]) templates[t["name"].as<std::string>()] = t;
  // Task template: resources, retries, timeout.
  YAML::Node train = templates["train"];
  EXPECT_EQ(train["container"]["resources"]["limits"]["nvidia.com/gpu"].as<std::string>(), "1");
  EXPECT_EQ(train["container"]["resources"]["requests"]["memory"].as<std::string>(), "16Gi");
  EXPECT_EQ(train["container"]["resources"]["requests"]["cpu"].as<std::string>(), "4");
  EXPECT_EQ(train["retryStrategy"]["limit"].as<std::string>(), "2");
  EXPECT_EQ(train["retryStrategy"]["backoff"]["duration"].as<std::string>(), "10s");
  EXPECT_EQ(train["activeDeadlineSeconds"].as<std::string>(), "7200");
  // The Int input is validated by Argo (asInt) before the script sees it.
  EXPECT_NE(r.yaml.find("{{=asInt(inputs.parameters['epochs']) != nil ? inputs.parameters['epochs'] : '' }}"), std::string::npos);
  std::map<std::string, YAML::Node> tasks;
  for (const YAML::Node& t : templates["main"]["dag"]["tasks"]) tasks[t["name"].as<std::string>()] = t;
  // `try`: the tried call continues on failure; its DAG uses `dependencies`
  // (Argo forbids `continueOn` with `depends`), and no sink task is needed.
  EXPECT_TRUE(tasks["call-train"]["continueOn"]["failed"].as<bool>());
  EXPECT_TRUE(tasks["call-train"]["continueOn"]["error"].as<bool>());
  EXPECT_FALSE(tasks["call-report-3"]["depends"]);
  std::vector<std::string> deps;
  for (const YAML::Node& d : tasks["call-report-3"]["dependencies"]) deps.push_back(d.as<std::string>());
  EXPECT_EQ(deps, (std::vector<std::string>{"call-train", "if-l20", "if-l20-else"}));
  for (const auto& [name, task] : tasks) EXPECT_EQ(name.find("-ended"), std::string::npos) << name;
  // A Bool parameter is re-validated where it is read: anything but true/false fails the step.
  EXPECT_EQ(tasks["if-l20"]["when"].as<std::string>(),
            "{{=string((inputs.parameters['fast'] == 'true' ? true : (inputs.parameters['fast'] == 'false' ? "
            "false : sprig.fail('expected a `Bool` (true or false), found: ' + inputs.parameters['fast'])))) }}");
  EXPECT_EQ(tasks["if-l20-else"]["when"].as<std::string>(),
            "{{=string(!((inputs.parameters['fast'] == 'true' ? true : (inputs.parameters['fast'] == 'false' ? "
            "false : sprig.fail('expected a `Bool` (true or false), found: ' + inputs.parameters['fast']))))) }}");
  EXPECT_EQ(tasks["call-notify"]["hooks"]["exit"]["template"].as<std::string>(), "notify-finally");
  EXPECT_EQ(templates["for-train-l24-limit"]["parallelism"].as<int>(), 2);
  EXPECT_EQ(templates["for-train-l24-limit"]["dag"]["tasks"][0]["withItems"].size(), 2u);
  // Record field of a task call: the output parameter itself.
  EXPECT_EQ(templates["if-l20"]["dag"]["tasks"][0]["arguments"]["parameters"][0]["value"].as<std::string>(),
            "{{inputs.parameters.call-train-2-score}}");
}

}  // namespace
}  // namespace flow::lower::argo

namespace flow::lower::argo {
namespace {

/// for r in rows { for (i, c) in enumerate(cols) { cell(row: r, col: c) } } and
/// an `if` without `else` whose optional value is returned.
IrBuilder NestedLoops() {
  IrBuilder b;
  ir::Task cell;
  cell.name = "cell";
  cell.params = {IrBuilder::Param("row", TypeStore::Int()), IrBuilder::Param("col", TypeStore::String())};
  cell.outputs = {ir::Output{"", TypeStore::Int()}};
  cell.single_output = true;
  cell.output_type = TypeStore::Int();
  cell.has_script = true;
  int32_t cell_id = b.AddTask(cell);
  b.p.tasks[cell_id].script = b.Script({{"echo ", b.Input(0, TypeStore::Int())},
                                        {"", b.Input(1, TypeStore::String())},
                                        {" > ", b.Out(0)}});
  b.SetField(cell_id, ir::TaskField::Image, b.Str("alpine:3.20"));

  ir::TypeId ints = b.ListOf(TypeStore::Int());
  ir::TypeId pair = b.p.types.Record({{"index", TypeStore::Int(), false}, {"value", TypeStore::String(), false}});
  ir::VarId r = b.NewVar("r", TypeStore::Int());
  ir::VarId i = b.NewVar("i", TypeStore::Int());
  ir::VarId c = b.NewVar("c", TypeStore::String());
  ir::StepId call = b.Call("call-cell", cell_id, {b.VarRef(r), b.VarRef(c)});
  ir::Step inner;
  inner.kind = ir::StepKind::Scatter;
  inner.id = "for-cell-l5";
  inner.vars = {i, c};
  inner.iterable = b.Lit(ir::Value::List({ir::Value::Record({{"index", ir::Value::Int(0)}, {"value", ir::Value::String("a")}}),
                                          ir::Value::Record({{"index", ir::Value::Int(1)}, {"value", ir::Value::String("b")}})}),
                         b.ListOf(pair));
  inner.body.steps = {call};
  inner.body_value = b.StepRef(call, TypeStore::Int());
  inner.type = TypeStore::Int();
  ir::StepId inner_id = b.AddStep(inner);
  ir::Step outer;
  outer.kind = ir::StepKind::Scatter;
  outer.id = "for-l4";
  outer.vars = {r};
  outer.iterable = b.Input(0, ints);
  outer.body.steps = {inner_id};
  outer.body_value = b.StepRef(inner_id, ints);
  outer.type = ints;
  ir::StepId outer_id = b.AddStep(outer);

  ir::StepId maybe = b.Call("call-cell-2", cell_id, {b.Int(1), b.Str("z")});
  ir::Step cond;
  cond.kind = ir::StepKind::Cond;
  cond.id = "if-l9";
  cond.cond = b.Input(1, TypeStore::Bool());
  cond.then_body.steps = {maybe};
  cond.then_value = b.StepRef(maybe, TypeStore::Int());
  cond.type = b.Opt(TypeStore::Int());
  ir::StepId cond_id = b.AddStep(cond);

  ir::TypeId out = b.p.types.Record({{"table", b.ListOf(ints), false}, {"extra", b.Opt(TypeStore::Int()), false}});
  ir::Workflow wf;
  wf.name = "main";
  wf.params = {IrBuilder::Param("rows", ints), IrBuilder::Param("verbose", TypeStore::Bool())};
  wf.output_type = out;
  wf.record_output = true;
  wf.body.steps = {outer_id, cond_id};
  wf.result = b.Record({"table", "extra"},
                       {b.StepRef(outer_id, b.ListOf(ints)), b.StepRef(cond_id, b.Opt(TypeStore::Int()))}, out);
  b.p.entry = b.AddWorkflow(wf);
  return b;
}

TEST(ArgoLower, NestedLoopsAndOptionalIf) {
  IrBuilder b = NestedLoops();
  Result r = Build(b.p, {}, "nested");
  ASSERT_TRUE(r.ok) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
  ExpectStructurallySound(r.yaml);
  // Two loop variables over records read the record's fields from the item.
  EXPECT_NE(r.yaml.find("value: \"{{item.index}}\""), std::string::npos) << r.yaml;
  EXPECT_NE(r.yaml.find("value: \"{{item.value}}\""), std::string::npos);
  // The outer loop variable reaches the inner body as a free value.
  EXPECT_NE(r.yaml.find("value: \"{{inputs.parameters.r}}\""), std::string::npos);
  // An `if` without `else` is none when skipped.
  EXPECT_NE(r.yaml.find("tasks['if-l9'].status == 'Succeeded' ? jsonpath(tasks['if-l9'].outputs.parameters['value'], '$') : nil"),
            std::string::npos);

  testing::ArgoSimulator sim(YAML::Load(r.yaml), [](const testing::PodCall& call) {
    testing::PodResult res;
    res.outputs["value"] = std::to_string(std::stoi(call.inputs.at("row")) * 10 + (call.inputs.at("col") == "b"));
    return res;
  });
  testing::NodeResult result = sim.Run({{"rows", "[1,2]"}, {"verbose", "false"}});
  EXPECT_TRUE(sim.errors().empty()) << sim.errors()[0];
  EXPECT_EQ(result.outputs.at("value"), "{\"table\":[[10,11],[20,21]],\"extra\":null}");
}

TEST(ArgoLower, CachedTasksAreMemoized) {
  IrBuilder b = Pipeline();
  Result r = Build(b.p);
  ASSERT_TRUE(r.ok);
  YAML::Node doc = YAML::Load(r.yaml);
  std::map<std::string, YAML::Node> templates;
  for (const YAML::Node& t : doc["spec"]["templates"]) templates[t["name"].as<std::string>()] = t;
  YAML::Node memo = templates["train"]["memoize"];
  ASSERT_TRUE(memo);
  // Keyed by the template's definition and every input value; no expiry.
  std::string key = memo["key"].as<std::string>();
  EXPECT_EQ(key.rfind("train-", 0), 0u) << key;
  EXPECT_NE(key.find("-{{=sprig.sha256sum(toJson([inputs.parameters['data'], inputs.parameters['epochs']])) }}"),
            std::string::npos)
      << key;
  EXPECT_EQ(memo["maxAge"].as<std::string>(), "");
  EXPECT_EQ(memo["cache"]["configMap"]["name"].as<std::string>(), "flow-cache");
  EXPECT_FALSE(memo["cache"]["configMap"]["key"]);
  // A task without outputs is not memoized (Argo caches outputs only).
  EXPECT_FALSE(templates["echo"]["memoize"]);
  // A different definition gives a different key.
  IrBuilder changed = Pipeline();
  changed.SetField(0, ir::TaskField::Image, changed.Str("pytorch/pytorch:2.4.0"));
  YAML::Node other = YAML::Load(Build(changed.p).yaml);
  for (const YAML::Node& t : other["spec"]["templates"]) {
    if (t["name"].as<std::string>() == "train") {
      EXPECT_NE(t["memoize"]["key"].as<std::string>(), key);
    }
  }

  // Argo 3.7 types the cache reference as a ConfigMapKeySelector (key required).
  BuildOptions v37;
  v37.argo_version = "3.7";
  YAML::Node doc37 = YAML::Load(Build(b.p, v37).yaml);
  for (const YAML::Node& t : doc37["spec"]["templates"]) {
    if (t["memoize"]) {
      EXPECT_EQ(t["memoize"]["cache"]["configMap"]["key"].as<std::string>(), "flow-cache");
    }
  }

  // `cache = false` and `--no-cache`: no memoization.
  IrBuilder uncached = Pipeline();
  uncached.SetField(0, ir::TaskField::Cache, uncached.Lit(ir::Value::Bool(false), TypeStore::Bool()));
  YAML::Node udoc = YAML::Load(Build(uncached.p).yaml);
  for (const YAML::Node& t : udoc["spec"]["templates"]) {
    if (t["name"].as<std::string>() == "train") {
      EXPECT_FALSE(t["memoize"]);
    }
    if (t["name"].as<std::string>() == "report") {
      EXPECT_TRUE(t["memoize"]);
    }
  }
  BuildOptions no_cache;
  no_cache.no_cache = true;
  EXPECT_EQ(Build(b.p, no_cache).yaml.find("memoize"), std::string::npos);
}

TEST(ArgoLower, RunTimeMapLoopListsItsEntriesInAHelperStep) {
  IrBuilder b = NestedLoops();
  ir::TypeId map = b.p.types.Map(TypeStore::String(), TypeStore::String());
  b.p.workflows[0].params[0].type = map;
  ir::Step& outer = b.p.steps[2];
  outer.iterable = b.Input(0, map);
  outer.vars.push_back(b.NewVar("v", TypeStore::String()));
  BuildOptions options;
  options.helper_image = "busybox:1.36";
  Result r = Build(b.p, options, "runtime_map");
  ASSERT_TRUE(r.ok) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
  ExpectStructurallySound(r.yaml);
  YAML::Node doc = YAML::Load(r.yaml);
  std::map<std::string, YAML::Node> templates;
  for (const YAML::Node& t : doc["spec"]["templates"]) templates[t["name"].as<std::string>()] = t;
  ASSERT_TRUE(templates.count("flow-map-items"));
  EXPECT_EQ(templates["flow-map-items"]["container"]["image"].as<std::string>(), "busybox:1.36");
  // The map reaches the helper in an environment variable, never in its script.
  EXPECT_EQ(templates["flow-map-items"]["container"]["env"][0]["value"].as<std::string>(),
            "{{inputs.parameters.map}}");
  std::map<std::string, YAML::Node> tasks;
  for (const YAML::Node& t : templates["main"]["dag"]["tasks"]) tasks[t["name"].as<std::string>()] = t;
  ASSERT_TRUE(tasks.count("for-l4-items"));
  EXPECT_EQ(tasks["for-l4-items"]["arguments"]["parameters"][0]["value"].as<std::string>(),
            "{{inputs.parameters.rows}}");
  EXPECT_EQ(tasks["for-l4"]["depends"].as<std::string>(), "for-l4-items");
  EXPECT_EQ(tasks["for-l4"]["withParam"].as<std::string>(), "{{tasks.for-l4-items.outputs.parameters.value}}");
  EXPECT_EQ(tasks["for-l4"]["arguments"]["parameters"][0]["value"].as<std::string>(), "{{item.key}}");
  EXPECT_EQ(tasks["for-l4"]["arguments"]["parameters"][1]["value"].as<std::string>(), "{{item.value}}");
}

}  // namespace
}  // namespace flow::lower::argo

// Files travel as Argo artifacts wherever the program sends them, and every pod
// downloads exactly the file `flowc run` would use (argo_vs_runtime_harness.h).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/emitter.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/argo_structure_for_test.h"
#include "compiler/lower/argo/lower_argo.h"
#include "tests/build/argo_vs_runtime_harness.h"

namespace flow::argo_vs_runtime {
namespace {

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
  ExpectSameSuccessfulRun(local, argo);
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
  std::optional<ir::Program> p = CompileSourceTreeFile("tests/build/argo_subworkflow_files.flow");
  ASSERT_TRUE(p.has_value());
  EngineRun local = RunEngineWith(*p, FileFake);
  ArgoRun argo = RunArgoWith(*p, {}, FileFake);
  ExpectSameSuccessfulRun(local, argo);
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

}  // namespace
}  // namespace flow::argo_vs_runtime

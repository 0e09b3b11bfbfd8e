// Floats computed by Argo expressions, alone and inside collections, print as
// `flowc run` prints them (argo_vs_runtime_harness.h runs both sides).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "compiler/ir/value_json.h"
#include "tests/build/argo_vs_runtime_harness.h"

namespace flow::argo_vs_runtime {
namespace {

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

}  // namespace
}  // namespace flow::argo_vs_runtime

#include "compiler/lower/graph/graph.h"

#include <gtest/gtest.h>

#include "compiler/ir/verify_ir.h"

namespace flow::graph {
namespace {

using namespace flow::ir;
using types::TypeStore;

// main(names: List[String]):
//   let files = for n in names { greet(name: n) }     (scatter)
//   let count = len(files)                             (value)
//   greet(name: "done") after files                    (call, after)
//   if count > 1 { greet(name: "many") }               (cond)
//   return files
class GraphTest : public ::testing::Test {
 protected:
  ExprId Add(Expr e) {
    p_.exprs.push_back(std::move(e));
    return ExprId{static_cast<int32_t>(p_.exprs.size() - 1)};
  }
  ExprId Lit(Value v, TypeId t) {
    Expr e;
    e.kind = ExprKind::Literal;
    e.literal = std::move(v);
    e.type = t;
    return Add(e);
  }
  ExprId StepRef(int32_t step, TypeId t) {
    Expr e;
    e.kind = ExprKind::StepValue;
    e.step = StepId{step};
    e.type = t;
    return Add(e);
  }
  StepId AddStep(Step s) {
    p_.steps.push_back(std::move(s));
    return StepId{static_cast<int32_t>(p_.steps.size() - 1)};
  }
  Step Call(std::string id, ExprId arg) {
    Step s;
    s.kind = StepKind::Call;
    s.id = std::move(id);
    s.callee = 0;
    s.args = {arg};
    s.type = TypeStore::File();
    return s;
  }

  void SetUp() override {
    TypeId strings = p_.types.List(TypeStore::String());
    TypeId files = p_.types.List(TypeStore::File());
    Task greet;
    greet.name = greet.qualified_name = "greet";
    greet.params.push_back(Param{"name", TypeStore::String(), ExprId{}, "", Loc{}});
    greet.outputs.push_back(Output{"", TypeStore::File()});
    greet.single_output = true;
    greet.output_type = TypeStore::File();
    greet.fields.fill(ExprId{});
    greet.has_script = true;
    p_.tasks.push_back(greet);

    p_.vars.push_back(Var{"n", TypeStore::String(), Loc{}});
    Expr input;
    input.kind = ExprKind::Input;
    input.index = 0;
    input.type = strings;
    ExprId names = Add(input);
    Expr n;
    n.kind = ExprKind::Var;
    n.var = VarId{0};
    n.type = TypeStore::String();
    ExprId n_ref = Add(n);

    // Step 0: the scatter; step 1: its body call.
    Step scatter;
    scatter.kind = StepKind::Scatter;
    scatter.id = "for-greet-l2";
    scatter.binding = "files";
    scatter.type = files;
    scatter.vars = {VarId{0}};
    scatter.iterable = names;
    StepId scatter_id = AddStep(scatter);
    StepId body_call = AddStep(Call("call-greet", n_ref));
    p_.steps[scatter_id.index].body.steps = {body_call};
    p_.steps[scatter_id.index].body_value = StepRef(body_call.index, TypeStore::File());

    Expr len;
    len.kind = ExprKind::Builtin;
    len.builtin = BuiltinId::Len;
    len.type = TypeStore::Int();
    len.operands = {StepRef(scatter_id.index, files)};
    Step count;
    count.kind = StepKind::Value;
    count.id = "let-count";
    count.binding = "count";
    count.type = TypeStore::Int();
    count.value = Add(len);
    count.deps = {scatter_id};
    StepId count_id = AddStep(count);

    Step done = Call("call-greet-2", Lit(Value::String("done"), TypeStore::String()));
    done.deps = {scatter_id};
    done.after_deps = {scatter_id};
    StepId done_id = AddStep(done);

    Expr gt;
    gt.kind = ExprKind::Binary;
    gt.binary_op = BinaryOp::Gt;
    gt.type = TypeStore::Bool();
    gt.operands = {StepRef(count_id.index, TypeStore::Int()), Lit(Value::Int(1), TypeStore::Int())};
    Step cond;
    cond.kind = StepKind::Cond;
    cond.id = "if-l5";
    cond.type = p_.types.Optional(TypeStore::File());
    cond.cond = Add(gt);
    cond.deps = {count_id};
    StepId cond_id = AddStep(cond);
    StepId many = AddStep(Call("call-greet-3", Lit(Value::String("many"), TypeStore::String())));
    p_.steps[cond_id.index].then_body.steps = {many};
    p_.steps[cond_id.index].then_value = StepRef(many.index, TypeStore::File());

    Workflow wf;
    wf.name = wf.qualified_name = "main";
    wf.params.push_back(Param{"names", strings, ExprId{}, "", Loc{}});
    wf.output_type = files;
    wf.body.steps = {scatter_id, count_id, done_id, cond_id};
    wf.result = StepRef(scatter_id.index, files);
    p_.workflows.push_back(wf);
    p_.entry = 0;
    std::string error;
    ASSERT_TRUE(VerifyProgram(p_, &error)) << error;
  }

  Program p_;
};

TEST_F(GraphTest, Dot) {
  std::string dot = ToDot(p_, GraphOptions{});
  EXPECT_NE(dot.find("digraph \"main\" {"), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"in: names\", shape=\"ellipse\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("subgraph cluster_0 {"), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"files (for-greet-l2)\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"for n in names\", shape=\"parallelogram\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"greet\", shape=\"box\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"let count\", shape=\"note\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"if count > 1\", shape=\"diamond\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("[style=dashed, ltail=cluster_0]"), std::string::npos) << dot;  // after: files
  EXPECT_NE(dot.find("[label=\"then\"]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"outputs\""), std::string::npos) << dot;
}

TEST_F(GraphTest, DotStatusColors) {
  GraphOptions options;
  options.status["call-greet-2"] = "failed";
  options.status["let-count"] = "succeeded";
  std::string dot = ToDot(p_, options);
  EXPECT_NE(dot.find("fillcolor=\"#ffcdd2\", tooltip=\"call-greet-2 (failed)\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("fillcolor=\"#c8e6c9\""), std::string::npos) << dot;
}

TEST_F(GraphTest, Mermaid) {
  GraphOptions options;
  options.status["call-greet"] = "running";
  std::string m = ToMermaid(p_, options);
  EXPECT_EQ(m.rfind("flowchart TD\n", 0), 0u) << m;
  EXPECT_NE(m.find("n0([\"in: names\"])"), std::string::npos) << m;
  EXPECT_NE(m.find("subgraph cluster_0 [\"files (for-greet-l2)\"]"), std::string::npos) << m;
  EXPECT_NE(m.find("[/\"for n in names\"/]"), std::string::npos) << m;
  EXPECT_NE(m.find("{\"if count #gt; 1\"}"), std::string::npos) << m;
  EXPECT_NE(m.find(" -.-> "), std::string::npos) << m;
  EXPECT_NE(m.find(" -->|\"then\"| "), std::string::npos) << m;
  EXPECT_NE(m.find("classDef running fill:#fff9c4"), std::string::npos) << m;
}

TEST_F(GraphTest, Svg) {
  std::string svg, error;
  ASSERT_TRUE(ToSvg(p_, GraphOptions{}, &svg, &error)) << error;
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("for n in names"), std::string::npos);
  EXPECT_NE(svg.find(">greet<"), std::string::npos);
  EXPECT_NE(svg.find("let count"), std::string::npos);
}

TEST_F(GraphTest, NoWorkflowGivesAnEmptyGraph) {
  Program empty;
  EXPECT_EQ(ToDot(empty, GraphOptions{}).rfind("digraph \"flow\" {", 0), 0u);
  EXPECT_EQ(ToMermaid(empty, GraphOptions{}), "flowchart TD\n");
}

}  // namespace
}  // namespace flow::graph

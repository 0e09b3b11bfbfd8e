#include "compiler/ir/verify_ir.h"

#include <gtest/gtest.h>

namespace flow::ir {
namespace {

using types::TypeStore;

// main() { a = t(); b = t() after a } with hand-made steps, then broken on purpose.
class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Task t;
    t.name = t.qualified_name = "t";
    t.fields.fill(ExprId{});
    t.has_script = true;
    p_.tasks.push_back(t);
    for (const char* id : {"call-t", "call-t-2"}) {
      Step s;
      s.kind = StepKind::Call;
      s.id = id;
      s.callee = 0;
      s.type = TypeStore::Int();
      p_.steps.push_back(s);
    }
    p_.steps[1].deps = {StepId{0}};
    p_.steps[1].after_deps = {StepId{0}};
    Workflow wf;
    wf.name = wf.qualified_name = "main";
    wf.body.steps = {StepId{0}, StepId{1}};
    p_.workflows.push_back(wf);
    p_.entry = 0;
  }
  std::string Error() {
    std::string error;
    EXPECT_FALSE(VerifyProgram(p_, &error));
    return error;
  }
  Program p_;
};

TEST_F(VerifyTest, ValidProgram) {
  std::string error;
  EXPECT_TRUE(VerifyProgram(p_, &error)) << error;
}

TEST_F(VerifyTest, TopologicalOrder) {
  p_.workflows[0].body.steps = {StepId{1}, StepId{0}};
  EXPECT_EQ(Error(), "workflow `main`: step `call-t-2`: region is not in topological order");
}

TEST_F(VerifyTest, DuplicateIds) {
  p_.steps[1].id = "call-t";
  EXPECT_EQ(Error(), "workflow `main`: step `call-t`: duplicate step id");
}

TEST_F(VerifyTest, AfterSubsetOfDeps) {
  p_.steps[1].deps.clear();
  EXPECT_EQ(Error(), "workflow `main`: step `call-t-2`: after_deps not in deps");
}

TEST_F(VerifyTest, DepsInOtherRegion) {
  // Move step 0 into the finally region: step 1 now depends across regions.
  p_.workflows[0].body.steps = {StepId{1}};
  p_.workflows[0].finally_body.steps = {StepId{0}};
  EXPECT_EQ(Error(), "workflow `main`: step `call-t-2`: depends on a step of another region");
}

TEST_F(VerifyTest, OutOfRangeIds) {
  p_.steps[0].args = {ExprId{42}};
  EXPECT_EQ(Error(), "workflow `main`: step `call-t`: needs one argument slot per callee parameter");
  p_.tasks[0].params.push_back(Param{"x", TypeStore::Int(), ExprId{}, "", Loc{}});
  p_.steps[1].args = {ExprId{}};
  EXPECT_EQ(Error(), "workflow `main`: step `call-t`: expression 42 out of range");
  p_.steps[0].args = {ExprId{}};
  p_.workflows[0].body.steps.push_back(StepId{7});
  EXPECT_EQ(Error(), "workflow `main`: step 7 out of range");
}

TEST_F(VerifyTest, ExpressionShapes) {
  Expr e;
  e.kind = ExprKind::Interpolate;
  e.type = TypeStore::String();
  e.text_parts = {"a"};
  e.operands = {ExprId{0}};
  p_.exprs.push_back(e);
  EXPECT_EQ(Error(), "expression 0: text_parts must be operands + 1");
  p_.exprs[0].kind = ExprKind::Binary;
  EXPECT_EQ(Error(), "expression 0 needs 2 operands, has 1");
  p_.exprs[0] = Expr{};
  EXPECT_EQ(Error(), "expression 0 has an invalid type");
}

}  // namespace
}  // namespace flow::ir

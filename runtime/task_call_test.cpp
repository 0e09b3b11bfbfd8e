// Task calls: fields and overrides, rendering with escaping, outputs read back by type.
#include "runtime/task_call.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime/disk.h"
#include "runtime/test_program.h"

namespace flow::runtime {
namespace {

using testing::ProgramBuilder;
using types::TypeStore;

class TaskCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flow_taskcall_XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { RemoveTree(dir_); }
  std::string dir_;
  ProgramBuilder b_;
};

TEST_F(TaskCallTest, FieldsDefaultsAndOverrides) {
  int32_t t = b_.Task("t", {}, TypeStore::Int(), {std::string("x")},
                      {{ir::TaskField::Retries, b_.Int(2)}, {ir::TaskField::Image, b_.Str("alpine")}});
  ResolvedTask call;
  std::string error;
  ASSERT_TRUE(ResolveTask(b_.program(), t, {}, {{ir::TaskField::Retries, ir::Value::Int(5)}}, &call, &error));
  EXPECT_EQ(call.settings.retries, 5);
  EXPECT_EQ(call.settings.image, "alpine");
  EXPECT_EQ(call.settings.backoff_ms, 1000);
  EXPECT_TRUE(call.settings.cache);
}

TEST_F(TaskCallTest, RendersScriptWithEscapedValues) {
  ir::ExprId s = b_.Input(0, TypeStore::String());
  ir::ExprId xs = b_.Input(1, b_.types().List(TypeStore::Int()));
  int32_t t = b_.Task("t", {{"s", TypeStore::String()}, {"xs", b_.types().List(TypeStore::Int())}}, TypeStore::Int(),
                      {std::string("echo "), s, std::string(" "), xs, std::string(" > "), b_.OutPath(0)});
  ResolvedTask call;
  std::string error;
  ASSERT_TRUE(ResolveTask(b_.program(), t,
                          {ir::Value::String("a b"), ir::Value::List({ir::Value::Int(1), ir::Value::Int(2)})}, {},
                          &call, &error));
  TaskProgram prog;
  ASSERT_TRUE(RenderTaskProgram(b_.program(), call, OutputPaths(b_.program().tasks[t], "/w"), &prog, &error)) << error;
  EXPECT_EQ(prog.script, "echo 'a b' 1 2 > /w/out");
  EXPECT_EQ(prog.argv, (std::vector<std::string>{"/bin/sh", "-eu"}));
}

TEST_F(TaskCallTest, ReadsOutputsByType) {
  types::TypeStore& ts = b_.types();
  ir::Task t;
  t.qualified_name = "t";
  t.outputs = {{"n", TypeStore::Int()}, {"f", TypeStore::File()}, {"xs", ts.List(TypeStore::Int())},
               {"maybe", ts.Optional(TypeStore::String())}, {"s", TypeStore::String()}};
  std::vector<std::string> paths = OutputPaths(t, dir_);
  ASSERT_TRUE(WriteFile(paths[0], " 42\n"));
  ASSERT_TRUE(WriteFile(paths[1], "binary"));
  ASSERT_TRUE(WriteFile(paths[2], "[1, 2]"));
  ASSERT_TRUE(WriteFile(paths[4], "  padded text \n"));
  ir::Value v;
  std::string error;
  ASSERT_TRUE(ReadOutputs(b_.program(), t, paths, &v, &error)) << error;
  EXPECT_EQ(*v.field("n"), ir::Value::Int(42));
  EXPECT_EQ(*v.field("f"), ir::Value::String(dir_ + "/out.f"));
  EXPECT_EQ(*v.field("xs"), ir::Value::List({ir::Value::Int(1), ir::Value::Int(2)}));
  EXPECT_TRUE(v.field("maybe")->is_none());
  EXPECT_EQ(*v.field("s"), ir::Value::String("padded text"));

  ASSERT_TRUE(WriteFile(paths[0], "forty-two"));
  EXPECT_FALSE(ReadOutputs(b_.program(), t, paths, &v, &error));
  EXPECT_NE(error.find("task `t` output `out.n`: expected `Int`, found `forty-two` in " + paths[0]),
            std::string::npos)
      << error;
  unlink(paths[4].c_str());
  ASSERT_TRUE(WriteFile(paths[0], "1"));
  EXPECT_FALSE(ReadOutputs(b_.program(), t, paths, &v, &error));
  EXPECT_NE(error.find("task `t` did not write output `out.s` (`String`) at " + paths[4]), std::string::npos)
      << error;
  ASSERT_TRUE(MakeDirs(paths[4]));
  EXPECT_FALSE(ReadOutputs(b_.program(), t, paths, &v, &error));
}

}  // namespace
}  // namespace flow::runtime

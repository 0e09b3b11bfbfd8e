// Cache keys (what invalidates them, with explanations), atomic entries, and
// the file-hash memo.
#include "runtime/cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime/test_program.h"

namespace flow::runtime {
namespace {

using testing::ProgramBuilder;
using types::TypeStore;

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flow_cache_XXXXXX";
    dir_ = mkdtemp(tmpl);
    ir::ExprId f = b_.Input(0, TypeStore::File());
    task_ = b_.Task("wc", {{"f", TypeStore::File()}, {"n", TypeStore::Int()}}, TypeStore::File(),
                    {std::string("wc "), f});
  }
  void TearDown() override { RemoveTree(dir_); }

  ResolvedTask Call(const std::string& path, int64_t n) {
    ResolvedTask call;
    call.task = task_;
    call.inputs = {ir::Value::String(path), ir::Value::Int(n)};
    return call;
  }

  std::string dir_;
  ProgramBuilder b_;
  int32_t task_ = -1;
};

TEST_F(CacheTest, KeyCoversValuesFileContentImageAndEnv) {
  std::string data = dir_ + "/data.txt";
  ASSERT_TRUE(WriteFile(data, "one"));
  FileHashMemo memo;
  CacheKey base = ComputeCacheKey(b_.program(), Call(data, 1), &memo);
  EXPECT_EQ(base.key.size(), 32u);
  EXPECT_EQ(ComputeCacheKey(b_.program(), Call(data, 1), &memo).key, base.key);
  CacheKey other_n = ComputeCacheKey(b_.program(), Call(data, 2), &memo);
  EXPECT_NE(other_n.key, base.key);
  EXPECT_EQ(ExplainKeyChange(base.parts, other_n.parts), "input `n` changed");

  ResolvedTask with_image = Call(data, 1);
  with_image.settings.image = "alpine:3.20";
  CacheKey image = ComputeCacheKey(b_.program(), with_image, &memo);
  EXPECT_EQ(ExplainKeyChange(base.parts, image.parts), "image changed");
  ResolvedTask with_env = Call(data, 1);
  with_env.settings.env = {{"A", "1"}};
  EXPECT_EQ(ExplainKeyChange(base.parts, ComputeCacheKey(b_.program(), with_env, &memo).parts), "env changed");
  ResolvedTask more_cpu = Call(data, 1);
  more_cpu.settings.cpu = 8;
  more_cpu.settings.retries = 3;
  EXPECT_EQ(ComputeCacheKey(b_.program(), more_cpu, &memo).key, base.key);  // resources do not matter

  // Same size, new content: the stamp changes (mtime), the hash is recomputed.
  usleep(20000);
  ASSERT_TRUE(WriteFile(data, "two"));
  CacheKey changed = ComputeCacheKey(b_.program(), Call(data, 1), &memo);
  EXPECT_NE(changed.key, base.key);
  EXPECT_EQ(ExplainKeyChange(base.parts, changed.parts), "input `f` changed");
  // Touching without changing the content keeps the key.
  usleep(20000);
  ASSERT_TRUE(WriteFile(data, "two"));
  EXPECT_EQ(ComputeCacheKey(b_.program(), Call(data, 1), &memo).key, changed.key);
  b_.program().tasks[task_].digest = "edited";
  EXPECT_EQ(ExplainKeyChange(changed.parts, ComputeCacheKey(b_.program(), Call(data, 1), &memo).parts),
            "task definition changed");
}

TEST_F(CacheTest, StoreMovesOutputsAndLookupFindsThem) {
  Cache cache(dir_ + "/cache");
  std::string work = dir_ + "/work";
  ASSERT_TRUE(MakeDirs(work));
  ASSERT_TRUE(WriteFile(work + "/out", "result"));
  const ir::Task& task = b_.program().tasks[task_];
  ir::Value value = ir::Value::String(work + "/out");
  ir::Value missing;
  EXPECT_FALSE(cache.Lookup(b_.program(), task, "00ff", &missing));
  std::string error;
  ASSERT_TRUE(cache.Store(b_.program(), task, "00ff", {work + "/out"}, &value, &error)) << error;
  std::string entry = cache.EntryDir("00ff");
  EXPECT_EQ(value, ir::Value::String(entry + "/out"));
  EXPECT_EQ(ReadFile(entry + "/out").value_or(""), "result");
  EXPECT_FALSE(StatFile(work + "/out").exists);  // moved, not copied
  ir::Value found;
  ASSERT_TRUE(cache.Lookup(b_.program(), task, "00ff", &found));
  EXPECT_EQ(found, value);
  // Nothing is left half-built.
  EXPECT_TRUE(RemoveTree(dir_ + "/cache/tmp/none"));
  // An entry whose output was deleted by hand is a miss, not a broken result.
  unlink((entry + "/out").c_str());
  EXPECT_FALSE(cache.Lookup(b_.program(), task, "00ff", &found));
}

TEST_F(CacheTest, PartialEntriesAreNeverUsed) {
  Cache cache(dir_ + "/cache");
  const ir::Task& task = b_.program().tasks[task_];
  // A temp entry left by a killed run, and a final dir without result.json.
  ASSERT_TRUE(MakeDirs(dir_ + "/cache/tmp/abcd.1.0"));
  ASSERT_TRUE(MakeDirs(cache.EntryDir("abcd")));
  ir::Value v;
  EXPECT_FALSE(cache.Lookup(b_.program(), task, "abcd", &v));
  ASSERT_TRUE(WriteFile(cache.EntryDir("abcd") + "/result.json", "{\"val"));
  EXPECT_FALSE(cache.Lookup(b_.program(), task, "abcd", &v));
}

}  // namespace
}  // namespace flow::runtime

// Cache keys (what invalidates them, with explanations), atomic entries, and
// the file-hash memo.
#include "runtime/cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <set>

#include "compiler/ir/value_json.h"

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

TEST_F(CacheTest, ValueResultsLiveInTheIndexAlone) {
  int32_t count = b_.Task("count", {{"n", TypeStore::Int()}}, TypeStore::Int(), {std::string("echo 7")});
  const ir::Task& task = b_.program().tasks[count];
  std::string error;
  {
    Cache cache(dir_ + "/cache");
    ir::Value probe;
    EXPECT_FALSE(cache.Lookup(b_.program(), task, "11aa", &probe));
    ir::Value seven = ir::Value::Int(7);
    ASSERT_TRUE(cache.Store(b_.program(), task, "11aa", {dir_ + "/work/out"}, &seven, &error)) << error;
    EXPECT_EQ(seven, ir::Value::Int(7));
    ir::Value again;
    ASSERT_TRUE(cache.Lookup(b_.program(), task, "11aa", &again));  // same run, no reload
    EXPECT_EQ(again, ir::Value::Int(7));
  }
  // No entry directory, nothing in tmp: the index line is the whole entry.
  EXPECT_FALSE(StatFile(Cache(dir_ + "/cache").EntryDir("11aa")).exists);
  EXPECT_FALSE(StatFile(dir_ + "/cache/tmp").exists);
  EXPECT_EQ(ReadFile(dir_ + "/cache/index").value_or(""), "\n11aa\t{\"value\":7}\n");

  // A line torn by a kill -9 (no newline) is ignored, and the next store's
  // line does not join it.
  std::string index = ReadFile(dir_ + "/cache/index").value_or("");
  ASSERT_TRUE(WriteFile(dir_ + "/cache/index", index + "22bb\t{\"value\":"));
  {
    Cache cache(dir_ + "/cache");
    ir::Value v;
    EXPECT_FALSE(cache.Lookup(b_.program(), task, "22bb", &v));
    ir::Value nine = ir::Value::Int(9);
    ASSERT_TRUE(cache.Store(b_.program(), task, "33cc", {dir_ + "/work/out"}, &nine, &error)) << error;
  }
  Cache reread(dir_ + "/cache");
  ir::Value v;
  ASSERT_TRUE(reread.Lookup(b_.program(), task, "11aa", &v));
  EXPECT_EQ(v, ir::Value::Int(7));
  ASSERT_TRUE(reread.Lookup(b_.program(), task, "33cc", &v));
  EXPECT_EQ(v, ir::Value::Int(9));
  EXPECT_FALSE(reread.Lookup(b_.program(), task, "22bb", &v));
}

// The key as first defined (every part hashed, inputs dumped as JSON trees):
// CacheKeyMaker's shortcuts must give the same keys, or an upgrade would
// throw away every cached result.
std::string ReferenceKey(const ir::Program& program, const ResolvedTask& call) {
  const ir::Task& task = program.tasks[call.task];
  std::vector<std::pair<std::string, std::string>> parts;
  parts.emplace_back("task definition", HashText(task.qualified_name + '\0' + task.digest));
  parts.emplace_back("image", HashText(call.settings.image));
  std::string env;
  for (const auto& [k, v] : call.settings.env) env += k + '=' + v + '\0';
  parts.emplace_back("env", HashText(env));
  parts.emplace_back("shell", HashText(call.settings.shell));
  for (size_t i = 0; i < task.params.size() && i < call.inputs.size(); ++i)
    parts.emplace_back("input `" + task.params[i].name + "`",
                       HashText(ir::ValueToJson(call.inputs[i], task.params[i].type, program.types).dump()));
  std::string all;
  for (const auto& [name, digest] : parts) all += name + '\0' + digest + '\n';
  return HashText(all);
}

TEST_F(CacheTest, KeyMakerMatchesTheReferenceKey) {
  types::TypeId opt_int = b_.types().Optional(TypeStore::Int());
  int32_t t = b_.Task("mix", {{"s", TypeStore::String()}, {"i", TypeStore::Int()}, {"b", TypeStore::Bool()},
                               {"o", opt_int}, {"l", b_.types().List(TypeStore::Int())}},
                      TypeStore::Int(), {std::string("echo 1")});
  FileHashMemo memo;
  CacheKeyMaker maker(b_.program(), &memo);
  std::vector<std::string> strings = {"plain", "", "with \"quotes\"", "back\\slash", "tab\there", "caf\xc3\xa9",
                                      "$(rm -rf /)", "\x7f"};
  std::set<std::string> keys;
  for (const std::string& text : strings) {
    for (int64_t n : {int64_t{0}, int64_t{-42}, int64_t{1} << 62}) {
      ResolvedTask call;
      call.task = t;
      call.inputs = {ir::Value::String(text), ir::Value::Int(n), ir::Value::Bool(n > 0),
                     n == 0 ? ir::Value::None() : ir::Value::Int(n), ir::Value::List({ir::Value::Int(n)})};
      if (n < 0) call.settings.env = {{"A", text}};
      if (n > 0) call.settings.image = "img:" + text;
      std::string key = maker.Make(call).key;
      EXPECT_EQ(key, ReferenceKey(b_.program(), call)) << text << " " << n;
      EXPECT_EQ(key, ComputeCacheKey(b_.program(), call, &memo).key);
      keys.insert(key);
    }
  }
  EXPECT_EQ(keys.size(), strings.size() * 3);  // every call differs
}

TEST_F(CacheTest, ScalarResultsReadBackWithTheirTypes) {
  types::TypeId opt_int = b_.types().Optional(TypeStore::Int());
  struct Case {
    types::TypeId type;
    ir::Value value;
  };
  std::vector<Case> cases = {
      {TypeStore::Int(), ir::Value::Int(-12)},          {TypeStore::Int(), ir::Value::Int(int64_t{1} << 62)},
      {TypeStore::Bool(), ir::Value::Bool(true)},       {TypeStore::Bool(), ir::Value::Bool(false)},
      {TypeStore::String(), ir::Value::String("a b")},  {TypeStore::String(), ir::Value::String("q\"uote\\")},
      {TypeStore::String(), ir::Value::String("")},     {TypeStore::String(), ir::Value::String("line\nbreak")},
      {opt_int, ir::Value::None()},                     {opt_int, ir::Value::Int(5)},
      {TypeStore::Float(), ir::Value::Float(2.5)},
  };
  std::string error;
  std::vector<int32_t> tasks;
  for (size_t i = 0; i < cases.size(); ++i)
    tasks.push_back(b_.Task("t" + std::to_string(i), {}, cases[i].type, {std::string("echo")}));
  {
    Cache cache(dir_ + "/cache");
    for (size_t i = 0; i < cases.size(); ++i) {
      int32_t t = tasks[i];
      ir::Value v = cases[i].value;
      ASSERT_TRUE(cache.Store(b_.program(), b_.program().tasks[t], "k" + std::to_string(i), {dir_ + "/out"}, &v,
                              &error))
          << error;
    }
  }
  Cache reread(dir_ + "/cache");
  for (size_t i = 0; i < cases.size(); ++i) {
    const ir::Task& task = b_.program().tasks[tasks[i]];
    ir::Value v;
    ASSERT_TRUE(reread.Lookup(b_.program(), task, "k" + std::to_string(i), &v)) << i;
    EXPECT_EQ(v, cases[i].value) << i;
  }
  // A result that does not fit the type is a miss, as before.
  ASSERT_TRUE(WriteFile(dir_ + "/cache/index", "\nbad\t{\"value\":\"seven\"}\n"));
  Cache bad(dir_ + "/cache");
  ir::Value v;
  EXPECT_FALSE(bad.Lookup(b_.program(), b_.program().tasks[tasks[0]], "bad", &v));
}

TEST(DiskTest, MakeFreshDirCreatesParentsAndClearsLeftovers) {
  char tmpl[] = "/tmp/flow_disk_XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string attempt = dir + "/work/run/for-x/3/call-t/1";
  ASSERT_TRUE(MakeFreshDir(attempt));
  EXPECT_TRUE(StatFile(attempt).is_dir);
  ASSERT_TRUE(WriteFile(attempt + "/stdout.log", "old"));
  ASSERT_TRUE(MakeFreshDir(attempt));  // a leftover of a killed run with the same id
  EXPECT_TRUE(StatFile(attempt).is_dir);
  EXPECT_FALSE(StatFile(attempt + "/stdout.log").exists);
  ASSERT_TRUE(WriteFile(dir + "/file", "x"));
  EXPECT_FALSE(MakeFreshDir(dir + "/file/sub"));  // a parent that is a file
  EXPECT_TRUE(RemoveTree(dir));
}

}  // namespace
}  // namespace flow::runtime

// Run history: buffered writes, reads, run-id resolution, last keys, file hashes.
#include "runtime/run_db.h"
#include "runtime/disk.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace flow::runtime {
namespace {

class RunDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flow_rundb_XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { RemoveTree(dir_); }
  std::string dir_;
};

TEST_F(RunDbTest, RecordsRunsAndAttempts) {
  {
    RunDb db;
    std::string error;
    ASSERT_TRUE(db.Open(dir_ + "/runs.db", &error)) << error;
    db.SaveRun(RunRecord{"20260101-000000-aaaa", "a.flow", "a.flow", "running", 1000, 0, -1, 1, "w1"});
    db.SaveRun(RunRecord{"20260102-000000-bbbb", "b.flow", "b.flow", "failed", 2000, 2500, 1, 1, "w2"});
    AttemptRecord a;
    a.run_id = "20260102-000000-bbbb";
    a.path = "call-x";
    a.task = "x";
    a.attempt = 1;
    a.status = "running";
    db.SaveAttempt(a);
    a.status = "failed";  // the same attempt again replaces the first record
    a.exit_code = 3;
    a.cpu_ms = 12;
    a.max_rss_kb = 2048;
    db.SaveAttempt(a);
    CacheKey key{"k", {{"task definition", "d1"}, {"input `x`", "h1"}}};
    db.SaveLastKey("b.flow::call-x", key);
    FileHashMemo memo;
    memo.entries["/data"] = {FileStamp{true, false, 3, 42, 7}, "hash"};
    memo.changed = {"/data"};
    db.SaveFileHashes(memo);
    ASSERT_TRUE(db.Flush());
  }
  RunDb db;
  std::string error;
  ASSERT_TRUE(db.Open(dir_ + "/runs.db", &error));
  std::vector<RunRecord> runs = db.Runs(10);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, "20260102-000000-bbbb");  // newest first
  EXPECT_EQ(runs[0].exit_code, 1);
  std::vector<AttemptRecord> attempts = db.Attempts("20260102-000000-bbbb");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].status, "failed");
  EXPECT_EQ(attempts[0].exit_code, 3);
  EXPECT_EQ(attempts[0].max_rss_kb, 2048);
  EXPECT_EQ(db.ResolveRun("last").value_or(""), "20260102-000000-bbbb");
  EXPECT_EQ(db.ResolveRun("20260101").value_or(""), "20260101-000000-aaaa");
  EXPECT_FALSE(db.ResolveRun("2026").has_value());  // ambiguous
  std::vector<std::pair<std::string, std::string>> parts;
  ASSERT_TRUE(db.LastKey("b.flow::call-x", &parts));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].first, "input `x`");
  EXPECT_EQ(parts[1].second, "h1");
  FileHashMemo memo;
  db.LoadFileHashes(&memo);
  ASSERT_EQ(memo.entries.count("/data"), 1u);
  EXPECT_EQ(memo.entries["/data"].second, "hash");
  EXPECT_EQ(memo.entries["/data"].first.mtime_ns, 42);
  EXPECT_TRUE(db.DeleteRun("20260101-000000-aaaa"));
  EXPECT_EQ(db.Runs(10).size(), 1u);
}

TEST_F(RunDbTest, CacheHitsAreStoredCompactlyAndReadBackAsAttempts) {
  const std::string run = "20260103-000000-cccc";
  {
    RunDb db;
    std::string error;
    ASSERT_TRUE(db.Open(dir_ + "/runs.db", &error)) << error;
    AttemptRecord ran;
    ran.run_id = run;
    ran.path = "call-b";
    ran.task = "b";
    ran.attempt = 1;
    ran.status = "succeeded";
    ran.started_ms = 20;
    db.SaveAttempt(ran);
    std::string lines;
    RunDb::AppendCacheHit(&lines, "for-x/1/call-a", "mod.a", 30, "abcdef", "");
    RunDb::AppendCacheHit(&lines, "call-c", "c", 10, "0123", "weird\timage\\name\n");
    db.SaveCacheHits(run, lines);
    ASSERT_TRUE(db.Flush());
    std::string more;
    RunDb::AppendCacheHit(&more, "call-d", "d", 40, "ffee", "alpine");
    db.SaveCacheHits(run, more);  // a second flush: a second row
    ASSERT_TRUE(db.Flush());
  }
  RunDb db;
  std::string error;
  ASSERT_TRUE(db.Open(dir_ + "/runs.db", &error));
  std::vector<AttemptRecord> attempts = db.Attempts(run);
  ASSERT_EQ(attempts.size(), 4u);
  // In start order, hits and attempts that ran merged.
  EXPECT_EQ(attempts[0].path, "call-c");
  EXPECT_EQ(attempts[1].path, "call-b");
  EXPECT_EQ(attempts[2].path, "for-x/1/call-a");
  EXPECT_EQ(attempts[3].path, "call-d");
  const AttemptRecord& c = attempts[0];
  EXPECT_TRUE(c.cache_hit);
  EXPECT_EQ(c.status, "cached");
  EXPECT_EQ(c.attempt, 0);
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_EQ(c.task, "c");
  EXPECT_EQ(c.run_id, run);
  EXPECT_EQ(c.started_ms, 10);
  EXPECT_EQ(c.ended_ms, 10);
  EXPECT_EQ(c.cache_key, "0123");
  EXPECT_EQ(c.image, "weird\timage\\name\n");
  EXPECT_EQ(c.work_dir, dir_ + "/cache/01/0123");
  EXPECT_EQ(attempts[2].task, "mod.a");
  EXPECT_EQ(attempts[3].image, "alpine");
  EXPECT_FALSE(attempts[1].cache_hit);
  EXPECT_TRUE(db.DeleteRun(run));
  EXPECT_TRUE(db.Attempts(run).empty());
}

}  // namespace
}  // namespace flow::runtime

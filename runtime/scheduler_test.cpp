// The scheduler and the workflow engine on a fake runner: DAG order, -j,
// resources, retries with backoff, timeouts, try, failure propagation,
// finally, scatter limits, conditionals, sub-workflows, cancellation, cache.
#include "runtime/scheduler.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <map>
#include <string>

#include "compiler/ir/value_json.h"
#include "runtime/fake_runner.h"
#include "runtime/test_program.h"

namespace flow::runtime {
namespace {

using testing::ProgramBuilder;
using types::TypeStore;

// Scripts understood by the fake: "inc N" writes N+1 to `out`; "fail" exits 1;
// "flaky K" fails its first K attempts; "slow MS" takes MS ms; "hang" ignores SIGTERM.
FakeOutcome Behave(const CommandSpec& spec, const std::string& script, std::map<std::string, int>* calls) {
  FakeOutcome o;
  int n = ++(*calls)[script];
  if (script.rfind("inc ", 0) == 0) {
    o.writes.push_back({"out", std::to_string(std::stoll(script.substr(4)) + 1) + "\n"});
  } else if (script == "fail") {
    o.exit_code = 1;
    o.stderr_text = "boom\n";
  } else if (script.rfind("flaky ", 0) == 0) {
    if (n <= std::stoi(script.substr(6))) o.exit_code = 3;
    else o.writes.push_back({"out", "7"});
  } else if (script.rfind("slow ", 0) == 0) {
    o.duration_ms = std::stoll(script.substr(5));
    o.writes.push_back({"out", "1"});
  } else if (script == "hang") {
    o.duration_ms = 1'000'000;
    o.ignores_sigterm = true;
  } else if (script == "bad") {
    o.writes.push_back({"out", "not a number"});
  }
  (void)spec;
  return o;
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flow_sched_XXXXXX";
    dir_ = mkdtemp(tmpl);
    options_.run_id = "run1";
    options_.flow_dir = dir_ + "/.flow";
    options_.base_dir = dir_;
    options_.jobs = 4;
  }
  void TearDown() override { RemoveTree(dir_); }

  /// inc(x: Int) -> Int, script "inc {{x}}".
  int32_t IncTask() {
    ir::ExprId x = b_.Input(0, TypeStore::Int());
    return b_.Task("inc", {{"x", TypeStore::Int()}}, TypeStore::Int(), {std::string("inc "), x});
  }
  /// A task running a fixed script, with extra fields.
  int32_t FixedTask(std::string name, std::string script,
                    std::vector<std::pair<ir::TaskField, ir::ExprId>> fields = {}) {
    return b_.Task(name, {}, TypeStore::Int(), {script}, std::move(fields));
  }

  RunStatus Run(int32_t workflow, FakeCommandRunner* runner = nullptr, Cache* cache = nullptr) {
    FakeCommandRunner local([this](const CommandSpec& s, const std::string& sc) { return Behave(s, sc, &calls_); });
    FakeCommandRunner& r = runner ? *runner : local;
    Scheduler scheduler(b_.program(), r, cache, nullptr, nullptr, options_);
    RunStatus status = scheduler.Run(workflow, {});
    result_ = scheduler.engine().result();
    errors_ = scheduler.engine().errors();
    nodes_.assign(scheduler.engine().nodes().begin(), scheduler.engine().nodes().end());
    attempts_ = scheduler.Attempts();
    started_ = r.started().size();
    end_ms_ = r.NowMs();
    max_concurrent_ = r.max_concurrent();
    return status;
  }

  NodeState StateOf(const std::string& path) {
    for (const NodeInfo& n : nodes_)
      if (n.path == path) return n.state;
    ADD_FAILURE() << "no node " << path;
    return NodeState::Waiting;
  }

  std::string dir_;
  RunOptions options_;
  ProgramBuilder b_;
  std::map<std::string, int> calls_;
  ir::Value result_;
  std::vector<std::string> errors_;
  std::vector<NodeInfo> nodes_;
  std::vector<AttemptRecord> attempts_;
  size_t started_ = 0;
  int64_t end_ms_ = 0;
  size_t max_concurrent_ = 0;
};

TEST_F(SchedulerTest, ChainPassesValues) {
  int32_t inc = IncTask();
  ir::StepId a = b_.Call("call-inc", inc, {b_.Int(40)});
  ir::StepId c = b_.Call("call-inc-2", inc, {b_.StepValue(a, TypeStore::Int())}, {a});
  int32_t wf = b_.Workflow("main", {}, {a, c}, b_.StepValue(c, TypeStore::Int()), TypeStore::Int());
  EXPECT_EQ(Run(wf), RunStatus::Succeeded);
  EXPECT_EQ(result_, ir::Value::Int(42));
  EXPECT_EQ(started_, 2u);
  ASSERT_EQ(attempts_.size(), 2u);
  EXPECT_EQ(attempts_[0].status, "succeeded");
  EXPECT_EQ(attempts_[0].work_dir, dir_ + "/.flow/work/run1/call-inc/1");
}

TEST_F(SchedulerTest, JobsLimitConcurrency) {
  int32_t slow = FixedTask("slow", "slow 100");
  std::vector<ir::StepId> steps;
  for (int i = 0; i < 6; ++i) steps.push_back(b_.Call("call-slow-" + std::to_string(i), slow, {}));
  int32_t wf = b_.Workflow("main", {}, steps, {}, {});
  options_.jobs = 2;
  EXPECT_EQ(Run(wf), RunStatus::Succeeded);
  EXPECT_EQ(max_concurrent_, 2u);
  EXPECT_EQ(end_ms_, 300);
}

TEST_F(SchedulerTest, CpuBudgetAdmitsWhatFits) {
  int32_t big = FixedTask("big", "slow 100", {{ir::TaskField::Cpu, b_.Lit(ir::Value::Float(2), TypeStore::Float())}});
  std::vector<ir::StepId> steps;
  for (int i = 0; i < 3; ++i) steps.push_back(b_.Call("call-big-" + std::to_string(i), big, {}));
  int32_t wf = b_.Workflow("main", {}, steps, {}, {});
  options_.cpus = 3;
  EXPECT_EQ(Run(wf), RunStatus::Succeeded);
  EXPECT_EQ(max_concurrent_, 1u);
  EXPECT_EQ(end_ms_, 300);
}

TEST_F(SchedulerTest, OversizeTaskFailsWithoutRunning) {
  int32_t big = FixedTask("big", "slow 1", {{ir::TaskField::Gpu, b_.Int(2)}});
  ir::StepId a = b_.Call("call-big", big, {});
  int32_t wf = b_.Workflow("main", {}, {a}, {}, {});
  EXPECT_EQ(Run(wf), RunStatus::Failed);
  EXPECT_EQ(started_, 0u);
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("needs 2 gpu but only 0 are available"), std::string::npos) << errors_[0];
}

TEST_F(SchedulerTest, RetriesWithDoublingBackoff) {
  int32_t flaky = FixedTask("flaky", "flaky 2",
                            {{ir::TaskField::Retries, b_.Int(2)},
                             {ir::TaskField::Backoff, b_.Lit(ir::Value::Int(1000), TypeStore::Duration())}});
  ir::StepId a = b_.Call("call-flaky", flaky, {});
  int32_t wf = b_.Workflow("main", {}, {a}, b_.StepValue(a, TypeStore::Int()), TypeStore::Int());
  FakeCommandRunner runner([this](const CommandSpec& s, const std::string& sc) { return Behave(s, sc, &calls_); });
  EXPECT_EQ(Run(wf, &runner), RunStatus::Succeeded);
  EXPECT_EQ(result_, ir::Value::Int(7));
  ASSERT_EQ(runner.started().size(), 3u);
  EXPECT_EQ(runner.started()[0].at_ms, 0);
  EXPECT_EQ(runner.started()[1].at_ms, 10 + 1000);
  EXPECT_EQ(runner.started()[2].at_ms, 10 + 1000 + 10 + 2000);
  EXPECT_EQ(attempts_[0].status, "failed");
  EXPECT_EQ(attempts_[0].exit_code, 3);
  EXPECT_EQ(attempts_[2].status, "succeeded");
  EXPECT_EQ(runner.started()[1].spec.dir, dir_ + "/.flow/work/run1/call-flaky/2");
}

TEST_F(SchedulerTest, RetriesExhaustedFailTheRun) {
  int32_t flaky = FixedTask("flaky", "flaky 5", {{ir::TaskField::Retries, b_.Int(1)}});
  ir::StepId a = b_.Call("call-flaky", flaky, {});
  int32_t wf = b_.Workflow("main", {}, {a}, {}, {});
  EXPECT_EQ(Run(wf), RunStatus::Failed);
  EXPECT_EQ(started_, 2u);
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("exited with status 3"), std::string::npos);
}

TEST_F(SchedulerTest, TimeoutTerminatesThenKills) {
  int32_t hang = FixedTask("hang", "hang", {{ir::TaskField::Timeout, b_.Lit(ir::Value::Int(500), TypeStore::Duration())}});
  ir::StepId a = b_.Call("call-hang", hang, {});
  int32_t wf = b_.Workflow("main", {}, {a}, {}, {});
  options_.kill_grace_ms = 300;
  EXPECT_EQ(Run(wf), RunStatus::Failed);
  EXPECT_EQ(end_ms_, 800);  // SIGTERM ignored at 500 ms, SIGKILL at 800 ms
  ASSERT_EQ(attempts_.size(), 1u);
  EXPECT_EQ(attempts_[0].status, "timeout");
  EXPECT_EQ(attempts_[0].signal, 9);
  EXPECT_NE(errors_[0].find("timed out after 500ms"), std::string::npos) << errors_[0];
}

TEST_F(SchedulerTest, FailureSkipsDependentsOnly) {
  int32_t inc = IncTask();
  int32_t fail = FixedTask("fail", "fail");
  ir::StepId f = b_.Call("call-fail", fail, {});
  ir::StepId dep = b_.Call("call-inc", inc, {b_.StepValue(f, TypeStore::Int())}, {f});
  ir::StepId indep = b_.Call("call-inc-2", inc, {b_.Int(1)});
  int32_t wf = b_.Workflow("main", {}, {f, dep, indep}, {}, {});
  EXPECT_EQ(Run(wf), RunStatus::Failed);
  EXPECT_EQ(StateOf("call-fail"), NodeState::Failed);
  EXPECT_EQ(StateOf("call-inc"), NodeState::Skipped);
  EXPECT_EQ(StateOf("call-inc-2"), NodeState::Done);
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("boom"), std::string::npos);  // the tail of stderr
}

TEST_F(SchedulerTest, TryTurnsFailureIntoNone) {
  int32_t fail = FixedTask("fail", "fail");
  int32_t inc = IncTask();
  ir::StepId f = b_.Call("call-fail", fail, {}, {}, /*is_try=*/true);
  ir::StepId after = b_.Call("call-inc", inc, {b_.Int(1)}, {f});
  ir::Expr rec;
  rec.kind = ir::ExprKind::Record;
  rec.names = {"maybe", "next"};
  rec.operands = {b_.StepValue(f, b_.types().Optional(TypeStore::Int())), b_.StepValue(after, TypeStore::Int())};
  rec.type = b_.types().Record({{"maybe", b_.types().Optional(TypeStore::Int()), false},
                                {"next", TypeStore::Int(), false}});
  types::TypeId rec_type = rec.type;
  int32_t wf = b_.Workflow("main", {}, {f, after}, b_.Add(rec), rec_type);
  EXPECT_EQ(Run(wf), RunStatus::Succeeded);
  EXPECT_EQ(result_, ir::Value::Record({{"maybe", ir::Value::None()}, {"next", ir::Value::Int(2)}}));
}

TEST_F(SchedulerTest, FinallyRunsAfterFailure) {
  int32_t fail = FixedTask("fail", "fail");
  int32_t slow = FixedTask("cleanup", "slow 5");
  ir::StepId f = b_.Call("call-fail", fail, {});
  ir::StepId c = b_.Call("call-cleanup", slow, {});
  int32_t wf = b_.Workflow("main", {}, {f}, {}, {}, {c});
  EXPECT_EQ(Run(wf), RunStatus::Failed);
  EXPECT_EQ(StateOf("finally/call-cleanup"), NodeState::Done);
  EXPECT_EQ(started_, 2u);
}

TEST_F(SchedulerTest, ScatterGathersInOrderWithinLimit) {
  int32_t inc = IncTask();
  ir::VarId x = b_.Var("x", TypeStore::Int());
  ir::StepId body = b_.Call("call-inc", inc, {b_.VarRef(x)});
  ir::ExprId list = b_.ListOf({b_.Int(10), b_.Int(20), b_.Int(30), b_.Int(40), b_.Int(50)}, TypeStore::Int());
  ir::StepId s = b_.Scatter("for-inc-l3", x, list, {body}, b_.StepValue(body, TypeStore::Int()), b_.Int(2));
  int32_t wf = b_.Workflow("main", {}, {s}, b_.StepValue(s, b_.types().List(TypeStore::Int())),
                           b_.types().List(TypeStore::Int()));
  EXPECT_EQ(Run(wf), RunStatus::Succeeded);
  EXPECT_EQ(max_concurrent_, 2u);
  EXPECT_EQ(result_, ir::Value::List({ir::Value::Int(11), ir::Value::Int(21), ir::Value::Int(31), ir::Value::Int(41),
                                      ir::Value::Int(51)}));
  EXPECT_EQ(StateOf("for-inc-l3/4/call-inc"), NodeState::Done);
}

TEST_F(SchedulerTest, CondRunsOnlyTakenBranch) {
  int32_t inc = IncTask();
  ir::StepId yes = b_.Call("call-inc", inc, {b_.Int(1)});
  ir::StepId no = b_.Call("call-inc-2", inc, {b_.Int(2)});
  types::TypeId opt = b_.types().Optional(TypeStore::Int());
  ir::StepId c1 = b_.Cond("if-l3", b_.Lit(ir::Value::Bool(true), TypeStore::Bool()), {yes},
                          b_.StepValue(yes, TypeStore::Int()));
  ir::StepId c2 = b_.Cond("if-l4", b_.Lit(ir::Value::Bool(false), TypeStore::Bool()), {no},
                          b_.StepValue(no, TypeStore::Int()));
  ir::Expr list;
  list.kind = ir::ExprKind::List;
  list.operands = {b_.StepValue(c1, opt), b_.StepValue(c2, opt)};
  list.type = b_.types().List(opt);
  types::TypeId list_type = list.type;
  int32_t wf = b_.Workflow("main", {}, {c1, c2}, b_.Add(list), list_type);
  EXPECT_EQ(Run(wf), RunStatus::Succeeded);
  EXPECT_EQ(started_, 1u);
  EXPECT_EQ(result_, ir::Value::List({ir::Value::Int(2), ir::Value::None()}));
}

TEST_F(SchedulerTest, SubWorkflowRunsNested) {
  int32_t inc = IncTask();
  ir::StepId inner = b_.Call("call-inc", inc, {b_.Input(0, TypeStore::Int())});
  int32_t sub = b_.Workflow("sub", {{"n", TypeStore::Int()}}, {inner}, b_.StepValue(inner, TypeStore::Int()),
                            TypeStore::Int());
  ir::StepId call = b_.CallWorkflow("call-sub", sub, {b_.Int(5)});
  int32_t wf = b_.Workflow("main", {}, {call}, b_.StepValue(call, TypeStore::Int()), TypeStore::Int());
  EXPECT_EQ(Run(wf), RunStatus::Succeeded);
  EXPECT_EQ(result_, ir::Value::Int(6));
  EXPECT_EQ(StateOf("call-sub/call-inc"), NodeState::Done);
}

TEST_F(SchedulerTest, BadOutputTextFailsWithPreciseMessage) {
  int32_t bad = FixedTask("bad", "bad");
  ir::StepId a = b_.Call("call-bad", bad, {});
  int32_t wf = b_.Workflow("main", {}, {a}, {}, {});
  EXPECT_EQ(Run(wf), RunStatus::Failed);
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("task `bad` output `out`: expected `Int`, found `not a number`"), std::string::npos)
      << errors_[0];
}

TEST_F(SchedulerTest, InterruptCancelsEverything) {
  int32_t hang = FixedTask("hang", "hang");
  int32_t slow = FixedTask("slow", "slow 50");
  ir::StepId a = b_.Call("call-hang", hang, {});
  ir::StepId c = b_.Call("call-slow", slow, {});
  ir::StepId d = b_.Call("call-slow-2", slow, {}, {c});
  int32_t wf = b_.Workflow("main", {}, {a, c, d}, {}, {});
  options_.kill_grace_ms = 1000;
  FakeCommandRunner runner([this](const CommandSpec& s, const std::string& sc) { return Behave(s, sc, &calls_); });
  runner.InterruptAt(20);
  EXPECT_EQ(Run(wf, &runner), RunStatus::Cancelled);
  EXPECT_EQ(runner.running(), 0u);
  EXPECT_EQ(end_ms_, 1020);  // the hanging group got SIGKILL after the grace period
  EXPECT_EQ(StateOf("call-slow-2"), NodeState::Cancelled);
  for (const AttemptRecord& a : attempts_) EXPECT_EQ(a.status, "cancelled");
}

TEST_F(SchedulerTest, CacheSkipsCompletedCalls) {
  int32_t inc = IncTask();
  ir::StepId a = b_.Call("call-inc", inc, {b_.Int(1)});
  ir::StepId c = b_.Call("call-inc-2", inc, {b_.StepValue(a, TypeStore::Int())}, {a});
  int32_t wf = b_.Workflow("main", {}, {a, c}, b_.StepValue(c, TypeStore::Int()), TypeStore::Int());
  Cache cache(dir_ + "/.flow/cache");
  EXPECT_EQ(Run(wf, nullptr, &cache), RunStatus::Succeeded);
  EXPECT_EQ(started_, 2u);
  options_.run_id = "run2";
  EXPECT_EQ(Run(wf, nullptr, &cache), RunStatus::Succeeded);
  EXPECT_EQ(started_, 0u);
  EXPECT_EQ(result_, ir::Value::Int(3));
  ASSERT_EQ(attempts_.size(), 2u);
  EXPECT_TRUE(attempts_[0].cache_hit);
  options_.use_cache = false;
  EXPECT_EQ(Run(wf, nullptr, &cache), RunStatus::Succeeded);
  EXPECT_EQ(started_, 2u);
}

TEST_F(SchedulerTest, LongChainsInScattersReadTheirOwnAndOuterSteps) {
  // Each step finds its dependencies and the values it reads by position in
  // its region; a chain of 150 in every iteration, plus a read of a step
  // outside the scatter, checks that lookup across scopes.
  int32_t inc = IncTask();
  ir::StepId outer = b_.Call("call-inc", inc, {b_.Int(1)});
  ir::VarId x = b_.Var("x", TypeStore::Int());
  std::vector<ir::StepId> body = {b_.Call("call-inc-2", inc, {b_.VarRef(x)})};
  for (int i = 0; i < 149; ++i)
    body.push_back(b_.Call("call-inc-" + std::to_string(i + 3), inc, {b_.StepValue(body.back(), TypeStore::Int())},
                           {body.back()}));
  ir::StepId last = body.back();
  ir::StepId reads_outer = b_.Call("call-inc-o", inc, {b_.StepValue(outer, TypeStore::Int())});
  body.push_back(reads_outer);
  ir::ExprId pair = b_.ListOf({b_.StepValue(last, TypeStore::Int()), b_.StepValue(reads_outer, TypeStore::Int())},
                              TypeStore::Int());
  types::TypeId pairs = b_.types().List(b_.types().List(TypeStore::Int()));
  ir::StepId s = b_.Scatter("for-x-l2", x, b_.ListOf({b_.Int(100), b_.Int(1000)}, TypeStore::Int()), body, pair,
                            {}, {outer});
  int32_t wf = b_.Workflow("main", {}, {outer, s}, b_.StepValue(s, pairs), pairs);
  ir::Value expected = ir::Value::List({ir::Value::List({ir::Value::Int(250), ir::Value::Int(3)}),
                                        ir::Value::List({ir::Value::Int(1150), ir::Value::Int(3)})});
  Cache cache(dir_ + "/.flow/cache");
  EXPECT_EQ(Run(wf, nullptr, &cache), RunStatus::Succeeded);
  EXPECT_EQ(result_, expected);
  EXPECT_EQ(started_, 303u);
  ASSERT_EQ(attempts_.size(), 303u);
  std::vector<std::string> paths;
  for (const AttemptRecord& a : attempts_) paths.push_back(a.path);
  // A rerun takes everything from the cache.
  options_.run_id = "run2";
  EXPECT_EQ(Run(wf, nullptr, &cache), RunStatus::Succeeded);
  EXPECT_EQ(result_, expected);
  EXPECT_EQ(started_, 0u);
  ASSERT_EQ(attempts_.size(), paths.size());
  std::vector<std::string> rerun_paths;
  for (const AttemptRecord& a : attempts_) rerun_paths.push_back(a.path);
  std::sort(paths.begin(), paths.end());
  std::sort(rerun_paths.begin(), rerun_paths.end());
  EXPECT_EQ(rerun_paths, paths);
  for (size_t i = 0; i < attempts_.size(); ++i) {
    EXPECT_TRUE(attempts_[i].cache_hit);
    EXPECT_EQ(attempts_[i].status, "cached");
    EXPECT_EQ(attempts_[i].task, "inc");
    EXPECT_EQ(attempts_[i].work_dir, cache.EntryDir(attempts_[i].cache_key));
  }
}

}  // namespace
}  // namespace flow::runtime

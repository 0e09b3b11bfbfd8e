// The real process runner: exit status, log redirection, process groups
// (terminating a group leaves no orphan), spawn failures, rusage.
#include "runtime/subprocess_posix.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "runtime/disk.h"

namespace flow::runtime {
namespace {

class SubprocessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flow_subprocess_XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { RemoveTree(dir_); }

  CommandSpec Sh(const std::string& script) {
    CommandSpec spec;
    spec.argv = {"/bin/sh", "-eu", "-c", script};
    spec.dir = dir_;
    spec.stdout_path = dir_ + "/stdout.log";
    spec.stderr_path = dir_ + "/stderr.log";
    spec.env = {"PATH=/usr/bin:/bin", "GREETING=hi"};
    return spec;
  }

  std::vector<CommandExit> WaitAll(PosixCommandRunner& runner, int64_t timeout_ms = 10000) {
    std::vector<CommandExit> all;
    int64_t end = runner.NowMs() + timeout_ms;
    while (runner.running() > 0 && runner.NowMs() < end) {
      bool interrupted = false;
      runner.Wait(end, &all, &interrupted);
    }
    // Spawn failures are reported by Wait even with nothing running.
    bool interrupted = false;
    runner.Wait(runner.NowMs(), &all, &interrupted);
    return all;
  }

  std::string dir_;
};

TEST_F(SubprocessTest, ExitStatusAndLogs) {
  PosixCommandRunner runner;
  std::string error;
  ASSERT_TRUE(runner.Start(7, Sh("echo $GREETING; pwd; echo oops >&2; read x || echo eof; exit 3"), &error));
  std::vector<CommandExit> exits = WaitAll(runner);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].token, 7);
  EXPECT_EQ(exits[0].kind, CommandExit::Kind::Exited);
  EXPECT_EQ(exits[0].exit_code, 3);
  EXPECT_GT(exits[0].max_rss_kb, 0);
  EXPECT_EQ(ReadFile(dir_ + "/stdout.log").value_or(""), "hi\n" + dir_ + "\neof\n");
  EXPECT_EQ(ReadFile(dir_ + "/stderr.log").value_or(""), "oops\n");
}

TEST_F(SubprocessTest, SpawnFailureIsReported) {
  PosixCommandRunner runner;
  CommandSpec spec = Sh("");
  spec.argv = {"flow-no-such-program-xyz"};
  std::string error;
  ASSERT_TRUE(runner.Start(1, spec, &error));
  std::vector<CommandExit> exits = WaitAll(runner);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].kind, CommandExit::Kind::SpawnFailed);
  EXPECT_NE(exits[0].error.find("flow-no-such-program-xyz"), std::string::npos);
}

// True once `pid` no longer exists (not even as a zombie).
bool Gone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    if (kill(pid, 0) != 0) return true;
    usleep(10000);
  }
  return false;
}

TEST_F(SubprocessTest, TerminateKillsTheWholeGroup) {
  pid_t bg = 0;
  {
  PosixCommandRunner runner;
  std::string error;
  // The script ignores SIGTERM and leaves a background grandchild behind.
  ASSERT_TRUE(runner.Start(1, Sh("trap '' TERM; sleep 30 & echo $! > bg.pid; while :; do sleep 1; done"), &error));
  int64_t start = runner.NowMs();
  std::string pid_text;
  while (runner.NowMs() - start < 5000) {
    pid_text = ReadFile(dir_ + "/bg.pid").value_or("");
    if (!pid_text.empty() && pid_text.back() == '\n') break;
    usleep(10000);
  }
  ASSERT_FALSE(pid_text.empty());
  bg = static_cast<pid_t>(std::stol(pid_text));
  runner.Terminate(1, 200);
  std::vector<CommandExit> exits = WaitAll(runner);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].kind, CommandExit::Kind::Signaled);
  EXPECT_EQ(exits[0].signal, SIGKILL);
  EXPECT_LT(runner.NowMs() - start, 3000);
  }
  // The grandchild is gone too: killed with its group, reaped by the runner.
  EXPECT_TRUE(Gone(bg));
}

TEST_F(SubprocessTest, LeftoverBackgroundProcessesAreKilledOnExit) {
  {
    PosixCommandRunner runner;
    std::string error;
    ASSERT_TRUE(runner.Start(1, Sh("sleep 30 & echo $! > bg.pid"), &error));
    std::vector<CommandExit> exits = WaitAll(runner);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0].exit_code, 0);
  }
  pid_t bg = static_cast<pid_t>(std::stol(ReadFile(dir_ + "/bg.pid").value_or("0")));
  ASSERT_GT(bg, 0);
  EXPECT_TRUE(Gone(bg));
}

TEST_F(SubprocessTest, WaitHonoursDeadline) {
  PosixCommandRunner runner;
  std::string error;
  ASSERT_TRUE(runner.Start(1, Sh("sleep 5"), &error));
  std::vector<CommandExit> exits;
  bool interrupted = false;
  int64_t start = runner.NowMs();
  runner.Wait(start + 100, &exits, &interrupted);
  EXPECT_TRUE(exits.empty());
  EXPECT_GE(runner.NowMs() - start, 100);
  EXPECT_LT(runner.NowMs() - start, 2000);
  runner.Terminate(1, 100);
  exits = WaitAll(runner);
  EXPECT_EQ(exits.size(), 1u);
}

TEST_F(SubprocessTest, SigintIsReportedAsInterrupt) {
  PosixCommandRunner runner;
  std::string error;
  ASSERT_TRUE(runner.Start(1, Sh("sleep 5"), &error));
  kill(getpid(), SIGINT);
  std::vector<CommandExit> exits;
  bool interrupted = false;
  runner.Wait(runner.NowMs() + 3000, &exits, &interrupted);
  EXPECT_TRUE(interrupted);
  runner.Terminate(1, 100);
  WaitAll(runner);
}

}  // namespace
}  // namespace flow::runtime

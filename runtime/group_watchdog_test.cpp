// The kill -9 watchdog: when the pipe from flowc closes (flowc died), every
// group still in the shared table gets SIGTERM (then SIGKILL); groups flowc
// untracked are left alone, and freed slots are reused.
#include "runtime/group_watchdog.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace flow::runtime {
namespace {

// A `sleep 30` leading its own process group.
pid_t SpawnGroup() {
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid > 0) setpgid(pid, pid);  // (both sides: no race with the kill below)
  return pid;
}

int TermSignal(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

TEST(GroupWatchdogTest, KillsTheGroupsStillTrackedWhenFlowcGoes) {
  GroupWatchdog dog;
  ASSERT_TRUE(dog.Start());
  EXPECT_GT(dog.pid(), 0);
  pid_t a = SpawnGroup(), b = SpawnGroup(), c = SpawnGroup();
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  ASSERT_GT(c, 0);
  dog.Track(a);
  dog.Track(b);
  dog.Untrack(b);  // reaped by flowc: not the watchdog's business any more
  dog.Track(c);    // reuses b's slot
  dog.Stop();      // the pipe closes, as when flowc is killed
  EXPECT_EQ(TermSignal(a), SIGTERM);
  EXPECT_EQ(TermSignal(c), SIGTERM);
  EXPECT_EQ(kill(b, 0), 0);  // still running
  kill(b, SIGKILL);
  EXPECT_EQ(TermSignal(b), SIGKILL);
}

TEST(GroupWatchdogTest, ExitsAtOnceWithNothingTracked) {
  GroupWatchdog dog;
  ASSERT_TRUE(dog.Start());
  pid_t a = SpawnGroup();
  ASSERT_GT(a, 0);
  dog.Track(a);
  dog.Untrack(a);
  dog.Stop();
  EXPECT_EQ(dog.pid(), -1);
  EXPECT_EQ(kill(a, 0), 0);
  kill(a, SIGKILL);
  EXPECT_EQ(TermSignal(a), SIGKILL);
}

}  // namespace
}  // namespace flow::runtime

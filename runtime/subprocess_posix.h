// The real CommandRunner: posix_spawn (vfork-fast, no shell), one process group
// per command, a self-pipe woken by SIGCHLD/SIGINT/SIGTERM and poll(), wait4 for
// the exit status and rusage. Only one PosixCommandRunner may exist at a time
// (it owns those signal handlers while alive and restores them afterwards).
#pragma once

#include <sys/types.h>

#include <map>
#include <set>
#include <vector>

#include "runtime/command_runner.h"
#include "runtime/group_watchdog.h"

namespace flow::runtime {

class PosixCommandRunner : public CommandRunner {
 public:
  PosixCommandRunner();
  ~PosixCommandRunner() override;
  PosixCommandRunner(const PosixCommandRunner&) = delete;
  PosixCommandRunner& operator=(const PosixCommandRunner&) = delete;

  bool Start(int64_t token, const CommandSpec& spec, std::string* error) override;
  void Terminate(int64_t token, int64_t grace_ms) override;
  void Wait(int64_t deadline_ms, std::vector<CommandExit>* exited, bool* interrupted) override;
  size_t running() const override { return children_.size(); }
  int64_t NowMs() override;
  int64_t WallMs() override;

 private:
  struct Child {
    pid_t pid = 0;
    int64_t kill_at_ms = -1;  // when SIGKILL follows a SIGTERM; -1: not terminating
    bool killed = false;
  };
  void Reap(std::vector<CommandExit>* exited);
  void SweepDeadGroups();

  std::map<int64_t, Child> children_;  // by token: deterministic iteration
  GroupWatchdog watchdog_;             // kills our groups if we are killed (kill -9)
  std::vector<CommandExit> failed_;    // spawn failures, reported by the next Wait
  std::set<pid_t> dead_groups_;        // groups whose leader was reaped; members may remain
  int was_subreaper_ = 0;
};

}  // namespace flow::runtime

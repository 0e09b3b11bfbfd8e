// A watchdog process that kills the task process groups of a `flowc` that died
// without cleaning up (kill -9, the OOM killer, a crash).
//
// A normal exit, Ctrl-C and SIGTERM are handled by flowc itself; what no
// process can handle is its own SIGKILL. So at start flowc forks this small
// watchdog and keeps the write end of a pipe to it. The list of running task
// groups lives in a page shared with the watchdog (mmap MAP_SHARED before the
// fork): flowc writes a group into a slot when it starts one and clears the
// slot when it reaps it, with no message and no wakeup of the watchdog per
// task (on a chain of short tasks that wakeup was on every task's critical
// path). When flowc dies, the kernel closes the pipe; the watchdog reads
// end-of-file, sends SIGTERM then SIGKILL to every group still listed, and
// exits. After a normal shutdown the list is empty and it exits at once.
// Where it can (x86-64, AArch64), the watchdog is a clone sharing flowc's
// memory (no page tables copied, no copy-on-write fault on every page flowc
// writes afterwards) that makes raw system calls only; elsewhere a fork that
// only makes async-signal-safe calls (flowc is multi-threaded).
#pragma once

#include <sys/types.h>

#include <unordered_map>
#include <vector>

namespace flow::runtime {

class GroupWatchdog {
 public:
  GroupWatchdog() = default;
  ~GroupWatchdog() { Stop(); }
  GroupWatchdog(const GroupWatchdog&) = delete;
  GroupWatchdog& operator=(const GroupWatchdog&) = delete;

  /// Forks the watchdog. False (and a watchdog-less run) if fork or pipe fails.
  bool Start();
  /// A task group was started / is gone (its leader reaped and the group killed).
  void Track(pid_t group);
  void Untrack(pid_t group);
  /// Closes the pipe and waits for the watchdog to exit.
  void Stop();
  /// The watchdog's pid, or -1.
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  void* stack_ = nullptr;                   // the cloned watchdog's stack (freed once it exited)
  pid_t* table_ = nullptr;                  // shared with the watchdog
  int used_ = 0;                            // slots handed out so far (table_[0])
  std::vector<int> free_slots_;             // cleared slots, reused first
  std::unordered_map<pid_t, int> slots_;    // group → its slot
};

}  // namespace flow::runtime

#include "runtime/group_watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <initializer_list>

namespace flow::runtime {
namespace {

constexpr int kMaxGroups = 1 << 16;  // more tasks than this never run at once

/// The watchdog's whole life; only async-signal-safe calls, no allocation.
/// `table` is the shared list of running groups (see GroupWatchdog::table_).
[[noreturn]] void WatchdogMain(int fd, volatile pid_t* table) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU})
    sigaction(sig, &ignore, nullptr);
  prctl(PR_SET_NAME, "flowc-watchdog", 0, 0, 0);
  // Hold nothing of flowc's open: not its stdout (a reader waiting for EOF
  // would wait for us), not its database, not its logs.
  if (fd != 0) {
    dup2(fd, 0);
    fd = 0;
  }
  syscall(SYS_close_range, 1u, ~0u, 0u);

  // Nothing is ever written to the pipe: end-of-file is the only message.
  char buf[64];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // flowc is gone (or told us to stop)
  }
  // flowc is dead or done: the table no longer changes.
  pid_t used = __atomic_load_n(&table[0], __ATOMIC_ACQUIRE);
  if (used > kMaxGroups) used = kMaxGroups;
  bool any = false;
  for (pid_t k = 1; k <= used; ++k) {
    pid_t group = __atomic_load_n(&table[k], __ATOMIC_ACQUIRE);
    if (group <= 0) continue;
    any = true;
    kill(-group, SIGTERM);
    kill(-group, SIGCONT);
  }
  if (any) {
    // The same grace flowc gives on Ctrl-C, then no more chances.
    timespec grace{0, 500 * 1000 * 1000};
    while (nanosleep(&grace, &grace) != 0 && errno == EINTR) {
    }
    for (pid_t k = 1; k <= used; ++k) {
      pid_t group = __atomic_load_n(&table[k], __ATOMIC_ACQUIRE);
      if (group > 0) kill(-group, SIGKILL);
    }
  }
  _exit(0);
}

}  // namespace

bool GroupWatchdog::Start() {
  if (pid_ > 0) return true;
  // Slot 0 holds how many slots were ever used; slots 1..kMaxGroups a group or 0.
  size_t bytes = sizeof(pid_t) * (kMaxGroups + 1);
  void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return false;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    munmap(mem, bytes);
    return false;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    munmap(mem, bytes);
    return false;
  }
  if (pid == 0) {
    close(fds[1]);
    WatchdogMain(fds[0], static_cast<volatile pid_t*>(mem));
  }
  close(fds[0]);
  pid_ = pid;
  fd_ = fds[1];
  table_ = static_cast<pid_t*>(mem);
  return true;
}

void GroupWatchdog::Track(pid_t group) {
  if (!table_ || group <= 0) return;
  int slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else if (used_ < kMaxGroups) {
    slot = ++used_;
    __atomic_store_n(&table_[0], used_, __ATOMIC_RELEASE);
  } else {
    return;  // more groups at once than the table holds: those are not watched
  }
  __atomic_store_n(&table_[slot], group, __ATOMIC_RELEASE);
  slots_[group] = slot;
}

void GroupWatchdog::Untrack(pid_t group) {
  auto it = slots_.find(group);
  if (it == slots_.end()) return;
  __atomic_store_n(&table_[it->second], 0, __ATOMIC_RELEASE);
  free_slots_.push_back(it->second);
  slots_.erase(it);
}

void GroupWatchdog::Stop() {
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  if (pid_ > 0) {
    int status;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (table_) {
    munmap(table_, sizeof(pid_t) * (kMaxGroups + 1));
    table_ = nullptr;
  }
  slots_.clear();
  free_slots_.clear();
  used_ = 0;
}

}  // namespace flow::runtime

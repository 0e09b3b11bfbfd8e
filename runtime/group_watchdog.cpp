#include "runtime/group_watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
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
/// Used when the watchdog is a forked copy of flowc (see CloneWatchdog).
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

#if defined(__x86_64__) || defined(__aarch64__)
#define FLOW_CLONE_WATCHDOG 1

// The watchdog as a child that shares flowc's memory (clone with CLONE_VM)
// instead of a forked copy of it. A fork copied flowc's page tables and made
// every page flowc wrote afterwards fault once (copy-on-write, with a TLB
// shootdown each): on `hello` that was a tenth of the run. Sharing the
// memory, the child must not touch anything of flowc's but its arguments:
// it runs on its own stack and makes raw system calls only (the libc
// wrappers would write `errno` in the thread-local storage of the flowc
// thread that cloned it, and sanitizers would see a foreign thread).

/// A system call with up to four arguments; returns the raw result (-errno on failure).
long RawSyscall(long number, long a = 0, long b = 0, long c = 0, long d = 0) {
#if defined(__x86_64__)
  long ret;
  register long r10 __asm__("r10") = d;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "0"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
                   : "rcx", "r11", "memory");
  return ret;
#else
  register long x8 __asm__("x8") = number;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
#endif
}

/// The kernel's `struct sigaction` for rt_sigaction (SIG_IGN needs no restorer).
struct KernelSigaction {
  void* handler;
  unsigned long flags;
  void* restorer;
  unsigned long mask;
};

struct CloneArgs {
  int fd;
  volatile pid_t* table;
};

constexpr size_t kCloneStack = 64 * 1024;

__attribute__((no_sanitize("address", "thread", "undefined"))) int CloneWatchdogMain(void* arg) {
  const CloneArgs* args = static_cast<const CloneArgs*>(arg);
  int fd = args->fd;
  volatile pid_t* table = args->table;
  KernelSigaction ignore{reinterpret_cast<void*>(SIG_IGN), 0, nullptr, 0};
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU})
    RawSyscall(SYS_rt_sigaction, sig, reinterpret_cast<long>(&ignore), 0, sizeof(unsigned long));
  static const char kName[16] = "flowc-watchdog";
  RawSyscall(SYS_prctl, PR_SET_NAME, reinterpret_cast<long>(kName));
  // Hold nothing of flowc's open (the descriptor table is a copy): not its
  // stdout (a reader waiting for EOF would wait for us), not its database.
  if (fd != 0) {
#if defined(__x86_64__)
    RawSyscall(SYS_dup2, fd, 0);
#else
    RawSyscall(SYS_dup3, fd, 0, 0);
#endif
    fd = 0;
  }
  RawSyscall(SYS_close_range, 1, ~0u, 0);
  char buf[64];
  while (true) {
    long n = RawSyscall(SYS_read, fd, reinterpret_cast<long>(buf), sizeof buf);
    if (n == -EINTR) continue;
    if (n <= 0) break;  // flowc is gone (or told us to stop)
  }
  pid_t used = __atomic_load_n(&table[0], __ATOMIC_ACQUIRE);
  if (used > kMaxGroups) used = kMaxGroups;
  bool any = false;
  for (pid_t k = 1; k <= used; ++k) {
    pid_t group = __atomic_load_n(&table[k], __ATOMIC_ACQUIRE);
    if (group <= 0) continue;
    any = true;
    RawSyscall(SYS_kill, -group, SIGTERM);
    RawSyscall(SYS_kill, -group, SIGCONT);
  }
  if (any) {
    timespec grace{0, 500 * 1000 * 1000};
    while (RawSyscall(SYS_nanosleep, reinterpret_cast<long>(&grace), reinterpret_cast<long>(&grace)) == -EINTR) {
    }
    for (pid_t k = 1; k <= used; ++k) {
      pid_t group = __atomic_load_n(&table[k], __ATOMIC_ACQUIRE);
      if (group > 0) RawSyscall(SYS_kill, -group, SIGKILL);
    }
  }
  RawSyscall(SYS_exit, 0);  // this process only (it is not a thread of flowc)
  __builtin_unreachable();
}
#endif

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
  pid_t pid = -1;
#ifdef FLOW_CLONE_WATCHDOG
  // The child's stack, with its arguments at the bottom (they live as long as it).
  void* stack = mmap(nullptr, kCloneStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack != MAP_FAILED) {
    CloneArgs* args = static_cast<CloneArgs*>(stack);
    args->fd = fds[0];
    args->table = static_cast<volatile pid_t*>(mem);
    // No CLONE_FILES: the child gets a copy of the descriptor table and
    // closes all of it but the read end, leaving flowc's untouched.
    pid = clone(CloneWatchdogMain, static_cast<char*>(stack) + kCloneStack, CLONE_VM | SIGCHLD, args);
    if (pid < 0) munmap(stack, kCloneStack);
    else stack_ = stack;
  }
#endif
  if (pid < 0) {
    pid = fork();
    if (pid == 0) {
      close(fds[1]);
      WatchdogMain(fds[0], static_cast<volatile pid_t*>(mem));
    }
  }
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    munmap(mem, bytes);
    return false;
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
#ifdef FLOW_CLONE_WATCHDOG
  if (stack_) {  // (the child is gone: its stack is free)
    munmap(stack_, kCloneStack);
    stack_ = nullptr;
  }
#endif
  if (table_) {
    munmap(table_, sizeof(pid_t) * (kMaxGroups + 1));
    table_ = nullptr;
  }
  slots_.clear();
  free_slots_.clear();
  used_ = 0;
}

}  // namespace flow::runtime

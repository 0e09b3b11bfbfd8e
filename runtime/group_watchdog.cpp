#include "runtime/group_watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
[[noreturn]] void WatchdogMain(int fd) {
  static pid_t groups[kMaxGroups];
  int count = 0;
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

  char buf[4096];
  char sign = 0;
  long value = -1;
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // flowc is gone (or told us to stop)
    for (ssize_t i = 0; i < n; ++i) {
      char c = buf[i];
      if (c == '+' || c == '-') {
        sign = c;
        value = 0;
      } else if (c >= '0' && c <= '9' && value >= 0) {
        value = value * 10 + (c - '0');
      } else if (c == '\n' && value > 0) {
        pid_t group = static_cast<pid_t>(value);
        if (sign == '+' && count < kMaxGroups) {
          groups[count++] = group;
        } else if (sign == '-') {
          for (int k = 0; k < count; ++k) {
            if (groups[k] == group) {
              groups[k] = groups[--count];
              break;
            }
          }
        }
        value = -1;
      }
    }
  }
  if (count > 0) {
    for (int k = 0; k < count; ++k) {
      kill(-groups[k], SIGTERM);
      kill(-groups[k], SIGCONT);
    }
    // The same grace flowc gives on Ctrl-C, then no more chances.
    timespec grace{0, 500 * 1000 * 1000};
    while (nanosleep(&grace, &grace) != 0 && errno == EINTR) {
    }
    for (int k = 0; k < count; ++k) kill(-groups[k], SIGKILL);
  }
  _exit(0);
}

}  // namespace

bool GroupWatchdog::Start() {
  if (pid_ > 0) return true;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return false;
  }
  if (pid == 0) {
    close(fds[1]);
    WatchdogMain(fds[0]);
  }
  close(fds[0]);
  pid_ = pid;
  fd_ = fds[1];
  return true;
}

void GroupWatchdog::Send(char sign, pid_t group) {
  if (fd_ < 0 || group <= 0) return;
  char buf[32];
  int len = 0;
  char digits[16];
  int nd = 0;
  for (long v = group; v > 0 && nd < 16; v /= 10) digits[nd++] = static_cast<char>('0' + v % 10);
  buf[len++] = sign;
  while (nd > 0) buf[len++] = digits[--nd];
  buf[len++] = '\n';
  // Short writes of at most PIPE_BUF bytes are atomic; the watchdog always reads.
  while (write(fd_, buf, static_cast<size_t>(len)) < 0 && errno == EINTR) {
  }
}

void GroupWatchdog::Track(pid_t group) { Send('+', group); }
void GroupWatchdog::Untrack(pid_t group) { Send('-', group); }

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
}

}  // namespace flow::runtime

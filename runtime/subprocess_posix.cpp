#include "runtime/subprocess_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

namespace flow::runtime {

namespace {

int g_pipe[2] = {-1, -1};
volatile sig_atomic_t g_interrupted = 0;
struct sigaction g_old_chld, g_old_int, g_old_term;

void OnSignal(int sig) {
  int saved = errno;
  if (sig == SIGINT || sig == SIGTERM) g_interrupted = 1;
  char c = static_cast<char>(sig);
  ssize_t ignored = write(g_pipe[1], &c, 1);
  (void)ignored;
  errno = saved;
}

void DrainPipe() {
  char buf[256];
  while (read(g_pipe[0], buf, sizeof buf) > 0) {
  }
}

int64_t ClockMs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

PosixCommandRunner::PosixCommandRunner() {
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
  g_interrupted = 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGCHLD, &sa, &g_old_chld);
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
  // Orphans of a task (its background processes) are reparented to us rather
  // than to init, so we can reap them: no zombie outlives the run even where
  // PID 1 does not reap (containers).
  prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper_);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
}

PosixCommandRunner::~PosixCommandRunner() {
  // Never leave a process behind, even on an early return of the caller.
  for (auto& [token, child] : children_) {
    kill(-child.pid, SIGKILL);
    int status;
    waitpid(child.pid, &status, 0);
    dead_groups_.insert(child.pid);
    watchdog_.Untrack(child.pid);
  }
  watchdog_.Stop();
  for (pid_t group : dead_groups_) {
    int status;
    while (waitpid(-group, &status, 0) > 0) {
    }
  }
  prctl(PR_SET_CHILD_SUBREAPER, was_subreaper_);
  sigaction(SIGCHLD, &g_old_chld, nullptr);
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  close(g_pipe[0]);
  close(g_pipe[1]);
  g_pipe[0] = g_pipe[1] = -1;
}

int64_t PosixCommandRunner::NowMs() { return ClockMs(CLOCK_MONOTONIC); }
int64_t PosixCommandRunner::WallMs() { return ClockMs(CLOCK_REALTIME); }

bool PosixCommandRunner::Start(int64_t token, const CommandSpec& spec, std::string* error) {
  if (spec.argv.empty()) {
    *error = "empty command";
    return false;
  }
  // Without the watchdog a `kill -9` of flowc would leave running tasks to
  // finish on their own; with it every group is terminated within a second.
  // Forked at the first task, not before: a run that starts nothing (a no-op
  // rerun) then never pays for copy-on-write faults on its whole heap.
  watchdog_.Start();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!spec.dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, spec.dir.c_str());
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, spec.stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, spec.stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGQUIT, SIGHUP}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);

  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    // glibc reports exec failures synchronously; surface them as SpawnFailed
    // through Wait so callers handle every failure in one place.
    CommandExit exit;
    exit.token = token;
    exit.kind = CommandExit::Kind::SpawnFailed;
    exit.error = "cannot run `" + spec.argv[0] + "`: " + strerror(rc);
    failed_.push_back(std::move(exit));
    return true;
  }
  children_[token] = Child{pid, -1, false};
  watchdog_.Track(pid);
  return true;
}

void PosixCommandRunner::Terminate(int64_t token, int64_t grace_ms) {
  auto it = children_.find(token);
  if (it == children_.end() || it->second.kill_at_ms >= 0) return;
  kill(-it->second.pid, SIGTERM);
  kill(-it->second.pid, SIGCONT);  // a stopped group must wake up to see SIGTERM
  it->second.kill_at_ms = NowMs() + std::max<int64_t>(grace_ms, 0);
}

void PosixCommandRunner::SweepDeadGroups() {
  for (auto it = dead_groups_.begin(); it != dead_groups_.end();) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-*it, &status, WNOHANG)) > 0) {
    }
    if (pid < 0 && errno == ECHILD) it = dead_groups_.erase(it);
    else ++it;
  }
}

void PosixCommandRunner::Reap(std::vector<CommandExit>* exited) {
  for (auto it = children_.begin(); it != children_.end();) {
    Child& child = it->second;
    siginfo_t info;
    memset(&info, 0, sizeof info);
    // Peek first (WNOWAIT): the zombie leader keeps its process-group id
    // reserved while we kill whatever it left behind in the group.
    if (waitid(P_PID, child.pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) {
      ++it;
      continue;
    }
    kill(-child.pid, SIGKILL);
    int status = 0;
    rusage usage;
    memset(&usage, 0, sizeof usage);
    wait4(child.pid, &status, 0, &usage);
    dead_groups_.insert(child.pid);
    watchdog_.Untrack(child.pid);
    CommandExit exit;
    exit.token = it->first;
    if (WIFSIGNALED(status)) {
      exit.kind = CommandExit::Kind::Signaled;
      exit.signal = WTERMSIG(status);
    } else {
      exit.kind = CommandExit::Kind::Exited;
      exit.exit_code = WEXITSTATUS(status);
    }
    exit.cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000 +
                  (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
    exit.max_rss_kb = usage.ru_maxrss;
    exited->push_back(std::move(exit));
    it = children_.erase(it);
  }
}

void PosixCommandRunner::Wait(int64_t deadline_ms, std::vector<CommandExit>* exited,
                              bool* interrupted) {
  for (;;) {
    if (!failed_.empty()) {
      for (CommandExit& e : failed_) exited->push_back(std::move(e));
      failed_.clear();
    }
    DrainPipe();
    size_t before = exited->size();
    Reap(exited);
    SweepDeadGroups();
    int64_t now = NowMs();
    int64_t next = deadline_ms;
    for (auto& [token, child] : children_) {
      if (child.kill_at_ms < 0 || child.killed) continue;
      if (child.kill_at_ms <= now) {
        kill(-child.pid, SIGKILL);
        child.killed = true;
        continue;
      }
      next = next < 0 ? child.kill_at_ms : std::min(next, child.kill_at_ms);
    }
    if (g_interrupted) {
      g_interrupted = 0;
      *interrupted = true;
    }
    if (exited->size() > before || *interrupted) return;
    if (deadline_ms >= 0 && now >= deadline_ms) return;
    int timeout = next < 0 ? -1 : static_cast<int>(std::max<int64_t>(next - now, 0));
    pollfd fd{g_pipe[0], POLLIN, 0};
    poll(&fd, 1, timeout);
  }
}

}  // namespace flow::runtime

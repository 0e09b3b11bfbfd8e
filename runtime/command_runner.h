// The OS behind an interface: starting task processes, terminating them,
// waiting for them, and the clock. The scheduler only talks to a CommandRunner,
// so retries, timeouts, cancellation and try/finally are unit-tested with a fake
// (runtime/fake_runner.h) and run for real with PosixCommandRunner
// (runtime/subprocess_posix.h). Model: ninja's CommandRunner / SubprocessSet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flow::runtime {

/// One process to start: argv (argv[0] searched in PATH when it has no '/'),
/// run in `dir` as the leader of a new process group, stdin from /dev/null,
/// stdout and stderr appended to the given files.
struct CommandSpec {
  std::vector<std::string> argv;
  std::string dir;
  std::string stdout_path;
  std::string stderr_path;
  std::vector<std::string> env;  // the complete environment, "NAME=value"
};

/// How a started command ended.
struct CommandExit {
  enum class Kind : uint8_t {
    Exited,       // exit_code holds the status
    Signaled,     // killed by `signal` (also after Terminate)
    SpawnFailed,  // the program could not be started; `error` says why
  };
  int64_t token = 0;  // as given to Start
  Kind kind = Kind::Exited;
  int exit_code = 0;
  int signal = 0;
  int64_t cpu_ms = 0;      // user + system time of the process and its waited-for children
  int64_t max_rss_kb = 0;  // peak resident set size
  std::string error;
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;

  /// Starts `spec`; `token` names it in later calls and in its CommandExit.
  /// Returns false (and sets `*error`) only when nothing could be started; a
  /// program that fails to exec is reported later as SpawnFailed.
  virtual bool Start(int64_t token, const CommandSpec& spec, std::string* error) = 0;

  /// Asks the command's whole process group to stop: SIGTERM now, SIGKILL once
  /// `grace_ms` has passed. Its CommandExit still arrives through Wait.
  virtual void Terminate(int64_t token, int64_t grace_ms) = 0;

  /// Blocks until at least one command has ended, an interrupt (SIGINT/SIGTERM
  /// to flowc) arrived, or the clock reached `deadline_ms` (< 0: no deadline).
  /// Appends ended commands to `*exited`; sets `*interrupted` on an interrupt.
  virtual void Wait(int64_t deadline_ms, std::vector<CommandExit>* exited, bool* interrupted) = 0;

  /// Number of started commands whose CommandExit has not been reported yet.
  virtual size_t running() const = 0;

  /// Milliseconds on a monotonic clock (the fake's clock is virtual).
  virtual int64_t NowMs() = 0;

  /// Milliseconds since the Unix epoch, for records shown to users.
  virtual int64_t WallMs() = 0;
};

}  // namespace flow::runtime

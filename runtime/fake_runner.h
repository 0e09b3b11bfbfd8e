// A CommandRunner for tests: processes are simulated on a virtual clock, so
// scheduling, retries, timeouts and cancellation are tested deterministically
// and instantly. A `behavior` function decides, from the command (and the
// script it would run), how long it takes, how it exits and what it writes.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/command_runner.h"
#include "runtime/disk.h"

namespace flow::runtime {

struct FakeOutcome {
  int64_t duration_ms = 10;
  int exit_code = 0;
  bool ignores_sigterm = false;  // only SIGKILL (after the grace period) stops it
  std::vector<std::pair<std::string, std::string>> writes;  // (file name in the work dir, content), on success
  std::string stderr_text;
};

class FakeCommandRunner : public CommandRunner {
 public:
  /// `script` is the content of the script file when argv's last element is one.
  using Behavior = std::function<FakeOutcome(const CommandSpec& spec, const std::string& script)>;
  explicit FakeCommandRunner(Behavior behavior) : behavior_(std::move(behavior)) {}

  struct Started {
    int64_t token;
    int64_t at_ms;
    CommandSpec spec;
    std::string script;
  };
  const std::vector<Started>& started() const { return started_; }
  size_t max_concurrent() const { return max_concurrent_; }
  /// Delivers an interrupt (as SIGINT would) once the clock reaches `at_ms`.
  void InterruptAt(int64_t at_ms) { interrupt_at_ = at_ms; }

  bool Start(int64_t token, const CommandSpec& spec, std::string*) override {
    std::string script;
    if (!spec.argv.empty()) {
      if (auto text = ReadFile(spec.argv.back())) script = *text;
    }
    FakeOutcome outcome = behavior_(spec, script);
    started_.push_back({token, now_, spec, script});
    live_[token] = Live{spec, outcome, now_ + outcome.duration_ms, 0};
    max_concurrent_ = std::max(max_concurrent_, live_.size());
    return true;
  }

  void Terminate(int64_t token, int64_t grace_ms) override {
    auto it = live_.find(token);
    if (it == live_.end() || it->second.signal) return;
    if (it->second.outcome.ignores_sigterm) {
      it->second.end_ms = std::min(it->second.end_ms, now_ + grace_ms);
      it->second.signal = 9;
    } else {
      it->second.end_ms = now_;
      it->second.signal = 15;
    }
  }

  void Wait(int64_t deadline_ms, std::vector<CommandExit>* exited, bool* interrupted) override {
    int64_t next = deadline_ms;
    for (const auto& [token, live] : live_) next = next < 0 ? live.end_ms : std::min(next, live.end_ms);
    if (interrupt_at_ >= 0) next = next < 0 ? interrupt_at_ : std::min(next, interrupt_at_);
    if (next < 0) return;  // nothing would ever happen: let the caller notice
    now_ = std::max(now_, next);
    if (interrupt_at_ >= 0 && now_ >= interrupt_at_) {
      *interrupted = true;
      interrupt_at_ = -1;
    }
    for (auto it = live_.begin(); it != live_.end();) {
      if (it->second.end_ms > now_) {
        ++it;
        continue;
      }
      Live& live = it->second;
      CommandExit exit;
      exit.token = it->first;
      exit.cpu_ms = live.outcome.duration_ms / 2;
      exit.max_rss_kb = 1024;
      if (live.signal) {
        exit.kind = CommandExit::Kind::Signaled;
        exit.signal = live.signal;
      } else {
        exit.exit_code = live.outcome.exit_code;
        if (live.outcome.exit_code == 0)
          for (const auto& [name, content] : live.outcome.writes) WriteFile(live.spec.dir + "/" + name, content);
      }
      WriteFile(live.spec.stderr_path, live.outcome.stderr_text);
      exited->push_back(exit);
      it = live_.erase(it);
    }
  }

  size_t running() const override { return live_.size(); }
  int64_t NowMs() override { return now_; }
  int64_t WallMs() override { return 1'700'000'000'000 + now_; }

 private:
  struct Live {
    CommandSpec spec;
    FakeOutcome outcome;
    int64_t end_ms;
    int signal;
  };
  Behavior behavior_;
  std::map<int64_t, Live> live_;
  std::vector<Started> started_;
  size_t max_concurrent_ = 0;
  int64_t now_ = 0;
  int64_t interrupt_at_ = -1;
};

}  // namespace flow::runtime

// What a user sees on stderr while a run goes on. On a terminal: finished-task
// lines scroll above a live status block (done/running/cached/failed counts and
// the running tasks with their elapsed time), redrawn at most every 100 ms. Not
// on a terminal: one plain line per event, nothing redrawn.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

namespace flow::runtime {

class Progress {
 public:
  /// `verbosity`: 0 quiet (failures only), 1 normal (one line per finished task).
  Progress(std::ostream& out, bool tty, int verbosity) : out_(out), tty_(tty), verbosity_(verbosity) {}

  void Started(const std::string& path, int attempt, int64_t now_ms);
  void Succeeded(const std::string& path, int64_t now_ms);
  void Cached(const std::string& path);
  /// `final`: no retry follows. `detail`: extra lines (the tail of stderr).
  void Failed(const std::string& path, const std::string& message, const std::string& detail, bool final,
              int64_t now_ms);
  /// A free-form note (`--explain` reasons, warnings).
  void Note(const std::string& text);
  /// Redraws the live block (TTY) if due.
  void Tick(int64_t now_ms);
  /// Clears the live block before the final summary.
  void Finish();

  int done() const { return done_; }
  int cached() const { return cached_; }
  int failed() const { return failed_; }

 private:
  void Line(const std::string& text);  // a line above the live block
  void Clear();
  void Draw(int64_t now_ms);

  std::ostream& out_;
  bool tty_;
  int verbosity_;
  int done_ = 0, cached_ = 0, failed_ = 0;
  std::map<std::string, int64_t> running_;  // path → start
  int drawn_lines_ = 0;
  int64_t last_draw_ms_ = -1;
};

/// "1.2s", "850ms", "3m05s".
std::string FormatElapsed(int64_t ms);

}  // namespace flow::runtime

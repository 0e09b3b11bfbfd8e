#include "runtime/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace flow::runtime {

std::string FormatElapsed(int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms < 60000) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000);
  int64_t s = ms / 1000;
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
}

void Progress::Clear() {
  if (!tty_ || drawn_lines_ == 0) return;
  for (int i = 0; i < drawn_lines_; ++i) out_ << "\x1b[1A\x1b[2K";
  out_ << '\r';
  drawn_lines_ = 0;
}

void Progress::Line(const std::string& text) {
  Clear();
  out_ << text << '\n';
  if (tty_) last_draw_ms_ = -1;  // redraw on the next tick
}

void Progress::Draw(int64_t now_ms) {
  Clear();
  out_ << fmt::format("\x1b[1m{} done, {} running, {} cached, {} failed\x1b[0m\n", done_, running_.size(),
                      cached_, failed_);
  drawn_lines_ = 1;
  // The longest-running first; at most 8 lines.
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& [path, start] : running_) rows.emplace_back(start, path);
  std::sort(rows.begin(), rows.end());
  size_t shown = 0;
  for (const auto& [start, path] : rows) {
    if (shown == 8) {
      out_ << fmt::format("  ... and {} more\n", rows.size() - shown);
      ++drawn_lines_;
      break;
    }
    out_ << fmt::format("  {:>7}  {}\n", FormatElapsed(now_ms - start), path);
    ++drawn_lines_;
    ++shown;
  }
  out_.flush();
  last_draw_ms_ = now_ms;
}

void Progress::Started(const std::string& path, int attempt, int64_t now_ms) {
  running_[path] = now_ms;
  if (!tty_ && verbosity_ > 1) Line(fmt::format("start  {} (attempt {})", path, attempt));
}

void Progress::Succeeded(const std::string& path, int64_t now_ms) {
  auto it = running_.find(path);
  int64_t elapsed = it == running_.end() ? 0 : now_ms - it->second;
  if (it != running_.end()) running_.erase(it);
  ++done_;
  if (verbosity_ > 0) Line(fmt::format("done   {} ({})", path, FormatElapsed(elapsed)));
}

void Progress::Cached(const std::string& path) {
  ++cached_;
  if (verbosity_ > 0) Line(fmt::format("cached {}", path));
}

void Progress::Failed(const std::string& path, const std::string& message, const std::string& detail,
                      bool final, int64_t now_ms) {
  auto it = running_.find(path);
  int64_t elapsed = it == running_.end() ? 0 : now_ms - it->second;
  if (it != running_.end()) running_.erase(it);
  if (final) ++failed_;
  std::string text = fmt::format("{} {} ({}): {}", final ? "FAILED" : "retry ", path, FormatElapsed(elapsed), message);
  if (!detail.empty()) {
    size_t pos = 0;
    while (pos <= detail.size()) {
      size_t nl = detail.find('\n', pos);
      text += "\n  | " + detail.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
  }
  Line(text);
}

void Progress::Note(const std::string& text) { Line(text); }

void Progress::Tick(int64_t now_ms) {
  if (!tty_) return;
  if (last_draw_ms_ >= 0 && now_ms - last_draw_ms_ < 100) return;
  Draw(now_ms);
}

void Progress::Finish() {
  Clear();
  out_.flush();
}

}  // namespace flow::runtime

#include "tests/file_test/autoupdate.h"

#include <map>
#include <regex>

#include "tests/file_test/check_lines.h"

namespace flow::file_test {
namespace {

bool IsNoteLine(const std::string& line) {
  static const std::regex note(R"(^\s*#\s*NOTE\b)");
  return std::regex_search(line, note);
}

std::string Indentation(const std::string& line) {
  size_t n = line.find_first_not_of(" \t");
  return n == std::string::npos ? "" : line.substr(0, n);
}

/// Messages go into a comment line: no control characters, no line breaks.
std::string Sanitize(const std::string& message) {
  std::string out;
  for (char c : message) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
  return out;
}

std::string SetNoteOffset(const std::string& line, int offset) {
  static const std::regex note(R"((#\s*NOTE)(@[+-]?\d+)?)");
  std::string at = offset == 0 ? "" : (offset > 0 ? "@+" : "@-") + std::to_string(offset > 0 ? offset : -offset);
  return std::regex_replace(line, note, "$1" + at, std::regex_constants::format_first_only);
}

void AppendBlock(std::vector<std::string>& lines, const char* directive, const std::string& text) {
  std::vector<std::string> output = OutputLines(text);
  if (output.empty()) return;
  while (!lines.empty() && lines.back().find_first_not_of(" \t\r") == std::string::npos) lines.pop_back();
  lines.push_back("");
  for (const std::string& l : output)
    lines.push_back(l.empty() ? std::string("# ") + directive : std::string("# ") + directive + " " + EscapeForCheck(l));
}

}  // namespace

std::string RewriteTestFile(const TestFile& file, const UpdateRequest& request) {
  // Diagnostics to place, by part and line.
  std::map<std::pair<int, int>, std::vector<const SeenDiagnostic*>> placed;
  if (request.regenerate_inline) {
    for (const SeenDiagnostic& d : request.diagnostics) {
      int part = PartIndexOf(file, d.path);
      if (part < 0 || d.line <= 0) continue;  // cannot be pinned inline
      placed[{part, d.line}].push_back(&d);
    }
  }
  std::string text;
  for (size_t p = 0; p < file.parts.size(); ++p) {
    const Part& part = file.parts[p];
    std::vector<std::string> lines;
    std::map<int, int> new_line;  // old line → new line
    // Expectations go on the lines above their line (`@+k`), except for line
    // 1, which nothing may push down (a diagnostic anchored at the start of
    // the file would move with it): those go below it (`@-k`).
    auto emit_expectations = [&](int old_line) {
      auto it = placed.find({static_cast<int>(p), old_line});
      if (it == placed.end()) return;
      std::string indent =
          old_line <= static_cast<int>(part.lines.size()) ? Indentation(part.lines[old_line - 1]) : "";
      int k = static_cast<int>(it->second.size());
      for (int j = 0; j < k; ++j) {
        const SeenDiagnostic& d = *it->second[j];
        std::string offset = old_line == 1 ? "@-" + std::to_string(j + 1) : "@+" + std::to_string(k - j);
        lines.push_back(indent + "# " + (d.kind == ExpectKind::Warning ? "WARNING" : "ERROR") + offset + " " +
                        d.code + " " + Sanitize(d.message));
      }
    };
    int n = static_cast<int>(part.lines.size());
    for (int i = 1; i <= n; ++i) {
      const std::string& line = part.lines[i - 1];
      if (p == 0 && IsCheckLine(line)) continue;
      bool note = IsNoteLine(line);
      if (request.regenerate_inline && IsExpectationLine(line) && !note) continue;
      if (i > 1) emit_expectations(i);
      new_line[i] = static_cast<int>(lines.size()) + 1;
      lines.push_back(request.regenerate_inline && !note ? StripTrailingExpectation(line) : line);
      if (i == 1) emit_expectations(i);
    }
    for (const auto& [key, diags] : placed)
      if (key.first == static_cast<int>(p) && key.second > n) emit_expectations(key.second);
    // Keep hand-written NOTE expectations pointing at the same line.
    for (const Expectation& e : file.expectations) {
      if (e.kind != ExpectKind::Note || e.part != p) continue;
      auto src = new_line.find(e.source_line), dst = new_line.find(e.line);
      if (src == new_line.end() || dst == new_line.end()) continue;
      lines[src->second - 1] = SetNoteOffset(lines[src->second - 1], dst->second - src->second);
    }
    if (p == 0) {
      if (request.stdout_text) AppendBlock(lines, "CHECK:STDOUT:", *request.stdout_text);
      if (request.stderr_text) AppendBlock(lines, "CHECK:STDERR:", *request.stderr_text);
    } else {
      text += "# --- " + part.path + "\n";
    }
    for (const std::string& l : lines) text += l + "\n";
  }
  return text;
}

}  // namespace flow::file_test

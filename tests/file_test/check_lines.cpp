#include "tests/file_test/check_lines.h"

#include <regex>

namespace flow::file_test {

std::vector<std::string> OutputLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

bool MatchCheckLine(const std::string& pattern, const std::string& line) {
  if (pattern.find("{{") == std::string::npos) return pattern == line;
  std::string re;
  size_t pos = 0;
  auto escape = [](const std::string& literal) {
    static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
    return std::regex_replace(literal, special, R"(\$&)");
  };
  while (pos < pattern.size()) {
    size_t open = pattern.find("{{", pos);
    if (open == std::string::npos) {
      re += escape(pattern.substr(pos));
      break;
    }
    size_t close = pattern.find("}}", open + 2);
    if (close == std::string::npos) {
      re += escape(pattern.substr(pos));
      break;
    }
    re += escape(pattern.substr(pos, open - pos));
    re += "(?:" + pattern.substr(open + 2, close - open - 2) + ")";
    pos = close + 2;
  }
  std::regex compiled;
  try {  // a malformed user regex is a test failure, not a crash
    compiled = std::regex(re);
  } catch (const std::regex_error&) {
    return false;
  }
  return std::regex_match(line, compiled);
}

std::string CompareBlock(const std::vector<CheckLine>& block, const std::string& output) {
  std::vector<std::string> lines = OutputLines(output);
  std::string diff;
  size_t n = std::max(block.size(), lines.size());
  for (size_t i = 0; i < n; ++i) {
    bool have_pattern = i < block.size(), have_line = i < lines.size();
    if (have_pattern && have_line && MatchCheckLine(block[i].pattern, lines[i])) continue;
    if (have_pattern) diff += "  expected: " + block[i].pattern + "\n";
    if (have_line) diff += "  actual:   " + lines[i] + "\n";
    if (diff.size() > 4000) {
      diff += "  ...\n";
      break;
    }
  }
  return diff;
}

std::string CompareLiteral(const std::string& expected, const std::string& actual) {
  if (expected == actual) return "";
  std::vector<std::string> want = OutputLines(expected), got = OutputLines(actual);
  std::string diff;
  size_t n = std::max(want.size(), got.size());
  for (size_t i = 0; i < n && diff.size() < 4000; ++i) {
    bool have_want = i < want.size(), have_got = i < got.size();
    if (have_want && have_got && want[i] == got[i]) continue;
    diff += "  line " + std::to_string(i + 1) + ":\n";
    if (have_want) diff += "    expected: " + want[i] + "\n";
    if (have_got) diff += "    actual:   " + got[i] + "\n";
  }
  if (diff.empty()) diff = "  (the texts differ only in their final newline)\n";
  return diff;
}

std::string EscapeForCheck(const std::string& line) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = line.find("{{", pos);
    if (open == std::string::npos) break;
    out += line.substr(pos, open - pos) + "{{[{][{]}}";
    pos = open + 2;
  }
  out += line.substr(pos);
  return out;
}

}  // namespace flow::file_test

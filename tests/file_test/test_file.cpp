#include "tests/file_test/test_file.h"

#include <algorithm>
#include <regex>

namespace flow::file_test {
namespace {

// `# ERROR@+1 E0102 text`, `# WARNING W0001 text`, `# NOTE@-2 text`.
const std::regex& ExpectationRegex() {
  static const std::regex re(R"(#\s*(ERROR|WARNING|NOTE)(@([+-]?\d+))?(\s+([EW]\d{4}))?(\s+(.*?))?\s*$)");
  return re;
}

const std::regex& LineRefRegex() {
  static const std::regex re(R"(\[\[@LINE([+-]\d+)?\]\])");
  return re;
}

std::vector<std::string> SplitLines(const std::string& text) {
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

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

/// Resolves `[[@LINE+N]]` against `line`.
std::string ResolveLineRefs(const std::string& pattern, int line) {
  std::string out;
  auto begin = std::sregex_iterator(pattern.begin(), pattern.end(), LineRefRegex());
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += pattern.substr(last, it->position() - last);
    int delta = (*it)[1].matched ? std::stoi((*it)[1].str()) : 0;
    out += std::to_string(line + delta);
    last = it->position() + it->length();
  }
  out += pattern.substr(last);
  return out;
}

/// Position of a `#` that starts an expectation comment on `line`, or npos.
size_t ExpectationStart(const std::string& line) {
  for (size_t pos = line.find('#'); pos != std::string::npos; pos = line.find('#', pos + 1)) {
    std::smatch m;
    std::string rest = line.substr(pos);
    if (std::regex_search(rest, m, ExpectationRegex(), std::regex_constants::match_continuous)) return pos;
  }
  return std::string::npos;
}

}  // namespace

bool IsExpectationLine(const std::string& line) {
  size_t pos = ExpectationStart(line);
  return pos != std::string::npos && Trim(line.substr(0, pos)).empty();
}

std::string StripTrailingExpectation(const std::string& line) {
  size_t pos = ExpectationStart(line);
  if (pos == std::string::npos) return line;
  std::string kept = line.substr(0, pos);
  while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\t')) kept.pop_back();
  return kept;
}

bool IsCheckLine(const std::string& line) {
  std::string t = Trim(line);
  return StartsWith(t, "# CHECK:STDOUT:") || StartsWith(t, "# CHECK:STDERR:");
}

std::string PartText(const Part& part) {
  std::string text;
  for (const std::string& line : part.lines) text += line + "\n";
  return text;
}

TestFile ParseTestFile(const std::string& name, const std::string& text, std::vector<std::string>* errors) {
  TestFile file;
  file.name = name;
  file.parts.push_back(Part{name, {}, 1});
  std::vector<std::string> lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (StartsWith(line, "# --- ")) {
      file.parts.push_back(Part{Trim(line.substr(6)), {}, static_cast<int>(i) + 2});
      continue;
    }
    Part& part = file.parts.back();
    part.lines.push_back(line);
    int line_no = static_cast<int>(part.lines.size());
    size_t part_index = file.parts.size() - 1;
    // Leading indentation is not significant; trailing text is (CHECK lines
    // pin output exactly), except a CR from a CRLF checkout.
    std::string t = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
    if (!t.empty() && t.back() == '\r') t.pop_back();
    auto directive = [&](const std::string& prefix, std::string* value) {
      if (!StartsWith(t, prefix)) return false;
      *value = t.substr(prefix.size());
      if (!value->empty() && value->front() == ' ') value->erase(0, 1);
      return true;
    };
    std::string value;
    if (directive("# CHECK:STDOUT:", &value)) {
      file.has_stdout_block = true;
      file.check_stdout.push_back({ResolveLineRefs(value, line_no), line_no});
      continue;
    }
    if (directive("# CHECK:STDERR:", &value)) {
      file.has_stderr_block = true;
      file.check_stderr.push_back({ResolveLineRefs(value, line_no), line_no});
      continue;
    }
    if (directive("# ARGS:", &value)) {
      if (part_index == 0) file.args = Trim(value);
      continue;
    }
    if (directive("# EXIT:", &value)) {
      std::string v = Trim(value);
      if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() < 4)
        file.exit_code = std::stoi(v);
      else
        errors->push_back(name + ":" + std::to_string(i + 1) + ": `# EXIT:` needs a number");
      continue;
    }
    if (directive("# SETUP:", &value)) {
      file.setup.push_back(value);
      continue;
    }
    size_t pos = ExpectationStart(line);
    if (pos == std::string::npos) continue;
    std::smatch m;
    std::string rest = line.substr(pos);
    std::regex_search(rest, m, ExpectationRegex(), std::regex_constants::match_continuous);
    Expectation e;
    std::string kind = m[1].str();
    e.kind = kind == "ERROR" ? ExpectKind::Error : kind == "WARNING" ? ExpectKind::Warning : ExpectKind::Note;
    e.part = part_index;
    e.source_line = line_no;
    e.line = line_no + (m[3].matched ? std::stoi(m[3].str()) : 0);
    e.code = m[5].str();
    e.text = m[7].str();
    if (e.code.empty() && e.kind != ExpectKind::Note) {
      errors->push_back(name + ":" + std::to_string(i + 1) + ": an ERROR/WARNING expectation needs a code");
      continue;
    }
    file.expectations.push_back(std::move(e));
  }
  // A file ending in '\n' yields no empty last line, so PartText round-trips.
  return file;
}

}  // namespace flow::file_test

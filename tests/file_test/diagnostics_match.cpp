#include "tests/file_test/diagnostics_match.h"

#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "compiler/base/file_system.h"

namespace flow::file_test {
namespace {

const char* KindName(ExpectKind kind) {
  switch (kind) {
    case ExpectKind::Error:
      return "ERROR";
    case ExpectKind::Warning:
      return "WARNING";
    case ExpectKind::Note:
      return "NOTE";
  }
  return "ERROR";
}

bool ParseJsonLine(const std::string& line, SeenDiagnostic* out) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("code") || !j.contains("severity")) return false;
  std::string severity = j.value("severity", "");
  out->kind = severity == "warning" ? ExpectKind::Warning : ExpectKind::Error;
  out->code = j.value("code", "");
  out->path = j["file"].is_string() ? j["file"].get<std::string>() : "";
  out->line = j.value("line", 0);
  out->message = j.value("message", "");
  if (j.contains("notes") && j["notes"].is_array()) {
    for (const auto& n : j["notes"]) {
      SeenNote note;
      note.path = n.contains("file") && n["file"].is_string() ? n["file"].get<std::string>() : "";
      note.line = n.value("line", 0);
      note.message = n.value("message", "");
      out->notes.push_back(std::move(note));
    }
  }
  return true;
}

}  // namespace

std::string StripAnsi(const std::string& text) {
  static const std::regex ansi("\x1b\\[[0-9;]*m");
  return std::regex_replace(text, ansi, "");
}

std::vector<SeenDiagnostic> ParseDiagnostics(const std::string& stderr_text) {
  static const std::regex located(R"(^(.+?):(\d+):(\d+): (error|warning)\[([EW]\d{4})\]: (.*)$)");
  static const std::regex unlocated(R"(^(error|warning)\[([EW]\d{4})\]: (.*)$)");
  static const std::regex located_note(R"(^(.+?):(\d+):(\d+): note: (.*)$)");
  static const std::regex bare_note(R"(^note: (.*)$)");
  std::vector<SeenDiagnostic> seen;
  std::istringstream in(StripAnsi(stderr_text));
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (!line.empty() && line.front() == '{') {
      SeenDiagnostic d;
      if (ParseJsonLine(line, &d)) seen.push_back(std::move(d));
      continue;
    }
    if (std::regex_match(line, m, located)) {
      SeenDiagnostic d;
      d.path = m[1];
      d.line = std::stoi(m[2]);
      d.kind = m[4] == "warning" ? ExpectKind::Warning : ExpectKind::Error;
      d.code = m[5];
      d.message = m[6];
      seen.push_back(std::move(d));
    } else if (std::regex_match(line, m, unlocated)) {
      SeenDiagnostic d;
      d.kind = m[1] == "warning" ? ExpectKind::Warning : ExpectKind::Error;
      d.code = m[2];
      d.message = m[3];
      seen.push_back(std::move(d));
    } else if (!seen.empty() && std::regex_match(line, m, located_note)) {
      seen.back().notes.push_back({m[1], std::stoi(m[2]), m[4]});
    } else if (!seen.empty() && std::regex_match(line, m, bare_note)) {
      seen.back().notes.push_back({"", 0, m[1]});
    }
  }
  return seen;
}

int PartIndexOf(const TestFile& file, const std::string& path) {
  std::string wanted = NormalizePath(path);
  for (size_t i = 0; i < file.parts.size(); ++i)
    if (NormalizePath(file.parts[i].path) == wanted) return static_cast<int>(i);
  // Absolute paths (run tests) end with the part's path.
  for (size_t i = 0; i < file.parts.size(); ++i) {
    std::string suffix = "/" + NormalizePath(file.parts[i].path);
    if (wanted.size() > suffix.size() && wanted.compare(wanted.size() - suffix.size(), suffix.size(), suffix) == 0)
      return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> MatchExpectations(const TestFile& file, const std::vector<SeenDiagnostic>& seen,
                                           bool require_all) {
  std::vector<std::string> problems;
  std::vector<bool> used(seen.size(), false);
  auto describe = [&](const Expectation& e) {
    return std::string(KindName(e.kind)) + " " + (e.code.empty() ? "" : e.code + " ") + "at " +
           file.parts[e.part].path + ":" + std::to_string(e.line) + " containing `" + e.text + "`";
  };
  for (const Expectation& e : file.expectations) {
    if (e.kind == ExpectKind::Note) {
      bool found = false;
      for (const SeenDiagnostic& d : seen)
        for (const SeenNote& n : d.notes)
          if (n.message.find(e.text) != std::string::npos && (e.code.empty() || d.code == e.code) &&
              (n.path.empty() ? (PartIndexOf(file, d.path) == static_cast<int>(e.part) && d.line == e.line)
                              : (PartIndexOf(file, n.path) == static_cast<int>(e.part) && n.line == e.line)))
            found = true;
      if (!found) problems.push_back("expected but not emitted: " + describe(e));
      continue;
    }
    bool found = false;
    for (size_t i = 0; i < seen.size() && !found; ++i) {
      const SeenDiagnostic& d = seen[i];
      if (used[i] || d.kind != e.kind || d.code != e.code || d.line != e.line) continue;
      if (PartIndexOf(file, d.path) != static_cast<int>(e.part)) continue;
      if (d.message.find(e.text) == std::string::npos) continue;
      used[i] = true;
      found = true;
    }
    if (!found) problems.push_back("expected but not emitted: " + describe(e));
  }
  if (require_all) {
    for (size_t i = 0; i < seen.size(); ++i) {
      if (used[i]) continue;
      const SeenDiagnostic& d = seen[i];
      problems.push_back(std::string("emitted but not expected: ") + KindName(d.kind) + " " + d.code + " at " +
                         (d.path.empty() ? "<no location>" : d.path + ":" + std::to_string(d.line)) + ": " +
                         d.message);
    }
  }
  return problems;
}

}  // namespace flow::file_test

#include "tests/file_test/suite_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/diag/diagnostic.h"
#include "tests/file_test/diagnostics_match.h"
#include "tests/file_test/run_command.h"

namespace flow::file_test {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> FilesUnder(const fs::path& dir, const std::string& extension, bool recursive) {
  std::vector<fs::path> found;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return found;
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->is_regular_file() && it->path().extension() == extension) found.push_back(it->path());
  } else {
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.is_regular_file() && entry.path().extension() == extension) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

/// Codes pinned by some test: inline expectations and CHECK:STDERR/STDERR lines.
std::set<std::string> TestedCodes() {
  static const std::regex directive(R"(#\s*(ERROR|WARNING|NOTE|CHECK:STDERR:|STDERR:|RERUN-STDERR:))");
  static const std::regex code(R"(\b([EW]\d{4})\b)");
  std::set<std::string> codes;
  for (const fs::path& file : FilesUnder(fs::path(FLOW_SOURCE_DIR) / "tests", ".flow", true)) {
    std::istringstream in(ReadFile(file));
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, directive)) continue;
      std::string rest = line.substr(m.position());
      for (auto it = std::sregex_iterator(rest.begin(), rest.end(), code); it != std::sregex_iterator(); ++it)
        codes.insert((*it)[1]);
    }
  }
  return codes;
}

/// `CODE reason` lines of diag_coverage_exempt.txt (`#` comments allowed).
std::set<std::string> ExemptCodes() {
  std::set<std::string> codes;
  std::istringstream in(ReadFile(fs::path(FLOW_SOURCE_DIR) / "tests/file_test/diag_coverage_exempt.txt"));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string code;
    if (words >> code && code[0] != '#') codes.insert(code);
  }
  return codes;
}

void CheckDiagnosticCoverage() {
  std::set<std::string> tested = TestedCodes(), exempt = ExemptCodes();
  for (diag::Kind kind : diag::AllKinds()) {
    std::string code(diag::Info(kind).code);
    if (exempt.count(code)) {
      EXPECT_FALSE(tested.count(code)) << code << " is tested now: remove it from diag_coverage_exempt.txt";
      continue;
    }
    EXPECT_TRUE(tested.count(code)) << code << " (" << diag::Info(kind).name
                                    << ") is not expected by any test under tests/; add a failing case or list it "
                                       "with a reason in tests/file_test/diag_coverage_exempt.txt";
  }
}

void CheckDiagnosticsDocumented() {
  std::string doc = ReadFile(fs::path(FLOW_SOURCE_DIR) / "docs/diagnostics.md");
  for (diag::Kind kind : diag::AllKinds()) {
    std::string code(diag::Info(kind).code);
    EXPECT_NE(doc.find("`" + code + "`"), std::string::npos) << code << " is not documented in docs/diagnostics.md";
  }
}

void CheckExample(const fs::path& path) {
  CommandResult r = RunInProcess({"check", path.string()}, {}, "", FLOW_SOURCE_DIR "/stdlib");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << path.filename().string() << " should check without any diagnostic";
}

/// Every ```flow block of a doc parses (```flow-fragment blocks are skipped):
/// no E00xx diagnostic when checked alone. Name and type errors are allowed,
/// since blocks may refer to declarations shown elsewhere.
void CheckDocBlocks(const fs::path& path) {
  std::istringstream in(ReadFile(path));
  std::string line, block;
  bool inside = false;
  int start = 0, line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!inside && line.rfind("```flow", 0) == 0 && line.substr(3) == "flow") {
      inside = true;
      block.clear();
      start = line_no + 1;
      continue;
    }
    if (inside && line.rfind("```", 0) == 0) {
      inside = false;
      CommandResult r = RunInProcess({"check", "block.flow", "--format", "json"}, {{"block.flow", block}}, "",
                                     FLOW_SOURCE_DIR "/stdlib");
      for (const SeenDiagnostic& d : ParseDiagnostics(r.err)) {
        EXPECT_FALSE(d.code.rfind("E00", 0) == 0)
            << path.filename().string() << ":" << (start + d.line - 1) << ": the ```flow block starting at line "
            << start << " does not parse: " << d.code << " " << d.message;
      }
      continue;
    }
    if (inside) block += line + "\n";
  }
}

template <typename Fn>
void Register(const std::string& suite, const std::string& name, const std::string& file, Fn fn) {
  class Body : public testing::Test {
   public:
    explicit Body(Fn f) : f_(std::move(f)) {}
    void TestBody() override { f_(); }

   private:
    Fn f_;
  };
  testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, file.c_str(), 1,
                        [fn]() -> testing::Test* { return new Body(fn); });
}

}  // namespace

void RegisterSuiteChecks() {
  Register("suite", "diagnostic_coverage", __FILE__, [] { CheckDiagnosticCoverage(); });
  Register("suite", "diagnostics_documented", __FILE__, [] { CheckDiagnosticsDocumented(); });
  for (const fs::path& example : FilesUnder(fs::path(FLOW_SOURCE_DIR) / "examples", ".flow", false))
    Register("examples", example.stem().string(), example.string(), [example] { CheckExample(example); });
  for (const fs::path& doc : FilesUnder(fs::path(FLOW_SOURCE_DIR) / "docs", ".md", true)) {
    std::string name = fs::relative(doc, fs::path(FLOW_SOURCE_DIR) / "docs").string();
    std::replace(name.begin(), name.end(), '/', '_');
    Register("docs_flow_blocks", name, doc.string(), [doc] { CheckDocBlocks(doc); });
  }
}

}  // namespace flow::file_test

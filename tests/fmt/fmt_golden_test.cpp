// Golden cases of the formatter: tests/fmt/cases/NAME.flow (messy input) must
// format to NAME.expected.flow, and NAME.expected.flow must be a fixed point.
// FLOW_AUTOUPDATE=1 rewrites the expected files (review the diff).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/diag/emitter.h"
#include "compiler/fmt/format.h"

namespace flow::format {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Formatted {
  std::optional<std::string> text;
  std::vector<diag::Diagnostic> diagnostics;
};

Formatted Format(const std::string& text, const FormatOptions& options = {}) {
  SourceManager sources;
  FileId file = sources.Add("case.flow", text);
  diag::CollectingConsumer collected;
  diag::DiagnosticEmitter diags(collected);
  Formatted result;
  result.text = FormatFile(sources, file, diags, options);
  result.diagnostics = collected.diagnostics();
  return result;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  fs::path dir = fs::path(FLOW_SOURCE_DIR) / "tests" / "fmt" / "cases";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".flow" || name.find(".expected.") != std::string::npos) continue;
    names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool AutoUpdate() {
  const char* env = std::getenv("FLOW_AUTOUPDATE");
  return env != nullptr && *env != '\0' && std::strcmp(env, "0") != 0;
}

class GoldenCase : public testing::TestWithParam<std::string> {};

TEST_P(GoldenCase, FormatsToExpected) {
  fs::path dir = fs::path(FLOW_SOURCE_DIR) / "tests" / "fmt" / "cases";
  fs::path input = dir / (GetParam() + ".flow");
  fs::path expected_path = dir / (GetParam() + ".expected.flow");
  Formatted once = Format(ReadFile(input));
  ASSERT_TRUE(once.text.has_value()) << input << " has syntax errors";
  if (AutoUpdate()) std::ofstream(expected_path, std::ios::binary) << *once.text;
  ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path << " (FLOW_AUTOUPDATE=1 creates it)";
  std::string expected = ReadFile(expected_path);
  EXPECT_EQ(*once.text, expected);
  Formatted again = Format(expected);
  ASSERT_TRUE(again.text.has_value());
  EXPECT_EQ(*again.text, expected) << "the expected output is not a fixed point";
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenCase, testing::ValuesIn(CaseNames()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(FormatFile, CasesExist) { EXPECT_GE(CaseNames().size(), 10u); }

TEST(FormatFile, SyntaxErrorsLeaveNothingToWrite) {
  Formatted result = Format("task t( {\n  image = \n}\n");
  EXPECT_FALSE(result.text.has_value());
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].severity, diag::Severity::Error);
}

TEST(FormatFile, EmptyAndCommentOnlyFiles) {
  EXPECT_EQ(*Format("").text, "");
  EXPECT_EQ(*Format("\n\n  \n").text, "");
  EXPECT_EQ(*Format("  # only a comment   \n\n\n# another\n").text, "# only a comment\n\n# another\n");
}

TEST(FormatFile, IndentWidthOption) {
  FormatOptions options;
  options.indent_width = 4;
  EXPECT_EQ(*Format("task t() {\nimage = \"a\"\n}\n", options).text, "task t() {\n    image = \"a\"\n}\n");
}

TEST(FormatFile, MaxWidthOptionBreaksCalls) {
  FormatOptions options;
  options.max_width = 30;
  std::string text = "workflow w() {\n  return f(alpha: 1, beta: 2, gamma: 3)\n}\n";
  EXPECT_EQ(*Format(text, options).text,
            "workflow w() {\n  return f(\n    alpha: 1,\n    beta: 2,\n    gamma: 3,\n  )\n}\n");
  EXPECT_EQ(*Format(text).text, text);
}

TEST(FormatFile, CrlfInputGetsLfOutput) {
  EXPECT_EQ(*Format("const A = 1  # one\r\nconst B = 2\r\n").text, "const A = 1  # one\nconst B = 2\n");
}

TEST(FormatFile, DeepNestingDoesNotCrash) {
  std::string deep = "const X = " + std::string(150, '[') + "1" + std::string(150, ']') + "\n";
  Formatted result = Format(deep);
  ASSERT_TRUE(result.text.has_value());
  EXPECT_EQ(*Format(*result.text).text, *result.text);
}

}  // namespace
}  // namespace flow::format

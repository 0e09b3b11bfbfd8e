// Tests of the file-test runner's own pieces: directive parsing, diagnostic
// reading and matching, CHECK lines and autoupdate stability.
#include <gtest/gtest.h>

#include "tests/file_test/autoupdate.h"
#include "tests/file_test/check_lines.h"
#include "tests/file_test/diagnostics_match.h"
#include "tests/file_test/test_file.h"

namespace flow::file_test {
namespace {

TestFile Parse(const std::string& text) {
  std::vector<std::string> errors;
  TestFile f = ParseTestFile("fail_x.flow", text, &errors);
  EXPECT_TRUE(errors.empty());
  return f;
}

TEST(TestFileTest, ParsesDirectivesAndSplits) {
  TestFile f = Parse(
      "# ARGS: ir %s --entry main\n"
      "# EXIT: 1\n"
      "# ERROR@+1 E0102 unknown name `x`\n"
      "let y = x\n"
      "const a = 1  # WARNING W0007 never used\n"
      "# NOTE@-1 did you mean\n"
      "# CHECK:STDOUT: line [[@LINE+1]]\n"
      "# --- lib/util.flow\n"
      "# ERROR@+2 E0201 mismatched\n");
  ASSERT_EQ(f.parts.size(), 2u);
  EXPECT_EQ(f.parts[1].path, "lib/util.flow");
  EXPECT_EQ(f.parts[0].lines.size(), 7u);
  EXPECT_EQ(*f.args, "ir %s --entry main");
  EXPECT_EQ(*f.exit_code, 1);
  ASSERT_EQ(f.expectations.size(), 4u);
  EXPECT_EQ(f.expectations[0].line, 4);
  EXPECT_EQ(f.expectations[0].code, "E0102");
  EXPECT_EQ(f.expectations[0].text, "unknown name `x`");
  EXPECT_EQ(f.expectations[1].kind, ExpectKind::Warning);
  EXPECT_EQ(f.expectations[1].line, 5);
  EXPECT_EQ(f.expectations[2].kind, ExpectKind::Note);
  EXPECT_EQ(f.expectations[2].line, 5);
  EXPECT_EQ(f.expectations[3].part, 1u);
  EXPECT_EQ(f.expectations[3].line, 3);
  ASSERT_EQ(f.check_stdout.size(), 1u);
  EXPECT_EQ(f.check_stdout[0].pattern, "line 8");
}

TEST(TestFileTest, StripsTrailingExpectation) {
  EXPECT_EQ(StripTrailingExpectation("const a = 1  # ERROR E0105 dup"), "const a = 1");
  EXPECT_EQ(StripTrailingExpectation("const a = 1  # a comment"), "const a = 1  # a comment");
  EXPECT_TRUE(IsExpectationLine("  # WARNING@+1 W0001 unused"));
  EXPECT_FALSE(IsExpectationLine("let x = 1  # ERROR E0102 x"));
}

TEST(DiagnosticsMatchTest, ReadsTextAndJson) {
  std::string err =
      "a.flow:3:5: error[E0102]: unknown name `nmae`\n"
      " 3 |   nmae\n"
      "   |   ^~~~\n"
      "note: did you mean `name`?\n"
      "\x1b[1ma.flow:7:1: \x1b[0m\x1b[1;33mwarning[W0001]\x1b[0m: unused binding `x`\n"
      "{\"file\":\"lib/b.flow\",\"line\":2,\"column\":1,\"severity\":\"error\",\"code\":\"E0201\","
      "\"message\":\"mismatched\",\"notes\":[]}\n"
      "error[E0012]: cannot read `z.flow`: no such file\n"
      "2 errors, 1 warning emitted\n";
  std::vector<SeenDiagnostic> seen = ParseDiagnostics(err);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].code, "E0102");
  EXPECT_EQ(seen[0].line, 3);
  ASSERT_EQ(seen[0].notes.size(), 1u);
  EXPECT_EQ(seen[1].kind, ExpectKind::Warning);
  EXPECT_EQ(seen[2].path, "lib/b.flow");
  EXPECT_EQ(seen[3].path, "");
}

TEST(DiagnosticsMatchTest, EveryDiagnosticMustBeExpected) {
  TestFile f = Parse("# ERROR@+1 E0102 unknown\nnmae\n# NOTE@-1 did you mean\n");
  std::vector<SeenDiagnostic> seen = ParseDiagnostics(
      "fail_x.flow:2:1: error[E0102]: unknown name `nmae`\nnote: did you mean `name`?\n"
      "fail_x.flow:2:1: warning[W0001]: unused\n");
  std::vector<std::string> problems = MatchExpectations(f, seen, /*require_all=*/true);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("W0001"), std::string::npos);
  EXPECT_TRUE(MatchExpectations(f, seen, /*require_all=*/false).empty());
  TestFile wrong_line = Parse("# ERROR@+2 E0102 unknown\nnmae\n");
  EXPECT_EQ(MatchExpectations(wrong_line, seen, false).size(), 1u);
}

TEST(CheckLinesTest, RegexHolesAndEscapes) {
  EXPECT_TRUE(MatchCheckLine("took {{[0-9.]+}}s (ok)", "took 1.25s (ok)"));
  EXPECT_FALSE(MatchCheckLine("took {{[0-9.]+}}s", "took xs"));
  EXPECT_TRUE(MatchCheckLine(EscapeForCheck("echo {{n}} > {{out}}"), "echo {{n}} > {{out}}"));
  EXPECT_FALSE(MatchCheckLine("{{(}}", "("));  // a malformed regex fails the line, never throws out
  EXPECT_EQ(CompareBlock({{"a", 1}, {"b", 2}}, "a\nb\n"), "");
  EXPECT_NE(CompareBlock({{"a", 1}}, "a\nb\n"), "");
}

TEST(AutoupdateTest, RegeneratesInlineExpectationsStably) {
  std::string original =
      "workflow main() {\n"
      "  let x = nmae  # ERROR E0102 old text\n"
      "  # NOTE@+1 did you mean\n"
      "  let y = 1\n"
      "}\n"
      "# CHECK:STDOUT: stale\n"
      "# --- lib/a.flow\n"
      "const A = 1\n";
  TestFile f = Parse(original);
  UpdateRequest request;
  request.regenerate_inline = true;
  request.diagnostics = ParseDiagnostics(
      "fail_x.flow:2:11: error[E0102]: unknown name `nmae`\n"
      "fail_x.flow:4:7: warning[W0001]: unused binding `y`\n"
      "lib/a.flow:1:7: warning[W0007]: `A` is never used\n");
  request.stdout_text = "out {{x}}\n";
  std::string updated = RewriteTestFile(f, request);
  EXPECT_EQ(updated,
            "workflow main() {\n"
            "  # ERROR@+1 E0102 unknown name `nmae`\n"
            "  let x = nmae\n"
            "  # NOTE@+2 did you mean\n"
            "  # WARNING@+1 W0001 unused binding `y`\n"
            "  let y = 1\n"
            "}\n"
            "\n"
            "# CHECK:STDOUT: out {{[{][{]}}x}}\n"
            "# --- lib/a.flow\n"
            "const A = 1\n"
            "# WARNING@-1 W0007 `A` is never used\n");
  // Second round: the diagnostics now sit lower (line 1 stays); nothing changes.
  TestFile again = Parse(updated);
  UpdateRequest second = request;
  second.diagnostics = ParseDiagnostics(
      "fail_x.flow:3:11: error[E0102]: unknown name `nmae`\n"
      "fail_x.flow:6:7: warning[W0001]: unused binding `y`\n"
      "note: did you mean `z`?\n"
      "lib/a.flow:1:7: warning[W0007]: `A` is never used\n");
  EXPECT_EQ(RewriteTestFile(again, second), updated);
  EXPECT_TRUE(MatchExpectations(again, second.diagnostics, true).empty());
  EXPECT_EQ(CompareBlock(again.check_stdout, "out {{x}}\n"), "");
}

TEST(AutoupdateTest, LineOneExpectationsGoBelow) {
  TestFile f = Parse("# ARGS: check %s --entry x\nworkflow main() {}\n");
  UpdateRequest request;
  request.regenerate_inline = true;
  request.diagnostics = ParseDiagnostics("fail_x.flow:1:1: error[E0111]: no workflow named `x`\n");
  std::string updated = RewriteTestFile(f, request);
  EXPECT_EQ(updated, "# ARGS: check %s --entry x\n# ERROR@-1 E0111 no workflow named `x`\nworkflow main() {}\n");
  TestFile again = Parse(updated);
  EXPECT_TRUE(MatchExpectations(again, request.diagnostics, true).empty());
  EXPECT_EQ(RewriteTestFile(again, request), updated);
}

}  // namespace
}  // namespace flow::file_test

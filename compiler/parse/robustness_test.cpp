// Hostile input: every case must end in diagnostics, never a crash, a hang or
// a stack overflow.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "compiler/parse/parse.h"
#include "compiler/parse/parse_test_util.h"

namespace flow::parse {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::ParseText;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

bool HasCode(const testing::Parsed& parsed, const std::string& code) {
  for (const std::string& d : parsed.diags)
    if (d.find(" " + code + " ") != std::string::npos) return true;
  return false;
}

TEST(RobustnessTest, DeepNestingIsRefused) {
  const int n = 10000;
  const std::vector<std::string> inputs = {
      "const A = " + Repeat("(", n) + "1" + Repeat(")", n),
      "const A = " + Repeat("[", n) + "1" + Repeat("]", n),
      "const A = " + Repeat("{1: ", n) + "1" + Repeat("}", n),
      "const A = " + Repeat("-", n) + "1",
      "const A = " + Repeat("not ", n) + "true",
      "const A = " + Repeat("try ", n) + "f()",
      "const A = x" + Repeat(".y", n),
      "const A = 1" + Repeat(" + 1", n),
      "const A = \"" + Repeat("{{\"", n / 2) + Repeat("\"}}", n / 2) + "\"",
      "workflow w() { let a = " + Repeat("if a {1} else ", n) + "{2} }",
      "const A: " + Repeat("List[", n) + "Int" + Repeat("]", n) + " = 1",
      "workflow w() { " + Repeat("for x in y { ", n) + Repeat("}", n) + " }",
      // Unbalanced openers only.
      "const A = " + Repeat("(", n),
  };
  for (const std::string& input : inputs) {
    auto parsed = ParseText(input);
    EXPECT_TRUE(HasCode(parsed, "E0008")) << input.substr(0, 40);
  }
}

TEST(RobustnessTest, ModerateNestingParses) {
  auto parsed = ParseText("const A = " + Repeat("(", 50) + "1" + Repeat(")", 50) + "\n");
  EXPECT_TRUE(parsed.diags.empty());
}

TEST(RobustnessTest, ManyStatementsDoNotAccumulateDepth) {
  // Statements have no separator; depth must not add up across them.
  std::string body;
  for (int i = 0; i < 1000; ++i) body += "  files.copy(a.b)\n";
  auto parsed = ParseText("workflow w() {\n" + body + "}\n");
  EXPECT_TRUE(parsed.diags.empty()) << parsed.diags.front();
}

TEST(RobustnessTest, BinaryJunk) {
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::string junk(20000, '\0');
    for (char& c : junk) c = static_cast<char>(rng() & 0xFF);
    auto parsed = ParseText(junk);
    EXPECT_FALSE(parsed.diags.empty());
    // Capped: at most the budget plus E0011, plus E0007 / E0008 reported apart.
    EXPECT_LE(parsed.diags.size(), 53u);
  }
}

TEST(RobustnessTest, ManyErrorsAreCapped) {
  auto parsed = ParseText(Repeat("@ ", 500));
  EXPECT_EQ(parsed.diags.size(), 51u);
  EXPECT_THAT(parsed.diags.back(), HasSubstr("E0011 too many syntax errors"));
}

TEST(RobustnessTest, NulBytes) {
  auto parsed = ParseText(std::string("const A = 1\0\0\0", 14));
  EXPECT_THAT(parsed.diags, Contains(HasSubstr("E0003 unexpected character `\\u{0}`")));
}

TEST(RobustnessTest, TooLargeFileIsRefusedBeforeLexing) {
  std::string big(kMaxFileBytes + 1, ' ');
  auto parsed = ParseText(big);
  ASSERT_EQ(parsed.diags.size(), 1u);
  EXPECT_THAT(parsed.diags[0], HasSubstr("E0009 file is too large (67108865 bytes; the limit is 67108864)"));
}

TEST(RobustnessTest, StrayBracesAndQuotes) {
  for (const char* input : {"}}}}", ")))", "\"\"\"", "\"{{", "\"{{ }} }}\"", "{{{{", "task", "workflow w(",
                            "const A = \"{{ {\"", "import", "struct S { a: }", "enum E { , }"}) {
    auto parsed = ParseText(input);
    EXPECT_FALSE(parsed.diags.empty()) << input;
  }
}

TEST(TokenizeTest, KeepsCommentsAndStrings) {
  SourceManager sources;
  FileId file = sources.Add("t.flow", "## doc\nconst A = \"x{{b}}\" # c\n");
  std::vector<Token> tokens = Tokenize(sources, file);
  std::vector<std::string> kinds;
  for (const Token& t : tokens) kinds.push_back(std::string(TokenKindName(t.kind)) + ":" +
                                                std::string(sources.Text(t.range)));
  EXPECT_THAT(kinds, ::testing::ElementsAre("DocComment:## doc", "Const:const", "Ident:A", "Assign:=",
                                            "StringOpen:\"", "StringText:x", "InterpOpen:{{", "Ident:b",
                                            "InterpClose:}}", "StringClose:\"", "Comment:# c", "EndOfFile:"));
}

TEST(TokenizeTest, ByteOffsetsWithMultibyteText) {
  SourceManager sources;
  FileId file = sources.Add("t.flow", "const é = \"ü\" x");
  std::vector<Token> tokens = Tokenize(sources, file);
  ASSERT_GE(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].kind, TokenKind::Error);  // `é` is not an identifier character
  EXPECT_EQ(sources.Text(tokens[1].range), "é");
  EXPECT_EQ(sources.Text(tokens.end()[-2].range), "x");
}

}  // namespace
}  // namespace flow::parse

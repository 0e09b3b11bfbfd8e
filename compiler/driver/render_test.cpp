// Diagnostic rendering: text layout (gutter, carets, labels, notes, fix-its,
// tabs, UTF-8, long lines, colors) and the JSON line shape.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "compiler/driver/render_json.h"
#include "compiler/driver/render_text.h"

namespace flow::driver {
namespace {

diag::Diagnostic Make(SourceRange range, diag::Kind kind, std::string message) {
  return diag::Diagnostic{kind, diag::Info(kind).severity, range, std::move(message), {}, {}, {}};
}

std::string Text(const SourceManager& sm, const diag::Diagnostic& d, bool color = false) {
  std::ostringstream out;
  RenderText(sm, d, TextRenderOptions{color}, out);
  return out.str();
}

TEST(RenderTextTest, HeaderSnippetAndCaretRange) {
  SourceManager sm;
  FileId f = sm.Add("main.flow", "workflow main() {\n  let x = nmae + 1\n}\n");
  auto d = Make({f, 28, 32}, diag::Kind::UnknownName, "unknown name `nmae`");
  d.notes.push_back({{}, "did you mean `name`?"});
  EXPECT_EQ(Text(sm, d),
            "main.flow:2:11: error[E0102]: unknown name `nmae`\n"
            " 2 |   let x = nmae + 1\n"
            "   |           ^~~~\n"
            "note: did you mean `name`?\n");
}

TEST(RenderTextTest, LabelsNotesWithLocationAndFixIts) {
  SourceManager sm;
  FileId f = sm.Add("a.flow", "let a: Int = \"x\"\nlet b = a\n");
  auto d = Make({f, 13, 16}, diag::Kind::TypeMismatch, "mismatched types: expected `Int`, found `String`");
  d.labels.push_back({{f, 7, 10}, "expected because of this"});
  d.notes.push_back({{f, 21, 22}, "used here"});
  d.fixits.push_back({{f, 13, 16}, "1"});
  EXPECT_EQ(Text(sm, d),
            "a.flow:1:14: error[E0201]: mismatched types: expected `Int`, found `String`\n"
            " 1 | let a: Int = \"x\"\n"
            "   |              ^~~\n"
            "   |        --- expected because of this\n"
            "a.flow:2:5: note: used here\n"
            " 2 | let b = a\n"
            "   |     ^\n"
            "help: replace `\"x\"` with `1`\n"
            " 1 | let a: Int = 1\n");
}

TEST(RenderTextTest, LabelOnAnotherLineAndEmptyRange) {
  SourceManager sm;
  FileId f = sm.Add("a.flow", "one\ntwo\nthree\nfour\n");
  auto d = Make({f, 14, 14}, diag::Kind::SyntaxError, "expected `)`");
  d.labels.push_back({{f, 0, 3}, "opened here"});
  EXPECT_EQ(Text(sm, d),
            "a.flow:4:1: error[E0001]: expected `)`\n"
            " 1 | one\n"
            "   | --- opened here\n"
            "   ...\n"
            " 4 | four\n"
            "   | ^\n");
}

TEST(RenderTextTest, TabsAndUtf8AlignCarets) {
  SourceManager sm;
  // "\tlet é = 日本 + x": caret under `x` must account for the tab (4 cells),
  // `é` (1 cell, 2 bytes) and `日本` (4 cells, 6 bytes).
  std::string line = "\tlet \xC3\xA9 = \xE6\x97\xA5\xE6\x9C\xAC + x";
  FileId f = sm.Add("u.flow", line + "\n");
  uint32_t x = static_cast<uint32_t>(line.size() - 1);
  auto d = Make({f, x, x + 1}, diag::Kind::UnknownName, "unknown name `x`");
  std::string out = Text(sm, d);
  EXPECT_NE(out.find(" 1 |     let \xC3\xA9 = \xE6\x97\xA5\xE6\x9C\xAC + x\n"), std::string::npos) << out;
  EXPECT_NE(out.find("   | " + std::string(19, ' ') + "^\n"), std::string::npos) << out;
  EXPECT_EQ(DisplayWidth("\t\xC3\xA9\xE6\x97\xA5"), 4 + 1 + 2);
}

TEST(RenderTextTest, InvalidUtf8AndControlBytesAreReplaced) {
  SourceManager sm;
  FileId f = sm.Add("b.flow", std::string("a\xFF\x01z\n"));
  auto d = Make({f, 3, 4}, diag::Kind::UnexpectedCharacter, "unexpected character `z`");
  std::string out = Text(sm, d);
  EXPECT_NE(out.find(" 1 | a\xEF\xBF\xBD\xEF\xBF\xBDz\n"), std::string::npos) << out;
  EXPECT_NE(out.find("   |    ^\n"), std::string::npos) << out;
}

TEST(RenderTextTest, LongLinesAreWindowed) {
  SourceManager sm;
  std::string line(100000, 'a');
  FileId f = sm.Add("long.flow", line + "\n");
  auto d = Make({f, 50000, 50003}, diag::Kind::SyntaxError, "bad");
  std::string out = Text(sm, d);
  EXPECT_LT(out.size(), 1000u);
  EXPECT_NE(out.find(" 1 | ..."), std::string::npos);
  // The caret sits after "..." plus the 80 bytes of context before the range.
  EXPECT_NE(out.find("   | " + std::string(83, ' ') + "^~~\n"), std::string::npos) << out;
}

TEST(RenderTextTest, MultiLineRangeMarksItsFirstLine) {
  SourceManager sm;
  FileId f = sm.Add("m.flow", "call(a,\n     b)\n");
  auto d = Make({f, 0, 14}, diag::Kind::NotCallable, "`call` is not a task, workflow or function");
  EXPECT_NE(Text(sm, d).find("   | ^~~~~~~\n"), std::string::npos);
}

TEST(RenderTextTest, NoLocationAndWarningsAndColor) {
  SourceManager sm;
  auto d = Make({}, diag::Kind::CannotReadFile, "cannot read `x.flow`: no such file");
  EXPECT_EQ(Text(sm, d), "error[E0012]: cannot read `x.flow`: no such file\n");
  FileId f = sm.Add("w.flow", "let x = 1\n");
  auto w = Make({f, 4, 5}, diag::Kind::UnusedLet, "unused binding `x`");
  std::string plain = Text(sm, w);
  EXPECT_EQ(plain.rfind("w.flow:1:5: warning[W0001]: unused binding `x`\n", 0), 0u);
  std::string colored = Text(sm, w, /*color=*/true);
  EXPECT_NE(colored.find("\x1b[1;33mwarning[W0001]"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[1;32m^"), std::string::npos);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
}

TEST(RenderTextTest, SummaryLine) {
  EXPECT_EQ(SummaryLine(0, 0), "");
  EXPECT_EQ(SummaryLine(1, 0), "1 error emitted");
  EXPECT_EQ(SummaryLine(0, 2), "2 warnings emitted");
  EXPECT_EQ(SummaryLine(2, 1), "2 errors, 1 warning emitted");
}

TEST(RenderJsonTest, Shape) {
  SourceManager sm;
  FileId f = sm.Add("a.flow", "let a = nmae\n");
  auto d = Make({f, 8, 12}, diag::Kind::UnknownName, "unknown name `nmae`");
  d.labels.push_back({{f, 4, 5}, "in this binding"});
  d.notes.push_back({{}, "did you mean `name`?"});
  d.fixits.push_back({{f, 8, 12}, "name"});
  std::string line = RenderJson(sm, d);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["file"], "a.flow");
  EXPECT_EQ(j["line"], 1);
  EXPECT_EQ(j["column"], 9);
  EXPECT_EQ(j["end_line"], 1);
  EXPECT_EQ(j["end_column"], 13);
  EXPECT_EQ(j["severity"], "error");
  EXPECT_EQ(j["code"], "E0102");
  EXPECT_EQ(j["message"], "unknown name `nmae`");
  EXPECT_EQ(j["labels"][0]["column"], 5);
  EXPECT_EQ(j["labels"][0]["message"], "in this binding");
  EXPECT_EQ(j["notes"][0]["message"], "did you mean `name`?");
  EXPECT_FALSE(j["notes"][0].contains("line"));
  EXPECT_EQ(j["fixits"][0]["replacement"], "name");
  EXPECT_EQ(j["fixits"][0]["column"], 9);
}

TEST(RenderJsonTest, NoLocationAndInvalidUtf8) {
  SourceManager sm;
  auto d = Make({}, diag::Kind::UnexpectedCharacter, "unexpected character `\xFF`");
  nlohmann::json j = nlohmann::json::parse(RenderJson(sm, d));
  EXPECT_TRUE(j["file"].is_null());
  EXPECT_EQ(j["line"], 0);
  EXPECT_EQ(j["message"], "unexpected character `\xEF\xBF\xBD`");
}

}  // namespace
}  // namespace flow::driver

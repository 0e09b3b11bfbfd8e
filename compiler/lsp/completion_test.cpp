#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "compiler/lsp/features.h"
#include "compiler/lsp/lsp_test_util.h"
#include "compiler/lsp/text_context.h"

namespace flow::lsp {
namespace {

using ::testing::Contains;
using ::testing::Not;
using namespace ::flow::lsp::testing;

/// Completion labels at the first `|` of `text` (which is removed).
std::set<std::string> Labels(const MemoryFileSystem& fs, std::string text) {
  size_t bar = text.find('|');
  text.erase(bar, 1);
  auto analysis = AnalyzeMain(fs, text);
  Reanalyze reanalyze = [&fs](std::string patched) { return AnalyzeMain(fs, std::move(patched)); };
  json list = Completion(Cursor{*analysis, 0, static_cast<uint32_t>(bar)}, reanalyze);
  std::set<std::string> labels;
  for (const json& item : list["items"]) labels.insert(item["label"].get<std::string>());
  return labels;
}

std::string WithBody(const std::string& body) {
  return std::string(R"(import "./lib/train.flow" as tr

## Says hello.
task greet(name: String, times: Int = 1) -> File {
  image  = "alpine:3.20"
  script = "echo {{name}} > {{out}}"
}

workflow main(names: List[String], data: File = "d.csv") {
)") + body + "\n}\n";
}

TEST(CompletionTest, MembersAfterDot) {
  MemoryFileSystem fs = ProgramFs();
  auto fields = Labels(fs, WithBody("  let run = tr.train(data: data)\n  let x = run.metrics.|"));
  EXPECT_EQ(fields, (std::set<std::string>{"accuracy", "loss"}));
  auto outputs = Labels(fs, WithBody("  let run = tr.train(data: data)\n  let x = run.|"));
  EXPECT_EQ(outputs, (std::set<std::string>{"model", "metrics"}));
  auto members = Labels(fs, WithBody("  let x = tr.|"));
  EXPECT_EQ(members, (std::set<std::string>{"Metrics", "Split", "train"}));
  auto partial = Labels(fs, WithBody("  let x = tr.Split.te|"));
  EXPECT_EQ(partial, (std::set<std::string>{"train", "test"}));
}

TEST(CompletionTest, NamesInScopeBuiltinsAndKeywords) {
  MemoryFileSystem fs = ProgramFs();
  auto labels = Labels(fs, WithBody("  let files = for n in names { greet(name: |) }"));
  EXPECT_THAT(labels, Contains("n"));       // the loop variable
  EXPECT_THAT(labels, Contains("names"));   // a parameter
  EXPECT_THAT(labels, Contains("greet"));   // a task of the module
  EXPECT_THAT(labels, Contains("tr"));      // a module
  EXPECT_THAT(labels, Contains("len"));     // a built-in
  EXPECT_THAT(labels, Contains("if"));      // a keyword
  EXPECT_THAT(labels, Contains("times:"));  // the call's remaining parameter
  EXPECT_THAT(labels, Not(Contains("name:")));  // already given
  auto outside = Labels(fs, WithBody("  let files = for n in names { greet(name: n) }\n  |"));
  EXPECT_THAT(outside, Not(Contains("n")));
  EXPECT_THAT(outside, Contains("files"));
}

TEST(CompletionTest, TaskFieldsAndTypes) {
  MemoryFileSystem fs = ProgramFs();
  std::string task = "task t(x: Int) -> File {\n  |\n  script = \"x\"\n}\n";
  auto fields = Labels(fs, task);
  EXPECT_THAT(fields, Contains("image"));
  EXPECT_THAT(fields, Contains("memory"));
  EXPECT_THAT(fields, Contains("x"));
  EXPECT_THAT(fields, Contains("out"));
  auto types = Labels(fs, "import \"./lib/train.flow\" as tr\nstruct S { a: Int }\ntask t(x: |) -> File {\n}\n");
  EXPECT_THAT(types, Contains("Int"));
  EXPECT_THAT(types, Contains("S"));
  EXPECT_THAT(types, Contains("tr"));
  EXPECT_THAT(types, Not(Contains("len")));
  auto let_type = Labels(fs, WithBody("  let x: |"));
  EXPECT_THAT(let_type, Contains("Duration"));
  auto in_string = Labels(fs, WithBody("  let x = \"abc |\""));
  EXPECT_TRUE(in_string.empty());
}

TEST(SignatureHelpTest, ActiveParameterByPositionAndName) {
  MemoryFileSystem fs = ProgramFs();
  std::string text = WithBody("  let a = greet(\"x\", ");
  auto analysis = AnalyzeMain(fs, text);
  json help = SignatureHelp(Cursor{*analysis, 0, static_cast<uint32_t>(text.find("\"x\", ") + 5)});
  ASSERT_FALSE(help.is_null());
  EXPECT_EQ(help["signatures"][0]["label"], "greet(name: String, times: Int = 1) -> File");
  EXPECT_EQ(help["activeParameter"], 1);
  EXPECT_EQ(help["signatures"][0]["parameters"][1]["label"], json::array({20, 34}));
  text = WithBody("  let a = tr.train(epochs: ");
  analysis = AnalyzeMain(fs, text);
  help = SignatureHelp(Cursor{*analysis, 0, static_cast<uint32_t>(text.find("epochs: ") + 8)});
  EXPECT_EQ(help["activeParameter"], 1);
  text = WithBody("  let a = range(1, ");
  analysis = AnalyzeMain(fs, text);
  help = SignatureHelp(Cursor{*analysis, 0, static_cast<uint32_t>(text.find("(1, ") + 4)});
  EXPECT_EQ(help["signatures"].size(), 2u);
  EXPECT_EQ(help["activeSignature"], 1);  // the two-argument overload
  EXPECT_TRUE(SignatureHelp(Cursor{*analysis, 0, 3}).is_null());
}

TEST(TextContextTest, BracketsStringsAndInterpolations) {
  std::string text = "f(a, \"(x\", g[1], { # c\n h(\"{{ k(1, ";
  TextContext ctx = ScanTo(text, static_cast<uint32_t>(text.size()));
  ASSERT_EQ(ctx.frames.size(), 5u);
  EXPECT_EQ(ctx.frames[0].open, '(');
  EXPECT_EQ(ctx.frames[0].items.size(), 4u);
  EXPECT_EQ(ctx.frames[1].open, '{');
  EXPECT_EQ(ctx.frames[3].open, 'I');
  EXPECT_EQ(ctx.frames[4].open, '(');
  EXPECT_EQ(ctx.frames[4].items.size(), 2u);
  EXPECT_FALSE(ctx.in_string);
  EXPECT_TRUE(ScanTo("x = \"abc", 8).in_string);
  EXPECT_TRUE(ScanTo("x # c", 5).in_comment);
  EXPECT_EQ(ChainBefore("a.b . c(", 7), (std::vector<std::string>{"a", "b", "c"}));
}

}  // namespace
}  // namespace flow::lsp

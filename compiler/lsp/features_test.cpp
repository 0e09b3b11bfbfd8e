#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compiler/lsp/features.h"
#include "compiler/lsp/lsp_test_util.h"
#include "compiler/lsp/symbols.h"

namespace flow::lsp {
namespace {

using ::testing::HasSubstr;
using namespace ::flow::lsp::testing;

class FeaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_ = ProgramFs();
    analysis_ = AnalyzeMain(fs_);
    for (const diag::Diagnostic& d : analysis_->diagnostics)
      ADD_FAILURE() << "unexpected diagnostic: " << diag::Info(d.kind).code << " " << d.message;
  }
  Cursor At(std::string_view needle, int delta = 0, int occurrence = 0) {
    return Cursor{*analysis_, 0, testing::At(kMainText, needle, delta, occurrence)};
  }
  std::string HoverText(const Cursor& cursor) {
    json hover = Hover(cursor);
    if (hover.is_null()) return "<null>";
    return hover["contents"]["value"].get<std::string>();
  }
  MemoryFileSystem fs_;
  std::unique_ptr<Analysis> analysis_;
};

TEST_F(FeaturesTest, HoverShowsSignaturesDocsAndTypes) {
  EXPECT_THAT(HoverText(At("greet(name: n)", 2)), HasSubstr("task greet(name: String, times: Int = 1) -> File"));
  EXPECT_THAT(HoverText(At("greet(name: n)", 2)), HasSubstr("Says hello."));
  EXPECT_THAT(HoverText(At("metrics.accuracy", 9)), HasSubstr("Metrics.accuracy: Float"));
  EXPECT_THAT(HoverText(At("metrics.accuracy", 9)), HasSubstr("fraction of correct answers"));
  EXPECT_THAT(HoverText(At("let files", 5)), HasSubstr("let files: List[File]"));
  EXPECT_THAT(HoverText(At("name: n)", 6)), HasSubstr("n: String"));
  EXPECT_THAT(HoverText(At("name: n)", 1)), HasSubstr("name: String"));  // the named argument
  EXPECT_THAT(HoverText(At("len(files)", 1)), HasSubstr("len(x: List[T] | Map[K, V] | String) -> Int"));
  EXPECT_THAT(HoverText(At("image", 2)), HasSubstr("image: String"));
  EXPECT_THAT(HoverText(At("tr.train", 4)), HasSubstr("task train(data: File, epochs: Int = 10)"));
  EXPECT_THAT(HoverText(At("{{out}}", 3)), HasSubstr("out: File"));
  // An expression without a name: its type.
  EXPECT_THAT(HoverText(At("1.0", 1)), HasSubstr("Float"));
  EXPECT_EQ(HoverText(At("\n\n## Says", 1)), "<null>");
}

TEST_F(FeaturesTest, DefinitionCrossesImports) {
  json loc = Definition(At("tr.train", 4));
  ASSERT_TRUE(loc.is_object());
  EXPECT_EQ(loc["uri"], "file:///w/lib/train.flow");
  EXPECT_EQ(loc["range"]["start"]["line"], 10);
  EXPECT_EQ(loc["range"]["start"]["character"], 5);
  // The struct name in a literal, and the import path itself.
  EXPECT_EQ(Definition(At("Metrics {", 1))["range"]["start"]["line"], 1);
  json import = Definition(At("./lib", 2));
  EXPECT_EQ(import["uri"], "file:///w/lib/train.flow");
  EXPECT_EQ(import["range"]["start"]["line"], 0);
  // A local: the `let`.
  json let = Definition(At("len(files)", 5));
  EXPECT_EQ(let["uri"], "file:///w/main.flow");
  EXPECT_EQ(let["range"]["start"]["line"], 9);
  EXPECT_TRUE(Definition(At("len(", 1)).is_null());  // built-ins have no source
  // A field of a task call's result: the task's output declaration.
  json output = Definition(At("run.metrics", 5));
  EXPECT_EQ(output["uri"], "file:///w/lib/train.flow");
  EXPECT_EQ(output["range"]["start"]["line"], 10);
  EXPECT_EQ(output["range"]["start"]["character"], 58);
  EXPECT_THAT(HoverText(At("run.metrics", 5)), HasSubstr("metrics: tr.Metrics"));
  EXPECT_THAT(HoverText(At("run.metrics", 5)), HasSubstr("output of task `train`"));
}

TEST_F(FeaturesTest, ReferencesFindEveryUse) {
  // greet's `name`: the parameter, `{{name}}` and the named argument.
  json refs = References(At("name: String", 1), true);
  EXPECT_EQ(refs.size(), 3u) << refs.dump();
  EXPECT_EQ(References(At("name: String", 1), false).size(), 2u);
  // Metrics.accuracy across files: declaration, struct literal field, field access.
  json fields = References(At("metrics.accuracy", 9), true);
  EXPECT_EQ(fields.size(), 3u) << fields.dump();
  int in_lib = 0;
  for (const json& loc : fields) in_lib += loc["uri"] == "file:///w/lib/train.flow";
  EXPECT_EQ(in_lib, 1);
}

TEST_F(FeaturesTest, RenameEditsEveryReference) {
  Error error{ErrorCode::InternalError, ""};
  std::optional<json> edit = Rename(At("files =", 1), "outputs", "/stdlib", &error);
  ASSERT_TRUE(edit) << error.message;
  json edits = (*edit)["changes"]["file:///w/main.flow"];
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0]["newText"], "outputs");
  // The module alias: the import and both uses.
  edit = Rename(At("tr.train", 0), "lib", "/stdlib", &error);
  ASSERT_TRUE(edit) << error.message;
  EXPECT_EQ((*edit)["changes"]["file:///w/main.flow"].size(), 3u);
  // A struct field renames across files.
  edit = Rename(At("accuracy: 1.0", 1), "acc", "/stdlib", &error);
  ASSERT_TRUE(edit) << error.message;
  EXPECT_EQ((*edit)["changes"].size(), 2u);
  EXPECT_TRUE(PrepareRename(At("files =", 1), "/stdlib", &error));
}

TEST_F(FeaturesTest, RenameRefusesBuiltinsKeywordsAndBadNames) {
  Error error{ErrorCode::InternalError, ""};
  EXPECT_FALSE(Rename(At("len(", 1), "size", "/stdlib", &error));
  EXPECT_EQ(error.code, ErrorCode::RequestFailed);
  EXPECT_THAT(error.message, HasSubstr("built-in"));
  EXPECT_FALSE(PrepareRename(At("image", 1), "/stdlib", &error));
  EXPECT_THAT(error.message, HasSubstr("task field"));
  EXPECT_FALSE(PrepareRename(At("workflow main", 2), "/stdlib", &error));  // the keyword
  EXPECT_FALSE(Rename(At("files =", 1), "for", "/stdlib", &error));
  EXPECT_EQ(error.code, ErrorCode::InvalidParams);
  EXPECT_FALSE(Rename(At("files =", 1), "1x", "/stdlib", &error));
}

TEST_F(FeaturesTest, DocumentSymbolsAreHierarchical) {
  json symbols = DocumentSymbols(*analysis_, 0);
  ASSERT_EQ(symbols.size(), 3u) << symbols.dump();
  EXPECT_EQ(symbols[0]["name"], "tr");
  EXPECT_EQ(symbols[1]["name"], "greet");
  EXPECT_EQ(symbols[1]["children"].size(), 2u);
  EXPECT_EQ(symbols[1]["children"][1]["name"], "times");
  EXPECT_EQ(symbols[2]["name"], "main");
  json lib = DocumentSymbols(*analysis_, 1);
  ASSERT_EQ(lib.size(), 3u);
  EXPECT_EQ(lib[0]["name"], "Metrics");
  EXPECT_EQ(lib[0]["kind"], 23);
  EXPECT_EQ(lib[0]["children"][0]["name"], "accuracy");
  EXPECT_EQ(lib[1]["children"][1]["name"], "test");
}

TEST_F(FeaturesTest, DiagnosticsCarryCodesAndNotes) {
  std::string text = kMainText;
  text.replace(text.find("len(files)"), 10, "len(flies)");
  auto broken = AnalyzeMain(fs_, text);
  json published = DiagnosticsFor(*broken, broken->loaded.modules[0].module.file);
  ASSERT_EQ(published["diagnostics"].size(), 1u) << published.dump();
  json d = published["diagnostics"][0];
  EXPECT_EQ(d["code"], "E0102");
  EXPECT_EQ(d["severity"], 1);
  EXPECT_THAT(d["message"].get<std::string>(), HasSubstr("unknown name `flies`"));
  EXPECT_EQ(d["range"]["start"]["line"], 12);
  ASSERT_TRUE(d.contains("relatedInformation"));
  EXPECT_THAT(d["relatedInformation"].dump(), HasSubstr("did you mean `files`?"));
}

}  // namespace
}  // namespace flow::lsp

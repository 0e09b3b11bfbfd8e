#include "compiler/lsp/symbols.h"

#include <gtest/gtest.h>

#include "compiler/lsp/lsp_test_util.h"

namespace flow::lsp {
namespace {

using namespace ::flow::lsp::testing;

TEST(SymbolsTest, OccurrenceUnderTheCursorAndItsDeclaration) {
  MemoryFileSystem fs = ProgramFs();
  auto a = AnalyzeMain(fs);
  std::string_view text = kMainText;
  // The loop variable used as an argument.
  auto use = OccurrenceAt(*a, 0, At(text, "name: n)", 6));
  ASSERT_TRUE(use);
  EXPECT_EQ(use->symbol.kind, SymbolKind::LoopVar);
  EXPECT_FALSE(use->is_decl);
  auto decl = DeclarationRange(*a, use->symbol);
  ASSERT_TRUE(decl);
  EXPECT_EQ(decl->begin, At(text, "for n", 4));
  // A cursor just after a name still finds it.
  auto end = OccurrenceAt(*a, 0, At(text, "files =", 5));
  ASSERT_TRUE(end);
  EXPECT_EQ(end->symbol.kind, SymbolKind::Let);
  EXPECT_TRUE(end->is_decl);
  // Module member through an alias, declared in the other file.
  auto member = OccurrenceAt(*a, 0, At(text, "tr.train", 4));
  ASSERT_TRUE(member);
  EXPECT_EQ(member->symbol.kind, SymbolKind::Task);
  EXPECT_EQ(a->ModuleOf(DeclarationRange(*a, member->symbol)->file), 1);
  EXPECT_EQ(SymbolName(*a, member->symbol), "train");
  // Nothing on a keyword or in blank space.
  EXPECT_FALSE(OccurrenceAt(*a, 0, At(text, "workflow", 3)));
}

TEST(SymbolsTest, ExprAtFindsTheInnermostTypedExpression) {
  MemoryFileSystem fs = ProgramFs();
  auto a = AnalyzeMain(fs);
  std::string_view text = kMainText;
  const ast::Expr* lit = ExprAt(*a, 0, At(text, "0.5", 1));
  ASSERT_NE(lit, nullptr);
  EXPECT_EQ(lit->kind, ast::Kind::FloatLit);
  const ast::Expr* call = ExprAt(*a, 0, At(text, "float(", 2));
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(a->checked.types.ToString(*a->TypeOf(call)), "Float");
}

TEST(SymbolsTest, ShadowingLoopVariableKeepsReferencesApart) {
  MemoryFileSystem fs;
  std::string text = R"(workflow main(x: Int, xs: List[Int]) -> List[Int] {
  let ys = for x in xs { x + 1 }
  return [x] + ys
}
)";
  auto a = Analyze(fs, "/w/s.flow", text, "/stdlib");
  for (const diag::Diagnostic& d : a->diagnostics) ADD_FAILURE() << d.message;
  auto param = OccurrenceAt(*a, 0, At(text, "x: Int", 0));
  ASSERT_TRUE(param);
  EXPECT_EQ(param->symbol.kind, SymbolKind::Param);
  EXPECT_EQ(FindReferences(*a, param->symbol).size(), 2u);  // the parameter and `[x]`
  auto loop = OccurrenceAt(*a, 0, At(text, "x + 1", 0));
  ASSERT_TRUE(loop);
  EXPECT_EQ(loop->symbol.kind, SymbolKind::LoopVar);
  EXPECT_EQ(FindReferences(*a, loop->symbol).size(), 2u);  // `for x` and `x + 1`
}

TEST(SymbolsTest, BrokenAndDeeplyNestedInputIsWalkedSafely) {
  MemoryFileSystem fs;
  std::string deep = "workflow main() -> Int {\n  return " + std::string(3000, '(') + "1" + std::string(3000, ')') + "\n}\n";
  std::string broken = "task t(x: ) -> {\n  image = \n  let = 3\n}\nworkflow w( { return t(x: , ) }\n";
  for (const std::string& text : {deep, broken}) {
    auto a = Analyze(fs, "/w/b.flow", text, "/stdlib");
    for (uint32_t offset = 0; offset <= text.size(); offset += 7) {
      OccurrenceAt(*a, 0, offset);
      ExprAt(*a, 0, offset);
      Cursor cursor{*a, 0, offset};
      Hover(cursor);
      Definition(cursor);
      SignatureHelp(cursor);
      Completion(cursor, nullptr);
    }
    EXPECT_FALSE(a->diagnostics.empty());
  }
}

}  // namespace
}  // namespace flow::lsp

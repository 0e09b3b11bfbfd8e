#include "compiler/ast/ast.h"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace flow::ast {
namespace {

TEST(ArenaTest, SaveCopiesTheCharacters) {
  Arena arena;
  std::string_view saved;
  {
    std::string temporary = "a_name_longer_than_the_small_string_buffer";
    saved = arena.Save(temporary);
    EXPECT_NE(saved.data(), temporary.data());
    temporary.assign(temporary.size(), 'x');  // the copy must not follow the original
  }
  EXPECT_EQ(saved, "a_name_longer_than_the_small_string_buffer");
}

TEST(ArenaTest, SavedViewsStayValidAsMoreAreSaved) {
  Arena arena;
  std::vector<std::string_view> saved;
  for (int i = 0; i < 2000; ++i) saved.push_back(arena.Save("name" + std::to_string(i)));
  for (int i = 0; i < 2000; ++i) EXPECT_EQ(saved[i], "name" + std::to_string(i));
}

TEST(ArenaTest, SaveOfEmptyTextIsEmpty) {
  Arena arena;
  EXPECT_TRUE(arena.Save("").empty());
  EXPECT_TRUE(arena.Save(std::string_view()).empty());
}

TEST(ArenaTest, IdentIsAViewAndARange) {
  // The point of the view: a name costs no heap block, and 16 bytes less than with a std::string.
  static_assert(sizeof(Ident) <= 32);
  Arena arena;
  auto* name = arena.Make<NameExpr>(SourceRange{});
  name->name = Ident{arena.Save("x"), SourceRange{}};
  EXPECT_EQ(name->name.text, "x");
}

}  // namespace
}  // namespace flow::ast

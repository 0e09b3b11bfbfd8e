#include "compiler/diag/suggest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flow::diag {
namespace {

TEST(SuggestTest, FindsCloseName) {
  std::vector<std::string> names = {"name", "times", "epochs"};
  EXPECT_EQ(Suggest("nmae", names), "name");
  EXPECT_EQ(Suggest("epoch", names), "epochs");
  EXPECT_EQ(Suggest("tmes", names), "times");
}

TEST(SuggestTest, RespectsBound) {
  std::vector<std::string> names = {"alpha", "beta"};
  // len 3 → bound 1: "xyz" is far from everything.
  EXPECT_EQ(Suggest("xyz", names), std::nullopt);
  // len 6 → bound 2.
  EXPECT_EQ(Suggest("alphaa", names), "alpha");
  EXPECT_EQ(Suggest("alxxxa", names), std::nullopt);
  // Short names still get one edit.
  std::vector<std::string> short_names = {"a", "ab"};
  EXPECT_EQ(Suggest("b", short_names), "a");
}

TEST(SuggestTest, TiesAreDeterministic) {
  std::vector<std::string> forward = {"cat", "bat", "hat"};
  std::vector<std::string> backward = {"hat", "bat", "cat"};
  EXPECT_EQ(Suggest("xat", forward), "bat");
  EXPECT_EQ(Suggest("xat", backward), "bat");
}

TEST(SuggestTest, SkipsExactAndEmpty) {
  std::vector<std::string> names = {"same", ""};
  EXPECT_EQ(Suggest("same", names), std::nullopt);
  EXPECT_EQ(Suggest("x", std::vector<std::string>{}), std::nullopt);
}

TEST(SuggestTest, NoteText) { EXPECT_EQ(DidYouMean("name"), "did you mean `name`?"); }

}  // namespace
}  // namespace flow::diag

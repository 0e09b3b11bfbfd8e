#include "compiler/base/source.h"

#include <gtest/gtest.h>

namespace flow {
namespace {

TEST(SourceManagerTest, AddFindAndText) {
  SourceManager sources;
  FileId a = sources.Add("a.flow", "line one\nline two\n");
  FileId b = sources.Add("b.flow", "x");
  EXPECT_TRUE(a.valid());
  EXPECT_NE(a, b);
  EXPECT_EQ(sources.file_count(), 2u);
  EXPECT_EQ(sources.Path(b), "b.flow");
  EXPECT_EQ(sources.Text(a), "line one\nline two\n");
  ASSERT_TRUE(sources.Find("b.flow").has_value());
  EXPECT_EQ(*sources.Find("b.flow"), b);
  EXPECT_FALSE(sources.Find("c.flow").has_value());
}

TEST(SourceManagerTest, RangeText) {
  SourceManager sources;
  FileId f = sources.Add("a.flow", "hello world");
  EXPECT_EQ(sources.Text(SourceRange{f, 6, 11}), "world");
  EXPECT_EQ(sources.Text(SourceRange{f, 6, 6}), "");
  EXPECT_EQ(sources.Text(SourceRange{f, 6, 100}), "world");  // clamped
  EXPECT_EQ(sources.Text(SourceRange{f, 100, 200}), "");
  EXPECT_EQ(sources.Text(SourceRange{}), "");
}

TEST(SourceManagerTest, LineAndColumn) {
  SourceManager sources;
  FileId f = sources.Add("a.flow", "ab\ncd\n\nef");
  EXPECT_EQ(sources.ToLineCol(f, 0).line, 1u);
  EXPECT_EQ(sources.ToLineCol(f, 0).column, 1u);
  EXPECT_EQ(sources.ToLineCol(f, 2).column, 3u);  // the newline itself
  EXPECT_EQ(sources.ToLineCol(f, 3).line, 2u);
  EXPECT_EQ(sources.ToLineCol(f, 4).column, 2u);
  EXPECT_EQ(sources.ToLineCol(f, 6).line, 3u);
  EXPECT_EQ(sources.ToLineCol(f, 7).line, 4u);
  EXPECT_EQ(sources.ToLineCol(f, 9).column, 3u);  // end of file
}

TEST(SourceManagerTest, ColumnsCountBytes) {
  SourceManager sources;
  FileId f = sources.Add("a.flow", "é = 1");
  EXPECT_EQ(sources.ToLineCol(f, 3).column, 4u);  // `=` after a 2-byte character
}

TEST(SourceManagerTest, LineText) {
  SourceManager sources;
  FileId f = sources.Add("a.flow", "first\nsecond\nthird");
  EXPECT_EQ(sources.LineText(f, 1), "first");
  EXPECT_EQ(sources.LineText(f, 2), "second");
  EXPECT_EQ(sources.LineText(f, 3), "third");
  EXPECT_EQ(sources.LineText(f, 0), "");
  EXPECT_EQ(sources.LineText(f, 4), "");
}

TEST(SourceRangeTest, Join) {
  FileId f{0};
  SourceRange a{f, 5, 8};
  SourceRange b{f, 2, 6};
  SourceRange joined = SourceRange::Join(a, b);
  EXPECT_EQ(joined.begin, 2u);
  EXPECT_EQ(joined.end, 8u);
  EXPECT_EQ(SourceRange::Join(SourceRange{}, a).begin, 5u);
  EXPECT_EQ(SourceRange::Join(a, SourceRange{}).end, 8u);
}

}  // namespace
}  // namespace flow

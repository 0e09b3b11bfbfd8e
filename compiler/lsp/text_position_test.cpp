#include "compiler/lsp/text_position.h"

#include <gtest/gtest.h>

#include "compiler/lsp/document_store.h"

namespace flow::lsp {
namespace {

TEST(LineIndexTest, AsciiRoundTrips) {
  std::string text = "ab\ncd\n";
  LineIndex index(text);
  EXPECT_EQ(index.ToPosition(0), (Position{0, 0}));
  EXPECT_EQ(index.ToPosition(4), (Position{1, 1}));
  EXPECT_EQ(index.ToPosition(6), (Position{2, 0}));
  EXPECT_EQ(index.ToOffset({1, 1}), 4u);
  EXPECT_EQ(index.line_count(), 3u);
}

TEST(LineIndexTest, CountsUtf16UnitsNotBytes) {
  // `é` is 2 bytes / 1 unit; `😀` is 4 bytes / 2 units (a surrogate pair).
  std::string text = "é😀x\n";
  LineIndex index(text);
  EXPECT_EQ(index.ToPosition(2), (Position{0, 1}));   // after é
  EXPECT_EQ(index.ToPosition(6), (Position{0, 3}));   // after the emoji
  EXPECT_EQ(index.ToPosition(7), (Position{0, 4}));   // after x
  EXPECT_EQ(index.ToOffset({0, 1}), 2u);
  EXPECT_EQ(index.ToOffset({0, 3}), 6u);
  EXPECT_EQ(index.ToOffset({0, 4}), 7u);
  EXPECT_EQ(Utf16Length(text), 5u);
}

TEST(LineIndexTest, ClampsOutOfRangePositions) {
  std::string text = "ab\r\ncd";
  LineIndex index(text);
  EXPECT_EQ(index.ToOffset({0, 99}), 2u);  // end of line, before \r\n
  EXPECT_EQ(index.ToOffset({7, 0}), 6u);   // past the last line: end of text
  EXPECT_EQ(index.ToPosition(999), (Position{1, 2}));
  // The middle of a surrogate pair maps to the character's start.
  std::string emoji = "😀";
  EXPECT_EQ(LineIndex(emoji).ToOffset({0, 1}), 0u);
  // An offset inside a multi-byte character counts from its start.
  EXPECT_EQ(LineIndex(emoji).ToPosition(2), (Position{0, 0}));
}

TEST(ApplyChangeTest, IncrementalEditsUseUtf16Columns) {
  std::string text = "let é = 1\nlet 😀x = 2\n";
  // Replace `x` (after the emoji: column 6 in UTF-16 units) with `yz`.
  ApplyChange(text, {Range{{1, 6}, {1, 7}}, "yz"});
  EXPECT_EQ(text, "let é = 1\nlet 😀yz = 2\n");
  // Insert at the end of line 0 (after `1`).
  ApplyChange(text, {Range{{0, 9}, {0, 9}}, "0"});
  EXPECT_EQ(text, "let é = 10\nlet 😀yz = 2\n");
  // Delete across lines.
  ApplyChange(text, {Range{{0, 8}, {1, 4}}, ""});
  EXPECT_EQ(text, "let é = 😀yz = 2\n");
  // Whole-document replacement.
  ApplyChange(text, {std::nullopt, "new"});
  EXPECT_EQ(text, "new");
  // A reversed range is applied as the range it spans.
  ApplyChange(text, {Range{{0, 3}, {0, 0}}, "old"});
  EXPECT_EQ(text, "old");
}

TEST(DocumentStoreTest, OverlayShadowsDisk) {
  MemoryFileSystem disk;
  disk.Add("/w/a.flow", "disk");
  disk.Add("/w/b.flow", "b on disk");
  DocumentStore docs;
  docs.Open("/w/a.flow", "file:///w/a.flow", "buffer", 1);
  OverlayFileSystem fs(docs, disk);
  std::string error;
  EXPECT_EQ(fs.Read("/w/a.flow", &error).value_or(""), "buffer");
  EXPECT_EQ(fs.Read("/w/b.flow", &error).value_or(""), "b on disk");
  EXPECT_TRUE(docs.Change("/w/a.flow", {{Range{{0, 0}, {0, 6}}, "edited"}}, 2));
  EXPECT_EQ(fs.Read("/w/a.flow", &error).value_or(""), "edited");
  EXPECT_EQ(docs.Find("/w/a.flow")->version, 2);
  EXPECT_FALSE(docs.Change("/w/missing.flow", {}, 1));
  docs.Close("/w/a.flow");
  EXPECT_EQ(fs.Read("/w/a.flow", &error).value_or(""), "disk");
}

}  // namespace
}  // namespace flow::lsp

// LSP positions (0-based line, UTF-16 code unit column) and byte offsets into
// UTF-8 text. The protocol counts columns in UTF-16 code units by default, so a
// character outside the BMP (an emoji) is two units and `é` is one unit but two
// bytes; every conversion between the editor and the compiler goes through here.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace flow::lsp {

/// An LSP `Position`.
struct Position {
  uint32_t line = 0;
  uint32_t character = 0;  // UTF-16 code units from the start of the line
  friend bool operator==(Position a, Position b) { return a.line == b.line && a.character == b.character; }
};

/// An LSP `Range` (end exclusive).
struct Range {
  Position start;
  Position end;
  friend bool operator==(Range a, Range b) { return a.start == b.start && a.end == b.end; }
};

/// Line starts of one text, for converting both ways. The text must outlive the index.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  /// The position of byte `offset` (clamped to the text; an offset inside a
  /// multi-byte character counts from that character's start).
  Position ToPosition(uint32_t offset) const;
  /// The byte offset of `pos`. A line past the end maps to the end of the text,
  /// a column past the end of its line to the line's end (before its newline),
  /// and a column in the middle of a surrogate pair to the character's start:
  /// clients may send any of these, and none is an error.
  uint32_t ToOffset(Position pos) const;
  Range ToRange(uint32_t begin, uint32_t end) const { return {ToPosition(begin), ToPosition(end)}; }
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<uint32_t> starts_;
};

/// UTF-16 code units in a UTF-8 string (bytes of invalid UTF-8 count one each).
uint32_t Utf16Length(std::string_view utf8);

}  // namespace flow::lsp

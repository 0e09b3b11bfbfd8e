// UTF-8 validation and the code point ↔ byte offset map the parser needs:
// ANTLR's character streams count code points, Flow's SourceRanges count bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flow::parse {

/// The text decoded to code points, with the byte offset of each one.
struct DecodedText {
  /// The code points; the parser moves them into ANTLR's input stream, after
  /// which only `count` remains (one copy of a 64 MiB file is enough).
  std::u32string code_points;
  size_t count = 0;  // number of code points, kept when `code_points` is moved out
  /// byte_offsets[i] is where code point i starts; one extra entry holds the
  /// text's size. Empty when the text is pure ASCII (offsets are then equal).
  std::vector<uint32_t> byte_offsets;
  /// Byte offset of the first invalid sequence, if any. Each invalid byte
  /// decodes to U+FFFD so lexing can go on.
  std::optional<uint32_t> first_invalid;
  /// Byte offsets of every byte that decoded to U+FFFD because it was invalid.
  std::vector<uint32_t> invalid_offsets;

  /// The byte offset of code point index `cp` (clamped to the text's end).
  uint32_t ByteOffset(size_t cp) const {
    if (byte_offsets.empty()) return static_cast<uint32_t>(cp < count ? cp : count);
    return byte_offsets[cp < byte_offsets.size() ? cp : byte_offsets.size() - 1];
  }
};

/// Decodes UTF-8 strictly (no overlongs, surrogates or values above U+10FFFF).
DecodedText DecodeUtf8(std::string_view text);

}  // namespace flow::parse

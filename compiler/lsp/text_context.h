// What surrounds a cursor in text that may not parse (the user is typing):
// the brackets open at that point, whether it is inside a string or comment,
// and the names just before it. Completion and signature help read this
// rather than the AST, which is broken exactly while a call is half-typed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flow::lsp {

/// One bracket open at the cursor.
struct Frame {
  char open = '(';          // '(', '[', '{', or 'I' for a `{{` interpolation
  uint32_t offset = 0;      // of the bracket
  /// Start offsets of the comma-separated items so far (the first just after the bracket).
  std::vector<uint32_t> items;
};

struct TextContext {
  bool in_string = false;   // inside string text (not an interpolation)
  bool in_comment = false;
  std::vector<Frame> frames;  // outermost first
};

/// Scans `text` from the start up to `offset`, skipping strings (but not their
/// `{{ }}` interpolations) and comments.
TextContext ScanTo(std::string_view text, uint32_t offset);

bool IsIdentChar(char c);
/// The identifier characters that end at `offset` (the word being typed).
std::string_view WordBefore(std::string_view text, uint32_t offset);
/// The offset of the last non-space character before `offset`, or -1.
int64_t PrevNonSpace(std::string_view text, uint32_t offset);
/// The dotted name that ends right before `offset` (`mod.train` → {"mod", "train"}), skipping spaces.
std::vector<std::string> ChainBefore(std::string_view text, uint32_t offset);
/// The identifier ending right before `offset` after skipping spaces ("" if none).
std::string IdentBefore(std::string_view text, uint32_t offset, uint32_t* start = nullptr);

}  // namespace flow::lsp

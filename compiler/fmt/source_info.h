// What the formatter needs from the source text besides the AST: the comments
// (with whether each trails code on its line), where blank lines were, and the
// positions of punctuation the AST does not record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/parse/token.h"

namespace flow::format {

/// One `#` or `##` comment of the source.
struct SourceComment {
  uint32_t begin = 0;
  std::string text;        // as written, trailing whitespace removed
  bool trailing = false;   // code precedes it on its line
  bool blank_before = false;  // an empty line separates it from what precedes it
};

class SourceInfo {
 public:
  /// `tokens` is parse::Tokenize's output for `text`.
  SourceInfo(std::string_view text, const std::vector<parse::Token>& tokens);

  const std::vector<SourceComment>& comments() const { return comments_; }
  std::string_view text() const { return text_; }
  std::string_view Text(uint32_t begin, uint32_t end) const { return text_.substr(begin, end - begin); }

  /// Whether an empty line lies right before `offset` (only whitespace between).
  bool BlankLineBefore(uint32_t offset) const;
  /// Whether only spaces lie between `offset` and the end of its line: used on
  /// an opening `{` to keep a construct its author wrote expanded, expanded.
  bool LineEndsAfter(uint32_t offset) const;
  /// Whether a comment on a line of its own lies in [begin, end).
  bool OwnLineCommentIn(uint32_t begin, uint32_t end) const;

  /// The offset of the first code token of `kind` beginning at or after `from`.
  std::optional<uint32_t> Find(parse::TokenKind kind, uint32_t from) const;
  /// The offset of the last code token of `kind` beginning before `before`.
  std::optional<uint32_t> FindBefore(parse::TokenKind kind, uint32_t before) const;
  /// The code tokens (no comments) that begin in [begin, end).
  std::vector<parse::Token> TokensIn(uint32_t begin, uint32_t end) const;

 private:
  std::string_view text_;
  std::vector<parse::Token> code_;  // tokens without comments or EndOfFile
  std::vector<SourceComment> comments_;
};

}  // namespace flow::format

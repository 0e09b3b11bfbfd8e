#include "compiler/fmt/source_info.h"

#include <algorithm>

namespace flow::format {

using parse::Token;
using parse::TokenKind;

SourceInfo::SourceInfo(std::string_view text, const std::vector<Token>& tokens) : text_(text) {
  uint32_t previous_code_end = 0;
  bool any_code = false;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::EndOfFile) break;
    if (token.kind == TokenKind::Comment || token.kind == TokenKind::DocComment) {
      SourceComment comment;
      comment.begin = token.range.begin;
      std::string_view body = Text(token.range.begin, token.range.end);
      while (!body.empty() && (body.back() == ' ' || body.back() == '\t' || body.back() == '\r'))
        body.remove_suffix(1);
      comment.text = std::string(body);
      comment.trailing = any_code && Text(previous_code_end, token.range.begin).find('\n') == std::string_view::npos;
      comment.blank_before = BlankLineBefore(token.range.begin);
      comments_.push_back(std::move(comment));
      continue;
    }
    code_.push_back(token);
    previous_code_end = token.range.end;
    any_code = true;
  }
}

bool SourceInfo::BlankLineBefore(uint32_t offset) const {
  int newlines = 0;
  for (uint32_t i = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size())); i-- > 0;) {
    char c = text_[i];
    if (c == '\n') {
      if (++newlines == 2) return true;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\f') {
      return false;
    }
  }
  return false;
}

bool SourceInfo::LineEndsAfter(uint32_t offset) const {
  for (size_t i = offset + 1; i < text_.size(); ++i) {
    char c = text_[i];
    if (c == '\n') return true;
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f') return false;
  }
  return true;
}

bool SourceInfo::OwnLineCommentIn(uint32_t begin, uint32_t end) const {
  auto it = std::lower_bound(comments_.begin(), comments_.end(), begin,
                             [](const SourceComment& c, uint32_t offset) { return c.begin < offset; });
  for (; it != comments_.end() && it->begin < end; ++it)
    if (!it->trailing) return true;
  return false;
}

std::optional<uint32_t> SourceInfo::Find(TokenKind kind, uint32_t from) const {
  auto it = std::lower_bound(code_.begin(), code_.end(), from,
                             [](const Token& t, uint32_t offset) { return t.range.begin < offset; });
  for (; it != code_.end(); ++it)
    if (it->kind == kind) return it->range.begin;
  return std::nullopt;
}

std::optional<uint32_t> SourceInfo::FindBefore(TokenKind kind, uint32_t before) const {
  auto it = std::lower_bound(code_.begin(), code_.end(), before,
                             [](const Token& t, uint32_t offset) { return t.range.begin < offset; });
  while (it != code_.begin()) {
    --it;
    if (it->kind == kind) return it->range.begin;
  }
  return std::nullopt;
}

std::vector<Token> SourceInfo::TokensIn(uint32_t begin, uint32_t end) const {
  auto it = std::lower_bound(code_.begin(), code_.end(), begin,
                             [](const Token& t, uint32_t offset) { return t.range.begin < offset; });
  std::vector<Token> found;
  for (; it != code_.end() && it->range.begin < end; ++it) found.push_back(*it);
  return found;
}

}  // namespace flow::format

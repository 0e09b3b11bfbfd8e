#include "compiler/parse/syntax_message.h"

#include <algorithm>

#include <fmt/format.h>

namespace flow::parse {
namespace {

bool Contains(const std::vector<TokenKind>& kinds, TokenKind kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

/// Tokens that could only continue what came before (an operator after an
/// operand, a postfix). Listing them in "expected ..." helps nobody.
bool IsContinuation(TokenKind kind) {
  using K = TokenKind;
  static constexpr TokenKind kKinds[] = {
      K::Plus, K::Minus, K::Star, K::Slash, K::Percent, K::EqualEqual, K::NotEqual, K::Less,
      K::LessEqual, K::Greater, K::GreaterEqual, K::And, K::Or, K::QuestionQuestion,
      K::Question, K::Dot, K::LParen, K::LBracket, K::With, K::After, K::Limit, K::As};
  return std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

std::string Describe(TokenKind kind) {
  if (HasFixedSpelling(kind)) return fmt::format("`{}`", TokenKindSpelling(kind));
  return std::string(TokenKindSpelling(kind));
}

}  // namespace

std::string DescribeFound(TokenKind kind, std::string_view text) {
  if (kind == TokenKind::EndOfFile) return "end of file";
  if (kind == TokenKind::StringOpen || kind == TokenKind::TripleOpen) return "a string";
  if (kind == TokenKind::StringUnterminated) return "end of line";
  if (kind == TokenKind::StringText) return "string text";
  if (text.size() > 40) return Describe(kind);
  return fmt::format("`{}`", text);
}

std::string SyntaxErrorMessage(const std::vector<TokenKind>& expected, TokenKind found_kind,
                               std::string_view found_text) {
  using K = TokenKind;
  std::string found = DescribeFound(found_kind, found_text);
  // Everything that can start an expression is summed up in one word.
  bool expression = Contains(expected, K::Ident) && Contains(expected, K::Int) &&
                    Contains(expected, K::StringOpen);
  std::vector<std::string> items;
  if (expression) items.push_back("an expression");
  static constexpr TokenKind kExpressionStarts[] = {
      K::Ident, K::Int, K::Float, K::Duration, K::Size, K::BadNumber, K::StringOpen, K::TripleOpen,
      K::True, K::False, K::None, K::LParen, K::LBracket, K::LBrace, K::If, K::For, K::Not,
      K::Minus, K::Try, K::Limit, K::As};
  std::vector<TokenKind> rest;
  for (TokenKind kind : expected) {
    if (expression && std::find(std::begin(kExpressionStarts), std::end(kExpressionStarts), kind) !=
                          std::end(kExpressionStarts))
      continue;
    rest.push_back(kind);
  }
  // Drop operators and postfixes when something more telling remains.
  std::vector<TokenKind> telling;
  for (TokenKind kind : rest)
    if (!IsContinuation(kind)) telling.push_back(kind);
  if (!telling.empty() || expression) rest = telling;
  // `limit`/`as` are contextual names; "a name" already covers them.
  if (Contains(rest, K::Ident))
    rest.erase(std::remove_if(rest.begin(), rest.end(), [](TokenKind k) { return k == K::Limit || k == K::As; }),
               rest.end());
  for (TokenKind kind : rest) items.push_back(Describe(kind));
  if (items.empty() || items.size() > 5) return fmt::format("unexpected {}", found);
  std::string list;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) list += i + 1 == items.size() ? " or " : ", ";
    list += items[i];
  }
  return fmt::format("expected {}, found {}", list, found);
}

}  // namespace flow::parse

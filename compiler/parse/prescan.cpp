#include "compiler/parse/prescan.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/parse/parse.h"

namespace flow::parse {

std::string DescribeCharacter(std::string_view bytes) {
  DecodedText decoded = DecodeUtf8(bytes);
  if (decoded.code_points.empty()) return "";
  char32_t cp = decoded.code_points[0];
  if (cp < 0x20 || cp == 0x7F || cp == 0xFFFD || (cp >= 0x80 && cp < 0xA0) ||
      (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF)
    return fmt::format("\\u{{{:x}}}", static_cast<uint32_t>(cp));
  return std::string(bytes);
}

namespace {

/// What an entry of the nesting stack stands for; mirrors the lexer's modes.
enum class Frame : uint8_t { Brace, Paren, Bracket, String, Triple, Interp };

bool IsOneOf(TokenKind kind, std::initializer_list<TokenKind> kinds) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

/// Operators that deepen the tree being built within one bracket level.
bool DeepensChain(TokenKind kind) {
  using K = TokenKind;
  return IsOneOf(kind, {K::Plus, K::Minus, K::Star, K::Slash, K::Percent, K::EqualEqual,
                        K::NotEqual, K::Less, K::LessEqual, K::Greater, K::GreaterEqual,
                        K::And, K::Or, K::Not, K::Try, K::QuestionQuestion, K::Dot, K::Else,
                        K::Question});
}

bool EndsOperand(TokenKind kind) {
  using K = TokenKind;
  return IsOneOf(kind, {K::Ident, K::Int, K::Float, K::Duration, K::Size, K::BadNumber, K::True,
                        K::False, K::None, K::RParen, K::RBracket, K::RBrace, K::StringClose,
                        K::TripleClose, K::StringUnterminated});
}

bool StartsOperand(TokenKind kind) {
  using K = TokenKind;
  return IsOneOf(kind, {K::Ident, K::Int, K::Float, K::Duration, K::Size, K::BadNumber, K::True,
                        K::False, K::None, K::StringOpen, K::TripleOpen, K::If, K::For, K::Try,
                        K::Not, K::Minus});
}

/// Tokens after which a new, independent expression starts at the same level.
bool ResetsChain(TokenKind kind) {
  using K = TokenKind;
  return IsOneOf(kind, {K::Comma, K::Colon, K::Assign, K::Arrow, K::Let, K::Return, K::Finally,
                        K::For, K::In, K::Limit, K::With, K::After, K::Import, K::Struct,
                        K::Enum, K::Const, K::Task, K::Workflow});
}

}  // namespace

PrescanResult Prescan(const TokenTable& tokens, std::string_view text,
                      const DecodedText& decoded, ErrorBudget& budget) {
  PrescanResult result;
  struct Open {
    Frame frame;
    size_t token;
    int chain;  // chain operators seen at this level
  };
  std::vector<Open> stack;
  int chain = 0;  // chain operators at the top level
  int depth = 0;  // stack.size() + every level's chain: a bound on the tree's depth
  bool depth_reported = false;

  auto push = [&](Frame frame, size_t index) {
    stack.push_back({frame, index, chain});
    depth -= chain;  // the saved chain is counted again on pop
    depth += chain + 1;
    chain = 0;
  };
  auto pop = [&] {
    if (stack.empty()) return;
    depth -= chain + 1;
    chain = stack.back().chain;
    stack.pop_back();
  };

  TokenKind previous = TokenKind::EndOfFile;  // the last token on the default channel
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.kind == TokenKind::Comment || token.kind == TokenKind::DocComment) continue;
    // Two operands side by side (`f(x)` then `g.h(y)`): statements have no
    // separator, so this is where a new expression starts.
    if (token.kind != TokenKind::Minus && EndsOperand(previous) && StartsOperand(token.kind)) {
      depth -= chain;
      chain = 0;
    }
    if (token.kind != TokenKind::Error) previous = token.kind;
    using K = TokenKind;
    K kind = token.kind;
    if (kind == K::Error) {
      uint32_t begin = token.range.begin;
      // Bytes that were invalid UTF-8 are already reported (E0007).
      if (!std::binary_search(decoded.invalid_offsets.begin(), decoded.invalid_offsets.end(), begin)) {
        std::string_view bytes = text.substr(begin, token.range.end - begin);
        budget.Emit(token.range, diag::Kind::UnexpectedCharacter, DescribeCharacter(bytes));
      }
    } else if (kind == K::StringUnterminated) {
      SourceRange range = token.range;
      if (!stack.empty()) range.begin = tokens[stack.back().token].range.begin;
      range.end = token.range.begin;  // up to the end of the line
      budget.Emit(range, diag::Kind::UnterminatedString);
      pop();
    } else if (kind == K::StringOpen) {
      push(Frame::String, i);
    } else if (kind == K::TripleOpen) {
      push(Frame::Triple, i);
    } else if (kind == K::InterpOpen) {
      push(Frame::Interp, i);
    } else if (kind == K::LBrace) {
      push(Frame::Brace, i);
    } else if (kind == K::LParen) {
      push(Frame::Paren, i);
    } else if (kind == K::LBracket) {
      push(Frame::Bracket, i);
    } else if (kind == K::RParen || kind == K::RBracket) {
      // Only close a matching bracket, so a stray `)` cannot unbalance braces.
      Frame want = kind == K::RParen ? Frame::Paren : Frame::Bracket;
      if (!stack.empty() && stack.back().frame == want) pop();
    } else if (IsOneOf(kind, {K::RBrace, K::StringClose, K::TripleClose, K::InterpClose})) {
      // The lexer pops one mode here; brackets left open inside close with it.
      while (!stack.empty() && (stack.back().frame == Frame::Paren || stack.back().frame == Frame::Bracket))
        pop();
      pop();
    } else if (DeepensChain(kind)) {
      ++chain;
      ++depth;
    } else if (ResetsChain(kind)) {
      depth -= chain;
      chain = 0;
    }
    if (depth > kMaxNestingDepth && !depth_reported) {
      depth_reported = true;
      result.parse = false;
      // Always reported, even past the error budget: it explains why the file was not parsed.
      auto report = budget.diags().Build(token.range, diag::Kind::NestingTooDeep, std::to_string(kMaxNestingDepth));
      if (chain * 2 > depth) {
        // Mostly a flat chain such as `1 + 2 + 3 + ...`: its tree is as deep as it is long.
        report.Note(fmt::format("each operator of a chain like `a + b + c` is one level deeper in the expression "
                                "tree; this chain has {} so far: split it into `let` bindings or use a list "
                                "(`sum([...])`, `join([...], \"\")`)",
                                chain));
      }
      report.Emit();
    }
  }
  // A string mode still open at the end of the file: report the innermost one.
  for (size_t k = stack.size(); k-- > 0;) {
    if (stack[k].frame == Frame::String || stack[k].frame == Frame::Triple) {
      const Token& open = tokens[stack[k].token];
      budget.Emit(SourceRange{open.range.file, open.range.begin, open.range.end},
                  diag::Kind::UnterminatedString);
      result.unterminated_at_eof = true;
      break;
    }
  }
  return result;
}

}  // namespace flow::parse

// ANTLR token plumbing that keeps the parser's memory proportional to one
// statement instead of the whole file. Included only by parse.cpp.
//
// ANTLR's CommonTokenStream owns one heap-allocated CommonToken (~110 bytes)
// per token of the file for the whole parse. Here the file is lexed once into
// compact RawTokens; ReplayTokenSource turns them back into CommonTokens on
// demand, and WindowedTokenStream lets the parser driver drop the tokens of
// statements that are already turned into AST. A dropped token that ANTLR
// asks for again (looking back across a statement boundary, or seeking back
// for the full-LL retry of a declaration) is simply re-created.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "antlr4-runtime.h"

namespace flow::parse {

/// What is needed to re-create one lexer token: 12 bytes, where ANTLR's
/// CommonToken takes ~110. Line and column are left out: Flow reports
/// positions from its own byte ranges (parse.cpp's `Token`), and ANTLR reads
/// them only to word its own error messages, which Flow replaces.
struct RawToken {
  uint32_t start;   // code-point index of the first character
  uint32_t stop;    // code-point index of the last character; kNoIndex when empty
  uint16_t type;    // kNoType for EOF (size_t(-1) in ANTLR)
  uint16_t channel;
  static constexpr uint32_t kNoIndex = std::numeric_limits<uint32_t>::max();
  static constexpr uint16_t kNoType = std::numeric_limits<uint16_t>::max();
};
static_assert(sizeof(RawToken) == 12);

/// Re-creates the lexer's tokens, in order, from RawTokens.
class ReplayTokenSource : public antlr4::TokenSource {
 public:
  ReplayTokenSource(const std::vector<RawToken>& tokens, antlr4::CharStream* input, std::string source_name)
      : tokens_(tokens), input_(input), source_name_(std::move(source_name)) {}

  /// The token at `index` (the last one, EOF, for any index past the end).
  std::unique_ptr<antlr4::Token> Make(size_t index) {
    const RawToken& raw = tokens_[std::min(index, tokens_.size() - 1)];
    size_t type = raw.type == RawToken::kNoType ? antlr4::Token::EOF : raw.type;
    auto token = std::make_unique<antlr4::CommonToken>(std::make_pair(this, input_), type, raw.channel,
                                                       Widen(raw.start), Widen(raw.stop));
    token->setTokenIndex(index);
    return token;
  }

  std::unique_ptr<antlr4::Token> nextToken() override { return Make(next_++); }
  // Not kept (see RawToken); only ANTLR's conjured tokens read these.
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() override { return 0; }
  antlr4::CharStream* getInputStream() override { return input_; }
  std::string getSourceName() override { return source_name_; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  static size_t Widen(uint32_t value) {
    // EOF's type and an empty token's stop index are size_t(-1) in ANTLR.
    return value == RawToken::kNoIndex ? std::numeric_limits<size_t>::max() : value;
  }

  const std::vector<RawToken>& tokens_;  // never empty: ends with EOF
  antlr4::CharStream* input_;
  std::string source_name_;
  size_t next_ = 0;
};

/// A CommonTokenStream whose consumed tokens can be dropped (DropBefore) and
/// are re-created from the source whenever ANTLR reaches one again.
class WindowedTokenStream : public antlr4::CommonTokenStream {
 public:
  /// `token_count`: how many tokens the source will give (the pointer array
  /// is sized once instead of doubling past the file's million tokens).
  WindowedTokenStream(ReplayTokenSource* source, size_t token_count)
      : CommonTokenStream(source), replay_(source) {
    _tokens.reserve(token_count);
  }

  /// Frees the tokens before `index` (the parser is past them).
  void DropBefore(size_t index) {
    index = std::min(index, _tokens.size());
    for (size_t i = dropped_end_; i < index; ++i) _tokens[i].reset();
    dropped_end_ = std::max(dropped_end_, index);
  }

  /// Re-creates every dropped token from `index` on (before seeking back).
  void RestoreFrom(size_t index) {
    for (size_t i = index; i < std::min(dropped_end_, _tokens.size()); ++i) Materialize(i);
  }

 /// ANTLR reads single tokens by index here (e.g. for NoViableAltException).
  antlr4::Token* get(size_t i) const override {
    const_cast<WindowedTokenStream*>(this)->Materialize(i);
    return CommonTokenStream::get(i);
  }

 protected:
  // The two walks every other access goes through (LT, LB, consume, seek),
  // written as BufferedTokenStream's, re-creating dropped tokens on the way.
  ssize_t nextTokenOnChannel(size_t i, size_t channel) override {
    sync(i);
    if (i >= size()) return static_cast<ssize_t>(size()) - 1;
    while (true) {
      Materialize(i);
      const antlr4::Token* token = _tokens[i].get();
      if (token->getChannel() == channel || token->getType() == antlr4::Token::EOF) return static_cast<ssize_t>(i);
      ++i;
      sync(i);
      if (i >= size()) return static_cast<ssize_t>(size()) - 1;
    }
  }
  ssize_t previousTokenOnChannel(size_t i, size_t channel) override {
    sync(i);
    if (i >= size()) return static_cast<ssize_t>(size()) - 1;
    while (true) {
      Materialize(i);
      const antlr4::Token* token = _tokens[i].get();
      if (token->getType() == antlr4::Token::EOF || token->getChannel() == channel) return static_cast<ssize_t>(i);
      if (i == 0) return -1;
      --i;
    }
  }

 private:
  void Materialize(size_t i) {
    if (i < _tokens.size() && !_tokens[i]) _tokens[i] = replay_->Make(i);
  }

  ReplayTokenSource* replay_;
  size_t dropped_end_ = 0;  // tokens [0, dropped_end_) may be dropped
};

}  // namespace flow::parse

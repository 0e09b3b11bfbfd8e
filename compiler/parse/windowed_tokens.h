// ANTLR token plumbing that keeps the parser's memory proportional to one
// statement instead of the whole file. Included only by parse.cpp.
//
// ANTLR's CommonTokenStream owns one heap-allocated CommonToken (~110 bytes)
// per token of the file, plus an 8-byte pointer to it, for the whole parse.
// Here the file is lexed once into a TokenTable (12 bytes a token). The parser's
// tokens are 24-byte views made on demand, kept in a window that the driver
// empties after each statement or declaration that is turned into AST. A token
// ANTLR asks for again (looking back across a statement, or seeking back for
// the full-LL retry of a declaration) is simply made again.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "antlr4-runtime.h"
#include "compiler/parse/token_table.h"

namespace flow::parse {

/// What the parser's tokens are made from.
struct ParserTokens {
  const TokenTable* table = nullptr;
  std::string_view text;  // the file, for getText()
  antlr4::TokenSource* source = nullptr;
  antlr4::CharStream* input = nullptr;

  size_t size() const { return table->size(); }
  size_t Type(size_t i) const {
    uint8_t type = table->parser_type(i);
    return type == TokenTable::kEofType ? antlr4::Token::EOF : type;
  }
  std::string_view Spelling(size_t i) const {
    SourceRange range = table->range(i);
    return text.substr(range.begin, range.end - range.begin);
  }
};

/// One token as ANTLR sees it, made from ParserTokens. Line and column are
/// not kept: Flow reports positions from its own byte ranges, and ANTLR reads
/// them only to word its own messages, which Flow replaces. Start and stop are
/// byte offsets (ANTLR's own tokens count code points); only Flow reads them.
class TokenView final : public antlr4::Token {
 public:
  TokenView(const ParserTokens* file, uint32_t index) : file_(file), index_(index) {}

  std::string getText() const override { return std::string(file_->Spelling(index_)); }
  size_t getType() const override { return file_->Type(index_); }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() const override { return 0; }
  size_t getChannel() const override { return file_->table->channel(index_); }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return file_->table->range(index_).begin; }
  size_t getStopIndex() const override { return static_cast<size_t>(file_->table->range(index_).end) - 1; }
  antlr4::TokenSource* getTokenSource() const override { return file_->source; }
  antlr4::CharStream* getInputStream() const override { return file_->input; }
  std::string toString() const override {
    return "[@" + std::to_string(index_) + ",'" + getText() + "',<" + std::to_string(getType()) + ">]";
  }

 private:
  const ParserTokens* file_;
  uint32_t index_;
};

/// The TokenSource ANTLR's error recovery asks for (to make the tokens it
/// conjures); the tokens themselves come from WindowedTokenStream.
class LexedTokenSource : public antlr4::TokenSource {
 public:
  LexedTokenSource(antlr4::CharStream* input, std::string source_name)
      : input_(input), source_name_(std::move(source_name)) {}

  std::unique_ptr<antlr4::Token> nextToken() override {
    return std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF);  // never read: see the class comment
  }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() override { return 0; }
  antlr4::CharStream* getInputStream() override { return input_; }
  std::string getSourceName() override { return source_name_; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  antlr4::CharStream* input_;
  std::string source_name_;
};

/// The parser's token stream: CommonTokenStream's behaviour (only tokens on
/// the default channel are seen; EOF ends every walk) over ParserTokens, with
/// the token views it hands out kept in a window the driver can empty.
class WindowedTokenStream : public antlr4::TokenStream {
 public:
  explicit WindowedTokenStream(const ParserTokens& file) : file_(file), p_(NextOnChannel(0)) {}

  /// Frees the views before `index`: the parse trees that pointed at them
  /// are gone (the driver resets the parser first).
  void DropBefore(size_t index) {
    while (!window_.empty() && base_ < index) {
      window_.pop_front();
      ++base_;
    }
  }

  // --- antlr4::IntStream ---
  void consume() override {
    if (LA(1) == antlr4::Token::EOF) throw antlr4::IllegalStateException("cannot consume EOF");
    p_ = NextOnChannel(p_ + 1);
  }
  size_t LA(ssize_t i) override {
    ssize_t at = At(i);
    return at < 0 ? antlr4::Token::INVALID_TYPE : file_.Type(static_cast<size_t>(at));
  }
  ssize_t mark() override { return 0; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = NextOnChannel(std::min(index, Last())); }
  size_t size() override { return file_.size(); }
  std::string getSourceName() const override { return file_.source->getSourceName(); }

  // --- antlr4::TokenStream ---
  antlr4::Token* LT(ssize_t k) override {
    ssize_t at = At(k);
    return at < 0 ? nullptr : View(static_cast<size_t>(at));
  }
  antlr4::Token* get(size_t index) const override {
    return const_cast<WindowedTokenStream*>(this)->View(std::min(index, Last()));
  }
  antlr4::TokenSource* getTokenSource() const override { return file_.source; }
  std::string getText(const antlr4::misc::Interval& interval) override {
    if (interval.a < 0 || interval.b < interval.a || file_.size() == 0) return "";
    size_t first = static_cast<size_t>(interval.a);
    size_t last = std::min(static_cast<size_t>(interval.b), Last());
    if (first > last) return "";
    SourceRange from = file_.table->range(first);
    SourceRange to = file_.table->range(last);
    return std::string(file_.text.substr(from.begin, std::max(from.begin, to.end) - from.begin));
  }
  std::string getText() override { return std::string(file_.text); }
  std::string getText(antlr4::RuleContext* ctx) override { return getText(ctx->getSourceInterval()); }
  std::string getText(antlr4::Token* start, antlr4::Token* stop) override {
    if (start == nullptr || stop == nullptr) return "";
    return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
  }

 private:
  size_t Last() const { return file_.size() - 1; }  // EOF's index (the file has at least EOF)
  bool OnChannel(size_t i) const {
    return file_.table->channel(i) == antlr4::Token::DEFAULT_CHANNEL ||
           file_.table->parser_type(i) == TokenTable::kEofType;
  }
  size_t NextOnChannel(size_t i) const {
    while (i < Last() && !OnChannel(i)) ++i;
    return std::min(i, Last());
  }

  /// The index of LT(k): k > 0 counts on-channel tokens from the current one,
  /// k < 0 counts back from it; -1 when there is no such token.
  ssize_t At(ssize_t k) const {
    if (k == 0) return -1;
    size_t i = p_;
    if (k > 0) {
      for (ssize_t n = 1; n < k && i < Last(); ++n) i = NextOnChannel(i + 1);
      return static_cast<ssize_t>(i);
    }
    for (ssize_t n = 0; n < -k; ++n) {
      do {
        if (i == 0) return -1;
        --i;
      } while (!OnChannel(i));
    }
    return static_cast<ssize_t>(i);
  }

  /// The view of token `i`, made if it is not in the window. A deque keeps
  /// the address of every view while the window grows at either end.
  antlr4::Token* View(size_t i) {
    if (window_.empty()) base_ = i;
    for (; i < base_; --base_) window_.emplace_front(&file_, static_cast<uint32_t>(base_ - 1));
    while (i >= base_ + window_.size()) window_.emplace_back(&file_, static_cast<uint32_t>(base_ + window_.size()));
    return &window_[i - base_];
  }

  const ParserTokens& file_;
  size_t p_;                        // the current token: on the default channel, or EOF
  std::deque<TokenView> window_;    // views of tokens [base_, base_ + window_.size())
  size_t base_ = 0;
};

}  // namespace flow::parse

// The tokens of one file as the parser keeps them: 12 bytes a token, for a
// file's million tokens, instead of Flow's 16-byte `Token` plus what ANTLR
// needs. Used only inside compiler/parse; `Tokenize` hands out plain Tokens.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/parse/token.h"

namespace flow::parse {

class TokenTable {
 public:
  /// ANTLR's token type of EOF (size_t(-1) in ANTLR) as stored here.
  static constexpr uint8_t kEofType = 0xFF;

  explicit TokenTable(FileId file = FileId{}) : file_(file) {}

  void reserve(size_t n) { entries_.reserve(n); }
  /// `parser_type` and `channel` are ANTLR's (the caller checks they fit).
  void push_back(TokenKind kind, SourceRange range, uint8_t parser_type, uint8_t channel) {
    entries_.push_back({range.begin, range.end, kind, parser_type, channel});
  }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  FileId file() const { return file_; }
  Token operator[](size_t i) const { return Token{kind(i), range(i)}; }
  TokenKind kind(size_t i) const { return entries_[i].kind; }
  SourceRange range(size_t i) const { return SourceRange{file_, entries_[i].begin, entries_[i].end}; }
  /// ANTLR's token type; kEofType for the end of the file.
  uint8_t parser_type(size_t i) const { return entries_[i].parser_type; }
  uint8_t channel(size_t i) const { return entries_[i].channel; }

  /// Flow's view of every token.
  std::vector<Token> ToTokens() const {
    std::vector<Token> tokens;
    tokens.reserve(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i) tokens.push_back((*this)[i]);
    return tokens;
  }

 private:
  struct Entry {
    uint32_t begin;
    uint32_t end;
    TokenKind kind;
    uint8_t parser_type;
    uint8_t channel;
  };
  static_assert(sizeof(Entry) == 12);

  FileId file_;
  std::vector<Entry> entries_;
};

}  // namespace flow::parse

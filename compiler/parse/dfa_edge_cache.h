// ANTLR's simulators with a private cache of DFA edges in front of the shared
// DFA. The ANTLR 4.9 runtime looks every edge up in an unordered_map behind a
// process-wide lock, once per character in the lexer and once per token of
// lookahead in the parser: a fifth of lexing a large file went to that lock.
// Here each (DFA, state, symbol) edge, once found in the shared DFA, is kept
// in a flat table owned by this simulator (one lexer or parser, one thread),
// so later lookups take an array index. Edges of ANTLR's DFA are only ever
// added, never changed or removed (we never clear the DFA), so a cached edge
// stays right; an edge not yet known goes to ANTLR's own lookup and, failing
// that, to its ATN simulation as before. What is parsed does not change.
#pragma once

#include <antlr4-runtime.h>

#include <array>
#include <memory>
#include <vector>

namespace flow::parse {

/// Edges out of the states of one DFA, by state number then symbol.
class DfaEdgeTable {
 public:
  /// Symbols below this have a slot; others always take ANTLR's lookup.
  static constexpr size_t kSymbols = 128;
  /// States numbered from this on are not cached (ANTLR's ERROR state has a
  /// huge number; a real DFA of ours has a few thousand states).
  static constexpr int kMaxStates = 1 << 16;

  antlr4::dfa::DFAState* Find(int state, size_t symbol) const {
    if (state < 0 || symbol >= kSymbols || static_cast<size_t>(state) >= rows_.size() || !rows_[state]) return nullptr;
    return (*rows_[state])[symbol];
  }
  void Add(int state, size_t symbol, antlr4::dfa::DFAState* target);

 private:
  std::vector<std::unique_ptr<std::array<antlr4::dfa::DFAState*, kSymbols>>> rows_;
};

class CachingLexerSimulator : public antlr4::atn::LexerATNSimulator {
 public:
  using LexerATNSimulator::LexerATNSimulator;

 protected:
  antlr4::dfa::DFAState* getExistingTargetState(antlr4::dfa::DFAState* s, size_t t) override;

 private:
  std::vector<DfaEdgeTable> tables_;  // by lexer mode
};

class CachingParserSimulator : public antlr4::atn::ParserATNSimulator {
 public:
  using ParserATNSimulator::ParserATNSimulator;

 protected:
  antlr4::dfa::DFAState* getExistingTargetState(antlr4::dfa::DFAState* previous, size_t t) override;

 private:
  std::vector<DfaEdgeTable> tables_;  // by decision
};

/// Replaces `lexer`'s simulator with a caching one sharing the same DFA.
void UseCachingSimulator(antlr4::Lexer& lexer);
/// Replaces `parser`'s simulator with a caching one sharing the same DFA;
/// call before setting its prediction mode.
void UseCachingSimulator(antlr4::Parser& parser);

}  // namespace flow::parse

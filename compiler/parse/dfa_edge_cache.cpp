// Simulators with a private DFA-edge cache (dfa_edge_cache.h).
#include "compiler/parse/dfa_edge_cache.h"

namespace flow::parse {

using antlr4::dfa::DFAState;

void DfaEdgeTable::Add(int state, size_t symbol, DFAState* target) {
  if (state < 0 || state >= kMaxStates || symbol >= kSymbols) return;
  if (static_cast<size_t>(state) >= rows_.size()) rows_.resize(static_cast<size_t>(state) + 1);
  if (!rows_[state]) {
    rows_[state] = std::make_unique<std::array<DFAState*, kSymbols>>();
    rows_[state]->fill(nullptr);
  }
  (*rows_[state])[symbol] = target;
}

namespace {

DFAState* Cached(std::vector<DfaEdgeTable>& tables, size_t table, DFAState* from, size_t symbol) {
  return table < tables.size() ? tables[table].Find(from->stateNumber, symbol) : nullptr;
}

void Remember(std::vector<DfaEdgeTable>& tables, size_t table, DFAState* from, size_t symbol, DFAState* to) {
  if (to == nullptr) return;  // unknown yet: ANTLR will simulate and add it
  if (table >= tables.size()) tables.resize(table + 1);
  tables[table].Add(from->stateNumber, symbol, to);
}

}  // namespace

DFAState* CachingLexerSimulator::getExistingTargetState(DFAState* s, size_t t) {
  // The lexer's DFA states are numbered within the DFA of the current mode.
  if (DFAState* hit = Cached(tables_, _mode, s, t)) return hit;
  DFAState* target = LexerATNSimulator::getExistingTargetState(s, t);
  Remember(tables_, _mode, s, t, target);
  return target;
}

DFAState* CachingParserSimulator::getExistingTargetState(DFAState* previous, size_t t) {
  // adaptivePredict sets _dfa to the DFA of the decision being predicted.
  if (_dfa == nullptr) return ParserATNSimulator::getExistingTargetState(previous, t);
  if (DFAState* hit = Cached(tables_, _dfa->decision, previous, t)) return hit;
  DFAState* target = ParserATNSimulator::getExistingTargetState(previous, t);
  Remember(tables_, _dfa->decision, previous, t, target);
  return target;
}

void UseCachingSimulator(antlr4::Lexer& lexer) {
  auto* old = lexer.getInterpreter<antlr4::atn::LexerATNSimulator>();
  if (old == nullptr) return;
  // setInterpreter deletes the simulator it replaces.
  lexer.setInterpreter(
      new CachingLexerSimulator(&lexer, old->atn, old->_decisionToDFA, old->getSharedContextCache()));
}

void UseCachingSimulator(antlr4::Parser& parser) {
  auto* old = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  if (old == nullptr) return;
  parser.setInterpreter(
      new CachingParserSimulator(&parser, old->atn, old->decisionToDFA, old->getSharedContextCache()));
}

}  // namespace flow::parse

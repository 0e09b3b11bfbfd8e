// Token matching without token objects (match_token.h). The loop is
// antlr4::Lexer::nextToken of the 4.9 runtime, minus making the token.
#include "compiler/parse/match_token.h"

namespace flow::parse {

MatchedToken MatchNextToken(antlr4::Lexer& lexer, antlr4::atn::LexerATNSimulator& simulator) {
  antlr4::CharStream* input = lexer._input;
  while (true) {
    if (lexer.hitEOF) {
      size_t at = input->index();
      return MatchedToken{antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, at, at - 1};
    }
    lexer.channel = antlr4::Token::DEFAULT_CHANNEL;
    lexer.tokenStartCharIndex = input->index();
    bool skipped = false;
    do {
      lexer.type = antlr4::Token::INVALID_TYPE;
      size_t matched;
      try {
        matched = simulator.match(input, lexer.mode);
      } catch (antlr4::LexerNoViableAltException& e) {
        lexer.notifyListeners(e);
        lexer.recover(e);
        matched = antlr4::Lexer::SKIP;
      }
      if (input->LA(1) == antlr4::Token::EOF) lexer.hitEOF = true;
      if (lexer.type == antlr4::Token::INVALID_TYPE) lexer.type = matched;
      skipped = lexer.type == antlr4::Lexer::SKIP;
    } while (!skipped && lexer.type == antlr4::Lexer::MORE);
    if (skipped) continue;
    return MatchedToken{lexer.type, lexer.channel, lexer.tokenStartCharIndex, input->index() - 1};
  }
}

}  // namespace flow::parse

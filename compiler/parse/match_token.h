// Runs the generated lexer one token at a time without ANTLR's token objects.
// antlr4::Lexer::nextToken makes a CommonToken per token (a heap object with
// its line, column and source pair) and looks its simulator up by
// dynamic_cast four times per token; the front end keeps only each token's
// type, channel and extent (token_table.h), so it matches tokens itself.
#pragma once

#include <antlr4-runtime.h>

#include <cstddef>

namespace flow::parse {

/// One matched token: ANTLR's token type (antlr4::Token::EOF at the end), its
/// channel, and the code-point indexes of its first and last characters
/// (`stop` is `start - 1` for EOF, which covers no character).
struct MatchedToken {
  size_t type;
  size_t channel;
  size_t start;
  size_t stop;
};

/// The next token of `lexer`, matched exactly as antlr4::Lexer::nextToken
/// would (skipped tokens, `more`, mode pushes and pops, type and channel
/// actions, error recovery with the lexer's listeners), given the lexer's own
/// simulator. After EOF, returns EOF again.
MatchedToken MatchNextToken(antlr4::Lexer& lexer, antlr4::atn::LexerATNSimulator& simulator);

}  // namespace flow::parse

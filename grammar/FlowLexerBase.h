// Superclass of the generated FlowLexer (see `superClass` in FlowLexer.g4).
//
// Braces push and pop lexer modes so that `{ }` nest inside `{{ }}`; at the top
// level an unbalanced `}` would pop an empty mode stack, which the ANTLR runtime
// answers with an exception. Popping an empty stack here just stays in the
// default mode, so stray braces become ordinary syntax errors.
#pragma once

#include "antlr4-runtime.h"

class FlowLexerBase : public antlr4::Lexer {
 public:
  explicit FlowLexerBase(antlr4::CharStream* input) : antlr4::Lexer(input) {}

  size_t popMode() override {
    if (modeStack.empty()) return mode;
    return antlr4::Lexer::popMode();
  }

  /// The modes still open at the current position (innermost last); after the
  /// whole input is lexed, a string mode here means an unterminated string.
  const std::vector<size_t>& open_modes() const { return modeStack; }
};

// MatchNextToken and the caching simulators change how tokens are found, never
// which: on every input here, the tokens (type, channel, extent) are the ones
// ANTLR's own Lexer::nextToken gives with its own simulator.
#include "compiler/parse/match_token.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "FlowLexer.h"
#include "compiler/parse/dfa_edge_cache.h"

namespace flow::parse {
namespace {

using Tok = std::tuple<size_t, size_t, size_t, size_t>;  // type, channel, start, stop

std::vector<Tok> WithNextToken(const std::string& text) {
  antlr4::ANTLRInputStream input(text);
  flowgen::FlowLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<Tok> out;
  while (true) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    out.emplace_back(t->getType(), t->getChannel(), t->getStartIndex(), t->getStopIndex());
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

std::vector<Tok> WithMatchNextToken(const std::string& text, bool caching) {
  antlr4::ANTLRInputStream input(text);
  flowgen::FlowLexer lexer(&input);
  lexer.removeErrorListeners();
  if (caching) UseCachingSimulator(lexer);
  auto* simulator = lexer.getInterpreter<antlr4::atn::LexerATNSimulator>();
  std::vector<Tok> out;
  while (true) {
    MatchedToken t = MatchNextToken(lexer, *simulator);
    out.emplace_back(t.type, t.channel, t.start, t.stop);
    if (t.type == antlr4::Token::EOF) return out;
  }
}

const char* const kInputs[] = {
    "",
    "workflow main() {\n}\n",
    "# a comment\n## a doc comment\ntask t(x: Int = 3) -> (a: Int, b: File?) {\n  script = \"echo {{x}} > {{out.a}}\"\n}\n",
    "let s = \"a {{ {\"k\": [1, 2]}[\"k\"] }} b {{ if c { 1 } else { 2 } }}\"\n",
    "let t = \"\"\"\n  multi {{ x }} line \"quoted\" \\n\n  \"\"\"\n",
    "let d = 1h30m + 2s; let z = 1.5GiB; let e = 1e10 + .5 + 0x1F\n",
    "let bad = @ $ ` ~ \x01\n let u = \"unterminated\n",
    "let tri = \"\"\"never closed {{ x ",
    "} } }} {{ ]] ))",
    "let x = \"{{\" ",
    "let \xc3\xa9t\xc3\xa9 = \"\xe2\x9c\x93 {{ \xce\xbb }}\"\n",
    "a ?? b or not c and d <= e != f // g % h",
};

TEST(MatchNextToken, SameTokensAsAntlrNextToken) {
  for (const char* text : kInputs) {
    SCOPED_TRACE(text);
    std::vector<Tok> want = WithNextToken(text);
    EXPECT_EQ(WithMatchNextToken(text, /*caching=*/false), want);
    EXPECT_EQ(WithMatchNextToken(text, /*caching=*/true), want);
  }
}

TEST(MatchNextToken, SameTokensOnALongMixedInput) {
  // Long enough that the caching simulator answers mostly from its own table.
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += kInputs[2 + i % 5];
    text += "let v" + std::to_string(i) + " = f(x: " + std::to_string(i) + ", y: \"s{{i}}\")\n";
  }
  std::vector<Tok> want = WithNextToken(text);
  EXPECT_GT(want.size(), 5000u);
  EXPECT_EQ(WithMatchNextToken(text, /*caching=*/true), want);
}

TEST(MatchNextToken, KeepsReturningEofAtTheEnd) {
  antlr4::ANTLRInputStream input(std::string("let a = 1"));
  flowgen::FlowLexer lexer(&input);
  auto* simulator = lexer.getInterpreter<antlr4::atn::LexerATNSimulator>();
  size_t n = 0;
  while (MatchNextToken(lexer, *simulator).type != antlr4::Token::EOF) ++n;
  EXPECT_EQ(n, 4u);
  MatchedToken again = MatchNextToken(lexer, *simulator);
  EXPECT_EQ(again.type, antlr4::Token::EOF);
  EXPECT_EQ(again.start, 9u);
  EXPECT_EQ(again.stop, 8u);
}

}  // namespace
}  // namespace flow::parse

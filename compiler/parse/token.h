// Flow's own view of a token, independent of ANTLR, for `--dump-tokens`, the
// formatter and editors.
#pragma once

#include <cstdint>
#include <string_view>

#include "compiler/base/source.h"

namespace flow::parse {

enum class TokenKind : uint8_t {
#define FLOW_TOKEN(Name, spelling) Name,
#include "compiler/parse/token_kinds.def"
};

/// One token. Ranges are byte offsets; comments and doc comments are included
/// (whitespace is not: it is whatever lies between two ranges).
struct Token {
  TokenKind kind;
  SourceRange range;
};

/// "Ident", "LParen", ... (the enumerator's name).
std::string_view TokenKindName(TokenKind kind);
/// The fixed spelling (`(`, `let`) or a description ("a name", "end of file").
std::string_view TokenKindSpelling(TokenKind kind);
/// True for keywords and punctuation, whose spelling is the token's text.
bool HasFixedSpelling(TokenKind kind);

}  // namespace flow::parse

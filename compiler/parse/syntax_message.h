// The wording of E0001: "expected `)`, found `}`", "expected an expression,
// found `let`". Built from Flow token kinds, so it is independent of ANTLR.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/parse/token.h"

namespace flow::parse {

/// How the offending token reads in a message: "`let`", "`foo`", "end of file".
std::string DescribeFound(TokenKind kind, std::string_view text);

/// The message for a syntax error at a token of `found_kind` spelled
/// `found_text`, when the parser could have accepted any of `expected`.
std::string SyntaxErrorMessage(const std::vector<TokenKind>& expected, TokenKind found_kind,
                               std::string_view found_text);

}  // namespace flow::parse

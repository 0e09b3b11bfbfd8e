// Checks on the token stream made before the parser runs: stray characters
// (E0003), unterminated strings (E0002) and nesting depth (E0008). The depth
// check is what keeps ANTLR's recursive descent, the AST builder and every
// later recursive walk within a bounded stack on hostile input.
#pragma once

#include <string_view>
#include <vector>

#include "compiler/parse/error_budget.h"
#include "compiler/parse/token_table.h"
#include "compiler/parse/utf8.h"

namespace flow::parse {

struct PrescanResult {
  /// False when nesting is too deep: the file must not be parsed.
  bool parse = true;
  /// A string is still open at the end of the file (E0002 already reported);
  /// the parser's complaints at end of file are noise.
  bool unterminated_at_eof = false;
};

/// Reports the problems above through `budget`. `text` is the file's bytes;
/// `decoded` tells which bytes were invalid UTF-8 (already reported as E0007,
/// so their Error tokens are not reported again).
PrescanResult Prescan(const TokenTable& tokens, std::string_view text,
                      const DecodedText& decoded, ErrorBudget& budget);

/// How a stray character is shown in E0003: itself if printable, else `\u{1b}`.
std::string DescribeCharacter(std::string_view bytes);

}  // namespace flow::parse

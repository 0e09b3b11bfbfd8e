// The operators of Flow expressions, shared by the AST (what was written) and
// the IR (what runs): one enum, one spelling table, one precedence table, so the
// parser, the formatter, diagnostics and the backends can never disagree.
#pragma once

#include <cstdint>

namespace flow {

enum class UnaryOp : uint8_t { Neg, Not };

enum class BinaryOp : uint8_t {
  Add, Sub, Mul, Div, Mod,
  Eq, Ne, Lt, Le, Gt, Ge,
  And, Or,
  Coalesce,  // `??`
};

/// The operator as written in Flow source: "-", "not", "+", "==", "and", "??".
const char* Spelling(UnaryOp op);
const char* Spelling(BinaryOp op);

/// Binding strength as grammar/FlowParser.g4 parses it: higher binds tighter;
/// operators of one level associate to the left (`a - b + c`). `??` binds
/// loosest (0), then `or`, `and`, comparisons, `+ -`, and `* / %` (5).
int Precedence(BinaryOp op);

}  // namespace flow

// Unary and binary operators (LANGUAGE.md §3):
//   + on numbers, String (joins), List (concatenates, elements unify)
//   - * / % on numbers (Int op Int → Int; with a Float → Float)
//   Duration ± Duration, Duration * Int, Size ± Size, Size * Int
//   < <= > >= on two numbers, two strings, two Durations or two Sizes
//   == != on any two types that unify
//   and, or, not on Bool; ?? on an optional and a default
#include "compiler/check/checker.h"

namespace flow::check {

namespace {

using types::TypeKind;

// Local spellings, so that the checker does not depend on where ast.h's are defined.
const char* OpText(ast::UnaryOp op) {
  switch (op) {
    case ast::UnaryOp::Neg: return "-";
    case ast::UnaryOp::Not: return "not";
  }
  return "?";
}

const char* OpText(ast::BinaryOp op) {
  using Op = ast::BinaryOp;
  switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Coalesce: return "??";
  }
  return "?";
}

bool IsText(TypeKind k) { return k == TypeKind::String || k == TypeKind::File || k == TypeKind::Dir; }

}  // namespace

TypeId Checker::CheckUnary(const ast::UnaryExpr* expr) {
  TypeId operand = CheckExpr(expr->operand);
  if (types().IsError(operand)) return TypeStore::Error();
  TypeKind k = types().KindOf(operand);
  switch (expr->op) {
    case ast::UnaryOp::Neg:
      if (k == TypeKind::Int || k == TypeKind::Float) return operand;
      break;
    case ast::UnaryOp::Not:
      if (k == TypeKind::Bool) return operand;
      break;
  }
  auto builder = diags_.Build(expr->op_range.valid() ? expr->op_range : expr->range, diag::Kind::InvalidUnaryOperand,
                              OpText(expr->op), Str(operand));
  builder.Label(expr->operand->range, "this is `" + Str(operand) + "`");
  if (types().IsOptional(operand))
    builder.Note(fmt::format("the value may be `none`; give a default with `{} ?? value`", Text(expr->operand->range)));
  builder.Emit();
  return TypeStore::Error();
}

TypeId Checker::CheckBinary(const ast::BinaryExpr* expr, TypeId expected) {
  using Op = ast::BinaryOp;
  if (expr->op == Op::Coalesce) {
    TypeId lhs = CheckExpr(expr->lhs, expected);
    TypeId inner = types().StripOptional(lhs);
    TypeId rhs = CheckExpr(expr->rhs, types().IsError(inner) ? expected : inner);
    if (types().IsError(lhs) || types().IsError(rhs)) return TypeStore::Error();
    TypeId result = types().Unify(inner, rhs);
    if (!result.valid()) {
      diags_.Build(expr->rhs->range, diag::Kind::TypeMismatch, Str(inner), Str(rhs))
          .Label(expr->lhs->range, "the default must have the type of this value, `" + Str(inner) + "`")
          .Emit();
      return TypeStore::Error();
    }
    return result;
  }
  bool list_expected = expected.valid() && types().KindOf(types().StripOptional(expected)) == TypeKind::List;
  TypeId lhs = CheckExpr(expr->lhs, expr->op == Op::Add && list_expected ? expected : TypeId{});
  // The right operand of `+` on lists, or of a comparison with an enum, is
  // checked against the left one's type (so `[]` and `"member"` type-check).
  bool enum_lhs = types().KindOf(types().StripOptional(lhs)) == TypeKind::Enum;
  bool compare = expr->op == Op::Eq || expr->op == Op::Ne;
  TypeId rhs_expected{};
  if (expr->op == Op::Add && types().KindOf(lhs) == TypeKind::List) rhs_expected = lhs;
  if (compare && enum_lhs) rhs_expected = lhs;
  TypeId rhs = CheckExpr(expr->rhs, rhs_expected);
  // `"member" == e`: the literal on the left names a member of the enum on the right.
  if (compare && types().KindOf(types().StripOptional(rhs)) == TypeKind::Enum && lhs == TypeStore::String()) {
    const ast::Expr* left = StripParens(expr->lhs);
    if (left && left->Is<ast::StringLit>() && left->As<ast::StringLit>()->IsPlain()) {
      TypeId relhs = CheckExpr(expr->lhs, rhs);
      if (relhs == types().StripOptional(rhs)) lhs = relhs;
    }
  }
  if (types().IsError(lhs) || types().IsError(rhs)) return TypeStore::Error();
  TypeKind a = types().KindOf(lhs), b = types().KindOf(rhs);
  bool numbers = types().IsNumeric(lhs) && types().IsNumeric(rhs);
  TypeId number = (a == TypeKind::Float || b == TypeKind::Float) ? TypeStore::Float() : TypeStore::Int();
  TypeId result{};
  switch (expr->op) {
    case Op::Add:
      if (numbers) result = number;
      else if (a == TypeKind::String && b == TypeKind::String) result = TypeStore::String();
      else if (a == TypeKind::List && b == TypeKind::List) result = types().Unify(lhs, rhs);
      else if ((a == TypeKind::Duration || a == TypeKind::Size) && a == b) result = lhs;
      break;
    case Op::Sub:
      if (numbers) result = number;
      else if ((a == TypeKind::Duration || a == TypeKind::Size) && a == b) result = lhs;
      break;
    case Op::Mul:
      if (numbers) result = number;
      else if ((a == TypeKind::Duration || a == TypeKind::Size) && b == TypeKind::Int) result = lhs;
      else if (a == TypeKind::Int && (b == TypeKind::Duration || b == TypeKind::Size)) result = rhs;
      break;
    case Op::Div:
    case Op::Mod:
      if (numbers) result = number;
      break;
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      if (numbers || (IsText(a) && IsText(b)) || ((a == TypeKind::Duration || a == TypeKind::Size) && a == b) ||
          (a == TypeKind::Enum && lhs == rhs))
        result = TypeStore::Bool();
      break;
    case Op::Eq:
    case Op::Ne:
      if (types().Unify(lhs, rhs).valid()) result = TypeStore::Bool();
      break;
    case Op::And:
    case Op::Or:
      if (a == TypeKind::Bool && b == TypeKind::Bool) result = TypeStore::Bool();
      break;
    case Op::Coalesce:
      break;  // handled above
  }
  if (result.valid()) return result;
  SourceRange where = expr->op_range.valid() ? expr->op_range : expr->range;
  // `T?` operands: say that the optional is the problem.
  if (types().IsOptional(lhs) || types().IsOptional(rhs)) {
    const ast::Expr* opt = types().IsOptional(lhs) ? expr->lhs : expr->rhs;
    TypeId opt_type = types().IsOptional(lhs) ? lhs : rhs;
    diags_.Build(opt->range, diag::Kind::OptionalUsed, Str(opt_type), Str(types().StripOptional(opt_type)))
        .Label(where, std::string("operator `") + OpText(expr->op) + "` needs a value")
        .Note(fmt::format("give a default with `{} ?? value`", Text(opt->range)))
        .Emit();
    return TypeStore::Error();
  }
  auto builder = diags_.Build(where, diag::Kind::InvalidOperands, OpText(expr->op), Str(lhs), Str(rhs));
  builder.Label(expr->lhs->range, "`" + Str(lhs) + "`").Label(expr->rhs->range, "`" + Str(rhs) + "`");
  if (expr->op == Op::Add && (a == TypeKind::String || b == TypeKind::String))
    builder.Note("to join text with a value, interpolate it: `\"{{a}}{{b}}\"`");
  builder.Emit();
  return TypeStore::Error();
}

}  // namespace flow::check

// `{{expr}}` inside string literals. Every interpolated expression is checked
// like any other; what may be interpolated depends on where the string is:
//   a plain string:         scalars (Int, Float, Bool, String, File, Dir,
//                           Duration, Size, enums)
//   a script or a command:  the same, plus a List of scalars (one shell word or
//                           argument per element)
// Maps, structs and records are E0211 (use `string(x)` for their JSON); an
// optional is E0202 (give a default with `??`).
#include "compiler/check/checker.h"

namespace flow::check {

TypeId Checker::CheckStringParts(const ast::StringLit* lit, const char* where) {
  bool in_program = fn_ && fn_->in_program;
  for (const ast::StringPart& part : lit->parts) {
    if (!part.expr) continue;
    CheckInterpolation(part.expr, where, in_program);
  }
  return TypeStore::String();
}

void Checker::CheckInterpolation(const ast::Expr* expr, const char* where, bool allow_list) {
  TypeId type = CheckExpr(expr);
  if (types().ContainsError(type)) return;
  if (types().IsScalar(type)) return;
  if (types().IsOptional(type)) {
    diags_.Build(expr->range, diag::Kind::OptionalUsed, Str(type), Str(types().StripOptional(type)))
        .Note(fmt::format("give a default with `{{{{{} ?? \"\"}}}}`", Text(expr->range)))
        .Emit();
    return;
  }
  const types::Type& t = types().Get(type);
  if (t.kind == types::TypeKind::List && allow_list) {
    TypeId elem = t.elem;
    if (types().IsScalar(elem) || types().IsError(elem)) return;
  }
  auto builder = diags_.Build(expr->range, diag::Kind::NotInterpolable, Str(type), where);
  if (t.kind == types::TypeKind::List && !allow_list)
    builder.Note(fmt::format("join the elements first: `{{{{join({}, \" \")}}}}`", Text(expr->range)));
  else
    builder.Note(fmt::format("interpolate one field, or its JSON text with `{{{{string({})}}}}`", Text(expr->range)));
  builder.Emit();
}

}  // namespace flow::check

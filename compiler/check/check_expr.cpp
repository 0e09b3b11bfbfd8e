// Expressions: the dispatcher, literals, implicit conversions (Coerce), blocks
// and `let` bindings checked on demand.
#include <algorithm>

#include "compiler/check/checker.h"

namespace flow::check {

TypeId Checker::Record(const ast::Node* node, TypeId type) {
  if (node) out_.expr_types[node] = type;
  return type;
}

TypeId Checker::CheckExpr(const ast::Expr* expr, TypeId expected) {
  if (!expr) return TypeStore::Error();
  TypeId type = TypeStore::Error();
  switch (expr->kind) {
    case ast::Kind::IntLit:
      type = TypeStore::Int();
      break;
    case ast::Kind::FloatLit:
      type = TypeStore::Float();
      break;
    case ast::Kind::BoolLit:
      type = TypeStore::Bool();
      break;
    case ast::Kind::NoneLit:
      type = TypeStore::None();
      break;
    case ast::Kind::DurationLit:
      type = TypeStore::Duration();
      break;
    case ast::Kind::SizeLit:
      type = TypeStore::Size();
      break;
    case ast::Kind::StringLit: {
      const auto* lit = expr->As<ast::StringLit>();
      type = CheckStringParts(lit, "a string");
      // A string literal naming a member of the expected enum is that member.
      if (expected.valid() && lit->IsPlain()) {
        TypeId want = types().StripOptional(expected);
        if (types().KindOf(want) == types::TypeKind::Enum) {
          const auto& members = types().Get(want).members;
          if (std::find(members.begin(), members.end(), lit->PlainText()) != members.end()) type = want;
        }
      }
      break;
    }
    case ast::Kind::NameExpr:
      type = CheckName(expr->As<ast::NameExpr>());
      break;
    case ast::Kind::FieldExpr:
      type = CheckField(expr->As<ast::FieldExpr>());
      break;
    case ast::Kind::IndexExpr:
      type = CheckIndex(expr->As<ast::IndexExpr>());
      break;
    case ast::Kind::CallExpr:
      type = CheckCall(expr->As<ast::CallExpr>(), expected);
      break;
    case ast::Kind::UnaryExpr:
      type = CheckUnary(expr->As<ast::UnaryExpr>());
      break;
    case ast::Kind::BinaryExpr:
      type = CheckBinary(expr->As<ast::BinaryExpr>(), expected);
      break;
    case ast::Kind::ListExpr:
      type = CheckList(expr->As<ast::ListExpr>(), expected);
      break;
    case ast::Kind::MapExpr:
      type = CheckMap(expr->As<ast::MapExpr>(), expected);
      break;
    case ast::Kind::RecordExpr:
      type = CheckRecordExpr(expr->As<ast::RecordExpr>(), expected);
      break;
    case ast::Kind::StructExpr:
      type = CheckStructExpr(expr->As<ast::StructExpr>());
      break;
    case ast::Kind::IfExpr:
      type = CheckIf(expr->As<ast::IfExpr>(), expected);
      break;
    case ast::Kind::ForExpr:
      type = CheckFor(expr->As<ast::ForExpr>(), expected);
      break;
    case ast::Kind::TryExpr:
      type = CheckTry(expr->As<ast::TryExpr>(), expected);
      break;
    case ast::Kind::ParenExpr:
      type = CheckExpr(expr->As<ast::ParenExpr>()->inner, expected);
      break;
    case ast::Kind::ErrorExpr:
      if (fn_) fn_->saw_syntax_error = true;
      type = TypeStore::Error();
      break;
    case ast::Kind::NamedType:
    case ast::Kind::OptionalType:
    case ast::Kind::RecordType:
    case ast::Kind::ErrorType:
    case ast::Kind::LetStmt:
    case ast::Kind::ExprStmt:
    case ast::Kind::FieldStmt:
    case ast::Kind::FinallyStmt:
    case ast::Kind::ReturnStmt:
    case ast::Kind::ErrorStmt:
    case ast::Kind::Block:
    case ast::Kind::ImportDecl:
    case ast::Kind::StructDecl:
    case ast::Kind::EnumDecl:
    case ast::Kind::ConstDecl:
    case ast::Kind::TaskDecl:
    case ast::Kind::WorkflowDecl:
    case ast::Kind::ErrorDecl:
      break;  // not expressions
  }
  if (!type.valid()) type = TypeStore::Error();
  return Record(expr, type);
}

TypeId Checker::CheckExprAs(const ast::Expr* expr, TypeId want, SourceRange why_range, std::string why) {
  TypeId got = CheckExpr(expr, want);
  Coerce(expr, got, want, why_range, why);
  return got;
}

bool Checker::Coerce(const ast::Expr* expr, TypeId got, TypeId want, SourceRange why_range, const std::string& why) {
  if (!expr || !want.valid() || !got.valid()) return true;
  if (types().IsAssignable(got, want)) return true;
  if (types().ContainsError(got) || types().ContainsError(want)) return true;
  SourceRange range = expr->range;
  // `T?` where `T` is needed: the value may be absent.
  if (types().IsOptional(got) && types().IsAssignable(types().StripOptional(got), want)) {
    auto builder = diags_.Build(range, diag::Kind::OptionalUsed, Str(got), Str(want));
    if (why_range.valid() && !why.empty()) builder.Label(why_range, why);
    builder.Note(fmt::format("give a default with `{} ?? value`, or test it with `defined(...)`", Text(range)));
    builder.Emit();
    return false;
  }
  auto builder = diags_.Build(range, diag::Kind::TypeMismatch, Str(want), Str(got));
  if (why_range.valid() && !why.empty()) builder.Label(why_range, why);
  TypeId want_inner = types().StripOptional(want);
  if (types().KindOf(want_inner) == types::TypeKind::Enum && got == TypeStore::String()) {
    std::string members;
    for (const std::string& member : types().Get(want_inner).members) {
      if (!members.empty()) members += ", ";
      members += "`" + member + "`";
    }
    builder.Note(fmt::format("a string literal is accepted only if it names a member of `{}`: {}", Str(want_inner),
                             members));
  } else if (got == TypeStore::Float() && want_inner == TypeStore::Int()) {
    builder.Note("a `Float` never narrows to `Int` implicitly; use `round(x)` or `int(x)`");
  } else if (want_inner == TypeStore::String() && types().IsScalar(got)) {
    builder.Note(fmt::format("convert it with `string({})`", Text(range)));
  }
  builder.Emit();
  return false;
}

TypeId Checker::CheckBlock(const ast::Block* block, TypeId expected) {
  if (!block) return TypeStore::Error();
  Scope* saved = PushScope();
  DeclareLets(block->stmts);
  CheckBlockStatements(block->stmts, /*top_level=*/false);
  TypeId type = block->result ? CheckExpr(block->result, expected) : types().Record({});
  WarnUnusedInScope(fn_->scope);
  PopScope(saved);
  Record(block, type);
  return type;
}

TypeId Checker::EnsureLet(LocalBinding* binding, SourceRange use) {
  switch (binding->state) {
    case LocalBinding::State::Done:
      return binding->type.valid() ? binding->type : TypeStore::Error();
    case LocalBinding::State::InProgress:
      ReportLetCycle(binding, use);
      return TypeStore::Error();
    case LocalBinding::State::Unchecked:
      break;
  }
  const ast::LetStmt* let = binding->let;
  binding->state = LocalBinding::State::InProgress;
  fn_->let_stack.push_back(binding);
  // Check the value in the scope where the `let` stands, wherever it is used from.
  Scope* saved = fn_->scope;
  fn_->scope = binding->scope;
  TypeId want = let->type ? ResolveType(let->type, fn_->module) : TypeId{};
  TypeId type = want.valid() ? CheckExprAs(let->value, want, let->type->range, "expected because of this type")
                             : CheckExpr(let->value);
  if (want.valid()) type = want;
  const ast::Expr* value = StripParens(let->value);
  if (value && value->Is<ast::ListExpr>() && value->As<ast::ListExpr>()->elements.empty() && !want.valid())
    type = TypeStore::Error();  // E0219 already reported
  CheckAfter(let->after);
  fn_->scope = saved;
  fn_->let_stack.pop_back();
  binding->type = binding->in_cycle ? TypeStore::Error() : type;
  binding->state = LocalBinding::State::Done;
  return binding->type;
}

}  // namespace flow::check

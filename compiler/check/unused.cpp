// Unused bindings (W0001), inputs (W0002) and imports (W0005).
//
// A `let` whose value is a call, `for` or `if` is not reported: the call still
// runs (it may publish something), so binding it is a way to name it for
// `after`. Names starting with `_` are exempt.
#include <algorithm>

#include "compiler/check/checker.h"

namespace flow::check {

namespace {

bool HasEffect(const ast::Expr* expr) {
  expr = StripParens(expr);
  if (!expr) return false;
  if (const auto* t = expr->TryAs<ast::TryExpr>()) return HasEffect(t->operand);
  return expr->Is<ast::CallExpr>() || expr->Is<ast::ForExpr>() || expr->Is<ast::IfExpr>();
}

}  // namespace

void Checker::WarnUnusedInScope(Scope* scope) {
  if (fn_->saw_syntax_error) return;
  for (LocalBinding* binding : scope->order) {
    if (binding->used) continue;
    std::string name = Text(binding->range);
    if (name.empty() || name[0] == '_') continue;
    switch (binding->ref.kind) {
      case RefKind::Let:
        if (fn_->workflow && binding->let && HasEffect(binding->let->value)) break;
        if (binding->type.valid() && types().IsError(binding->type)) break;  // poisoned: already diagnosed
        diags_.Build(binding->range, diag::Kind::UnusedLet, name)
            .Note(fmt::format("if this is intentional, name it `_{}`", name))
            .Emit();
        break;
      case RefKind::Param:
        diags_.Build(binding->range, diag::Kind::UnusedInput, name)
            .Note(fmt::format("if this is intentional, name it `_{}`", name))
            .Emit();
        break;
      case RefKind::None:
      case RefKind::LoopVar:
      case RefKind::Const:
      case RefKind::Task:
      case RefKind::Workflow:
      case RefKind::Struct:
      case RefKind::Enum:
      case RefKind::EnumMember:
      case RefKind::Module:
      case RefKind::Builtin:
      case RefKind::Output:
        break;
    }
  }
}

void Checker::WarnUnusedImports() {
  // With syntax errors, the uses of an import may be in the text that failed to parse.
  if (had_syntax_errors_) return;
  for (size_t m = 0; m < modules_.size(); ++m) {
    for (const ast::ImportDecl* import : ModuleAst(static_cast<int>(m)).imports) {
      std::string_view name = import->name.text;
      if (name.empty() || name[0] == '_' || modules_[m].used_imports.count(name)) continue;
      if (modules_[m].import_decls.lookup(name) != import) continue;  // a duplicate, already reported
      diags_.Build(import->range, diag::Kind::UnusedImport, name).Emit();
    }
  }
}

}  // namespace flow::check

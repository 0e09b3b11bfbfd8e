// Workflow bodies: `let`s (a DAG: visible in their whole block), expression
// statements, `after`, `schedule`, `finally` and `return`.
//
// A bare expression statement with no effect (no call, `for` or `if`, e.g.
// `x + 1`) is a warning, W0007: it is harmless but almost surely a mistake.
#include "compiler/check/checker.h"
#include "compiler/check/cron.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

namespace {

bool IsStepExpr(const ast::Expr* expr) {
  expr = StripParens(expr);
  if (!expr) return false;
  if (const auto* t = expr->TryAs<ast::TryExpr>()) return IsStepExpr(t->operand);
  return expr->Is<ast::CallExpr>() || expr->Is<ast::ForExpr>() || expr->Is<ast::IfExpr>();
}

}  // namespace

void Checker::CheckWorkflow(const ast::WorkflowDecl* workflow, int module) {
  BeginFunction(Context::Workflow, module, workflow);
  DeclareParams(workflow, module);
  Scope* param_scope = fn_->scope;
  PushScope();
  DeclareLets(workflow->body);
  CheckBlockStatements(workflow->body, /*top_level=*/true);
  const Signature& sig = SignatureOf(workflow);
  bool has_return = false;
  for (const ast::Stmt* stmt : workflow->body) has_return |= stmt->Is<ast::ReturnStmt>();
  if (sig.has_output && !has_return) {
    diags_.Build(workflow->name.range, diag::Kind::MissingReturn, workflow->name.text)
        .Label(workflow->output->range, "outputs declared here")
        .Note("end the body with `return <value>`")
        .Emit();
  }
  WarnUnusedInScope(fn_->scope);
  PopScope(param_scope);
  WarnUnusedInScope(param_scope);
  EndFunction();
}

void Checker::CheckBlockStatements(const std::vector<ast::Stmt*>& stmts, bool top_level) {
  const ast::FinallyStmt* first_finally = nullptr;
  CheckLetsInOrder(stmts);
  for (size_t i = 0; i < stmts.size(); ++i) {
    const ast::Stmt* stmt = stmts[i];
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) {
      auto it = fn_->scope->names.find(let->name.text);
      if (it != fn_->scope->names.end() && it->second.let == let) {
        EnsureLet(&it->second, let->name.range);
      } else {
        CheckExpr(let->value);  // a duplicate (reported): still give it types
        CheckAfter(let->after);
      }
    } else if (const auto* expr_stmt = stmt->TryAs<ast::ExprStmt>()) {
      CheckExpr(expr_stmt->expr);
      CheckAfter(expr_stmt->after);
      if (expr_stmt->expr && !IsStepExpr(expr_stmt->expr) && !StripParens(expr_stmt->expr)->Is<ast::ErrorExpr>()) {
        diags_.Build(expr_stmt->expr->range, diag::Kind::UnusedDeclaration, Text(expr_stmt->expr->range))
            .Note("an expression statement has an effect only when it is a call, `for` or `if`; bind the value "
                  "with `let` to use it")
            .Emit();
      }
    } else if (const auto* field = stmt->TryAs<ast::FieldStmt>()) {
      if (top_level && fn_->workflow && field->field.name.text == "schedule") {
        CheckSchedule(field->field);
      } else {
        auto builder = diags_.Build(field->field.name.range, diag::Kind::UnknownWorkflowField, field->field.name.text);
        if (!top_level)
          builder.Note("fields belong at the top level of a workflow body");
        else if (auto suggestion = diag::Suggest(field->field.name.text, std::vector<std::string>{"schedule"}))
          builder.Note(diag::DidYouMean(*suggestion));
        else
          builder.Note("a workflow accepts only `schedule = \"<cron>\"`; task fields go in a task or a call's `with { }`");
        builder.Emit();
        CheckExpr(field->field.value);
      }
    } else if (const auto* fin = stmt->TryAs<ast::FinallyStmt>()) {
      if (!top_level || !fn_->workflow) {
        diags_.Build(fin->range, diag::Kind::DuplicateFinally)
            .Note("`finally` belongs at the top level of a workflow body")
            .Emit();
      } else if (first_finally) {
        diags_.Build(fin->range, diag::Kind::DuplicateFinally).Label(first_finally->range, "first `finally` here").Emit();
      } else {
        first_finally = fin;
      }
      // `finally` sees the inputs and constants, not the body's bindings.
      Scope* saved = fn_->scope;
      Scope* saved_forbidden = fn_->finally_forbidden;
      if (top_level) {
        fn_->finally_forbidden = fn_->scope;
        fn_->scope = fn_->scope->parent;
      }
      CheckBlock(fin->body, TypeId{});
      fn_->scope = saved;
      fn_->finally_forbidden = saved_forbidden;
    } else if (const auto* ret = stmt->TryAs<ast::ReturnStmt>()) {
      if (!top_level || !fn_->workflow) {
        diags_.Emit(ret->range, diag::Kind::ReturnInBlock);
        CheckExpr(ret->value);
        continue;
      }
      if (i + 1 != stmts.size()) {
        diags_.Build(stmts[i + 1]->range, diag::Kind::StatementAfterReturn)
            .Label(ret->range, "`return` here")
            .Note("order in the text does not order execution; move `return` to the end")
            .Emit();
      }
      const Signature& sig = SignatureOf(fn_->workflow);
      if (!sig.has_output) {
        diags_.Build(ret->range, diag::Kind::ReturnWithoutOutputs, fn_->workflow->name.text)
            .Note("declare the outputs in the signature: `workflow name(...) -> Type`")
            .Emit();
        CheckExpr(ret->value);
        continue;
      }
      TypeId got = CheckExpr(ret->value, sig.output);
      if (!types().IsAssignable(got, sig.output) && !types().ContainsError(got) &&
          !types().ContainsError(sig.output)) {
        auto builder = diags_.Build(ret->value ? ret->value->range : ret->range, diag::Kind::ReturnTypeMismatch,
                                    fn_->workflow->name.text, Str(got), Str(sig.output));
        builder.Label(fn_->workflow->output->range, "outputs declared here");
        if (types().IsOptional(got) && types().IsAssignable(types().StripOptional(got), sig.output))
          builder.Note("the value may be `none`; give a default with `??`");
        builder.Emit();
      }
    }
    if (stmt->Is<ast::ErrorStmt>()) fn_->saw_syntax_error = true;  // already diagnosed
  }
}

void Checker::CheckAfter(const std::vector<ast::Ident>& after) {
  for (const ast::Ident& name : after) {
    LocalBinding* binding = LookupLocal(name.text);
    if (!binding) {
      ReportUnknownName(name.range, name.text);
      continue;
    }
    binding->used = true;
    if (fn_->finally_forbidden && binding->scope == fn_->finally_forbidden) {
      diags_.Emit(name.range, diag::Kind::FinallyUsesValue, name.text);
      continue;
    }
    if (binding->ref.kind != RefKind::Let) {
      diags_.Build(name.range, diag::Kind::AfterNeedsStep, name.text,
                   std::string("a ") + RefKindName(binding->ref.kind))
          .Emit();
      continue;
    }
    EnsureLet(binding, name.range);
    if (!IsStepExpr(binding->let->value)) {
      diags_.Build(name.range, diag::Kind::AfterNeedsStep, name.text, "a pure value")
          .Label(binding->range, "bound here")
          .Note("a pure value is ready at once; `after` only orders calls")
          .Emit();
    }
  }
}

void Checker::CheckSchedule(const ast::FieldAssign& field) {
  TypeId type = CheckExprAs(field.value, TypeStore::String(), field.name.range, "`schedule` is a cron `String`");
  if (types().IsError(type)) return;
  // The schedule is read by the cluster, before any input exists: it must be a
  // literal or a constant.
  const ast::Expr* value = StripParens(field.value);
  if (!value) return;
  const ast::StringLit* lit = value->TryAs<ast::StringLit>();
  if (const auto* name = value->TryAs<ast::NameExpr>()) {
    auto it = out_.refs.find(name);
    if (it != out_.refs.end() && it->second.kind == RefKind::Const) {
      const auto* c = it->second.node->As<ast::ConstDecl>();
      lit = c->value && StripParens(c->value) ? StripParens(c->value)->TryAs<ast::StringLit>() : nullptr;
      if (!lit) return;  // a computed constant: trusted
    }
  }
  if (!lit || !lit->IsPlain()) {
    diags_.Build(field.value->range, diag::Kind::NotConstant, "schedule")
        .Note("write the cron schedule as a string literal or a `const`")
        .Emit();
    return;
  }
  std::string error = CronError(lit->PlainText());
  if (!error.empty()) diags_.Emit(field.value->range, diag::Kind::InvalidCron, lit->PlainText(), error);
}

}  // namespace flow::check

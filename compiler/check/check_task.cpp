// Task bodies: `let`s, fields of compiler/ir/task_fields.def, and exactly one
// program (`script` or `command`). `out` is bound to the task's output paths.
#include "compiler/check/checker.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

namespace {

struct TaskFieldEntry {
  const char* name;
  ir::TaskField field;
};

const TaskFieldEntry kTaskFields[] = {
#define FLOW_TASK_FIELD(id, name, type) {name, ir::TaskField::id},
#include "compiler/ir/task_fields.def"
};

// The value of a numeric literal, possibly negated; nullopt for anything else.
std::optional<double> LiteralNumber(const ast::Expr* expr) {
  expr = StripParens(expr);
  if (!expr) return std::nullopt;
  if (const auto* i = expr->TryAs<ast::IntLit>()) return static_cast<double>(i->value);
  if (const auto* f = expr->TryAs<ast::FloatLit>()) return f->value;
  if (const auto* d = expr->TryAs<ast::DurationLit>()) return static_cast<double>(d->millis);
  if (const auto* s = expr->TryAs<ast::SizeLit>()) return static_cast<double>(s->bytes);
  if (const auto* u = expr->TryAs<ast::UnaryExpr>(); u && u->op == ast::UnaryOp::Neg) {
    if (auto inner = LiteralNumber(u->operand)) return -*inner;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ir::TaskField> Checker::TaskFieldByName(llvm::StringRef name) {
  for (const TaskFieldEntry& entry : kTaskFields)
    if (name == entry.name) return entry.field;
  return std::nullopt;
}

std::vector<std::string> Checker::TaskFieldNames() {
  std::vector<std::string> names;
  for (const TaskFieldEntry& entry : kTaskFields) names.push_back(entry.name);
  return names;
}

TypeId Checker::TaskFieldType(ir::TaskField field) {
  switch (field) {
    case ir::TaskField::Image:
    case ir::TaskField::Shell:
      return TypeStore::String();
    case ir::TaskField::Cpu:
      return TypeStore::Float();
    case ir::TaskField::Memory:
      return TypeStore::Size();
    case ir::TaskField::Gpu:
    case ir::TaskField::Retries:
      return TypeStore::Int();
    case ir::TaskField::Backoff:
    case ir::TaskField::Timeout:
      return TypeStore::Duration();
    case ir::TaskField::Cache:
      return TypeStore::Bool();
    case ir::TaskField::Env:
      return types().Map(TypeStore::String(), TypeStore::String());
  }
  return TypeStore::Error();
}

TypeId Checker::CheckTaskFieldValue(ir::TaskField field, const ast::Expr* value, SourceRange name_range) {
  const char* name = ir::TaskFieldName(field);
  TypeId type = CheckExprAs(value, TaskFieldType(field), name_range,
                            fmt::format("`{}` is `{}`", name, Str(TaskFieldType(field))));
  auto number = LiteralNumber(value);
  auto bad = [&](const char* why) { diags_.Emit(value->range, diag::Kind::InvalidFieldValue, name, why); };
  switch (field) {
    case ir::TaskField::Cpu:
      if (number && *number <= 0) bad("a task needs more than 0 cores");
      break;
    case ir::TaskField::Memory:
      if (number && *number <= 0) bad("a task needs more than 0 bytes of memory");
      break;
    case ir::TaskField::Gpu:
      if (number && *number < 0) bad("the number of GPUs cannot be negative");
      break;
    case ir::TaskField::Retries:
      if (number && *number < 0) bad("the number of retries cannot be negative");
      break;
    case ir::TaskField::Backoff:
      if (number && *number < 0) bad("a delay cannot be negative");
      break;
    case ir::TaskField::Timeout:
      if (number && *number <= 0) bad("a timeout must be longer than 0");
      break;
    case ir::TaskField::Image:
    case ir::TaskField::Shell:
      if (const auto* lit = value ? StripParens(value)->TryAs<ast::StringLit>() : nullptr;
          lit && lit->IsPlain() && lit->PlainText().empty())
        bad("it cannot be empty");
      break;
    case ir::TaskField::Cache:
    case ir::TaskField::Env:
      break;
  }
  return type;
}

void Checker::CheckTask(const ast::TaskDecl* task, int module) {
  BeginFunction(Context::Task, module, task);
  DeclareParams(task, module);
  const Signature& sig = SignatureOf(task);
  Scope* param_scope = fn_->scope;
  ast::Ident out_name{"out", task->name.range};
  DeclRef out_ref;
  out_ref.kind = RefKind::Output;
  out_ref.node = task;
  out_ref.index = 0;
  out_ref.module_index = module;
  if (LocalBinding* out = Declare(out_name, out_ref, TypeStore::File(), true)) out->used = true;
  fn_->outputs_used.assign(sig.has_output ? sig.output_names.size() : 0, false);
  PushScope();
  DeclareLets(task->body);
  CheckLetsInOrder(task->body);

  llvm::StringMap<SourceRange> seen;
  const ast::FieldStmt* script = nullptr;
  const ast::FieldStmt* command = nullptr;
  const ast::FieldStmt* shell = nullptr;
  bool has_retries = false;
  const ast::FieldStmt* backoff = nullptr;
  for (const ast::Stmt* stmt : task->body) {
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) {
      auto it = fn_->scope->names.find(let->name.text);
      if (it != fn_->scope->names.end() && it->second.let == let) EnsureLet(&it->second, let->name.range);
      else CheckExpr(let->value);
      continue;
    }
    if (const auto* expr_stmt = stmt->TryAs<ast::ExprStmt>()) {
      CheckExpr(expr_stmt->expr);
      continue;
    }
    if (const auto* ret = stmt->TryAs<ast::ReturnStmt>()) {
      diags_.Build(ret->range, diag::Kind::ReturnInBlock)
          .Note("a task's outputs are the files its program writes to `{{out}}`")
          .Emit();
      CheckExpr(ret->value);
      continue;
    }
    if (const auto* fin = stmt->TryAs<ast::FinallyStmt>()) {
      diags_.Emit(fin->range, diag::Kind::UnknownTaskField, "finally");
      continue;
    }
    const auto* field_stmt = stmt->TryAs<ast::FieldStmt>();
    if (!field_stmt) {  // ErrorStmt, already diagnosed
      fn_->saw_syntax_error = true;
      continue;
    }
    const ast::FieldAssign& field = field_stmt->field;
    auto [it, inserted] = seen.try_emplace(field.name.text, field.name.range);
    if (!inserted) {
      diags_.Build(field.name.range, diag::Kind::DuplicateField, field.name.text)
          .Label(it->second, "first given here")
          .Emit();
      CheckExpr(field.value);
      continue;
    }
    if (field.name.text == "script" || field.name.text == "command") {
      bool is_script = field.name.text == "script";
      (is_script ? script : command) = field_stmt;
      fn_->in_program = true;
      const ast::Expr* value = StripParens(field.value);
      if (is_script && value && value->Is<ast::StringLit>()) {
        CheckStringParts(value->As<ast::StringLit>(), "a script");
        Record(value, TypeStore::String());
        Record(field.value, TypeStore::String());
      } else if (!is_script && value && value->Is<ast::ListExpr>()) {
        for (const ast::Expr* element : value->As<ast::ListExpr>()->elements) {
          const ast::Expr* e = StripParens(element);
          if (e && e->Is<ast::StringLit>()) {
            CheckStringParts(e->As<ast::StringLit>(), "a command argument");
            Record(e, TypeStore::String());
            Record(element, TypeStore::String());
          } else {
            CheckExprAs(element, TypeStore::String(), field.name.range, "`command` is `List[String]`");
          }
        }
        Record(value, types().List(TypeStore::String()));
        Record(field.value, types().List(TypeStore::String()));
      } else {
        TypeId want = is_script ? TypeStore::String() : types().List(TypeStore::String());
        CheckExprAs(field.value, want, field.name.range, fmt::format("`{}` is `{}`", field.name.text, Str(want)));
      }
      fn_->in_program = false;
      continue;
    }
    auto task_field = TaskFieldByName(field.name.text);
    if (!task_field) {
      std::vector<std::string> names = TaskFieldNames();
      names.push_back("script");
      names.push_back("command");
      auto builder = diags_.Build(field.name.range, diag::Kind::UnknownTaskField, field.name.text);
      if (auto suggestion = diag::Suggest(field.name.text, names)) builder.Note(diag::DidYouMean(*suggestion));
      builder.Emit();
      CheckExpr(field.value);
      continue;
    }
    out_.task_fields[field_stmt] = *task_field;
    CheckTaskFieldValue(*task_field, field.value, field.name.range);
    if (*task_field == ir::TaskField::Shell) shell = field_stmt;
    if (*task_field == ir::TaskField::Retries) has_retries = true;
    if (*task_field == ir::TaskField::Backoff) backoff = field_stmt;
  }

  if (!script && !command) {
    // With a syntax error in the body, the program may be in the text that failed to parse.
    if (!fn_->saw_syntax_error)
      diags_.Build(task->name.range, diag::Kind::MissingTaskBody, task->name.text)
          .Note("add `script = \"\"\"...\"\"\"` (run by a shell) or `command = [\"prog\", \"arg\"]`")
          .Emit();
  } else if (script && command) {
    diags_.Build(command->field.name.range, diag::Kind::ConflictingTaskBody, task->name.text)
        .Label(script->field.name.range, "`script` given here")
        .Emit();
  } else if (!fn_->saw_syntax_error) {
    // Every output must be written by the program (LANGUAGE.md §6).
    for (size_t i = 0; i < fn_->outputs_used.size(); ++i) {
      if (fn_->outputs_used[i]) continue;
      std::string output = sig.record_output ? sig.output_names[i] : "out";
      SourceRange where = task->output ? task->output->range : task->name.range;
      if (const auto* rec = task->output ? task->output->TryAs<ast::RecordType>() : nullptr)
        where = rec->fields[i].name.range;
      diags_.Build(where, diag::Kind::OutputNeverWritten, task->name.text, output)
          .Note(sig.record_output ? fmt::format("write it to `{{{{out.{}}}}}` in the task's program", output)
                                  : "write it to `{{out}}` in the task's program")
          .Emit();
    }
  }
  if (shell && command) {
    diags_.Build(shell->field.value ? shell->field.value->range : shell->range, diag::Kind::InvalidFieldValue, "shell",
                 "a `command` runs without a shell; `shell` needs a `script`")
        .Emit();
  }
  if (shell && script && !command) CheckForeignShellScript(shell, script);
  if (backoff && !has_retries) diags_.Emit(backoff->field.name.range, diag::Kind::BackoffWithoutRetries);

  WarnUnusedInScope(fn_->scope);
  PopScope(param_scope);
  WarnUnusedInScope(param_scope);
  EndFunction();
}

}  // namespace flow::check

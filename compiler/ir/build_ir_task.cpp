// Tasks: parameters, outputs, body `let`s (in dependency order), fields, and
// the program as a Template (script) or argv templates (command).
#include "compiler/ir/build_ir_internal.h"
#include "compiler/ir/task_digest.h"

namespace flow::ir {

using check::RefKind;
using types::TypeKind;
using types::TypeStore;

namespace {

const ast::Expr* StripParens(const ast::Expr* expr) {
  while (expr && expr->Is<ast::ParenExpr>()) expr = expr->As<ast::ParenExpr>()->inner;
  return expr;
}

void AppendText(Template& t, const std::string& text, Loc loc) {
  if (text.empty()) return;
  if (!t.parts.empty() && !t.parts.back().expr.valid()) {
    t.parts.back().text += text;
    return;
  }
  TemplatePart part;
  part.text = text;
  part.loc = loc;
  t.parts.push_back(std::move(part));
}

}  // namespace

TypeId IrBuilder::TaskFieldType(TaskField field, types::TypeStore& types) {
  switch (field) {
    case TaskField::Image: return TypeStore::String();
    case TaskField::Cpu: return TypeStore::Float();
    case TaskField::Memory: return TypeStore::Size();
    case TaskField::Gpu: return TypeStore::Int();
    case TaskField::Retries: return TypeStore::Int();
    case TaskField::Backoff: return TypeStore::Duration();
    case TaskField::Timeout: return TypeStore::Duration();
    case TaskField::Cache: return TypeStore::Bool();
    case TaskField::Env: return types.Map(TypeStore::String(), TypeStore::String());
    case TaskField::Shell: return TypeStore::String();
  }
  return TypeStore::Error();
}

void IrBuilder::BuildTask(const ast::TaskDecl* decl, Task& task) {
  callable_ = decl;
  in_workflow_ = false;
  region_ = nullptr;
  lets_.clear();
  loop_vars_.clear();
  let_scopes_.clear();
  task.doc = decl->doc;
  task.loc = ToLoc(decl->name.range.valid() ? decl->name.range : decl->range);
  for (const ast::Param& p : decl->params) {
    Param param;
    param.name = p.name.text;
    param.type = TypeOfTypeExpr(p.type);
    if (p.default_value) param.default_value = Fold(LowerAs(p.default_value, param.type));
    param.doc = p.doc;
    param.loc = ToLoc(p.range.valid() ? p.range : p.name.range);
    task.params.push_back(std::move(param));
  }
  if (decl->output) {
    task.output_type = TypeOfTypeExpr(decl->output);
    if (decl->output->Is<ast::RecordType>()) {
      for (const auto& field : decl->output->As<ast::RecordType>()->fields) {
        task.outputs.push_back(Output{std::string(field.name.text), TypeOfTypeExpr(field.type)});
      }
    } else {
      task.single_output = true;
      task.outputs.push_back(Output{"", task.output_type});
    }
  }
  task.fields.fill(ExprId{});

  PureBlock body;
  pure_blocks_.push_back(&body);
  let_scopes_.emplace_back();
  DeclareLets(decl->body, /*pure=*/true);
  for (const ast::Stmt* stmt : decl->body) {
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) EnsureLet(let);
  }
  for (const ast::Stmt* stmt : decl->body) {
    const auto* field_stmt = stmt->TryAs<ast::FieldStmt>();
    if (!field_stmt) continue;
    const ast::FieldAssign& field = field_stmt->field;
    if (field.name.text == "script") {
      task.has_script = true;
      task.script = LowerTemplate(field.value);
      continue;
    }
    if (field.name.text == "command") {
      task.has_script = false;
      task.command = LowerCommand(field.value);
      continue;
    }
    auto it = checked_.task_fields.find(field_stmt);
    if (it == checked_.task_fields.end()) continue;
    TaskField f = it->second;
    task.fields[static_cast<size_t>(f)] = Fold(LowerAs(field.value, TaskFieldType(f, out_.types)));
  }
  for (const ast::LetStmt* let : body.order) {
    const LetBinding& binding = lets_[let];
    task.locals.push_back(TaskLocal{binding.var, binding.value});
  }
  let_scopes_.pop_back();
  pure_blocks_.pop_back();
  task.digest = TaskDigest(out_, task);
  callable_ = nullptr;
}

Template IrBuilder::LowerTemplate(const ast::Expr* expr) {
  Template t;
  const ast::Expr* e = StripParens(expr);
  if (!e) return t;
  if (const auto* lit = e->TryAs<ast::StringLit>()) {
    for (const ast::StringPart& part : lit->parts) {
      Loc loc = ToLoc(part.range);
      if (!part.expr) {
        AppendText(t, part.text, loc);
        continue;
      }
      TemplatePart piece;
      piece.loc = loc;
      const ast::Expr* inner = StripParens(part.expr);
      const check::CallBinding* binding =
          inner && inner->Is<ast::CallExpr>() ? CallOf(inner->As<ast::CallExpr>()) : nullptr;
      if (binding && binding->callee.kind == RefKind::Builtin && binding->callee.builtin == BuiltinId::Raw &&
          !binding->args.empty() && binding->args[0]) {
        piece.raw = true;
        piece.expr = LowerExpr(binding->args[0]);
      } else {
        piece.expr = LowerExpr(part.expr);
      }
      // Constants fold to literals; they stay values (escaped like any value).
      piece.expr = Fold(piece.expr);
      t.parts.push_back(std::move(piece));
    }
    return t;
  }
  ExprId value = Fold(LowerExpr(e));
  const Expr& v = out_.expr(value);
  if (v.kind == ExprKind::Literal && v.literal.kind() == Value::Kind::String) {
    AppendText(t, v.literal.as_string(), v.loc);
    return t;
  }
  TemplatePart piece;
  piece.expr = value;
  piece.loc = v.loc;
  t.parts.push_back(std::move(piece));
  return t;
}

std::vector<ArgvElement> IrBuilder::LowerCommand(const ast::Expr* expr) {
  std::vector<ArgvElement> argv;
  const ast::Expr* e = StripParens(expr);
  if (!e) return argv;
  if (const auto* list = e->TryAs<ast::ListExpr>()) {
    for (const ast::Expr* elem : list->elements) {
      ArgvElement arg;
      const ast::Expr* inner = StripParens(elem);
      const auto* lit = inner ? inner->TryAs<ast::StringLit>() : nullptr;
      if (lit) {
        arg.tmpl = LowerTemplate(lit);
        // Exactly `{{xs}}` with a List: one argument per element.
        if (arg.tmpl.parts.size() == 1 && arg.tmpl.parts[0].expr.valid() && !arg.tmpl.parts[0].raw) {
          TypeId t = out_.types.StripOptional(out_.expr(arg.tmpl.parts[0].expr).type);
          arg.splice = out_.types.KindOf(t) == TypeKind::List;
        }
      } else {
        ExprId value = Fold(LowerExpr(inner));
        TemplatePart part;
        part.expr = value;
        part.loc = out_.expr(value).loc;
        arg.tmpl.parts.push_back(std::move(part));
        arg.splice = out_.types.KindOf(out_.types.StripOptional(out_.expr(value).type)) == TypeKind::List;
      }
      argv.push_back(std::move(arg));
    }
    return argv;
  }
  // `command = SOME_LIST`: a constant list gives one argument per element; any
  // other list value is spliced whole.
  ExprId value = Fold(LowerExpr(e));
  const Expr& v = out_.expr(value);
  if (v.kind == ExprKind::Literal && v.literal.kind() == Value::Kind::List) {
    for (const Value& item : v.literal.list()) {
      ArgvElement arg;
      TemplatePart part;
      part.text = item.kind() == Value::Kind::String ? item.as_string() : std::string();
      part.loc = v.loc;
      arg.tmpl.parts.push_back(std::move(part));
      argv.push_back(std::move(arg));
    }
    return argv;
  }
  ArgvElement arg;
  TemplatePart part;
  part.expr = value;
  part.loc = v.loc;
  arg.tmpl.parts.push_back(std::move(part));
  arg.splice = true;
  argv.push_back(std::move(arg));
  return argv;
}

}  // namespace flow::ir

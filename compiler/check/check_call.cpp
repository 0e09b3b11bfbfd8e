// Calls of tasks, workflows and builtins: argument binding (positional first,
// then named), argument types, `with { }` overrides and `try`.
#include "compiler/check/checker.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

bool Checker::BindArguments(const ast::CallExpr* call, const std::string& callee_name,
                            const std::vector<ParamSpec>& params, std::vector<const ast::Expr*>* bound,
                            bool report_missing) {
  bound->assign(params.size(), nullptr);
  std::vector<SourceRange> bound_at(params.size());
  bool ok = true;
  bool seen_named = false;
  size_t positional = 0;
  for (const ast::Argument& arg : call->args) {
    if (arg.name.text.empty()) {
      if (seen_named) {
        diags_.Build(arg.range, diag::Kind::PositionalAfterNamed)
            .Note("write positional arguments first, then `name: value` ones")
            .Emit();
        ok = false;
        continue;
      }
      if (positional >= params.size()) {
        if (positional == params.size()) {
          size_t given = 0;
          for (const ast::Argument& a : call->args) given += a.name.text.empty() ? 1 : 0;
          diags_.Build(arg.range, diag::Kind::TooManyArguments, callee_name, std::to_string(params.size()),
                       std::to_string(given))
              .Emit();
        }
        ++positional;
        ok = false;
        continue;
      }
      (*bound)[positional] = arg.value;
      bound_at[positional] = arg.range;
      ++positional;
      continue;
    }
    seen_named = true;
    size_t index = params.size();
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i].name == arg.name.text) index = i;
    if (index == params.size()) {
      std::vector<std::string> names;
      for (const ParamSpec& p : params) names.emplace_back(p.name);
      auto builder = diags_.Build(arg.name.range, diag::Kind::UnknownArgument, callee_name, arg.name.text);
      if (auto suggestion = diag::Suggest(arg.name.text, names)) builder.Note(diag::DidYouMean(*suggestion));
      builder.Emit();
      ok = false;
      continue;
    }
    if ((*bound)[index]) {
      diags_.Build(arg.name.range, diag::Kind::DuplicateArgument, arg.name.text)
          .Label(bound_at[index], "first given here")
          .Emit();
      ok = false;
      continue;
    }
    (*bound)[index] = arg.value;
    bound_at[index] = arg.range;
  }
  if (report_missing) {
    std::string missing;
    for (size_t i = 0; i < params.size(); ++i) {
      if ((*bound)[i] || params[i].has_default) continue;
      if (!missing.empty()) missing += "`, `";
      missing += params[i].name;
    }
    if (!missing.empty()) {
      diags_.Emit(call->range, diag::Kind::MissingArgument, missing, callee_name);
      ok = false;
    }
  }
  return ok;
}

TypeId Checker::CheckCall(const ast::CallExpr* call, TypeId expected) {
  const ast::Expr* callee = StripParens(call->callee);
  auto ref = ResolveDeclPath(callee);
  auto check_args_loose = [&]() {
    for (const ast::Argument& arg : call->args) CheckExpr(arg.value);
    for (const ast::FieldAssign& field : call->with) CheckExpr(field.value);
  };
  if (!ref) {
    // A value (or an unknown name) in callee position.
    bool reported_unknown = false;
    if (const auto* name = callee ? callee->TryAs<ast::NameExpr>() : nullptr) {
      if (!LookupLocal(name->name.text) && !LookupGlobal(fn_->module, name->name.text)) {
        out_.refs[callee] = DeclRef{};
        ReportUnknownName(name->name.range, name->name.text);
        reported_unknown = true;
      }
    }
    if (!reported_unknown && callee) {
      TypeId t = CheckExpr(callee);
      if (!types().IsError(t)) diags_.Emit(callee->range, diag::Kind::NotCallable, Text(callee->range));
    }
    check_args_loose();
    return TypeStore::Error();
  }
  switch (ref->kind) {
    case RefKind::None:
      check_args_loose();
      return TypeStore::Error();
    case RefKind::Builtin:
      if (call->has_with) {
        diags_.Emit(call->with_range.valid() ? call->with_range : call->range, diag::Kind::WithOnNonTask,
                    Text(callee->range), "built-in function");
        for (const ast::FieldAssign& field : call->with) CheckExpr(field.value);
      }
      return CheckBuiltinCall(call, ref->builtin, expected);
    case RefKind::Task:
    case RefKind::Workflow:
      break;
    case RefKind::Struct:
    case RefKind::Enum:
    case RefKind::Module:
    case RefKind::Param:
    case RefKind::Let:
    case RefKind::LoopVar:
    case RefKind::Const:
    case RefKind::EnumMember:
    case RefKind::Output: {
      auto builder = diags_.Build(callee->range, diag::Kind::NotCallable, Text(callee->range));
      if (ref->kind == RefKind::Struct)
        builder.Note(fmt::format("build a struct value with `{} {{ field: value }}`", Text(callee->range)));
      builder.Emit();
      check_args_loose();
      return TypeStore::Error();
    }
  }

  const auto* decl = static_cast<const ast::Decl*>(ref->node);
  const auto* callable = static_cast<const ast::CallableDecl*>(decl);
  const std::string callee_name = Text(callee->range);
  bool is_task = ref->kind == RefKind::Task;
  if (fn_->context != Context::Workflow) {
    if (fn_->context == Context::Task)
      diags_.Build(call->range, diag::Kind::CallInTask, callee_name)
          .Note("move the call into a workflow and pass its result to the task as an input")
          .Emit();
    else
      diags_.Emit(call->range, diag::Kind::CallInConst, callee_name);
    check_args_loose();
    return TypeStore::Error();
  }
  if (!is_task && fn_->workflow) {
    workflow_calls_[fn_->workflow].push_back({decl->As<ast::WorkflowDecl>(), call->range});
  }

  std::vector<ParamSpec> specs;
  for (const ast::Param& p : callable->params) specs.push_back({p.name.text, p.default_value != nullptr});
  CallBinding binding;
  binding.callee = *ref;
  std::vector<const ast::Expr*> bound;
  BindArguments(call, callee_name, specs, &bound);
  binding.args = out_.Keep(bound);
  const Signature& sig = SignatureOf(callable);
  std::vector<TypeId> param_types = sig.params;
  TypeId result = sig.output;
  // Check every argument: bound ones against their parameter, the rest alone.
  for (const ast::Argument& arg : call->args) {
    size_t index = binding.args.size();
    for (size_t i = 0; i < binding.args.size(); ++i)
      if (binding.args[i] == arg.value) index = i;
    if (index == binding.args.size()) {
      CheckExpr(arg.value);
      continue;
    }
    const ast::Param& param = callable->params[index];
    CheckExprAs(arg.value, index < param_types.size() ? param_types[index] : TypeStore::Error(),
                param.range.valid() ? param.range : param.name.range,
                fmt::format("parameter `{}` of `{}` declared here", param.name.text, callable->name.text));
  }
  if (call->has_with) {
    if (!is_task) {
      diags_.Emit(call->with_range.valid() ? call->with_range : call->range, diag::Kind::WithOnNonTask, callee_name,
                  "workflow");
      for (const ast::FieldAssign& field : call->with) CheckExpr(field.value);
    } else {
      CheckWithOverrides(call, &binding);
    }
  }
  out_.calls[call] = std::move(binding);
  return result;
}

void Checker::CheckWithOverrides(const ast::CallExpr* call, CallBinding* binding) {
  llvm::StringMap<SourceRange> seen;
  std::vector<std::pair<ir::TaskField, const ast::Expr*>> overrides;
  for (const ast::FieldAssign& field : call->with) {
    auto [it, inserted] = seen.try_emplace(field.name.text, field.name.range);
    if (!inserted) {
      diags_.Build(field.name.range, diag::Kind::DuplicateField, field.name.text)
          .Label(it->second, "first given here")
          .Emit();
      CheckExpr(field.value);
      continue;
    }
    auto task_field = TaskFieldByName(field.name.text);
    if (!task_field) {
      auto builder = diags_.Build(field.name.range, diag::Kind::UnknownTaskField, field.name.text);
      if (field.name.text == "script" || field.name.text == "command")
        builder.Note("a call cannot replace the task's program");
      else if (auto suggestion = diag::Suggest(field.name.text, TaskFieldNames()))
        builder.Note(diag::DidYouMean(*suggestion));
      builder.Emit();
      CheckExpr(field.value);
      continue;
    }
    CheckTaskFieldValue(*task_field, field.value, field.name.range);
    overrides.push_back({*task_field, field.value});
  }
  binding->overrides = out_.Keep(overrides);
}

TypeId Checker::CheckTry(const ast::TryExpr* expr, TypeId expected) {
  const ast::Expr* operand = StripParens(expr->operand);
  TypeId want = expected.valid() ? types().StripOptional(expected) : TypeId{};
  TypeId type = CheckExpr(expr->operand, want);
  bool is_call = false;
  if (const auto* call = operand ? operand->TryAs<ast::CallExpr>() : nullptr) {
    auto it = out_.calls.find(call);
    is_call = it != out_.calls.end() &&
              (it->second.callee.kind == RefKind::Task || it->second.callee.kind == RefKind::Workflow);
    if (it == out_.calls.end()) is_call = true;  // the call failed to check: stay silent
  }
  if (!is_call) {
    diags_.Build(expr->range, diag::Kind::TryOnNonCall)
        .Note("`try` turns a failed task or workflow call into `none`")
        .Emit();
    return TypeStore::Error();
  }
  if (types().IsError(type)) return TypeStore::Error();
  return types().Optional(type);
}

}  // namespace flow::check

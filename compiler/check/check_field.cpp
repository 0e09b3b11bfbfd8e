// Names and `a.b`: local bindings, constants, module members, enum members,
// task outputs (`out`, `out.NAME`) and record/struct fields.
#include "compiler/check/checker.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

namespace {

std::vector<std::string> FieldNames(const types::Type& type) {
  std::vector<std::string> names;
  for (const types::Field& field : type.fields) names.push_back(field.name);
  return names;
}

}  // namespace

TypeId Checker::CheckName(const ast::NameExpr* expr) {
  std::string_view name = expr->name.text;
  if (LocalBinding* binding = LookupLocal(name)) {
    out_.refs[expr] = binding->ref;
    binding->used = true;
    // Inside `finally`, body bindings may not exist (the body may have failed).
    if (fn_->finally_forbidden && binding->scope == fn_->finally_forbidden) {
      diags_.Build(expr->range, diag::Kind::FinallyUsesValue, name)
          .Label(binding->range, "bound in the workflow body here")
          .Note("`finally` may use the workflow's inputs and constants")
          .Emit();
      return TypeStore::Error();
    }
    if (binding->ref.kind == RefKind::Output) {
      const Signature& sig = SignatureOf(fn_->task);
      if (!sig.has_output || sig.record_output) {
        auto builder = diags_.Build(expr->range, diag::Kind::UnknownOutput, fn_->task->name.text, "out");
        if (sig.record_output) {
          std::string names;
          for (const std::string& n : sig.output_names) names += (names.empty() ? "`out." : ", `out.") + n + "`";
          builder.Note("this task has named outputs: use " + names);
        } else {
          builder.Note("the task declares no outputs");
        }
        builder.Emit();
        return TypeStore::Error();
      }
      if (fn_->in_program && !fn_->outputs_used.empty()) fn_->outputs_used[0] = true;
      return types().KindOf(sig.output) == types::TypeKind::Dir ? TypeStore::Dir() : TypeStore::File();
    }
    if (binding->let) return EnsureLet(binding, expr->range);
    return binding->type.valid() ? binding->type : TypeStore::Error();
  }
  auto ref = LookupGlobal(fn_->module, name);
  if (!ref) {
    out_.refs[expr] = DeclRef{};
    if (fn_->finally_forbidden) {
      // Not visible in `finally`, but maybe a body binding: say why.
      auto it = fn_->finally_forbidden->names.find(name);
      if (it != fn_->finally_forbidden->names.end()) {
        it->second.used = true;
        diags_.Build(expr->range, diag::Kind::FinallyUsesValue, name)
            .Label(it->second.range, "bound in the workflow body here")
            .Emit();
        return TypeStore::Error();
      }
    }
    ReportUnknownName(expr->name.range.valid() ? expr->name.range : expr->range, name);
    return TypeStore::Error();
  }
  out_.refs[expr] = *ref;
  if (ref->kind == RefKind::Const) return EnsureConst(ref->node->As<ast::ConstDecl>(), ref->module_index);
  diags_.Build(expr->range, diag::Kind::NotAValue, name, RefKindName(ref->kind)).Emit();
  return TypeStore::Error();
}

TypeId Checker::CheckField(const ast::FieldExpr* expr) {
  std::string_view field = expr->field.text;
  SourceRange field_range = expr->field.range.valid() ? expr->field.range : expr->range;
  const ast::Expr* base = StripParens(expr->base);

  // `out.NAME` inside a task body.
  if (const auto* name = base ? base->TryAs<ast::NameExpr>() : nullptr) {
    LocalBinding* binding = LookupLocal(name->name.text);
    if (binding && binding->ref.kind == RefKind::Output) {
      out_.refs[name] = binding->ref;
      binding->used = true;
      const Signature& sig = SignatureOf(fn_->task);
      for (size_t i = 0; sig.record_output && i < sig.output_names.size(); ++i) {
        if (sig.output_names[i] != field) continue;
        DeclRef ref = binding->ref;
        ref.index = static_cast<int32_t>(i);
        out_.refs[expr] = ref;
        if (fn_->in_program && i < fn_->outputs_used.size()) fn_->outputs_used[i] = true;
        return types().KindOf(sig.output_types[i]) == types::TypeKind::Dir ? TypeStore::Dir() : TypeStore::File();
      }
      out_.refs[expr] = DeclRef{};
      auto builder = diags_.Build(field_range, diag::Kind::UnknownOutput, fn_->task->name.text, field);
      if (!sig.record_output && sig.has_output) {
        builder.Note("the task has a single output: use `out`");
      } else if (auto suggestion = diag::Suggest(field, sig.output_names)) {
        builder.Note(diag::DidYouMean(*suggestion));
      }
      builder.Emit();
      return TypeStore::Error();
    }
  }

  // Declarations reached through a path: `module.member`, `Enum.member`.
  if (auto decl = ResolveDeclPath(base)) {
    switch (decl->kind) {
      case RefKind::None:
        return TypeStore::Error();  // already diagnosed
      case RefKind::Module: {
        if (decl->module_index < 0) return TypeStore::Error();
        auto member = LookupMember(decl->module_index, field);
        const auto* base_name = base->TryAs<ast::NameExpr>();
        if (!member) {
          out_.refs[expr] = DeclRef{};
          ReportUnknownMember(field_range, decl->module_index, base_name ? base_name->name.text : "", field);
          return TypeStore::Error();
        }
        out_.refs[expr] = *member;
        if (member->kind == RefKind::Const)
          return EnsureConst(member->node->As<ast::ConstDecl>(), member->module_index);
        diags_.Build(expr->range, diag::Kind::NotAValue, Text(expr->range), RefKindName(member->kind)).Emit();
        return TypeStore::Error();
      }
      case RefKind::Enum: {
        TypeId enum_type = out_.decl_types.lookup(decl->node);
        const auto& members = types().Get(enum_type).members;
        for (size_t i = 0; i < members.size(); ++i) {
          if (members[i] != field) continue;
          DeclRef ref = *decl;
          ref.kind = RefKind::EnumMember;
          ref.index = static_cast<int32_t>(i);
          out_.refs[expr] = ref;
          return enum_type;
        }
        out_.refs[expr] = DeclRef{};
        auto builder = diags_.Build(field_range, diag::Kind::UnknownEnumMember, Str(enum_type), field);
        if (auto suggestion = diag::Suggest(field, members)) builder.Note(diag::DidYouMean(*suggestion));
        builder.Emit();
        return TypeStore::Error();
      }
      case RefKind::Task:
      case RefKind::Workflow:
      case RefKind::Struct:
      case RefKind::Builtin:
        diags_.Build(base->range, diag::Kind::NotAValue, Text(base->range), RefKindName(decl->kind)).Emit();
        return TypeStore::Error();
      case RefKind::Param:
      case RefKind::Let:
      case RefKind::LoopVar:
      case RefKind::Const:
      case RefKind::EnumMember:
      case RefKind::Output:
        break;  // values: handled below
    }
  }

  // A value's field.
  TypeId base_type = CheckExpr(expr->base);
  if (types().IsError(base_type)) return TypeStore::Error();
  if (types().IsOptional(base_type)) {
    TypeId inner = types().StripOptional(base_type);
    if (types().FindField(inner, field)) {
      diags_.Build(expr->base->range, diag::Kind::OptionalUsed, Str(base_type), Str(inner))
          .Note(fmt::format("the value may be `none`; unwrap it first, e.g. `({} ?? default).{}`",
                            Text(expr->base->range), field))
          .Emit();
      return TypeStore::Error();
    }
  }
  const types::Type& type = types().Get(base_type);
  if (type.kind != types::TypeKind::Record && type.kind != types::TypeKind::Struct) {
    diags_.Build(field_range, diag::Kind::NoFields, Str(base_type)).Label(expr->base->range, "this value").Emit();
    return TypeStore::Error();
  }
  if (const types::Field* f = types().FindField(base_type, field)) return f->type;
  auto builder = diags_.Build(field_range, diag::Kind::UnknownField, field, Str(base_type));
  std::vector<std::string> names = FieldNames(types().Get(base_type));
  if (auto suggestion = diag::Suggest(field, names)) {
    builder.Note(diag::DidYouMean(*suggestion));
  } else if (!names.empty()) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "`" : ", `") + n + "`";
    builder.Note("available fields: " + list);
  }
  builder.Emit();
  return TypeStore::Error();
}

}  // namespace flow::check

// Compound expressions: list, map, record and struct literals, indexing, `if`
// and `for`.
#include "compiler/check/checker.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

namespace {
using types::TypeKind;
}  // namespace

TypeId Checker::CheckList(const ast::ListExpr* expr, TypeId expected) {
  TypeId want = expected.valid() ? types().StripOptional(expected) : TypeId{};
  TypeId want_elem = want.valid() && types().KindOf(want) == TypeKind::List ? types().Get(want).elem : TypeId{};
  if (expr->elements.empty()) {
    if (want_elem.valid()) return want;
    diags_.Build(expr->range, diag::Kind::AmbiguousEmptyLiteral, "list")
        .Note("annotate the binding, e.g. `let xs: List[String] = []`")
        .Emit();
    return TypeStore::Error();
  }
  TypeId elem{};
  bool poisoned = false;
  for (const ast::Expr* element : expr->elements) {
    TypeId t = CheckExpr(element, want_elem);
    if (types().IsError(t)) {
      poisoned = true;
      continue;
    }
    if (!elem.valid()) {
      elem = t;
      continue;
    }
    TypeId unified = types().Unify(elem, t);
    if (!unified.valid() && want_elem.valid() && types().IsAssignable(elem, want_elem) &&
        types().IsAssignable(t, want_elem))
      unified = want_elem;
    if (!unified.valid()) {
      diags_.Build(element->range, diag::Kind::ElementMismatch, "list", Str(elem), Str(t))
          .Label(expr->elements.front() ? expr->elements.front()->range : expr->range,
                 "the first element is `" + Str(elem) + "`")
          .Emit();
      return TypeStore::Error();
    }
    elem = unified;
  }
  if (!elem.valid()) return poisoned ? TypeStore::Error() : want;
  return types().List(elem);
}

TypeId Checker::CheckMap(const ast::MapExpr* expr, TypeId expected) {
  TypeId want = expected.valid() ? types().StripOptional(expected) : TypeId{};
  bool want_map = want.valid() && types().KindOf(want) == TypeKind::Map;
  TypeId want_key = want_map ? types().Get(want).key : TypeId{};
  TypeId want_value = want_map ? types().Get(want).value : TypeId{};
  if (expr->entries.empty()) {
    if (want_map) return want;
    diags_.Build(expr->range, diag::Kind::AmbiguousEmptyLiteral, "map")
        .Note("annotate the binding, e.g. `let m: Map[String, Int] = {}`")
        .Emit();
    return TypeStore::Error();
  }
  TypeId key{}, value{};
  bool poisoned = false;
  for (const auto& entry : expr->entries) {
    TypeId k = CheckExpr(entry.key, want_key);
    TypeId v = CheckExpr(entry.value, want_value);
    if (!types().IsError(k)) {
      if (k != TypeStore::String() && k != TypeStore::Int()) {
        diags_.Emit(entry.key->range, diag::Kind::InvalidMapKey, Str(k));
        poisoned = true;
      } else if (key.valid() && key != k) {
        diags_.Build(entry.key->range, diag::Kind::ElementMismatch, "map key", Str(key), Str(k)).Emit();
        poisoned = true;
      } else {
        key = k;
      }
    } else {
      poisoned = true;
    }
    if (types().IsError(v)) {
      poisoned = true;
      continue;
    }
    if (!value.valid()) {
      value = v;
      continue;
    }
    TypeId unified = types().Unify(value, v);
    if (!unified.valid() && want_value.valid() && types().IsAssignable(value, want_value) &&
        types().IsAssignable(v, want_value))
      unified = want_value;
    if (!unified.valid()) {
      diags_.Build(entry.value->range, diag::Kind::ElementMismatch, "map value", Str(value), Str(v))
          .Label(expr->entries.front().value ? expr->entries.front().value->range : expr->range,
                 "the first value is `" + Str(value) + "`")
          .Emit();
      poisoned = true;
      continue;
    }
    value = unified;
  }
  if (poisoned || !key.valid() || !value.valid()) return TypeStore::Error();
  return types().Map(key, value);
}

TypeId Checker::CheckRecordExpr(const ast::RecordExpr* expr, TypeId expected) {
  TypeId want = expected.valid() ? types().StripOptional(expected) : TypeId{};
  bool want_record = want.valid() && types().KindOf(want) == TypeKind::Record;
  std::vector<types::Field> fields;
  llvm::StringMap<SourceRange> seen;
  bool poisoned = false;
  for (const ast::FieldInit& init : expr->fields) {
    const types::Field* wf = want_record ? types().FindField(want, init.name.text) : nullptr;
    TypeId t = CheckExpr(init.value, wf ? wf->type : TypeId{});
    auto [it, inserted] = seen.try_emplace(init.name.text, init.name.range);
    if (!inserted) {
      diags_.Build(init.name.range, diag::Kind::DuplicateField, init.name.text)
          .Label(it->second, "first given here")
          .Emit();
      poisoned = true;
      continue;
    }
    if (types().IsError(t)) poisoned = true;
    fields.push_back({std::string(init.name.text), t, false});
  }
  if (poisoned) return TypeStore::Error();
  // A literal whose fields match the expected record in another order takes
  // the expected order (fields are named, so order carries no meaning).
  if (want_record && fields.size() == types().Get(want).fields.size()) {
    std::vector<types::Field> ordered;
    for (const types::Field& wf : types().Get(want).fields) {
      for (const types::Field& f : fields)
        if (f.name == wf.name) ordered.push_back(f);
    }
    if (ordered.size() == fields.size()) fields = std::move(ordered);
  }
  return types().Record(std::move(fields));
}

TypeId Checker::CheckStructExpr(const ast::StructExpr* expr) {
  std::optional<DeclRef> ref;
  int module = fn_->module;
  std::string shown(expr->type_name.text);
  if (!expr->module.text.empty()) {
    shown = std::string(expr->module.text) + "." + std::string(expr->type_name.text);
    auto import = modules_[module].imports.find(expr->module.text);
    if (import == modules_[module].imports.end()) {
      ReportUnknownName(expr->module.range, expr->module.text);
    } else {
      modules_[module].used_imports.insert(expr->module.text);
      if (import->second >= 0) {
        ref = LookupMember(import->second, expr->type_name.text);
        if (!ref)
          ReportUnknownMember(expr->type_name.range, import->second, expr->module.text, expr->type_name.text);
      }
    }
  } else {
    ref = LookupMember(module, expr->type_name.text);
    if (!ref) {
      std::vector<std::string> structs;
      for (const std::string& name : modules_[module].decl_names) {
        auto r = LookupMember(module, name);
        if (r && r->kind == RefKind::Struct) structs.push_back(name);
      }
      auto builder = diags_.Build(expr->type_name.range, diag::Kind::UnknownType, expr->type_name.text);
      if (auto suggestion = diag::Suggest(expr->type_name.text, structs)) builder.Note(diag::DidYouMean(*suggestion));
      builder.Emit();
    }
  }
  if (ref && ref->kind != RefKind::Struct) {
    diags_.Build(expr->type_name.range, diag::Kind::UnknownType, shown)
        .Note(fmt::format("`{}` is a {}, not a struct", shown, RefKindName(ref->kind)))
        .Emit();
    ref.reset();
  }
  TypeId struct_type = ref ? out_.decl_types.lookup(ref->node) : TypeStore::Error();
  llvm::StringMap<SourceRange> seen;
  for (const ast::FieldInit& init : expr->fields) {
    const types::Field* field = ref ? types().FindField(struct_type, init.name.text) : nullptr;
    if (ref && !field) {
      std::vector<std::string> names;
      for (const types::Field& f : types().Get(struct_type).fields) names.push_back(f.name);
      auto builder = diags_.Build(init.name.range, diag::Kind::UnknownField, init.name.text, shown);
      if (auto suggestion = diag::Suggest(init.name.text, names)) builder.Note(diag::DidYouMean(*suggestion));
      builder.Emit();
    }
    TypeId want = field ? field->type : TypeId{};
    CheckExprAs(init.value, want, {}, "");
    auto [it, inserted] = seen.try_emplace(init.name.text, init.name.range);
    if (!inserted)
      diags_.Build(init.name.range, diag::Kind::DuplicateField, init.name.text)
          .Label(it->second, "first given here")
          .Emit();
  }
  if (!ref) return TypeStore::Error();
  std::string missing;
  for (const types::Field& f : types().Get(struct_type).fields) {
    if (f.has_default || seen.count(f.name)) continue;
    missing += (missing.empty() ? "" : "`, `") + f.name;
  }
  if (!missing.empty()) {
    diags_.Build(expr->type_name.range, diag::Kind::MissingStructField, missing, shown)
        .Label(static_cast<const ast::Decl*>(ref->node)->name.range, "struct declared here")
        .Emit();
  }
  return struct_type;
}

TypeId Checker::CheckIndex(const ast::IndexExpr* expr) {
  TypeId base = CheckExpr(expr->base);
  const types::Type& type = types().Get(base);
  if (type.kind == TypeKind::List) {
    TypeId elem = type.elem;
    CheckExprAs(expr->index, TypeStore::Int(), expr->base->range, "a list is indexed by `Int`");
    return elem;
  }
  if (type.kind == TypeKind::Map) {
    TypeId key = type.key, value = type.value;
    CheckExprAs(expr->index, key, expr->base->range, "the map's keys are `" + Str(key) + "`");
    return value;
  }
  TypeKind kind = type.kind;  // `type` may dangle once CheckExpr interns types
  CheckExpr(expr->index);
  if (kind == TypeKind::Error) return TypeStore::Error();
  if (kind == TypeKind::Optional) {
    diags_.Build(expr->base->range, diag::Kind::OptionalUsed, Str(base), Str(types().StripOptional(base)))
        .Note(fmt::format("give a default with `{} ?? value`", Text(expr->base->range)))
        .Emit();
    return TypeStore::Error();
  }
  diags_.Build(expr->base->range, diag::Kind::NotIndexable, Str(base))
      .Note("only `List` (by `Int`) and `Map` (by key) values can be indexed")
      .Emit();
  return TypeStore::Error();
}

TypeId Checker::CheckIf(const ast::IfExpr* expr, TypeId expected) {
  CheckExprAs(expr->cond, TypeStore::Bool(), {}, "");
  TypeId want = expected.valid() ? types().StripOptional(expected) : TypeId{};
  TypeId then_type = CheckBlock(expr->then_block, expr->else_block ? expected : want);
  if (!expr->else_block) return types().Optional(then_type);
  TypeId else_type = CheckBlock(expr->else_block, expected);
  if (types().IsError(then_type) || types().IsError(else_type)) return TypeStore::Error();
  TypeId unified = types().Unify(then_type, else_type);
  if (!unified.valid()) {
    const ast::Node* else_at = expr->else_block->result ? static_cast<const ast::Node*>(expr->else_block->result)
                                                        : expr->else_block;
    const ast::Node* then_at = expr->then_block->result ? static_cast<const ast::Node*>(expr->then_block->result)
                                                        : expr->then_block;
    diags_.Build(else_at->range, diag::Kind::BranchMismatch, Str(then_type), Str(else_type))
        .Label(then_at->range, "the `then` branch is `" + Str(then_type) + "`")
        .Emit();
    return TypeStore::Error();
  }
  return unified;
}

TypeId Checker::CheckFor(const ast::ForExpr* expr, TypeId expected) {
  TypeId iterable = CheckExpr(expr->iterable);
  if (expr->limit) {
    CheckExprAs(expr->limit, TypeStore::Int(), {}, "");
    if (const auto* lit = StripParens(expr->limit)->TryAs<ast::IntLit>(); lit && lit->value <= 0)
      diags_.Emit(expr->limit->range, diag::Kind::InvalidFieldValue, "limit", "it must be at least 1");
  }
  std::vector<TypeId> var_types(expr->vars.size(), TypeStore::Error());
  SourceRange vars_range = expr->vars.empty() ? expr->range : expr->vars.front().range;
  const types::Type& type = types().Get(iterable);
  size_t nvars = expr->vars.size();
  switch (type.kind) {
    case TypeKind::List: {
      TypeId elem = type.elem;
      if (nvars == 1) {
        var_types[0] = elem;
        break;
      }
      const types::Type& elem_type = types().Get(elem);
      if (nvars == 2 && (elem_type.kind == TypeKind::Record || elem_type.kind == TypeKind::Struct) &&
          elem_type.fields.size() == 2) {
        var_types[0] = elem_type.fields[0].type;
        var_types[1] = elem_type.fields[1].type;
      } else if (!types().IsError(elem) && !expr->vars.empty()) {
        diags_.Build(vars_range, diag::Kind::InvalidPattern,
                     fmt::format("cannot bind {} names to an element of type `{}`", nvars, Str(elem)))
            .Note("two names need a `Map`, or a list of 2-field records such as `enumerate(xs)` or `zip(a, b)`")
            .Emit();
      }
      break;
    }
    case TypeKind::Map:
      if (nvars == 2) {
        var_types[0] = type.key;
        var_types[1] = type.value;
      } else if (!expr->vars.empty()) {
        diags_.Build(vars_range, diag::Kind::InvalidPattern,
                     "iterating over a map binds two names: `(key, value)`")
            .Emit();
      }
      break;
    case TypeKind::Error:
      break;
    case TypeKind::Optional:
      diags_.Build(expr->iterable->range, diag::Kind::OptionalUsed, Str(iterable), Str(types().StripOptional(iterable)))
          .Note(fmt::format("iterate over `{} ?? []`", Text(expr->iterable->range)))
          .Emit();
      break;
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Record:
    case TypeKind::Struct:
    case TypeKind::Enum: {
      auto builder = diags_.Build(expr->iterable->range, diag::Kind::NotIterable, Str(iterable));
      if (types().IsNumeric(iterable)) builder.Note(fmt::format("use `range({})`", Text(expr->iterable->range)));
      builder.Emit();
      break;
    }
  }
  Scope* saved = PushScope(/*loop_scope=*/true);
  for (size_t i = 0; i < expr->vars.size(); ++i) {
    DeclRef ref;
    ref.kind = RefKind::LoopVar;
    ref.node = expr;
    ref.index = static_cast<int32_t>(i);
    ref.module_index = fn_->module;
    if (LocalBinding* b = Declare(expr->vars[i], ref, var_types[i], /*may_shadow=*/true)) b->used = true;
  }
  TypeId want = expected.valid() ? types().StripOptional(expected) : TypeId{};
  TypeId want_elem = want.valid() && types().KindOf(want) == TypeKind::List ? types().Get(want).elem : TypeId{};
  TypeId body = CheckBlock(expr->body, want_elem);
  PopScope(saved);
  if (types().IsError(body)) return TypeStore::Error();
  return types().List(body);
}

}  // namespace flow::check

// Typing of the built-in functions of stdlib/builtins.def, overloads included.
// Each builtin's parameter names and result follow its documented signature.
#include "compiler/check/checker.h"

namespace flow::check {

namespace {

using types::TypeKind;
using Overload = std::vector<Checker::ParamSpec>;

std::vector<Overload> OverloadsOf(ir::BuiltinId id) {
  using B = ir::BuiltinId;
  auto p = [](const char* name, bool has_default = false) { return Checker::ParamSpec{name, has_default}; };
  switch (id) {
    case B::Len: return {{p("x")}};
    case B::Range: return {{p("n")}, {p("start"), p("stop")}};
    case B::Enumerate: return {{p("xs")}};
    case B::Zip: return {{p("a"), p("b")}};
    case B::Flatten: return {{p("xs")}};
    case B::Keys: return {{p("m")}};
    case B::Values: return {{p("m")}};
    case B::Contains: return {{p("xs"), p("x")}, {p("m"), p("key")}, {p("s"), p("sub")}};
    case B::Join: return {{p("xs"), p("sep", true)}};
    case B::Split: return {{p("s"), p("sep")}};
    case B::Replace: return {{p("s"), p("old"), p("new")}};
    case B::Basename: return {{p("path")}};
    case B::Dirname: return {{p("path")}};
    case B::Stem: return {{p("path")}};
    case B::String: return {{p("x")}};
    case B::Int: return {{p("x")}};
    case B::Float: return {{p("x")}};
    case B::Min: return {{p("a"), p("b")}, {p("xs")}};
    case B::Max: return {{p("a"), p("b")}, {p("xs")}};
    case B::Sum: return {{p("xs")}};
    case B::Round: return {{p("x")}};
    case B::SelectFirst: return {{p("xs")}};
    case B::Defined: return {{p("x")}};
    case B::Sort: return {{p("xs")}};
    case B::Lower: return {{p("s")}};
    case B::Upper: return {{p("s")}};
    case B::Trim: return {{p("s")}};
    case B::StartsWith: return {{p("s"), p("prefix")}};
    case B::EndsWith: return {{p("s"), p("suffix")}};
    case B::Abs: return {{p("x")}};
    case B::Raw: return {{p("x"), p("reason", true)}};
  }
  return {{}};
}

const char* BuiltinName(ir::BuiltinId id) {
  switch (id) {
#define FLOW_BUILTIN(bid, name, signature, doc) \
  case ir::BuiltinId::bid:                      \
    return name;
#include "stdlib/builtins.def"
  }
  return "?";
}

// Does the call's argument list fit this overload (arity and names)?
bool Fits(const ast::CallExpr* call, const Overload& params) {
  size_t positional = 0;
  std::vector<bool> given(params.size(), false);
  for (const ast::Argument& arg : call->args) {
    if (arg.name.text.empty()) {
      if (positional >= params.size()) return false;
      given[positional++] = true;
      continue;
    }
    bool found = false;
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].name != arg.name.text) continue;
      found = true;
      given[i] = true;
    }
    if (!found) return false;
  }
  for (size_t i = 0; i < params.size(); ++i)
    if (!given[i] && !params[i].has_default) return false;
  return true;
}

}  // namespace

TypeId Checker::CheckBuiltinCall(const ast::CallExpr* call, ir::BuiltinId id, TypeId expected) {
  const std::string name = BuiltinName(id);
  std::vector<Overload> overloads = OverloadsOf(id);
  size_t chosen = 0;
  bool fits = false;
  for (size_t i = 0; i < overloads.size() && !fits; ++i) {
    if (Fits(call, overloads[i])) {
      chosen = i;
      fits = true;
    }
  }
  if (!fits) {
    // Report against the overload with as many parameters as arguments given, if any.
    for (size_t i = 0; i < overloads.size(); ++i)
      if (overloads[i].size() == call->args.size()) chosen = i;
  }
  CallBinding binding;
  binding.callee.kind = RefKind::Builtin;
  binding.callee.builtin = id;
  std::vector<const ast::Expr*> bound;
  bool bound_ok = BindArguments(call, name, overloads[chosen], &bound);
  binding.args = out_.Keep(bound);
  const Overload& params = overloads[chosen];
  std::vector<bool> checked(params.size(), false);
  std::vector<TypeId> arg_types(params.size(), TypeStore::Error());

  auto check = [&](size_t i, TypeId want = TypeId{}) -> TypeId {
    if (i >= binding.args.size() || !binding.args[i]) return TypeStore::Error();
    checked[i] = true;
    if (want.valid()) {
      arg_types[i] = CheckExprAs(binding.args[i], want, {}, "");
      if (!types().IsAssignable(arg_types[i], want)) arg_types[i] = TypeStore::Error();
    } else {
      arg_types[i] = CheckExpr(binding.args[i]);
    }
    return arg_types[i];
  };
  auto mismatch = [&](size_t i, const std::string& want) {
    TypeId got = arg_types[i];
    if (types().ContainsError(got)) return;
    if (types().IsOptional(got)) {
      diags_.Build(binding.args[i]->range, diag::Kind::OptionalUsed, Str(got), want)
          .Label(call->callee->range, fmt::format("argument `{}` of `{}`", params[i].name, name))
          .Note(fmt::format("give a default with `{} ?? value`", Text(binding.args[i]->range)))
          .Emit();
      return;
    }
    diags_.Build(binding.args[i]->range, diag::Kind::TypeMismatch, want, Str(got))
        .Label(call->callee->range, fmt::format("argument `{}` of `{}`", params[i].name, name))
        .Emit();
  };
  auto kind = [&](size_t i) { return types().KindOf(arg_types[i]); };
  auto is_err = [&](size_t i) { return types().IsError(arg_types[i]); };
  auto list_elem = [&](size_t i) { return types().Get(arg_types[i]).elem; };

  TypeId result = TypeStore::Error();
  using B = ir::BuiltinId;
  switch (id) {
    case B::Len:
      check(0);
      if (!is_err(0) && kind(0) != TypeKind::List && kind(0) != TypeKind::Map && kind(0) != TypeKind::String)
        mismatch(0, "List[T] | Map[K, V] | String");
      result = TypeStore::Int();
      break;
    case B::Range:
      for (size_t i = 0; i < params.size(); ++i) check(i, TypeStore::Int());
      result = types().List(TypeStore::Int());
      break;
    case B::Enumerate:
      check(0);
      if (kind(0) == TypeKind::List)
        result = types().List(types().Record({{"index", TypeStore::Int()}, {"value", list_elem(0)}}));
      else if (!is_err(0)) mismatch(0, "List[T]");
      break;
    case B::Zip:
      check(0);
      check(1);
      if (!is_err(0) && kind(0) != TypeKind::List) mismatch(0, "List[T]");
      if (!is_err(1) && kind(1) != TypeKind::List) mismatch(1, "List[U]");
      if (kind(0) == TypeKind::List && kind(1) == TypeKind::List)
        result = types().List(types().Record({{"left", list_elem(0)}, {"right", list_elem(1)}}));
      break;
    case B::Flatten:
      check(0, expected.valid() && types().KindOf(expected) == TypeKind::List ? types().List(expected) : TypeId{});
      if (kind(0) == TypeKind::List && types().KindOf(list_elem(0)) == TypeKind::List) result = list_elem(0);
      else if (!is_err(0)) mismatch(0, "List[List[T]]");
      break;
    case B::Keys:
    case B::Values:
      check(0);
      if (kind(0) == TypeKind::Map) {
        const types::Type& m = types().Get(arg_types[0]);
        TypeId elem = id == B::Keys ? m.key : m.value;
        result = types().List(elem);
      } else if (!is_err(0)) {
        mismatch(0, "Map[K, V]");
      }
      break;
    case B::Contains: {
      check(0);
      result = TypeStore::Bool();
      if (kind(0) == TypeKind::List) check(1, list_elem(0));
      else if (kind(0) == TypeKind::Map) check(1, types().Get(arg_types[0]).key);
      else if (kind(0) == TypeKind::String) check(1, TypeStore::String());
      else {
        check(1);
        if (!is_err(0)) mismatch(0, "List[T] | Map[K, V] | String");
      }
      break;
    }
    case B::Join:
      check(0);
      if (params.size() > 1) check(1, TypeStore::String());
      if (kind(0) == TypeKind::List && !types().IsScalar(list_elem(0)) && !types().IsError(list_elem(0)))
        mismatch(0, "List[T] with scalar elements");
      else if (!is_err(0) && kind(0) != TypeKind::List) mismatch(0, "List[T]");
      result = TypeStore::String();
      break;
    case B::Split:
      check(0, TypeStore::String());
      check(1, TypeStore::String());
      result = types().List(TypeStore::String());
      break;
    case B::Replace:
      for (size_t i = 0; i < 3; ++i) check(i, TypeStore::String());
      result = TypeStore::String();
      break;
    case B::Basename:
    case B::Dirname:
    case B::Stem:
      check(0);
      if (!is_err(0) && kind(0) != TypeKind::String && kind(0) != TypeKind::File && kind(0) != TypeKind::Dir)
        mismatch(0, "String | File | Dir");
      result = TypeStore::String();
      break;
    case B::String:
      check(0);
      result = TypeStore::String();
      break;
    case B::Int:
      check(0);
      if (!is_err(0) && kind(0) != TypeKind::String && kind(0) != TypeKind::Float && kind(0) != TypeKind::Int &&
          kind(0) != TypeKind::Bool)
        mismatch(0, "String | Float | Int | Bool");
      result = TypeStore::Int();
      break;
    case B::Float:
      check(0);
      if (!is_err(0) && kind(0) != TypeKind::String && kind(0) != TypeKind::Float && kind(0) != TypeKind::Int)
        mismatch(0, "String | Int | Float");
      result = TypeStore::Float();
      break;
    case B::Min:
    case B::Max: {
      auto comparable = [&](TypeId t) {
        TypeKind k = types().KindOf(t);
        return types().IsNumeric(t) || k == TypeKind::String || k == TypeKind::Duration || k == TypeKind::Size;
      };
      if (params.size() == 2) {
        check(0);
        check(1);
        if (is_err(0) || is_err(1)) break;
        TypeId unified = types().Unify(arg_types[0], arg_types[1]);
        if (!unified.valid() || !comparable(unified)) {
          mismatch(1, unified.valid() ? "a number, String, Duration or Size" : Str(arg_types[0]));
          break;
        }
        result = unified;
      } else {
        check(0);
        if (kind(0) == TypeKind::List && comparable(list_elem(0))) result = list_elem(0);
        else if (!is_err(0)) mismatch(0, "List[T] of numbers, strings, durations or sizes");
      }
      break;
    }
    case B::Sum:
      check(0);
      if (kind(0) == TypeKind::List && types().IsNumeric(list_elem(0))) result = list_elem(0);
      else if (!is_err(0)) mismatch(0, "List[Int] | List[Float]");
      break;
    case B::Round:
      check(0, TypeStore::Float());
      result = TypeStore::Int();
      break;
    case B::SelectFirst:
      check(0);
      if (kind(0) == TypeKind::List && !types().IsError(list_elem(0))) result = types().StripOptional(list_elem(0));
      else if (!is_err(0)) mismatch(0, "List[T?]");
      if (result == TypeStore::None()) result = TypeStore::Error();
      break;
    case B::Defined:
      check(0);
      result = TypeStore::Bool();
      break;
    case B::Sort:
      check(0, expected.valid() && types().KindOf(expected) == TypeKind::List ? expected : TypeId{});
      if (kind(0) == TypeKind::List && types().IsScalar(list_elem(0))) result = arg_types[0];
      else if (!is_err(0)) mismatch(0, "List[T] with scalar elements");
      break;
    case B::Lower:
    case B::Upper:
    case B::Trim:
      check(0, TypeStore::String());
      result = TypeStore::String();
      break;
    case B::StartsWith:
    case B::EndsWith:
      check(0, TypeStore::String());
      check(1, TypeStore::String());
      result = TypeStore::Bool();
      break;
    case B::Abs:
      check(0);
      if (types().IsNumeric(arg_types[0])) result = arg_types[0];
      else if (!is_err(0)) mismatch(0, "Int | Float");
      break;
    case B::Raw:
      check(0);
      if (params.size() > 1) check(1, TypeStore::String());
      if (binding.args.size() > 1 && !binding.args[1] && bound_ok) {
        diags_.Build(call->range, diag::Kind::RawInterpolation)
            .Note("say why with `raw(x, reason: \"...\")` to silence this warning")
            .Emit();
      }
      result = TypeStore::String();
      break;
  }
  // Arguments that did not bind (errors already reported) still get types.
  for (const ast::Argument& arg : call->args) {
    bool is_bound = false;
    for (size_t i = 0; i < binding.args.size(); ++i)
      if (binding.args[i] == arg.value && checked[i]) is_bound = true;
    if (!is_bound) CheckExpr(arg.value);
  }
  out_.calls[call] = std::move(binding);
  return bound_ok ? result : TypeStore::Error();
}

}  // namespace flow::check

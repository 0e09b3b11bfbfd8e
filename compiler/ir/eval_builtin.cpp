#include "compiler/ir/eval_builtin.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "compiler/ir/value_json.h"

namespace flow::ir {

using types::TypeKind;

namespace {

std::string_view TrimSpace(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string_view StripTrailingSlashes(std::string_view p) {
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  return p;
}

std::string Basename(std::string_view p) {
  p = StripTrailingSlashes(p);
  if (p == "/") return "/";
  size_t slash = p.rfind('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

std::string Dirname(std::string_view p) {
  p = StripTrailingSlashes(p);
  size_t slash = p.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(StripTrailingSlashes(p.substr(0, slash)));
}

std::string Stem(std::string_view p) {
  std::string base = Basename(p);
  size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0) return base;
  return base.substr(0, dot);
}

// The element type of a List type (through an optional), or invalid.
TypeId ElemType(const types::TypeStore& types, TypeId list) {
  if (!list.valid()) return TypeId{};
  TypeId t = types.StripOptional(list);
  if (types.KindOf(t) != TypeKind::List) return TypeId{};
  return types.Get(t).elem;
}

TypeKind KindOf(const types::TypeStore& types, TypeId t) {
  return t.valid() ? types.KindOf(types.StripOptional(t)) : TypeKind::Error;
}

}  // namespace

const char* BuiltinName(BuiltinId id) {
  switch (id) {
#define FLOW_BUILTIN(id, name, signature, doc) \
  case BuiltinId::id:                          \
    return name;
#include "stdlib/builtins.def"
  }
  return "?";
}

EvalResult EvalBuiltin(const types::TypeStore& types, const Expr& call, const std::vector<Value>& args,
                       const std::vector<TypeId>& arg_types, int64_t max_length) {
  using K = Value::Kind;
  const char* name = BuiltinName(call.builtin);
  auto fail = [&](std::string message) { return EvalResult::Error(fmt::format("`{}`: {}", name, message), call.loc); };
  auto arg_type = [&](size_t i) { return i < arg_types.size() ? arg_types[i] : TypeId{}; };
  auto need = [&](size_t n) { return args.size() >= n; };
  auto is = [&](size_t i, K kind) { return i < args.size() && args[i].kind() == kind; };
  const EvalResult kBadArgs = fail("unexpected arguments");

  switch (call.builtin) {
    case BuiltinId::Len:
      if (is(0, K::List)) return EvalResult::Ok(Value::Int(static_cast<int64_t>(args[0].list().size())));
      if (is(0, K::Map)) return EvalResult::Ok(Value::Int(static_cast<int64_t>(args[0].map().size())));
      if (is(0, K::String)) return EvalResult::Ok(Value::Int(static_cast<int64_t>(args[0].as_string().size())));
      return kBadArgs;

    case BuiltinId::Range: {
      int64_t start = 0, stop = 0;
      if (args.size() == 1 && is(0, K::Int)) {
        stop = args[0].as_int();
      } else if (args.size() == 2 && is(0, K::Int) && is(1, K::Int)) {
        start = args[0].as_int();
        stop = args[1].as_int();
      } else {
        return kBadArgs;
      }
      if (stop <= start) return EvalResult::Ok(Value::List({}));
      // stop - start may overflow int64: compare in unsigned arithmetic.
      uint64_t length = static_cast<uint64_t>(stop) - static_cast<uint64_t>(start);
      if (length > static_cast<uint64_t>(max_length)) {
        return fail(fmt::format("a range of {} elements is too long (the limit is {})", length, max_length));
      }
      std::vector<Value> out;
      out.reserve(length);
      for (int64_t i = start; i < stop; ++i) out.push_back(Value::Int(i));
      return EvalResult::Ok(Value::List(std::move(out)));
    }

    case BuiltinId::Enumerate: {
      if (!is(0, K::List)) return kBadArgs;
      std::vector<Value> out;
      out.reserve(args[0].list().size());
      int64_t i = 0;
      for (const Value& e : args[0].list()) out.push_back(Value::Record({{"index", Value::Int(i++)}, {"value", e}}));
      return EvalResult::Ok(Value::List(std::move(out)));
    }

    case BuiltinId::Zip: {
      if (!is(0, K::List) || !is(1, K::List)) return kBadArgs;
      size_t n = std::min(args[0].list().size(), args[1].list().size());
      std::vector<Value> out;
      out.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        out.push_back(Value::Record({{"left", args[0].list()[i]}, {"right", args[1].list()[i]}}));
      }
      return EvalResult::Ok(Value::List(std::move(out)));
    }

    case BuiltinId::Flatten: {
      if (!is(0, K::List)) return kBadArgs;
      std::vector<Value> out;
      for (const Value& inner : args[0].list()) {
        if (inner.kind() != K::List) return fail("expected a list of lists");
        if (static_cast<int64_t>(out.size() + inner.list().size()) > max_length) {
          return fail(fmt::format("the result is longer than {} elements", max_length));
        }
        out.insert(out.end(), inner.list().begin(), inner.list().end());
      }
      return EvalResult::Ok(Value::List(std::move(out)));
    }

    case BuiltinId::Keys:
    case BuiltinId::Values: {
      if (!is(0, K::Map)) return kBadArgs;
      std::vector<Value> out;
      out.reserve(args[0].map().size());
      for (const auto& [k, v] : args[0].map()) out.push_back(call.builtin == BuiltinId::Keys ? k : v);
      return EvalResult::Ok(Value::List(std::move(out)));
    }

    case BuiltinId::Contains: {
      if (!need(2)) return kBadArgs;
      if (is(0, K::String)) {
        if (!is(1, K::String)) return kBadArgs;
        return EvalResult::Ok(Value::Bool(args[0].as_string().find(args[1].as_string()) != std::string::npos));
      }
      if (is(0, K::Map)) {
        for (const auto& [k, v] : args[0].map()) {
          if (k == args[1]) return EvalResult::Ok(Value::Bool(true));
        }
        return EvalResult::Ok(Value::Bool(false));
      }
      if (is(0, K::List)) {
        const auto& xs = args[0].list();
        return EvalResult::Ok(Value::Bool(std::find(xs.begin(), xs.end(), args[1]) != xs.end()));
      }
      return kBadArgs;
    }

    case BuiltinId::Join: {
      if (!is(0, K::List)) return kBadArgs;
      std::string sep = is(1, K::String) ? args[1].as_string() : std::string();
      TypeId elem = ElemType(types, arg_type(0));
      std::string out;
      for (size_t i = 0; i < args[0].list().size(); ++i) {
        if (i) out += sep;
        out += FormatValueText(args[0].list()[i], elem, types);
      }
      return EvalResult::Ok(Value::String(std::move(out)));
    }

    case BuiltinId::Split: {
      if (!is(0, K::String) || !is(1, K::String)) return kBadArgs;
      const std::string& s = args[0].as_string();
      const std::string& sep = args[1].as_string();
      if (sep.empty()) return fail("the separator is empty");
      std::vector<Value> out;
      size_t start = 0;
      while (true) {
        size_t at = s.find(sep, start);
        if (at == std::string::npos) break;
        out.push_back(Value::String(s.substr(start, at - start)));
        start = at + sep.size();
      }
      out.push_back(Value::String(s.substr(start)));
      return EvalResult::Ok(Value::List(std::move(out)));
    }

    case BuiltinId::Replace: {
      if (!is(0, K::String) || !is(1, K::String) || !is(2, K::String)) return kBadArgs;
      const std::string& s = args[0].as_string();
      const std::string& old = args[1].as_string();
      if (old.empty()) return fail("the text to replace is empty");
      std::string out;
      size_t start = 0;
      while (true) {
        size_t at = s.find(old, start);
        if (at == std::string::npos) break;
        out.append(s, start, at - start);
        out += args[2].as_string();
        start = at + old.size();
      }
      out.append(s, start, std::string::npos);
      return EvalResult::Ok(Value::String(std::move(out)));
    }

    case BuiltinId::Basename:
    case BuiltinId::Dirname:
    case BuiltinId::Stem: {
      if (!is(0, K::String)) return kBadArgs;
      const std::string& p = args[0].as_string();
      std::string out = call.builtin == BuiltinId::Basename ? Basename(p)
                        : call.builtin == BuiltinId::Dirname ? Dirname(p)
                                                             : Stem(p);
      return EvalResult::Ok(Value::String(std::move(out)));
    }

    case BuiltinId::String: {
      if (!need(1)) return kBadArgs;
      if (args[0].is_none()) return EvalResult::Ok(Value::String("none"));
      TypeKind kind = KindOf(types, arg_type(0));
      bool structured = kind == TypeKind::List || kind == TypeKind::Map || kind == TypeKind::Record ||
                        kind == TypeKind::Struct ||
                        (kind == TypeKind::Error && (args[0].kind() == K::List || args[0].kind() == K::Map ||
                                                     args[0].kind() == K::Record));
      if (structured) return EvalResult::Ok(Value::String(DumpJson(ValueToJson(args[0], arg_type(0), types))));
      return EvalResult::Ok(Value::String(FormatValueText(args[0], arg_type(0), types)));
    }

    case BuiltinId::Int: {
      if (!need(1)) return kBadArgs;
      const Value& x = args[0];
      switch (x.kind()) {
        case K::Int: return EvalResult::Ok(x);
        case K::Bool: return EvalResult::Ok(Value::Int(x.as_bool() ? 1 : 0));
        case K::Float: {
          double d = std::trunc(x.as_float());
          // 2^63 is exactly representable; anything at or beyond it does not fit.
          if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            return fail(fmt::format("{} does not fit in an `Int`", FormatFloat(x.as_float())));
          }
          return EvalResult::Ok(Value::Int(static_cast<int64_t>(d)));
        }
        case K::String: {
          int64_t i;
          if (!ParseIntText(TrimSpace(x.as_string()), &i)) {
            return fail(fmt::format("{} is not an integer", DumpJson(Json(x.as_string()))));
          }
          return EvalResult::Ok(Value::Int(i));
        }
        case K::None:
        case K::List:
        case K::Map:
        case K::Record: return kBadArgs;
      }
      return kBadArgs;
    }

    case BuiltinId::Float: {
      if (!need(1)) return kBadArgs;
      const Value& x = args[0];
      if (x.kind() == K::Int || x.kind() == K::Float) return EvalResult::Ok(Value::Float(x.as_float()));
      if (x.kind() == K::String) {
        double d;
        if (!ParseFloatText(TrimSpace(x.as_string()), &d)) {
          return fail(fmt::format("{} is not a number", DumpJson(Json(x.as_string()))));
        }
        return EvalResult::Ok(Value::Float(d));
      }
      return kBadArgs;
    }

    case BuiltinId::Min:
    case BuiltinId::Max: {
      bool is_min = call.builtin == BuiltinId::Min;
      if (args.size() == 2) {
        bool first = is_min ? !(args[1] < args[0]) : !(args[0] < args[1]);
        return EvalResult::Ok(first ? args[0] : args[1]);
      }
      if (!is(0, K::List)) return kBadArgs;
      const auto& xs = args[0].list();
      if (xs.empty()) return fail("the list is empty");
      const Value* best = &xs[0];
      for (const Value& x : xs) {
        if (is_min ? x < *best : *best < x) best = &x;
      }
      return EvalResult::Ok(*best);
    }

    case BuiltinId::Sum: {
      if (!is(0, K::List)) return kBadArgs;
      bool floats = KindOf(types, ElemType(types, arg_type(0))) == TypeKind::Float;
      for (const Value& x : args[0].list()) floats = floats || x.kind() == K::Float;
      if (floats) {
        double total = 0;
        for (const Value& x : args[0].list()) total += x.as_float();
        if (!std::isfinite(total)) return fail("float overflow");
        return EvalResult::Ok(Value::Float(total));
      }
      int64_t total = 0;
      for (const Value& x : args[0].list()) {
        if (__builtin_add_overflow(total, x.as_int(), &total)) return fail("integer overflow");
      }
      return EvalResult::Ok(Value::Int(total));
    }

    case BuiltinId::Round: {
      if (!need(1)) return kBadArgs;
      if (is(0, K::Int)) return EvalResult::Ok(args[0]);
      double d = std::round(args[0].as_float());  // half away from zero
      if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
        return fail(fmt::format("{} does not fit in an `Int`", FormatFloat(args[0].as_float())));
      }
      return EvalResult::Ok(Value::Int(static_cast<int64_t>(d)));
    }

    case BuiltinId::SelectFirst: {
      if (!is(0, K::List)) return kBadArgs;
      for (const Value& x : args[0].list()) {
        if (!x.is_none()) return EvalResult::Ok(x);
      }
      return fail("every element is `none`");
    }

    case BuiltinId::Defined:
      if (!need(1)) return kBadArgs;
      return EvalResult::Ok(Value::Bool(!args[0].is_none()));

    case BuiltinId::Sort: {
      if (!is(0, K::List)) return kBadArgs;
      std::vector<Value> xs = args[0].list();
      std::stable_sort(xs.begin(), xs.end());
      return EvalResult::Ok(Value::List(std::move(xs)));
    }

    case BuiltinId::Lower:
    case BuiltinId::Upper: {
      if (!is(0, K::String)) return kBadArgs;
      std::string s = args[0].as_string();
      for (char& c : s) {
        if (call.builtin == BuiltinId::Lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (call.builtin == BuiltinId::Upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      return EvalResult::Ok(Value::String(std::move(s)));
    }

    case BuiltinId::Trim:
      if (!is(0, K::String)) return kBadArgs;
      return EvalResult::Ok(Value::String(std::string(TrimSpace(args[0].as_string()))));

    case BuiltinId::StartsWith:
    case BuiltinId::EndsWith: {
      if (!is(0, K::String) || !is(1, K::String)) return kBadArgs;
      std::string_view s = args[0].as_string();
      std::string_view affix = args[1].as_string();
      bool r = call.builtin == BuiltinId::StartsWith ? s.starts_with(affix) : s.ends_with(affix);
      return EvalResult::Ok(Value::Bool(r));
    }

    case BuiltinId::Abs:
      if (is(0, K::Int)) {
        if (args[0].as_int() == std::numeric_limits<int64_t>::min()) return fail("integer overflow");
        return EvalResult::Ok(Value::Int(args[0].as_int() < 0 ? -args[0].as_int() : args[0].as_int()));
      }
      if (is(0, K::Float)) return EvalResult::Ok(Value::Float(std::fabs(args[0].as_float())));
      return kBadArgs;

    case BuiltinId::Raw:
      if (!need(1)) return kBadArgs;
      return EvalResult::Ok(Value::String(FormatValueText(args[0], arg_type(0), types)));
  }
  return kBadArgs;
}

}  // namespace flow::ir

#include "compiler/ir/eval.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "compiler/ir/eval_builtin.h"
#include "compiler/ir/value_json.h"

namespace flow::ir {

using types::TypeKind;

namespace {

// Deeper expressions than this are rejected rather than risking the stack (the
// parser already caps nesting far below it).
constexpr int kMaxDepth = 1000;

class Evaluator {
 public:
  Evaluator(const Program& program, const EvalEnv& env) : program_(program), env_(env) {}

  EvalResult Eval(ExprId id) {
    if (!id.valid() || static_cast<size_t>(id.index) >= program_.exprs.size()) {
      return EvalResult::Error("invalid expression id", Loc{});
    }
    if (depth_ >= kMaxDepth) return EvalResult::Error("expression nests too deeply", program_.expr(id).loc);
    ++depth_;
    EvalResult r = EvalExpr(program_.expr(id));
    --depth_;
    return r;
  }

 private:
  const types::TypeStore& types() const { return program_.types; }

  const Value* LookupVar(VarId var) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->first == var) return &it->second;
    }
    return env_.var ? env_.var(var) : nullptr;
  }

  std::string VarName(VarId var) const {
    if (var.valid() && static_cast<size_t>(var.index) < program_.vars.size()) return program_.var(var).name;
    return "?";
  }

  // Only dispatches: every case with locals lives in its own function so a
  // level of nesting costs little stack, even in unoptimized builds.
  EvalResult EvalExpr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal: return EvalResult::Ok(e.literal);
      case ExprKind::Input: return EvalInput(e);
      case ExprKind::Var: return EvalVar(e);
      case ExprKind::StepValue: return EvalStepValue(e);
      case ExprKind::OutputPath: return EvalOutputPath(e);
      case ExprKind::Field: return EvalField(e);
      case ExprKind::Index: return EvalIndex(e);
      case ExprKind::Unary: return EvalUnary(e);
      case ExprKind::Binary: return EvalBinary(e);
      case ExprKind::List: return EvalList(e);
      case ExprKind::Map: return EvalMap(e);
      case ExprKind::Record: return EvalRecord(e);
      case ExprKind::Cond: return EvalCond(e);
      case ExprKind::Comprehension: return EvalComprehension(e);
      case ExprKind::Let: return EvalLet(e);
      case ExprKind::Builtin: return EvalBuiltinCall(e);
      case ExprKind::Interpolate: return EvalInterpolate(e);
      case ExprKind::Convert: return EvalConvert(e);
    }
    return EvalResult::Error("unknown expression kind", e.loc);
  }

  EvalResult EvalInput(const Expr& e) {
    const Value* v = env_.input ? env_.input(e.index) : nullptr;
    if (!v) return EvalResult::Error(fmt::format("input #{} is not available", e.index), e.loc);
    return EvalResult::Ok(*v);
  }

  EvalResult EvalVar(const Expr& e) {
    const Value* v = LookupVar(e.var);
    if (!v) return EvalResult::Error(fmt::format("variable `{}` is not available", VarName(e.var)), e.loc);
    return EvalResult::Ok(*v);
  }

  EvalResult EvalStepValue(const Expr& e) {
    const Value* v = env_.step_value ? env_.step_value(e.step) : nullptr;
    if (!v) {
      std::string name = e.step.valid() && static_cast<size_t>(e.step.index) < program_.steps.size()
                             ? program_.step(e.step).id
                             : "?";
      return EvalResult::Error(fmt::format("the value of step `{}` is not available", name), e.loc);
    }
    return EvalResult::Ok(*v);
  }

  EvalResult EvalOutputPath(const Expr& e) {
    const Value* v = env_.output_path ? env_.output_path(e.index) : nullptr;
    if (!v) return EvalResult::Error(fmt::format("output path #{} is not available", e.index), e.loc);
    return EvalResult::Ok(*v);
  }

  EvalResult EvalList(const Expr& e) {
    std::vector<Value> elems;
    elems.reserve(e.operands.size());
    for (ExprId op : e.operands) {
      EvalResult r = Eval(op);
      if (!r.ok) return r;
      elems.push_back(std::move(r.value));
    }
    return EvalResult::Ok(Value::List(std::move(elems)));
  }

  EvalResult EvalMap(const Expr& e) {
    std::vector<std::pair<Value, Value>> entries;
    for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
      EvalResult k = Eval(e.operands[i]);
      if (!k.ok) return k;
      EvalResult v = Eval(e.operands[i + 1]);
      if (!v.ok) return v;
      // A repeated key keeps its first position and takes the last value.
      bool replaced = false;
      for (auto& entry : entries) {
        if (entry.first == k.value) {
          entry.second = std::move(v.value);
          replaced = true;
          break;
        }
      }
      if (!replaced) entries.emplace_back(std::move(k.value), std::move(v.value));
    }
    return EvalResult::Ok(Value::Map(std::move(entries)));
  }

  EvalResult EvalRecord(const Expr& e) {
    std::vector<std::pair<std::string, Value>> fields;
    for (size_t i = 0; i < e.operands.size(); ++i) {
      EvalResult r = Eval(e.operands[i]);
      if (!r.ok) return r;
      fields.emplace_back(i < e.names.size() ? e.names[i] : std::string(), std::move(r.value));
    }
    return EvalResult::Ok(Value::Record(std::move(fields)));
  }

  EvalResult EvalCond(const Expr& e) {
    if (e.operands.empty()) return EvalResult::Error("malformed `if`", e.loc);
    EvalResult c = Eval(e.operands[0]);
    if (!c.ok) return c;
    if (c.value.kind() != Value::Kind::Bool) return EvalResult::Error("`if` condition is not a `Bool`", e.loc);
    size_t branch = c.value.as_bool() ? 1 : 2;
    if (branch >= e.operands.size() || !e.operands[branch].valid()) return EvalResult::Ok(Value::None());
    return Eval(e.operands[branch]);
  }

  EvalResult EvalLet(const Expr& e) {
    if (e.operands.size() < 2) return EvalResult::Error("malformed `let`", e.loc);
    EvalResult v = Eval(e.operands[0]);
    if (!v.ok) return v;
    scope_.emplace_back(e.var, std::move(v.value));
    EvalResult r = Eval(e.operands[1]);
    scope_.pop_back();
    return r;
  }

  EvalResult EvalBuiltinCall(const Expr& e) {
    std::vector<Value> args;
    std::vector<TypeId> arg_types;
    args.reserve(e.operands.size());
    for (ExprId op : e.operands) {
      EvalResult r = Eval(op);
      if (!r.ok) return r;
      args.push_back(std::move(r.value));
      arg_types.push_back(program_.expr(op).type);
    }
    EvalResult result = EvalBuiltin(program_.types, e, args, arg_types, env_.max_length);
    if (result.ok && result.value.kind() == Value::Kind::List && !Spend(result.value.list().size())) {
      return OverBudget(e);
    }
    return result;
  }

  EvalResult EvalInterpolate(const Expr& e) {
    std::string out;
    for (size_t i = 0; i < e.text_parts.size(); ++i) {
      out += e.text_parts[i];
      if (i < e.operands.size()) {
        EvalResult r = Eval(e.operands[i]);
        if (!r.ok) return r;
        out += FormatValueText(r.value, program_.expr(e.operands[i]).type, types());
      }
    }
    return EvalResult::Ok(Value::String(std::move(out)));
  }

  EvalResult EvalConvert(const Expr& e) {
    if (e.operands.empty()) return EvalResult::Error("malformed conversion", e.loc);
    EvalResult r = Eval(e.operands[0]);
    if (!r.ok) return r;
    return EvalResult::Ok(ConvertValue(r.value, program_.expr(e.operands[0]).type, e.type, types()));
  }

  EvalResult EvalField(const Expr& e) {
    if (e.operands.empty()) return EvalResult::Error("malformed field access", e.loc);
    EvalResult base = Eval(e.operands[0]);
    if (!base.ok) return base;
    if (base.value.kind() != Value::Kind::Record) {
      return EvalResult::Error(fmt::format("cannot read field `{}` of a value without fields", e.name), e.loc);
    }
    const Value* f = base.value.field(e.name);
    if (!f) return EvalResult::Error(fmt::format("no field `{}`", e.name), e.loc);
    return EvalResult::Ok(*f);
  }

  EvalResult EvalIndex(const Expr& e) {
    if (e.operands.size() < 2) return EvalResult::Error("malformed index", e.loc);
    EvalResult base = Eval(e.operands[0]);
    if (!base.ok) return base;
    EvalResult index = Eval(e.operands[1]);
    if (!index.ok) return index;
    const Value& b = base.value;
    const Value& i = index.value;
    if (b.kind() == Value::Kind::List) {
      if (i.kind() != Value::Kind::Int) return EvalResult::Error("list index is not an `Int`", e.loc);
      int64_t n = i.as_int();
      if (n < 0 || static_cast<uint64_t>(n) >= b.list().size()) {
        return EvalResult::Error(
            fmt::format("index {} is out of range for a list of length {}", n, b.list().size()), e.loc);
      }
      return EvalResult::Ok(b.list()[static_cast<size_t>(n)]);
    }
    if (b.kind() == Value::Kind::Map) {
      for (const auto& [k, v] : b.map()) {
        if (k == i) return EvalResult::Ok(v);
      }
      TypeId key_type = program_.expr(e.operands[1]).type;
      return EvalResult::Error(
          fmt::format("key {} is not in the map", DumpJson(ValueToJson(i, key_type, types()))), e.loc);
    }
    return EvalResult::Error("value cannot be indexed", e.loc);
  }

  EvalResult EvalUnary(const Expr& e) {
    if (e.operands.empty()) return EvalResult::Error("malformed unary operation", e.loc);
    EvalResult r = Eval(e.operands[0]);
    if (!r.ok) return r;
    const Value& v = r.value;
    switch (e.unary_op) {
      case UnaryOp::Neg:
        if (v.kind() == Value::Kind::Int) {
          int64_t out;
          if (__builtin_sub_overflow(int64_t{0}, v.as_int(), &out)) {
            return EvalResult::Error("integer overflow in `-`", e.loc);
          }
          return EvalResult::Ok(Value::Int(out));
        }
        if (v.kind() == Value::Kind::Float) return EvalResult::Ok(Value::Float(-v.as_float()));
        return EvalResult::Error("operator `-` needs a number", e.loc);
      case UnaryOp::Not:
        if (v.kind() != Value::Kind::Bool) return EvalResult::Error("operator `not` needs a `Bool`", e.loc);
        return EvalResult::Ok(Value::Bool(!v.as_bool()));
    }
    return EvalResult::Error("unknown unary operator", e.loc);
  }

  EvalResult EvalBinary(const Expr& e) {
    if (e.operands.size() < 2) return EvalResult::Error("malformed binary operation", e.loc);
    EvalResult lhs = Eval(e.operands[0]);
    if (!lhs.ok) return lhs;
    // Short-circuit operators look at the left value first.
    switch (e.binary_op) {
      case BinaryOp::And:
      case BinaryOp::Or: {
        if (lhs.value.kind() != Value::Kind::Bool) {
          return EvalResult::Error(fmt::format("operator `{}` needs `Bool` operands", Spelling(e.binary_op)), e.loc);
        }
        bool is_and = e.binary_op == BinaryOp::And;
        if (lhs.value.as_bool() != is_and) return lhs;  // false and _, true or _
        EvalResult rhs = Eval(e.operands[1]);
        if (!rhs.ok) return rhs;
        if (rhs.value.kind() != Value::Kind::Bool) {
          return EvalResult::Error(fmt::format("operator `{}` needs `Bool` operands", Spelling(e.binary_op)), e.loc);
        }
        return rhs;
      }
      case BinaryOp::Coalesce:
        if (!lhs.value.is_none()) {
          return EvalResult::Ok(ConvertValue(lhs.value, program_.expr(e.operands[0]).type, e.type, types()));
        }
        {
          EvalResult rhs = Eval(e.operands[1]);
          if (!rhs.ok) return rhs;
          return EvalResult::Ok(ConvertValue(rhs.value, program_.expr(e.operands[1]).type, e.type, types()));
        }
      case BinaryOp::Add:
      case BinaryOp::Sub:
      case BinaryOp::Mul:
      case BinaryOp::Div:
      case BinaryOp::Mod:
      case BinaryOp::Eq:
      case BinaryOp::Ne:
      case BinaryOp::Lt:
      case BinaryOp::Le:
      case BinaryOp::Gt:
      case BinaryOp::Ge: break;
    }
    EvalResult rhs = Eval(e.operands[1]);
    if (!rhs.ok) return rhs;
    std::string error;
    std::optional<Value> out = ApplyBinary(e.binary_op, lhs.value, rhs.value, &error, env_.max_length);
    if (!out) return EvalResult::Error(std::move(error), e.loc);
    if (out->kind() == Value::Kind::List && !Spend(out->list().size())) return OverBudget(e);
    return EvalResult::Ok(std::move(*out));
  }

  EvalResult EvalComprehension(const Expr& e) {
    if (e.operands.size() < 2 || e.vars.empty()) return EvalResult::Error("malformed `for`", e.loc);
    EvalResult iterable = Eval(e.operands[0]);
    if (!iterable.ok) return iterable;
    std::vector<std::vector<Value>> bindings;
    std::string error;
    if (!LoopBindings(iterable.value, e.vars.size(), &bindings, &error)) return EvalResult::Error(error, e.loc);
    std::vector<Value> out;
    out.reserve(bindings.size());
    for (auto& binding : bindings) {
      if (!Spend(1)) return OverBudget(e);
      size_t mark = scope_.size();
      for (size_t i = 0; i < e.vars.size(); ++i) scope_.emplace_back(e.vars[i], std::move(binding[i]));
      EvalResult r = Eval(e.operands[1]);
      scope_.resize(mark);
      if (!r.ok) return r;
      out.push_back(std::move(r.value));
    }
    return EvalResult::Ok(Value::List(std::move(out)));
  }

  // Counts list elements built so far against a budget of a few times
  // `max_length`, so nested comprehensions cannot multiply their way past it.
  bool Spend(size_t elements) {
    produced_ += static_cast<int64_t>(elements);
    return produced_ <= env_.max_length * 4;
  }
  EvalResult OverBudget(const Expr& e) const {
    return EvalResult::Error(fmt::format("the expression builds more than {} list elements", env_.max_length * 4),
                             e.loc);
  }

  const Program& program_;
  const EvalEnv& env_;
  std::vector<std::pair<VarId, Value>> scope_;
  int depth_ = 0;
  int64_t produced_ = 0;
};

}  // namespace

bool LoopBindings(const Value& iterable, size_t var_count, std::vector<std::vector<Value>>* out,
                  std::string* error) {
  out->clear();
  if (iterable.kind() == Value::Kind::Map) {
    for (const auto& [k, v] : iterable.map()) {
      if (var_count == 2) {
        out->push_back({k, v});
      } else {
        out->push_back({k});
      }
    }
    return true;
  }
  if (iterable.kind() != Value::Kind::List) {
    *error = "cannot iterate over a value that is not a list or a map";
    return false;
  }
  for (const Value& elem : iterable.list()) {
    if (var_count == 2) {
      if (elem.kind() != Value::Kind::Record || elem.record().size() != 2) {
        *error = "a two-variable `for` needs elements with two fields";
        return false;
      }
      out->push_back({elem.record()[0].second, elem.record()[1].second});
    } else {
      out->push_back({elem});
    }
  }
  return true;
}

std::optional<Value> ApplyBinary(BinaryOp op, const Value& a, const Value& b, std::string* error,
                                 int64_t max_length) {
  using K = Value::Kind;
  const bool ints = a.kind() == K::Int && b.kind() == K::Int;
  const bool numbers = (a.kind() == K::Int || a.kind() == K::Float) && (b.kind() == K::Int || b.kind() == K::Float);
  auto overflow = [&]() -> std::optional<Value> {
    *error = fmt::format("integer overflow in `{}`", Spelling(op));
    return std::nullopt;
  };
  switch (op) {
    case BinaryOp::Add:
      if (ints) {
        int64_t r;
        if (__builtin_add_overflow(a.as_int(), b.as_int(), &r)) return overflow();
        return Value::Int(r);
      }
      if (numbers) {
        double r = a.as_float() + b.as_float();
        if (!std::isfinite(r)) {
          *error = "float overflow in `+`";
          return std::nullopt;
        }
        return Value::Float(r);
      }
      if (a.kind() == K::String && b.kind() == K::String) {
        if (static_cast<int64_t>(a.as_string().size() + b.as_string().size()) > max_length) {
          *error = fmt::format("the string would be longer than {} bytes", max_length);
          return std::nullopt;
        }
        return Value::String(a.as_string() + b.as_string());
      }
      if (a.kind() == K::List && b.kind() == K::List) {
        if (static_cast<int64_t>(a.list().size() + b.list().size()) > max_length) {
          *error = fmt::format("the list would be longer than {} elements", max_length);
          return std::nullopt;
        }
        std::vector<Value> elems = a.list();
        elems.insert(elems.end(), b.list().begin(), b.list().end());
        return Value::List(std::move(elems));
      }
      if (a.kind() == K::Map && b.kind() == K::Map) {
        // Right-hand entries win; keys keep their first position.
        std::vector<std::pair<Value, Value>> entries = a.map();
        for (const auto& entry : b.map()) {
          bool replaced = false;
          for (auto& existing : entries) {
            if (existing.first == entry.first) {
              existing.second = entry.second;
              replaced = true;
            }
          }
          if (!replaced) entries.push_back(entry);
        }
        return Value::Map(std::move(entries));
      }
      break;
    case BinaryOp::Sub:
    case BinaryOp::Mul:
      if (ints) {
        int64_t r;
        bool o = op == BinaryOp::Sub ? __builtin_sub_overflow(a.as_int(), b.as_int(), &r)
                                     : __builtin_mul_overflow(a.as_int(), b.as_int(), &r);
        if (o) return overflow();
        return Value::Int(r);
      }
      if (numbers) {
        double r = op == BinaryOp::Sub ? a.as_float() - b.as_float() : a.as_float() * b.as_float();
        if (!std::isfinite(r)) {
          *error = fmt::format("float overflow in `{}`", Spelling(op));
          return std::nullopt;
        }
        return Value::Float(r);
      }
      break;
    case BinaryOp::Div:
    case BinaryOp::Mod:
      if (ints) {
        if (b.as_int() == 0) {
          *error = op == BinaryOp::Div ? "division by zero" : "remainder by zero";
          return std::nullopt;
        }
        if (a.as_int() == std::numeric_limits<int64_t>::min() && b.as_int() == -1) {
          if (op == BinaryOp::Mod) return Value::Int(0);
          return overflow();
        }
        return Value::Int(op == BinaryOp::Div ? a.as_int() / b.as_int() : a.as_int() % b.as_int());
      }
      if (numbers) {
        if (b.as_float() == 0) {
          *error = op == BinaryOp::Div ? "division by zero" : "remainder by zero";
          return std::nullopt;
        }
        double r = op == BinaryOp::Div ? a.as_float() / b.as_float() : std::fmod(a.as_float(), b.as_float());
        if (!std::isfinite(r)) {
          *error = fmt::format("float overflow in `{}`", Spelling(op));
          return std::nullopt;
        }
        return Value::Float(r);
      }
      break;
    case BinaryOp::Eq: return Value::Bool(a == b);
    case BinaryOp::Ne: return Value::Bool(a != b);
    case BinaryOp::Lt: return Value::Bool(a < b);
    case BinaryOp::Le: return Value::Bool(!(b < a));
    case BinaryOp::Gt: return Value::Bool(b < a);
    case BinaryOp::Ge: return Value::Bool(!(a < b));
    case BinaryOp::And:
    case BinaryOp::Or:
      if (a.kind() == K::Bool && b.kind() == K::Bool) {
        return Value::Bool(op == BinaryOp::And ? a.as_bool() && b.as_bool() : a.as_bool() || b.as_bool());
      }
      break;
    case BinaryOp::Coalesce: return a.is_none() ? b : a;
  }
  *error = fmt::format("operator `{}` cannot be applied to these values", Spelling(op));
  return std::nullopt;
}

Value ConvertValue(const Value& value, TypeId from, TypeId to, const types::TypeStore& types) {
  if (value.is_none() || !to.valid()) return value;
  TypeKind to_kind = types.KindOf(to);
  TypeId from_inner = from.valid() ? types.StripOptional(from) : TypeId{};
  auto from_part = [&](auto get) -> TypeId {
    if (!from_inner.valid()) return TypeId{};
    return get(types.Get(from_inner));
  };
  switch (to_kind) {
    case TypeKind::Optional: return ConvertValue(value, from, types.Get(to).elem, types);
    case TypeKind::Float:
      if (value.kind() == Value::Kind::Int) return Value::Float(static_cast<double>(value.as_int()));
      return value;
    case TypeKind::List: {
      if (value.kind() != Value::Kind::List) return value;
      TypeId from_elem = from_part([](const types::Type& t) { return t.elem; });
      std::vector<Value> elems;
      elems.reserve(value.list().size());
      for (const Value& e : value.list()) elems.push_back(ConvertValue(e, from_elem, types.Get(to).elem, types));
      return Value::List(std::move(elems));
    }
    case TypeKind::Map: {
      if (value.kind() != Value::Kind::Map) return value;
      TypeId from_value = from_part([](const types::Type& t) { return t.value; });
      std::vector<std::pair<Value, Value>> entries;
      for (const auto& [k, v] : value.map()) {
        entries.emplace_back(k, ConvertValue(v, from_value, types.Get(to).value, types));
      }
      return Value::Map(std::move(entries));
    }
    case TypeKind::Record:
    case TypeKind::Struct: {
      if (value.kind() != Value::Kind::Record) return value;
      std::vector<std::pair<std::string, Value>> fields;
      for (const auto& [name, v] : value.record()) {
        const types::Field* to_field = types.FindField(to, name);
        const types::Field* from_field = from_inner.valid() ? types.FindField(from_inner, name) : nullptr;
        fields.emplace_back(name, to_field ? ConvertValue(v, from_field ? from_field->type : TypeId{},
                                                          to_field->type, types)
                                           : v);
      }
      return Value::Record(std::move(fields));
    }
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum: return value;
  }
  return value;
}

EvalResult Eval(const Program& program, ExprId expr, const EvalEnv& env) {
  Evaluator evaluator(program, env);
  return evaluator.Eval(expr);
}

}  // namespace flow::ir

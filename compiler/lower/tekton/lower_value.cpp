// Workflow expressions as Tekton values (literals, `$(...)` references and
// their concatenation) and `if` conditions as `when` expressions.
#include <fmt/format.h>

#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/tekton/context.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using types::TypeKind;

namespace {

constexpr int kMaxExprDepth = 200;

}  // namespace

bool HasTektonVariable(const std::string& text) {
  static const char* const kPrefixes[] = {"$(params.", "$(tasks.",   "$(context.", "$(workspaces.",
                                          "$(results.", "$(steps.",   "$(step.",    "$(inputs.",
                                          "$(outputs.", "$(finally.", "$(pipeline"};
  for (const char* p : kPrefixes) {
    if (text.find(p) != std::string::npos) return true;
  }
  return false;
}

namespace {

TValue Text(std::string text, bool constant) {
  TValue v;
  v.text = std::move(text);
  v.constant = constant;
  return v;
}

}  // namespace

void Lowering::Unsupported(ir::Loc loc, const std::string& what, const std::string& why) {
  if (quiet_) return;
  ok_ = false;
  diags_.Emit(Range(loc), diag::Kind::UnsupportedOnTarget, what, "tekton", why);
}

void Lowering::Unsupported(ir::Loc loc, const std::string& what, const std::string& why,
                           const std::string& note) {
  if (quiet_) return;
  ok_ = false;
  diags_.Build(Range(loc), diag::Kind::UnsupportedOnTarget, what, "tekton", why).Note(note).Emit();
}

std::optional<ir::Value> Lowering::Constant(ir::ExprId expr) const {
  ir::EvalEnv env;  // no inputs, variables or steps: only constants evaluate
  env.max_length = 100'000;
  ir::EvalResult result = ir::Eval(program_, expr, env);
  if (!result.ok) return std::nullopt;
  return result.value;
}

bool Lowering::IsJsonType(ir::TypeId type) const {
  switch (types().KindOf(types().StripOptional(type))) {
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Record:
    case TypeKind::Struct:
      return true;
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Optional:
    case TypeKind::Enum:
      return false;
  }
  return false;
}

std::string Lowering::EncodeConstant(const ir::Value& value, ir::TypeId type) const {
  if (IsJsonType(type)) return ir::DumpJson(ir::ValueToJson(value, type, types()));
  if (value.is_none()) return "";
  return ir::FormatValueText(value, types().StripOptional(type), types());
}

std::optional<TValue> Lowering::Value(ir::ExprId id, Scope& scope) {
  const ir::Expr& e = program_.expr(id);
  if (++expr_depth_ > kMaxExprDepth) {
    --expr_depth_;
    Unsupported(e.loc, "this expression", "it is nested too deeply");
    return std::nullopt;
  }
  struct Guard {
    int* depth;
    ~Guard() { --*depth; }
  } guard{&expr_depth_};

  if (e.kind != ExprKind::Input && e.kind != ExprKind::StepValue && e.kind != ExprKind::Var) {
    if (std::optional<ir::Value> constant = Constant(id)) {
      TValue v = Text(EncodeConstant(*constant, e.type), true);
      if (HasTektonVariable(v.text)) {
        Unsupported(e.loc, "a constant containing `$(...)`",
                    "Tekton would substitute the variable reference inside it");
        return std::nullopt;
      }
      if (constant->kind() == ir::Value::Kind::List) {
        ir::TypeId elem = types().Get(types().StripOptional(e.type)).elem;
        v.literal_array = true;
        for (const ir::Value& item : constant->list()) v.items.push_back(EncodeConstant(item, elem));
      }
      return v;
    }
  }
  switch (e.kind) {
    case ExprKind::Input:
      if (e.index >= 0 && e.index < static_cast<int32_t>(scope.inputs.size())) return AtLevel(scope.inputs[e.index], scope);
      Unsupported(e.loc, "this input", "it is not a parameter of the enclosing workflow");
      return std::nullopt;
    case ExprKind::Var: {
      auto it = scope.loop_vars.find(e.var.index);
      if (it != scope.loop_vars.end()) return AtLevel(it->second, scope);
      Unsupported(e.loc, "this variable", "only a `for` variable passed as a whole argument can be matrixed");
      return std::nullopt;
    }
    case ExprKind::StepValue: {
      auto it = scope.steps.find(e.step.index);
      if (it == scope.steps.end() || !it->second.lowered) {
        Unsupported(e.loc, "this value", "its step is not available here");
        return std::nullopt;
      }
      StepInfo& info = it->second;
      if (info.conditional) {
        Unsupported(e.loc, "a value computed under `if`, used outside it",
                    "Tekton skips every task that consumes a result of a skipped task instead of passing `none`",
                    "move the consumer into the same `if`");
        return std::nullopt;
      }
      if (info.pure.valid()) return Value(info.pure, scope);
      if (info.value) return AtLevel(*info.value, scope);
      if (!info.fields.empty()) return Computed(id, scope);  // a record assembled from the results
      Unsupported(e.loc, "this value used as a whole",
                  info.unavailable.empty()
                      ? "Tekton results are one value each; pass the fields (`x.name`) separately"
                      : info.unavailable);
      return std::nullopt;
    }
    case ExprKind::Field: {
      const ir::Expr& base = program_.expr(e.operands[0]);
      if (base.kind == ExprKind::StepValue) {
        auto it = scope.steps.find(base.step.index);
        if (it != scope.steps.end() && it->second.lowered && !it->second.conditional) {
          auto field = it->second.fields.find(e.name);
          if (field != it->second.fields.end()) return AtLevel(field->second, scope);
          if (it->second.pure.valid()) {
            const ir::Expr& pure = program_.expr(it->second.pure);
            for (size_t i = 0; i < pure.names.size() && pure.kind == ExprKind::Record; ++i) {
              if (pure.names[i] == e.name) return Value(pure.operands[i], scope);
            }
          }
        }
      }
      if (base.kind == ExprKind::Var) {
        auto it = scope.loop_var_fields.find(base.var.index);
        if (it != scope.loop_var_fields.end()) {
          auto field = it->second.find(e.name);
          if (field != it->second.end()) return AtLevel(field->second, scope);
        }
      }
      if (base.kind == ExprKind::Record) {
        for (size_t i = 0; i < base.names.size(); ++i) {
          if (base.names[i] == e.name) return Value(base.operands[i], scope);
        }
      }
      return Computed(id, scope);
    }
    case ExprKind::Binary: {
      // String `+` is concatenation, which Tekton does by substitution.
      if (e.binary_op != ir::BinaryOp::Add || types().KindOf(e.type) != TypeKind::String) break;
      std::optional<TValue> a = Value(e.operands[0], scope);
      if (!a) return std::nullopt;
      std::optional<TValue> b = Value(e.operands[1], scope);
      if (!b) return std::nullopt;
      if (a->array || b->array || a->matrix || b->matrix) break;  // per iteration: an expression task
      return Text(a->text + b->text, a->constant && b->constant);
    }
    case ExprKind::List: {
      // A list of values known to the pipeline: an array whose elements are references.
      TValue out;
      out.literal_array = true;
      out.constant = true;
      for (ir::ExprId item : e.operands) {
        const ir::Expr& ie = program_.expr(item);
        std::optional<TValue> v = Value(item, scope);
        if (!v) return std::nullopt;
        if (v->matrix) {
          Unsupported(ie.loc, "this list element", "a Tekton array holds strings, not one value per iteration");
          return std::nullopt;
        }
        if (v->array || v->literal_array || (IsJsonType(ie.type) && !v->constant)) return Computed(id, scope);
        out.items.push_back(v->text);
        out.constant = out.constant && v->constant;
      }
      out.text = "";
      return out;
    }
    case ExprKind::Comprehension: {
      // `[for r in runs { r.name }]` over a gathered `for`: the matrixed task's
      // results for output `name`, as one array.
      const ir::Expr& over = program_.expr(e.operands[0]);
      const ir::Expr& body = program_.expr(e.operands[1]);
      if (e.vars.size() == 1 && over.kind == ExprKind::StepValue) {
        auto it = scope.steps.find(over.step.index);
        if (it != scope.steps.end() && it->second.lowered && !it->second.conditional) {
          if (body.kind == ExprKind::Var && body.var == e.vars[0] && it->second.value) return *it->second.value;
          if (body.kind == ExprKind::Field && program_.expr(body.operands[0]).kind == ExprKind::Var &&
              program_.expr(body.operands[0]).var == e.vars[0]) {
            auto field = it->second.fields.find(body.name);
            if (field != it->second.fields.end() && field->second.array) return field->second;
          }
        }
      }
      break;
    }
    case ExprKind::Convert: {
      // Int → Float, T → T?, String → File/Dir keep the text; containers convert element-wise,
      // which only constants (handled above) and same-encoding values allow.
      std::optional<TValue> inner = Value(e.operands[0], scope);
      if (!inner) return std::nullopt;
      const ir::Expr& from = program_.expr(e.operands[0]);
      if (IsJsonType(from.type) != IsJsonType(e.type) && !inner->array) return Computed(id, scope);
      // Int → Float changes the text ("3" → "3.0"): re-encoded by an expression task.
      if (types().KindOf(types().StripOptional(e.type)) == TypeKind::Float &&
          types().KindOf(types().StripOptional(from.type)) == TypeKind::Int && !inner->constant) {
        if (inner->array || inner->matrix) return inner;  // element texts of an Int list read as Float too
        return Computed(id, scope);
      }
      return inner;
    }
    case ExprKind::Interpolate: {
      TValue out = Text(e.text_parts.empty() ? "" : e.text_parts[0], true);
      if (HasTektonVariable(out.text)) {
        Unsupported(e.loc, "a string containing `$(...)`", "Tekton would substitute the variable reference inside it");
        return std::nullopt;
      }
      for (size_t i = 0; i < e.operands.size(); ++i) {
        const ir::Expr& part = program_.expr(e.operands[i]);
        std::optional<TValue> value = Value(e.operands[i], scope);
        if (!value) return std::nullopt;
        // (a per-iteration value is an array of texts: one expression task spells them all)
        if (value->array || value->matrix || (types().KindOf(types().StripOptional(part.type)) == TypeKind::List && !value->constant) ||
            (types().KindOf(types().StripOptional(part.type)) == TypeKind::Float && !value->constant)) {
          return Computed(id, scope);  // the evaluator joins the list / spells the float
        }
        out.text += value->text;
        out.constant = out.constant && value->constant;
        if (i + 1 < e.text_parts.size()) {
          if (HasTektonVariable(e.text_parts[i + 1])) {
            Unsupported(e.loc, "a string containing `$(...)`",
                        "Tekton would substitute the variable reference inside it");
            return std::nullopt;
          }
          out.text += e.text_parts[i + 1];
        }
      }
      return out;
    }
    case ExprKind::Literal:
    case ExprKind::OutputPath:
    case ExprKind::Index:
    case ExprKind::Unary:
    case ExprKind::Map:
    case ExprKind::Record:
    case ExprKind::Cond:
    case ExprKind::Let:
    case ExprKind::Builtin:
      break;
  }
  // Computed at run time: an expression task evaluates it.
  return Computed(id, scope);
}

bool Lowering::WhenEntries(ir::ExprId cond, bool negate, Scope& scope, YNode* entries) {
  const ir::Expr& e = program_.expr(cond);
  auto entry = [&](const std::string& input, bool in, std::vector<std::string> values) {
    YNode& w = entries->Push(YNode::Map());
    w.Set("input", YNode::Str(input));
    w.Set("operator", YNode::Str(in != negate ? "in" : "notin"));
    YNode list = YNode::Seq();
    for (std::string& v : values) list.Push(YNode::Str(std::move(v)));
    w.Set("values", std::move(list));
  };
  if (std::optional<ir::Value> constant = Constant(cond)) {
    bool holds = constant->kind() == ir::Value::Kind::Bool && constant->as_bool();
    if (holds != negate) return true;  // always true: no entry
    entries->Push(YNode::Map());
    YNode& w = entries->items().back();
    w.Set("input", YNode::Str("false"));
    w.Set("operator", YNode::Str("in"));
    YNode values = YNode::Seq();
    values.Push(YNode::Str("true"));
    w.Set("values", std::move(values));
    return true;
  }
  switch (e.kind) {
    case ExprKind::Unary:
      if (e.unary_op == ir::UnaryOp::Not) return WhenEntries(e.operands[0], !negate, scope, entries);
      break;
    case ExprKind::Binary:
      // A list of `when` entries is a conjunction: `a and b`, and `not (a or b)`.
      if ((e.binary_op == ir::BinaryOp::And && !negate) || (e.binary_op == ir::BinaryOp::Or && negate)) {
        return WhenEntries(e.operands[0], negate, scope, entries) &&
               WhenEntries(e.operands[1], negate, scope, entries);
      }
      if (e.binary_op == ir::BinaryOp::Eq || e.binary_op == ir::BinaryOp::Ne) {
        int constant_side = Constant(e.operands[1]) ? 1 : (Constant(e.operands[0]) ? 0 : -1);
        const ir::Expr& other = program_.expr(e.operands[1 - std::max(constant_side, 0)]);
        if (constant_side >= 0 && !IsJsonType(other.type) && types().KindOf(other.type) != TypeKind::Float) {
          std::optional<ir::Value> value = Constant(e.operands[constant_side]);
          std::optional<TValue> input = Value(e.operands[1 - constant_side], scope);
          if (!input) return false;
          if (!input->array) {
            entry(input->text, e.binary_op == ir::BinaryOp::Eq, {EncodeConstant(*value, other.type)});
            return true;
          }
        }
      }
      break;
    case ExprKind::Builtin:
      if (e.builtin == ir::BuiltinId::Defined && e.operands.size() == 1) {
        const ir::Expr& arg = program_.expr(e.operands[0]);
        std::optional<TValue> input = Value(e.operands[0], scope);
        if (!input) return false;
        if (!input->array) {
          entry(input->text, false, {IsJsonType(arg.type) ? "null" : ""});
          return true;
        }
      }
      break;
    case ExprKind::Input:
    case ExprKind::StepValue:
    case ExprKind::Field:
    case ExprKind::Var:
    case ExprKind::Convert:
      if (types().KindOf(e.type) == TypeKind::Bool) {
        std::optional<TValue> input = Value(cond, scope);
        if (!input) return false;
        entry(input->text, true, {"true"});
        return true;
      }
      break;
    case ExprKind::Literal:
    case ExprKind::OutputPath:
    case ExprKind::Index:
    case ExprKind::List:
    case ExprKind::Map:
    case ExprKind::Record:
    case ExprKind::Cond:
    case ExprKind::Comprehension:
    case ExprKind::Let:
    case ExprKind::Interpolate:
      break;
  }
  if (options_.cel_when) {
    if (std::optional<std::string> cel = Cel(cond, negate, scope)) {
      YNode& w = entries->Push(YNode::Map());
      w.Set("cel", YNode::Str(*cel));
      return true;
    }
  }
  // Anything else: an expression task computes the `Bool`, which `when` tests.
  std::optional<TValue> value = Computed(cond, scope);
  if (!value) return false;
  entry(value->text, true, {"true"});
  return true;
}

}  // namespace flow::lower::tekton

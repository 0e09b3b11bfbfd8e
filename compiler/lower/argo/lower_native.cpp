// IR expressions → expr-lang code producing native values (see context.h).
#include <fmt/format.h>

#include "compiler/ir/eval_builtin.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/context.h"

namespace flow::lower::argo {

using ir::BinaryOp;
using ir::BuiltinId;
using ir::ExprKind;
using types::TypeKind;

namespace {

std::string Paren(const std::string& code) { return "(" + code + ")"; }

bool IsStringLike(TypeKind kind) {
  return kind == TypeKind::String || kind == TypeKind::File || kind == TypeKind::Dir ||
         kind == TypeKind::Enum || kind == TypeKind::Duration || kind == TypeKind::Size;
}

}  // namespace

std::optional<NativeExpr> Lowering::Native(ir::ExprId id, Scope& scope) {
  const ir::Expr& e = program_.expr(id);
  auto sub = [&](size_t i) { return Native(e.operands[i], scope); };
  auto fail = [&](const std::string& what, const std::string& why) -> std::optional<NativeExpr> {
    Unsupported(e.loc, what, why);
    return std::nullopt;
  };
  if (std::optional<ir::Value> constant = Constant(id)) {
    // Literals, and anything computed from constants only, are folded here.
    if (constant->kind() == ir::Value::Kind::Map || constant->kind() == ir::Value::Kind::Record) {
      return NativeExpr{"jsonpath(" + ExprString(ir::ValueToJson(*constant, e.type, types()).dump()) +
                        ", '$')"};
    }
    if (constant->kind() == ir::Value::Kind::List) {
      return NativeExpr{"jsonpath(" + ExprString(ir::ValueToJson(*constant, e.type, types()).dump()) +
                        ", '$')"};
    }
    switch (constant->kind()) {
      case ir::Value::Kind::None: return NativeExpr{"nil"};
      case ir::Value::Kind::Bool: return NativeExpr{constant->as_bool() ? "true" : "false"};
      case ir::Value::Kind::Int: return NativeExpr{std::to_string(constant->as_int())};
      case ir::Value::Kind::Float: return NativeExpr{ir::FormatFloat(constant->as_float())};
      case ir::Value::Kind::String:
      case ir::Value::Kind::List:
      case ir::Value::Kind::Map:
      case ir::Value::Kind::Record:
        return NativeExpr{ExprString(ir::FormatValueText(*constant, e.type, types()))};
    }
  }
  switch (e.kind) {
    case ExprKind::Literal:
      return fail("this literal", "it has no constant value");
    case ExprKind::Input: {
      if (scope.task != nullptr) {
        const ir::Param& param = scope.task->params[e.index];
        std::string name = ParamName(param.name);
        TypeKind kind = types().KindOf(param.type);
        if (kind == TypeKind::File || kind == TypeKind::Dir) return NativeExpr{ExprString("/flow/in/" + name)};
        if (kind == TypeKind::List) {
          TypeKind elem = types().KindOf(types().Get(param.type).elem);
          if (elem == TypeKind::File || elem == TypeKind::Dir) {
            // Keys under the gathered prefix → paths under the downloaded directory.
            return NativeExpr{"jsonpath(sprig.replace(inputs.parameters['" + name + "-prefix'], " +
                              ExprString("/flow/in/" + name) + ", inputs.parameters['" + name +
                              "']), '$')"};
          }
        }
        if (types().ContainsPath(param.type)) {
          return fail("input `" + param.name + "`",
                      "only `File`, `Dir` and `List[File]`/`List[Dir]` inputs can carry files");
        }
        return NativeExpr{ParamToNative("inputs.parameters['" + name + "']", param.type)};
      }
      std::optional<ParamPath> path = RefPath(program_, FreeRef{FreeRef::Kind::Input, e.index, e.type}, scope);
      return NativeExpr{ParamToNative(path->code, e.type)};
    }
    case ExprKind::Var: {
      auto bound = expr_vars_.find(e.var.index);
      if (bound != expr_vars_.end()) return NativeExpr{bound->second};
      if (scope.task != nullptr) {
        for (const ir::TaskLocal& local : scope.task->locals) {
          if (local.var == e.var) return Native(local.value, scope);
        }
        return fail("variable `" + program_.var(e.var).name + "`", "it is not bound here");
      }
      std::optional<ParamPath> path = RefPath(program_, FreeRef{FreeRef::Kind::Var, e.var.index, e.type}, scope);
      return NativeExpr{ParamToNative(path->code, e.type)};
    }
    case ExprKind::StepValue:
      return StepNative(e.step.index, e.type, scope, e.loc);
    case ExprKind::OutputPath: {
      if (scope.task == nullptr) return fail("an output path", "it exists only inside a task");
      const ir::Output& out = scope.task->outputs[e.index];
      return NativeExpr{ExprString("/tmp/flow/out/" + (out.name.empty() ? std::string("value") : out.name))};
    }
    case ExprKind::Field: {
      if (std::optional<FreeRef> field = TaskOutputField(e)) {
        return NativeExpr{ParamToNative(RefPath(program_, *field, scope)->code, e.type)};
      }
      std::optional<NativeExpr> base = sub(0);
      if (!base) return std::nullopt;
      return NativeExpr{Paren(base->code) + "[" + ExprString(e.name) + "]"};
    }
    case ExprKind::Index: {
      std::optional<NativeExpr> base = sub(0);
      std::optional<NativeExpr> index = sub(1);
      if (!base || !index) return std::nullopt;
      const ir::Expr& container = program_.expr(e.operands[0]);
      ir::TypeId ctype = types().StripOptional(container.type);
      if (types().KindOf(ctype) == TypeKind::Map &&
          types().KindOf(types().Get(ctype).key) == TypeKind::Int) {
        return NativeExpr{Paren(base->code) + "[string(" + index->code + ")]"};
      }
      return NativeExpr{Paren(base->code) + "[" + index->code + "]"};
    }
    case ExprKind::Unary: {
      std::optional<NativeExpr> operand = sub(0);
      if (!operand) return std::nullopt;
      return NativeExpr{std::string(e.unary_op == ir::UnaryOp::Neg ? "(-" : "(!") + operand->code + ")"};
    }
    case ExprKind::Binary: {
      std::optional<NativeExpr> a = sub(0);
      std::optional<NativeExpr> b = sub(1);
      if (!a || !b) return std::nullopt;
      TypeKind kind = types().KindOf(e.type);
      const char* op = nullptr;
      switch (e.binary_op) {
        case BinaryOp::Add:
          if (kind == TypeKind::List) return NativeExpr{"concat(" + a->code + ", " + b->code + ")"};
          op = "+";
          break;
        case BinaryOp::Sub: op = "-"; break;
        case BinaryOp::Mul: op = "*"; break;
        case BinaryOp::Div:
          // expr-lang's `/` always yields a float; Flow's Int division truncates.
          if (kind == TypeKind::Int) return NativeExpr{"int(" + a->code + " / " + b->code + ")"};
          op = "/";
          break;
        case BinaryOp::Mod: op = "%"; break;
        case BinaryOp::Eq: op = "=="; break;
        case BinaryOp::Ne: op = "!="; break;
        case BinaryOp::Lt: op = "<"; break;
        case BinaryOp::Le: op = "<="; break;
        case BinaryOp::Gt: op = ">"; break;
        case BinaryOp::Ge: op = ">="; break;
        case BinaryOp::And: op = "&&"; break;
        case BinaryOp::Or: op = "||"; break;
        case BinaryOp::Coalesce:
          return NativeExpr{"(" + a->code + " != nil ? " + a->code + " : " + b->code + ")"};
      }
      return NativeExpr{"(" + a->code + " " + op + " " + b->code + ")"};
    }
    case ExprKind::List: {
      std::string out = "[";
      for (size_t i = 0; i < e.operands.size(); ++i) {
        std::optional<NativeExpr> elem = sub(i);
        if (!elem) return std::nullopt;
        out += (i > 0 ? ", " : "") + elem->code;
      }
      return NativeExpr{out + "]"};
    }
    case ExprKind::Map: {
      std::string out = "{";
      for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
        std::optional<ir::Value> key = Constant(e.operands[i]);
        if (!key) return fail("a map with computed keys", "expr-lang map literals need constant keys");
        std::optional<NativeExpr> value = sub(i + 1);
        if (!value) return std::nullopt;
        out += (i > 0 ? ", " : "") +
               ExprString(ir::FormatValueText(*key, program_.expr(e.operands[i]).type, types())) + ": " +
               value->code;
      }
      return NativeExpr{out + "}"};
    }
    case ExprKind::Record: {
      std::string out = "{";
      for (size_t i = 0; i < e.operands.size(); ++i) {
        std::optional<NativeExpr> value = sub(i);
        if (!value) return std::nullopt;
        out += (i > 0 ? ", " : "") + ExprString(e.names[i]) + ": " + value->code;
      }
      return NativeExpr{out + "}"};
    }
    case ExprKind::Cond: {
      std::optional<NativeExpr> c = sub(0);
      std::optional<NativeExpr> a = sub(1);
      std::optional<NativeExpr> b = sub(2);
      if (!c || !a || !b) return std::nullopt;
      return NativeExpr{"(" + c->code + " ? " + a->code + " : " + b->code + ")"};
    }
    case ExprKind::Comprehension: {
      const ir::Expr& iterable = program_.expr(e.operands[0]);
      if (e.vars.size() != 1 || types().KindOf(types().StripOptional(iterable.type)) != TypeKind::List) {
        return fail("this `for` expression", "only a one-variable `for` over a list maps to expr-lang `map`");
      }
      std::optional<NativeExpr> list = sub(0);
      if (!list) return std::nullopt;
      // `let` names the element, so nested `for`s each keep their own (expr-lang >= 1.16).
      std::string name = "flow_v" + std::to_string(e.vars[0].index);
      ++comprehension_depth_;
      expr_vars_[e.vars[0].index] = name;
      std::optional<NativeExpr> body = sub(1);
      expr_vars_.erase(e.vars[0].index);
      --comprehension_depth_;
      if (!body) return std::nullopt;
      return NativeExpr{"map(" + list->code + ", {let " + name + " = #; " + body->code + "})"};
    }
    case ExprKind::Let: {
      std::optional<NativeExpr> value = sub(0);
      if (!value) return std::nullopt;
      expr_vars_[e.var.index] = Paren(value->code);
      std::optional<NativeExpr> body = sub(1);
      expr_vars_.erase(e.var.index);
      return body;
    }
    case ExprKind::Builtin:
      return BuiltinNative(id, scope);
    case ExprKind::Interpolate: {
      std::string out = ExprString(e.text_parts[0]);
      for (size_t i = 0; i < e.operands.size(); ++i) {
        std::optional<NativeExpr> part = sub(i);
        if (!part) return std::nullopt;
        TypeKind kind = types().KindOf(program_.expr(e.operands[i]).type);
        if (IsStringLike(kind)) {
          out += " + " + part->code;
        } else if (kind == TypeKind::Int || kind == TypeKind::Bool) {
          out += " + string(" + part->code + ")";
        } else if (kind == TypeKind::Float) {
          out += " + " + FloatText(part->code);
        } else {
          return fail("interpolating a `" + types().ToString(program_.expr(e.operands[i]).type) + "`",
                      "Argo expressions spell it differently from Flow");
        }
        out += " + " + ExprString(e.text_parts[i + 1]);
      }
      return NativeExpr{Paren(out)};
    }
    case ExprKind::Convert: {
      std::optional<NativeExpr> operand = sub(0);
      if (!operand) return std::nullopt;
      if (types().KindOf(e.type) == TypeKind::Float &&
          types().KindOf(program_.expr(e.operands[0]).type) == TypeKind::Int) {
        return NativeExpr{"float(" + operand->code + ")"};
      }
      return operand;
    }
  }
  return fail("this expression", "it has no Argo equivalent");
}

std::optional<NativeExpr> Lowering::BuiltinNative(ir::ExprId id, Scope& scope) {
  const ir::Expr& e = program_.expr(id);
  std::vector<std::string> args;
  for (ir::ExprId operand : e.operands) {
    std::optional<NativeExpr> code = Native(operand, scope);
    if (!code) return std::nullopt;
    args.push_back(code->code);
  }
  auto arg_kind = [&](size_t i) {
    return types().KindOf(types().StripOptional(program_.expr(e.operands[i]).type));
  };
  auto n = args.size();
  switch (e.builtin) {
    case BuiltinId::Len:
      if (n == 1) return NativeExpr{"len(" + args[0] + ")"};
      break;
    case BuiltinId::Contains:
      if (n != 2) break;
      if (arg_kind(0) == TypeKind::String) return NativeExpr{"(" + args[0] + " contains " + args[1] + ")"};
      if (arg_kind(0) == TypeKind::Map) return NativeExpr{"(string(" + args[1] + ") in " + args[0] + ")"};
      return NativeExpr{"(" + args[1] + " in " + args[0] + ")"};
    case BuiltinId::Join:
      if (n == 2) return NativeExpr{"sprig.join(" + args[1] + ", " + args[0] + ")"};
      if (n == 1) return NativeExpr{"sprig.join('', " + args[0] + ")"};
      break;
    case BuiltinId::Split:
      if (n == 2) return NativeExpr{"sprig.splitList(" + args[1] + ", " + args[0] + ")"};
      break;
    case BuiltinId::Replace:
      if (n == 3) return NativeExpr{"sprig.replace(" + args[1] + ", " + args[2] + ", " + args[0] + ")"};
      break;
    case BuiltinId::Basename:
      if (n == 1) return NativeExpr{"sprig.base(" + args[0] + ")"};
      break;
    case BuiltinId::Dirname:
      if (n == 1) return NativeExpr{"sprig.dir(" + args[0] + ")"};
      break;
    case BuiltinId::String:
      if (n != 1) break;
      {
        // Flow: `none` for none, JSON for containers, else the scalar's text.
        ir::TypeId type = program_.expr(e.operands[0]).type;
        std::string text;
        if (types().KindOf(type) == TypeKind::Optional) {
          type = types().StripOptional(type);
          text = IsJsonType(type) ? JsonText("flowS", type) : ScalarText("flowS", type);
          return NativeExpr{"(let flowS = " + args[0] + "; flowS == nil ? 'none' : " + text + ")"};
        }
        if (IsJsonType(type)) {
          std::optional<std::string> text = JsonTextOf(e.operands[0], scope);
          if (!text) return std::nullopt;
          return NativeExpr{*text};
        }
        if (arg_kind(0) == TypeKind::Int || arg_kind(0) == TypeKind::Bool || arg_kind(0) == TypeKind::Float ||
            IsStringLike(arg_kind(0))) {
          return NativeExpr{ScalarText(args[0], type)};
        }
      }
      break;
    case BuiltinId::Int:
      if (n != 1) break;
      if (arg_kind(0) == TypeKind::String) return NativeExpr{"asInt(" + args[0] + ")"};
      if (arg_kind(0) == TypeKind::Int) return NativeExpr{args[0]};
      if (arg_kind(0) == TypeKind::Float) return NativeExpr{"int(" + args[0] + ")"};
      break;
    case BuiltinId::Float:
      if (n != 1) break;
      if (arg_kind(0) == TypeKind::String) return NativeExpr{"asFloat(" + args[0] + ")"};
      return NativeExpr{"float(" + args[0] + ")"};
    case BuiltinId::Min:
      if (n == 2) return NativeExpr{"(" + args[0] + " <= " + args[1] + " ? " + args[0] + " : " + args[1] + ")"};
      break;
    case BuiltinId::Max:
      if (n == 2) return NativeExpr{"(" + args[0] + " >= " + args[1] + " ? " + args[0] + " : " + args[1] + ")"};
      break;
    case BuiltinId::Defined:
      if (n == 1) return NativeExpr{"(" + args[0] + " != nil)"};
      break;
    case BuiltinId::SelectFirst:
      // filter keeps order; [0] fails the step when nothing is defined, as Flow does.
      if (n == 1) return NativeExpr{"filter(" + args[0] + ", {# != nil})[0]"};
      break;
    case BuiltinId::Lower:
      if (n == 1) return NativeExpr{"sprig.lower(" + args[0] + ")"};
      break;
    case BuiltinId::Upper:
      if (n == 1) return NativeExpr{"sprig.upper(" + args[0] + ")"};
      break;
    case BuiltinId::Trim:
      if (n == 1) return NativeExpr{"sprig.trim(" + args[0] + ")"};
      break;
    case BuiltinId::StartsWith:
      if (n == 2) return NativeExpr{"(" + args[0] + " startsWith " + args[1] + ")"};
      break;
    case BuiltinId::EndsWith:
      if (n == 2) return NativeExpr{"(" + args[0] + " endsWith " + args[1] + ")"};
      break;
    case BuiltinId::Abs:
      if (n == 1) return NativeExpr{"(" + args[0] + " < 0 ? -" + args[0] + " : " + args[0] + ")"};
      break;
    // expr-lang >= 1.16 (Argo >= 3.6) builtins with Flow's meaning.
    case BuiltinId::Keys:
      if (n == 1) return NativeExpr{"keys(" + args[0] + ")"};
      break;
    case BuiltinId::Values:
      if (n == 1) return NativeExpr{"values(" + args[0] + ")"};
      break;
    case BuiltinId::Range:
      // `a..b` is inclusive and empty when b < a, as Flow's range is.
      if (n == 1) return NativeExpr{"(0..(" + args[0] + " - 1))"};
      if (n == 2) return NativeExpr{"(" + args[0] + "..(" + args[1] + " - 1))"};
      break;
    case BuiltinId::Flatten:
      if (n == 1) return NativeExpr{"reduce(" + args[0] + ", concat(#acc, #), [])"};
      break;
    case BuiltinId::Sum:
      if (n == 1) return NativeExpr{"sum(" + args[0] + ")"};
      break;
    case BuiltinId::Sort:
      if (n == 1) return NativeExpr{"sort(" + args[0] + ")"};
      break;
    case BuiltinId::Enumerate:
      if (n == 1) return NativeExpr{"map(" + args[0] + ", { {'index': #index, 'value': #} })"};
      break;
    case BuiltinId::Round:
      // expr-lang's round() rounds half away from zero, as Flow's does.
      if (n == 1 && arg_kind(0) == TypeKind::Int) return NativeExpr{args[0]};
      if (n == 1) return NativeExpr{"int(round(" + args[0] + "))"};
      break;
    case BuiltinId::Zip:
      // As long as the shorter list; `0..-1` is empty.
      if (n == 2) {
        std::string count = "(len(" + args[0] + ") <= len(" + args[1] + ") ? len(" + args[0] + ") : len(" +
                            args[1] + "))";
        return NativeExpr{"map(0..(" + count + " - 1), { {'left': (" + args[0] + ")[#], 'right': (" + args[1] +
                          ")[#]} })"};
      }
      break;
    case BuiltinId::Stem:
      if (n == 1) {
        // Flow: the base name without its last `.extension`; a leading dot alone
        // (`.bashrc`) is no extension. sprig.ext is Go's filepath.Ext.
        std::string base = "sprig.base(" + args[0] + ")";
        std::string ext = "sprig.ext(" + base + ")";
        return NativeExpr{"(" + ext + " == " + base + " ? " + base + " : sprig.trimSuffix(" + ext + ", " + base +
                          "))"};
      }
      break;
    case BuiltinId::Raw:
      break;
  }
  Unsupported(e.loc, fmt::format("`{}` of run-time values", ir::BuiltinName(e.builtin)),
              "Argo's expression language has no equivalent with Flow's exact meaning");
  return std::nullopt;
}

}  // namespace flow::lower::argo

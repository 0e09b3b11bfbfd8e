// Pure IR expressions → Argo parameter values and expr-lang (`{{=...}}`) code.
//
// Argo evaluates `{{=...}}` with expr-lang plus its own functions (asInt,
// asFloat, jsonpath, toJson, sprig.*). A value read from a parameter is
// re-validated where it is used: `asInt`/`asFloat` fail the step on text that is
// not a number, `jsonpath` on text that is not JSON. What expr-lang cannot
// compute the way Flow does is an E0502 error with the expression's location,
// never a silent change of meaning.
#include <fmt/format.h>

#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/context.h"

namespace flow::lower::argo {

using ir::ExprKind;
using types::TypeKind;

std::string Lowering::EscapeBraces(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out += "{{='{{' }}";
      ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string Lowering::ExprString(const std::string& text) {
  std::string out = "'";
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '}':
        // `}}` would end the enclosing `{{=...}}` tag: split the literal.
        if (i + 1 < text.size() && text[i + 1] == '}') {
          out += "}' + '";
        } else {
          out += c;
        }
        break;
      default: out += c;
    }
  }
  return out + "'";
}

bool Lowering::IsJsonType(ir::TypeId type) const {
  switch (types().KindOf(type)) {
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Optional:
    case TypeKind::Record:
    case TypeKind::Struct:
    case TypeKind::None:
      return true;
    case TypeKind::Error:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum:
      return false;
  }
  return false;
}

std::string Lowering::NativeToParam(const std::string& code, ir::TypeId type, bool json) const {
  if (json || IsJsonType(type)) return JsonText(code, type);
  switch (types().KindOf(type)) {
    case TypeKind::Float:
      return FloatText(code);
    case TypeKind::Int:
    case TypeKind::Bool:
      return "string(" + code + ")";
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum:
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Optional:
    case TypeKind::Record:
    case TypeKind::Struct:
      return code;
  }
  return code;
}

std::string Lowering::ParamToNative(const std::string& ref, ir::TypeId type) const {
  if (IsJsonType(type)) return "jsonpath(" + ref + ", '$')";
  switch (types().KindOf(type)) {
    case TypeKind::Int: return "asInt(" + ref + ")";
    case TypeKind::Float: return "asFloat(" + ref + ")";
    case TypeKind::Bool: return ValidBool(ref, "true", "false");
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum:
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Optional:
    case TypeKind::Record:
    case TypeKind::Struct:
      return ref;
  }
  return ref;
}

std::string Lowering::ValidBool(const std::string& ref, const std::string& when_true,
                                const std::string& when_false) {
  return "(" + ref + " == 'true' ? " + when_true + " : (" + ref + " == 'false' ? " + when_false +
         " : sprig.fail('expected a `Bool` (true or false), found: ' + " + ref + ")))";
}

void Lowering::Unsupported(ir::Loc loc, const std::string& what, const std::string& why) {
  ok_ = false;
  diags_.Emit(Range(loc), diag::Kind::UnsupportedOnTarget, what, "argo", why);
}

std::optional<ir::Value> Lowering::Constant(ir::ExprId expr) const {
  ir::EvalEnv env;  // no inputs, variables or steps: only constants evaluate
  ir::EvalResult result = ir::Eval(program_, expr, env);
  if (!result.ok) return std::nullopt;
  return result.value;
}

std::string SafeTagCode(const std::string& code) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    out += c;
    if (in_string) {
      if (c == '\\' && i + 1 < code.size()) {
        out += code[++i];
      } else if (c == '\'') {
        in_string = false;
      }
      continue;
    }
    if (c == '\'') in_string = true;
    if (c == '}' && i + 1 < code.size() && code[i + 1] == '}') out += ' ';
  }
  return out;
}

namespace {

ParamPath InputPath(const std::string& prefix, const std::string& name) {
  return {prefix + ".parameters." + name, prefix + ".parameters['" + name + "']"};
}

ParamPath TaskOutputPath(const std::string& task, const std::string& name) {
  return {"tasks." + task + ".outputs.parameters." + name,
          "tasks['" + task + "'].outputs.parameters['" + name + "']"};
}

}  // namespace

ParamPath GatherPath(const std::string& task) {
  // A loop over an empty list ends Skipped with no aggregated output at all
  // (Argo aggregates only existing children): the gather is then `[]`. The
  // aggregate is the JSON list of the iterations' wrapped values `[[v1], [v2]]`.
  return {"", "(tasks['" + task + "']?.outputs?.parameters?.value ?? '[]')"};
}

namespace {

}  // namespace

/// The parameter a free value arrives in (registered on first use).
static std::string FreeParam(Scope& scope, const FreeRef& ref, const std::string& hint) {
  auto it = scope.free.find(ref);
  if (it != scope.free.end()) return it->second;
  std::string name = scope.param_names.Unique(hint);
  scope.free.emplace(ref, name);
  scope.free_order.push_back(ref);
  return name;
}

std::optional<ParamPath> RefPath(const ir::Program& program, const FreeRef& ref, Scope& scope) {
  switch (ref.kind) {
    case FreeRef::Kind::Input: {
      std::string name = ParamName(scope.workflow->params[ref.index].name);
      if (scope.global_inputs) return InputPath("workflow", name);
      if (scope.top) return InputPath("inputs", name);
      return InputPath("inputs", FreeParam(scope, ref, name));
    }
    case FreeRef::Kind::Var: {
      auto own = scope.own_vars.find(ref.index);
      if (own != scope.own_vars.end()) return InputPath("inputs", own->second);
      return InputPath("inputs", FreeParam(scope, ref, program.vars[ref.index].name));
    }
    case FreeRef::Kind::StepField: {
      const ir::Step& step = program.steps[ref.index];
      auto local = scope.local_steps.find(ref.index);
      if (local != scope.local_steps.end()) return TaskOutputPath(local->second, ParamName(ref.field));
      std::string hint = (step.binding.empty() ? step.id : step.binding) + "-" + ref.field;
      return InputPath("inputs", FreeParam(scope, ref, hint));
    }
    case FreeRef::Kind::Step: {
      const ir::Step& step = program.steps[ref.index];
      auto local = scope.local_steps.find(ref.index);
      if (local == scope.local_steps.end()) {
        std::string hint = step.binding.empty() ? step.id : step.binding;
        return InputPath("inputs", FreeParam(scope, ref, hint));
      }
      bool single = step.kind == ir::StepKind::Call && !step.is_try &&
                    (step.callee_kind == ir::CalleeKind::Workflow ||
                     program.tasks[step.callee].single_output);
      // A gather is read through an expression (StepNative): Argo's aggregate is re-rendered.
      if (step.kind == ir::StepKind::Scatter) return std::nullopt;
      if (single) return TaskOutputPath(local->second, "value");
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Lowering::ParamValue(ir::ExprId id, Scope& scope, bool json) {
  const ir::Expr& e = program_.expr(id);
  if (std::optional<ir::Value> constant = Constant(id)) {
    if (!json && !IsJsonType(e.type)) return EscapeBraces(ir::FormatValueText(*constant, e.type, types()));
    return EscapeBraces(ir::ValueToJson(*constant, e.type, types()).dump());
  }
  // A plain reference whose encoding already matches is passed as `{{...}}`.
  const ir::Expr* target = &e;
  if (target->kind == ExprKind::Convert) {
    const ir::Expr& inner = program_.expr(target->operands[0]);
    if (IsJsonType(inner.type) == IsJsonType(e.type) && types().KindOf(e.type) != TypeKind::Float) {
      target = &inner;
    }
  }
  bool plain_ok = (json ? IsJsonType(e.type) : true) && scope.task == nullptr;
  if (plain_ok) {
    std::optional<FreeRef> ref;
    if (target->kind == ExprKind::Input) ref = FreeRef{FreeRef::Kind::Input, target->index, e.type};
    // A loop variable holds Argo's text of the item (Go's floats, sorted keys):
    // values whose JSON Go spells differently are re-rendered by an expression.
    if (target->kind == ExprKind::Var && expr_vars_.count(target->var.index) == 0 && !NeedsJsonText(e.type)) {
      ref = FreeRef{FreeRef::Kind::Var, target->var.index, e.type};
    }
    if (target->kind == ExprKind::StepValue &&
        program_.step(target->step).kind != ir::StepKind::Value) {
      ref = FreeRef{FreeRef::Kind::Step, target->step.index, target->type};
    }
    if (ref) {
      if (std::optional<ParamPath> path = RefPath(program_, *ref, scope)) return path->Tag();
    }
    if (std::optional<FreeRef> field = TaskOutputField(*target)) {
      if (IsJsonType(target->type) == IsJsonType(e.type)) {
        return RefPath(program_, *field, scope)->Tag();
      }
    }
  }
  if (json || IsJsonType(e.type)) {
    std::optional<std::string> text = JsonTextOf(id, scope);
    if (!text) return std::nullopt;
    return "{{=" + SafeTagCode(*text) + " }}";
  }
  std::optional<NativeExpr> native = Native(id, scope);
  if (!native) return std::nullopt;
  return "{{=" + SafeTagCode(NativeToParam(native->code, e.type, json)) + " }}";
}

std::optional<FreeRef> Lowering::TaskOutputField(const ir::Expr& e) const {
  if (e.kind != ExprKind::Field) return std::nullopt;
  const ir::Expr& base = program_.expr(e.operands[0]);
  if (base.kind != ExprKind::StepValue) return std::nullopt;
  const ir::Step& step = program_.step(base.step);
  if (step.kind != ir::StepKind::Call || step.is_try || step.callee_kind != ir::CalleeKind::Task ||
      program_.tasks[step.callee].single_output) {
    return std::nullopt;
  }
  return FreeRef{FreeRef::Kind::StepField, base.step.index, e.type, e.name};
}

std::optional<std::string> Lowering::FreeRefValue(const FreeRef& ref, Scope& scope, ir::Loc loc) {
  if (std::optional<ParamPath> path = RefPath(program_, ref, scope)) return path->Tag();
  std::optional<NativeExpr> native = StepNative(ref.index, ref.type, scope, loc);
  if (!native) return std::nullopt;
  return "{{=" + SafeTagCode(NativeToParam(native->code, ref.type, false)) + " }}";
}

std::optional<NativeExpr> Lowering::StepNative(int32_t step_index, ir::TypeId type, Scope& scope,
                                               ir::Loc loc) {
  const ir::Step& step = program_.steps[step_index];
  if (step.kind == ir::StepKind::Value) return Native(step.value, scope);
  FreeRef ref{FreeRef::Kind::Step, step_index, type};
  auto local = scope.local_steps.find(step_index);
  if (local == scope.local_steps.end()) {
    std::optional<ParamPath> path = RefPath(program_, ref, scope);
    return NativeExpr{ParamToNative(path->code, type)};
  }
  const std::string& task = local->second;
  std::string status = "tasks['" + task + "'].status";
  switch (step.kind) {
    case ir::StepKind::Call: {
      ir::TypeId value_type = types().StripOptional(type);
      std::string value;
      if (step.callee_kind == ir::CalleeKind::Task && !program_.tasks[step.callee].single_output) {
        const ir::Task& callee = program_.tasks[step.callee];
        if (callee.outputs.empty()) {
          value = "nil";
        } else {
          value = "{";
          for (size_t i = 0; i < callee.outputs.size(); ++i) {
            if (i > 0) value += ", ";
            const ir::Output& out = callee.outputs[i];
            value += ExprString(out.name) + ": " +
                     ParamToNative(TaskOutputPath(task, ParamName(out.name)).code, out.type);
          }
          value += "}";
        }
      } else {
        value = ParamToNative(TaskOutputPath(task, "value").code, value_type);
      }
      if (step.is_try) return NativeExpr{"(" + status + " == 'Succeeded' ? " + value + " : nil)"};
      return NativeExpr{value};
    }
    case ir::StepKind::Scatter:
      // Each iteration's value is wrapped as `[value]` (see RegionTemplate).
      return NativeExpr{"map(jsonpath(" + GatherPath(task).code + ", '$'), {#[0]})"};
    case ir::StepKind::Cond: {
      // Branch templates output JSON; a skipped branch has no outputs.
      std::string then_value = "jsonpath(" + TaskOutputPath(task, "value").code + ", '$')";
      std::string else_value = "nil";
      auto else_task = scope.local_else.find(step_index);
      if (else_task != scope.local_else.end()) {
        else_value = "jsonpath(" + TaskOutputPath(else_task->second, "value").code + ", '$')";
      }
      if (!step.then_value.valid()) then_value = "nil";
      if (!step.else_value.valid()) else_value = "nil";
      return NativeExpr{"(" + status + " == 'Succeeded' ? " + then_value + " : " + else_value + ")"};
    }
    case ir::StepKind::Value:
      break;
  }
  Unsupported(loc, "this value", "no Argo parameter holds it");
  return std::nullopt;
}

}  // namespace flow::lower::argo

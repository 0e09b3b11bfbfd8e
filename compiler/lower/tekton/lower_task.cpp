// Flow tasks as Tekton Tasks: params, results, the shared workspace, and the
// steps validate → backoff → main → results.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/ir/value_json.h"
#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/task_scripts.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using ir::TaskField;
using types::TypeKind;

namespace {

/// Tekton substitution of the per-call output directory: unique per TaskRun
/// (matrix iterations and retries of a call included).
std::string OutputPath(const std::string& name) {
  return fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/{}", kWorkspace, name);
}

bool IsListParam(const types::TypeStore& types, ir::TypeId type) { return types.KindOf(type) == TypeKind::List; }

}  // namespace

YNode Lowering::Resource(const char* kind, const char* name_key, const std::string& name, YNode spec) {
  YNode doc = YNode::Map();
  doc.Set("apiVersion", YNode::Str("tekton.dev/v1"));
  doc.Set("kind", YNode::Str(kind));
  YNode metadata = YNode::Map();
  metadata.Set(name_key, YNode::Str(name));
  metadata.Set("labels", YNode::Map()).Set("app.kubernetes.io/managed-by", YNode::Str("flowc"));
  doc.Set("metadata", std::move(metadata));
  doc.Set("spec", std::move(spec));
  return doc;
}

std::string Lowering::GoDuration(int64_t millis) {
  if (millis <= 0) return "0s";
  std::string out;
  int64_t h = millis / 3'600'000, m = millis / 60'000 % 60, s = millis / 1000 % 60, ms = millis % 1000;
  if (h) out += fmt::format("{}h", h);
  if (m) out += fmt::format("{}m", m);
  if (s) out += fmt::format("{}s", s);
  if (ms) out += fmt::format("{}ms", ms);
  return out;
}

namespace {

/// Everything a task body needs to turn a binding expression into an env value.
struct TaskEnv {
  const ir::Program& program;
  const ir::Task& task;
  std::map<int32_t, ir::ExprId> locals;  // VarId → value
};

}  // namespace

std::string Lowering::TaskFor(int32_t task_index, const std::vector<ir::FieldOverride>& overrides,
                              const std::vector<TaskParamShape>& shapes, bool is_try, bool guarded, ir::Loc call_loc,
                              int64_t* backoff_ms, int64_t* timeout_ms, int64_t* retries) {
  const ir::Task& task = program_.tasks[task_index];
  // The effective fields: the call's overrides win over the task's own.
  std::array<ir::ExprId, ir::kTaskFieldCount> fields = task.fields;
  std::string key = fmt::format("{}/{}{}{}", task_index, is_try ? "try" : "", guarded ? "/guard" : "",
                                chain_ ? "/chain" : "");
  std::vector<bool> virtual_params(task.params.size(), false);
  bool any_virtual = false;
  for (size_t i = 0; i < shapes.size(); ++i) {
    if (shapes[i].matrix) key += fmt::format("/m{}", i);
    if (shapes[i].virtual_param && i < virtual_params.size()) {
      key += fmt::format("/v{}", i);
      virtual_params[i] = true;
      any_virtual = true;
    }
  }
  for (const ir::FieldOverride& o : overrides) {
    fields[static_cast<size_t>(o.field)] = o.value;
  }
  std::map<TaskField, ir::Value> values;
  // An `env` map computed from the inputs: its entries are computed in the Task
  // (script tasks only; the prelude exports them).
  std::vector<std::pair<std::string, ir::ExprId>> computed_env;
  for (size_t f = 0; f < ir::kTaskFieldCount; ++f) {
    if (!fields[f].valid()) continue;
    std::optional<ir::Value> v = Constant(fields[f]);
    const ir::Expr& fe = program_.expr(fields[f]);
    if (!v && static_cast<TaskField>(f) == TaskField::Env && fe.kind == ExprKind::Map && task.has_script) {
      bool keys_constant = true;
      for (size_t k = 0; k + 1 < fe.operands.size(); k += 2) {
        std::optional<ir::Value> name = Constant(fe.operands[k]);
        if (!name || name->kind() != ir::Value::Kind::String) {
          keys_constant = false;
          break;
        }
        computed_env.emplace_back(name->as_string(), fe.operands[k + 1]);
      }
      if (keys_constant) {
        key += fmt::format("/env={}", fields[f].index);
        continue;
      }
      computed_env.clear();
    }
    if (!v) {
      Unsupported(program_.expr(fields[f]).loc,
                  fmt::format("a `{}` computed from the inputs", ir::TaskFieldName(static_cast<TaskField>(f))),
                  "Tekton Task fields are fixed when the Task is written", "use a constant");
      return "";
    }
    key += fmt::format("/{}={}", f, ir::DumpJson(ir::ValueToJson(*v, ir::TypeId{}, types())));
    values[static_cast<TaskField>(f)] = *v;
  }
  *backoff_ms = values.count(TaskField::Backoff) ? values[TaskField::Backoff].as_int() : 0;
  *timeout_ms = values.count(TaskField::Timeout) ? values[TaskField::Timeout].as_int() : 0;
  *retries = values.count(TaskField::Retries) ? values[TaskField::Retries].as_int() : 0;
  auto found = task_keys_.find(key);
  if (found != task_keys_.end()) return found->second;

  std::string image;
  if (values.count(TaskField::Image)) {
    image = values[TaskField::Image].as_string();
  } else if (!options_.default_image.empty()) {
    image = options_.default_image;
  } else {
    ok_ = false;
    diags_.Build(Range(task.loc), diag::Kind::MissingImage, task.qualified_name, "tekton")
        .Label(Range(call_loc), "called here")
        .Note("set `image = \"...\"` in the task, or pass `--default-image IMAGE`")
        .Emit();
    return "";
  }
  std::string helper = options_.helper_image.empty() ? kDefaultHelperImage : options_.helper_image;
  std::string name = task_names_.Unique(task.qualified_name + (is_try ? "-try" : "") + (guarded ? "-guarded" : ""));
  task_keys_[key] = name;

  YNode spec = YNode::Map();
  if (!task.doc.empty()) spec.Set("description", YNode::Str(task.doc));
  // Params: lists are arrays (one element text each), everything else a string.
  YNode params = YNode::Seq();
  std::vector<int32_t> list_params;
  for (size_t i = 0; i < task.params.size(); ++i) {
    const ir::Param& p = task.params[i];
    if (virtual_params[i]) continue;
    YNode& param = params.Push(YNode::Map());
    param.Set("name", YNode::Str(ParamName(p.name)));
    bool list = IsListParam(types(), p.type);
    param.Set("type", YNode::Str(list ? "array" : "string"));
    bool matrix = i < shapes.size() && shapes[i].matrix;
    param.Set("description", YNode::Str(types().ToString(p.type) + (matrix ? " (one value per matrix iteration)" : "")));
    // Always supplied by the matrix; the default only tells tekton-lint (which
    // predates matrix) that the param is bound.
    if (matrix) param.Set("default", YNode::Str(""));
    if (list) list_params.push_back(static_cast<int32_t>(i));
  }
  if (any_virtual || guarded) {
    YNode& param = params.Push(YNode::Map());
    param.Set("name", YNode::Str("flow-iter"));
    param.Set("type", YNode::Str("string"));
    param.Set("description", YNode::Str("this iteration's inputs as a JSON object (one value per matrix iteration)"));
    param.Set("default", YNode::Str(""));
  }
  if (!params.empty()) spec.Set("params", std::move(params));
  // Results: one string per output ("out" for `-> T`).
  std::vector<std::pair<std::string, ir::TypeId>> outputs;
  YNode results = YNode::Seq();
  for (const ir::Output& o : task.outputs) {
    std::string rname = o.name.empty() ? "out" : ParamName(o.name);
    outputs.emplace_back(o.name.empty() ? "" : o.name, o.type);
    YNode& r = results.Push(YNode::Map());
    r.Set("name", YNode::Str(rname));
    r.Set("type", YNode::Str("string"));
    r.Set("description", YNode::Str(types().ToString(is_try ? types().StripOptional(o.type) : o.type)));
    if (IsJsonType(o.type)) {
      diags_.Emit(Range(task.loc), diag::Kind::TargetApproximation,
                  fmt::format("output `{}` of task `{}` is a Tekton result, limited to {} bytes by default; "
                              "a larger value fails the TaskRun",
                              o.name.empty() ? "out" : o.name, task.qualified_name, kResultLimit));
    }
  }
  if (!results.empty()) spec.Set("results", std::move(results));
  YNode workspaces = YNode::Seq();
  YNode& ws = workspaces.Push(YNode::Map());
  ws.Set("name", YNode::Str(kWorkspace));
  ws.Set("description", YNode::Str("shared storage for File and Dir values, one directory per TaskRun"));
  spec.Set("workspaces", std::move(workspaces));

  YNode steps = YNode::Seq();
  // guard: whether this TaskRun's iteration takes the `if` branch (every later
  // step reads the answer and does nothing when it is not "true").
  auto guard_sh = [&](std::string script, YNode* env) {
    if (!guarded) return script;
    env->Push(EnvEntry("FLOW_GUARD", GuardFile()));
    size_t line = script.find('\n');
    if (script.compare(line + 1, 7, "set -eu") == 0) line = script.find('\n', line + 1);
    return script.insert(line + 1, GuardShellCheck());
  };
  if (guarded) {
    YNode& step = steps.Push(YNode::Map());
    step.Set("name", YNode::Str("guard"));
    step.Set("image", YNode::Str(kEvalImage));
    YNode env = YNode::Seq();
    env.Push(EnvEntry("FLOW_ITER", "$(params.flow-iter)"));
    env.Push(EnvEntry("FLOW_GUARD", GuardFile()));
    step.Set("env", std::move(env));
    step.Set("script", YNode::Str(GuardStepScript()));
  }
  // validate: Int/Float/Bool/Duration/Size/enum inputs are checked before anything runs.
  {
    std::string script = "#!/bin/sh\nset -eu\n";
    YNode env = YNode::Seq();
    for (size_t i = 0; i < task.params.size(); ++i) {
      const ir::Param& p = task.params[i];
      if (virtual_params[i]) continue;  // decoded and checked by the `values` step
      std::string check = ValidateVar(fmt::format("FLOW_P{}", i + 1), types().StripOptional(p.type), types(),
                                      fmt::format("input `{}` of task `{}`", p.name, task.qualified_name));
      if (check.empty()) continue;
      env.Push(EnvEntry(fmt::format("FLOW_P{}", i + 1), fmt::format("$(params.{})", ParamName(p.name))));
      if (types().IsOptional(p.type)) check = fmt::format("if [ -n \"$FLOW_P{}\" ]; then\n{}fi\n", i + 1, check);
      script += check;
    }
    if (!env.empty()) {
      YNode& step = steps.Push(YNode::Map());
      step.Set("name", YNode::Str("validate"));
      step.Set("image", YNode::Str(helper));
      script = guard_sh(script, &env);
      step.Set("env", std::move(env));
      step.Set("script", YNode::Str(script));
    }
  }
  if (*backoff_ms > 0 && *retries > 0) {
    YNode& step = steps.Push(YNode::Map());
    step.Set("name", YNode::Str("backoff"));
    step.Set("image", YNode::Str(helper));
    YNode env = YNode::Seq();
    env.Push(EnvEntry("FLOW_RETRY", "$(context.task.retry-count)"));
    std::string script = guard_sh(BackoffScript(*backoff_ms), &env);
    step.Set("env", std::move(env));
    step.Set("script", YNode::Str(script));
  }
  if (!outputs.empty()) {
    YNode& step = steps.Push(YNode::Map());
    step.Set("name", YNode::Str("prepare"));
    step.Set("image", YNode::Str(helper));
    YNode env = YNode::Seq();
    env.Push(EnvEntry("FLOW_OUT_DIR", fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)", kWorkspace)));
    std::string script = guard_sh("#!/bin/sh\nset -eu\nmkdir -p \"$FLOW_OUT_DIR\"\n", &env);
    step.Set("env", std::move(env));
    step.Set("script", YNode::Str(script));
  }

  // main: the task's program, values only through env and args.
  YNode main = YNode::Map();
  main.Set("name", YNode::Str("main"));
  main.Set("image", YNode::Str(image));
  TaskEnv tenv{program_, task, {}};
  for (const ir::TaskLocal& l : task.locals) tenv.locals[l.var.index] = l.value;
  // The text a binding expression takes inside the Task: a param, an output path,
  // a constant, or their concatenation.
  std::function<std::optional<std::string>(ir::ExprId, int)> text = [&](ir::ExprId id,
                                                                         int depth) -> std::optional<std::string> {
    const ir::Expr& e = program_.expr(id);
    if (depth > 100) return std::nullopt;
    if (e.kind != ExprKind::Input && e.kind != ExprKind::OutputPath) {
      if (std::optional<ir::Value> c = Constant(id)) {
        std::string t = ir::FormatValueText(*c, types().StripOptional(e.type), types());
        if (c->is_none()) t = "";
        if (t.find("$(") != std::string::npos) return std::nullopt;
        return t;
      }
    }
    if (e.kind == ExprKind::Input) {
      if (virtual_params[e.index]) return std::nullopt;
      if (IsListParam(types(), task.params[e.index].type) ||
          IsJsonType(task.params[e.index].type) != IsJsonType(e.type)) {
        return std::nullopt;
      }
      return fmt::format("$(params.{})", ParamName(task.params[e.index].name));
    }
    if (e.kind == ExprKind::OutputPath) {
      return OutputPath(task.outputs[e.index].name.empty() ? "out" : task.outputs[e.index].name);
    }
    if (e.kind == ExprKind::Var) {
      auto it = tenv.locals.find(e.var.index);
      if (it == tenv.locals.end()) return std::nullopt;
      return text(it->second, depth + 1);
    }
    if (e.kind == ExprKind::Convert) {
      if (IsJsonType(program_.expr(e.operands[0]).type) != IsJsonType(e.type)) return std::nullopt;
      return text(e.operands[0], depth + 1);
    }
    if (e.kind == ExprKind::Interpolate) {
      // Literal text holding `$(` could be rewritten by Tekton's substitution: refused.
      for (const std::string& t : e.text_parts) {
        if (t.find("$(") != std::string::npos) return std::nullopt;
      }
      std::string out = e.text_parts[0];
      for (size_t i = 0; i < e.operands.size(); ++i) {
        std::optional<std::string> part = text(e.operands[i], depth + 1);
        if (!part) return std::nullopt;
        out += *part + e.text_parts[i + 1];
      }
      return out;
    }
    // A step's value (not in a Task), or anything else that needs evaluation
    // (NeedsEvaluation): not a Tekton substitution.
    return std::nullopt;
  };
  // A list param reaching the program: index of its segment in `args`.
  auto list_segment = [&](ir::ExprId id) -> int {
    const ir::Expr* e = &program_.expr(id);
    while (e->kind == ExprKind::Convert) e = &program_.expr(e->operands[0]);
    if (e->kind != ExprKind::Input || !IsListParam(types(), task.params[e->index].type) || virtual_params[e->index]) {
      return -1;
    }
    for (size_t i = 0; i < list_params.size(); ++i) {
      if (list_params[i] == e->index) return static_cast<int>(i);
    }
    return -1;
  };
  auto cannot = [&](ir::Loc loc) {
    Unsupported(loc, "this interpolation",
                "inside a Tekton Task only parameters, output paths, constants and their concatenation are "
                "available (no expression language)",
                "compute the value in the workflow and pass it as an argument");
  };
  YNode env = YNode::Seq();
  // The user's env first (its names are theirs), then Flow's own variables.
  if (values.count(TaskField::Env)) {
    for (const auto& [k, v] : values[TaskField::Env].map()) {
      if (v.as_string().find("$(") != std::string::npos) {
        Unsupported(program_.expr(fields[static_cast<size_t>(TaskField::Env)]).loc, "an `env` value containing `$(`",
                    "Tekton would substitute it");
      }
      env.Push(EnvEntry(k.as_string(), v.as_string()));
    }
  }
  YNode args = YNode::Seq();
  bool uses_lists = false;
  if (task.has_script) {
    ClusterScript cs;
    std::string error;
    std::string shell = values.count(TaskField::Shell) ? values[TaskField::Shell].as_string() : "";
    // Another interpreter (`shell = "python3"`) reads no shell escaping: its
    // script is rendered at run time by a `render` step, as `flowc run` renders it.
    bool foreign = !IsPosixShell(shell);
    std::string render;
    if (foreign) {
      render = ForeignScriptRender(task.script, "FLOW_V", &cs.bindings);
    } else if (!RenderClusterScript(program_, task.script, "FLOW_V", &cs, &error) &&
               !RenderClusterScriptManyLists(program_, task.script, "FLOW_V", &cs, &error)) {
      // Two or more distinct bare lists: "$@" holds one, so the script is
      // assembled from quoted words at run time (RenderClusterScriptManyLists).
      Unsupported(task.loc, "this script", error);
      return name;
    }
    for (const ir::TemplatePart& part : task.script.parts) {
      if (!part.expr.valid() && part.text.find("$(") != std::string::npos) {
        // Tekton substitutes its variables even inside scripts.
        if (part.text.find("$(params.") != std::string::npos || part.text.find("$(tasks.") != std::string::npos ||
            part.text.find("$(context.") != std::string::npos || part.text.find("$(workspaces.") != std::string::npos ||
            part.text.find("$(results.") != std::string::npos || part.text.find("$(steps.") != std::string::npos) {
          Unsupported(part.loc.end > 0 ? part.loc : task.loc, "script text containing a Tekton variable (`$(...)`)",
                      "Tekton would substitute it before the script runs");
        }
      }
    }
    std::string prelude;
    std::vector<ComputedValue> computed;
    for (const EnvBinding& b : cs.bindings) {
      int segment = list_segment(b.expr);
      if (segment >= 0) {
        uses_lists = true;
        prelude += fmt::format("{}=$(flow_list {} {} \"$@\")\n", b.name, segment,
                               b.encoding == Encoding::JsonList ? "json" : "text");
        continue;
      }
      if (b.encoding == Encoding::JsonList) {
        computed.push_back(ComputedValue{b.name, b.expr, "plainlist"});
        continue;
      }
      // `x ?? constant` over an optional scalar: none is "" in the env var, so the
      // script substitutes the fallback before it runs.
      ir::ExprId target = b.expr;
      const ir::Expr& be = program_.expr(b.expr);
      if (be.kind == ExprKind::Binary && be.binary_op == ir::BinaryOp::Coalesce &&
          !IsJsonType(program_.expr(be.operands[0]).type)) {
        if (std::optional<ir::Value> fallback = Constant(be.operands[1])) {
          target = be.operands[0];
          std::string word = EncodeConstant(*fallback, be.type);
          if (!word.empty()) prelude += fmt::format("[ -n \"${{{0}}}\" ] || {0}={1}\n", b.name, QuoteShellWord(word));
        }
      }
      std::optional<std::string> value = text(target, 0);
      if (!value) {
        // Not a Tekton substitution: the `values` step computes it.
        computed.push_back(ComputedValue{b.name, b.expr, "plain"});
        continue;
      }
      env.Push(EnvEntry(b.name, *value));
    }
    std::vector<std::string> exported;
    for (const auto& [name, expr] : computed_env) {
      if (std::optional<std::string> value = text(expr, 0)) {
        env.Push(EnvEntry(name, *value));
        continue;
      }
      computed.push_back(ComputedValue{name, expr, "plain"});
      exported.push_back(name);
    }
    std::string bindings_prelude = prelude;  // without the computed values (ForeignSteps reads them itself)
    if (!computed.empty()) {
      YNode values_step;
      if (!ValuesStep(task, computed, virtual_params, is_try, guarded, &values_step)) return name;
      steps.Push(std::move(values_step));
      env.Push(EnvEntry("FLOW_VALUES", fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/.flow-values",
                                                 kWorkspace)));
      prelude = ValuesPrelude(computed, exported) + prelude;
    }
    if (uses_lists) {
      for (int32_t p : list_params) {
        args.Push(YNode::Str(fmt::format("$(params.{}[*])", ParamName(task.params[p].name))));
        args.Push(YNode::Str(kListEnd));
      }
    }
    if (foreign) {
      std::vector<std::string> bound;
      for (const EnvBinding& b : cs.bindings) bound.push_back(b.name);
      ForeignSteps(ForeignScript{shell, render, bindings_prelude, helper, bound, computed, exported, uses_lists, guarded},
                   &env, &args, &steps, &main);
    } else {
      // The guard check follows the whole header (a multi-word shell's re-exec
      // line included), so the task's shell runs it.
      std::string script = PosixShellHeader(shell);
      if (guarded) {
        env.Push(EnvEntry("FLOW_GUARD", GuardFile()));
        script += GuardShellCheck();
      }
      if (uses_lists) script += ListArgsPrelude();
      script += prelude;
      script += cs.script;
      if (!script.empty() && script.back() != '\n') script += "\n";
      main.Set("script", YNode::Str(script));
    }
  } else if (guarded) {
    if (!GuardedCommand(task, virtual_params, is_try, text, &env, &args, &steps, &main)) return name;
  } else {
    YNode command = YNode::Seq();
    for (const ir::ArgvElement& element : task.command) {
      if (element.splice) {
        ir::ExprId expr;
        const ir::Expr* e = SplicedSource(element, &expr);
        if (e != nullptr && e->kind == ExprKind::Input) {
          command.Push(YNode::Str(fmt::format("$(params.{}[*])", ParamName(task.params[e->index].name))));
          continue;
        }
        if (std::optional<ir::Value> c = expr.valid() ? Constant(expr) : std::nullopt) {
          for (const ir::Value& item : c->list()) {
            command.Push(YNode::Str(ir::FormatValueText(item, ir::TypeId{}, types())));
          }
          continue;
        }
        cannot(e != nullptr ? e->loc : task.loc);
        continue;
      }
      std::string arg;
      for (const ir::TemplatePart& part : element.tmpl.parts) {
        if (!part.expr.valid()) {
          if (part.text.find("$(") != std::string::npos) {
            Unsupported(part.loc.end > 0 ? part.loc : task.loc, "an argument containing `$(`",
                        "Tekton would substitute it");
          }
          arg += part.text;
          continue;
        }
        std::optional<std::string> value = text(part.expr, 0);
        if (!value) {
          cannot(program_.expr(part.expr).loc);
          continue;
        }
        arg += *value;
      }
      command.Push(YNode::Str(arg));
    }
    if (!command.empty()) main.Set("command", std::move(command));
  }
  if (!args.empty()) main.Set("args", std::move(args));
  if (!env.empty()) main.Set("env", std::move(env));
  // computeResources: cpu and memory as requests (and memory as the limit, which the
  // kubelet enforces), GPUs as limits (Kubernetes requires them there).
  YNode requests = YNode::Map(), limits = YNode::Map();
  if (values.count(TaskField::Cpu)) {
    double cpu = values[TaskField::Cpu].as_float();
    requests.Set("cpu", YNode::Str(fmt::format("{}m", static_cast<int64_t>(cpu * 1000 + 0.5))));
  }
  if (values.count(TaskField::Memory)) {
    std::string mem = ir::FormatSize(values[TaskField::Memory].as_int());
    requests.Set("memory", YNode::Str(mem));
    limits.Set("memory", YNode::Str(mem));
  }
  if (values.count(TaskField::Gpu) && values[TaskField::Gpu].as_int() > 0) {
    limits.Set("nvidia.com/gpu", YNode::Str(fmt::format("{}", values[TaskField::Gpu].as_int())));
  }
  if (!requests.empty() || !limits.empty()) {
    YNode& res = main.Set("computeResources", YNode::Map());
    if (!requests.empty()) res.Set("requests", std::move(requests));
    if (!limits.empty()) res.Set("limits", std::move(limits));
  }
  if (is_try) main.Set("onError", YNode::Str("continue"));
  steps.Push(std::move(main));

  if (!outputs.empty()) {
    YNode& step = steps.Push(YNode::Map());
    step.Set("name", YNode::Str("results"));
    step.Set("image", YNode::Str(helper));
    YNode cenv = YNode::Seq();
    for (size_t i = 0; i < outputs.size(); ++i) {
      std::string oname = outputs[i].first.empty() ? "out" : outputs[i].first;
      cenv.Push(EnvEntry(fmt::format("FLOW_OUT_{}", i + 1), OutputPath(oname)));
      cenv.Push(EnvEntry(fmt::format("FLOW_RES_{}", i + 1), fmt::format("$(results.{}.path)", ParamName(oname))));
    }
    if (guarded) cenv.Push(EnvEntry("FLOW_GUARD", GuardFile()));
    step.Set("env", std::move(cenv));
    step.Set("script", YNode::Str(CaptureScript(outputs, types(), is_try, guarded, task.qualified_name)));
  }
  spec.Set("steps", std::move(steps));

  task_docs_.push_back(Resource("Task", "name", name, std::move(spec)));
  return name;
}

const ir::Expr* Lowering::SplicedSource(const ir::ArgvElement& element, ir::ExprId* expr) const {
  *expr = ir::ExprId{};
  for (const ir::TemplatePart& part : element.tmpl.parts) {
    if (part.expr.valid()) *expr = part.expr;
  }
  const ir::Expr* e = expr->valid() ? &program_.expr(*expr) : nullptr;
  while (e != nullptr && e->kind == ExprKind::Convert) e = &program_.expr(e->operands[0]);
  return e;
}

}  // namespace flow::lower::tekton

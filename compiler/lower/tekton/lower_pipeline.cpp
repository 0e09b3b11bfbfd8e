// Workflow steps as pipeline tasks: calls (taskRef + params), `for` (matrix),
// `if` (when), inlined sub-workflows, and the ordering (runAfter).
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "compiler/lower/tekton/context.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using ir::StepKind;
using types::TypeKind;

namespace {

TValue Ref(const std::string& text, bool array) {
  TValue v;
  v.text = text;
  v.array = array;
  return v;
}

}  // namespace

std::vector<std::string> Lowering::RunAfter(const ir::Step& step, const Scope& scope) const {
  std::set<std::string> after(scope.base_after.begin(), scope.base_after.end());
  for (ir::StepId dep : step.deps) {
    auto it = scope.steps.find(dep.index);
    if (it == scope.steps.end()) continue;
    after.insert(it->second.tasks.begin(), it->second.tasks.end());
  }
  return {after.begin(), after.end()};
}

void Lowering::LowerRegion(const ir::Region& region, Scope& scope, YNode* tasks) {
  YNode* saved_tasks = scope.tasks;
  scope.tasks = tasks;
  // `finally` calls reading each other's results run as one merged Task.
  std::set<int32_t> merged = scope.finally ? LowerFinallyChains(region, scope, tasks) : std::set<int32_t>{};
  for (ir::StepId id : region.steps) {
    if (merged.count(id.index)) continue;
    const ir::Step& step = program_.step(id);
    size_t before = tasks->items().size();
    switch (step.kind) {
      case StepKind::Value: {
        StepInfo& info = scope.steps[id.index];
        info.lowered = true;
        info.pure = step.value;
        // A pure step runs nothing: whoever waits for it waits for what it reads.
        info.tasks = RunAfter(step, scope);
        break;
      }
      case StepKind::Call:
        if (step.callee_kind == ir::CalleeKind::Workflow) {
          InlineWorkflow(step, id.index, scope, tasks);
        } else {
          LowerCall(step, id.index, scope, tasks);
        }
        break;
      case StepKind::Scatter:
        LowerScatter(step, id.index, scope, tasks);
        break;
      case StepKind::Cond:
        LowerCond(step, id.index, scope, tasks);
        break;
    }
    if (step.kind != StepKind::Value) {
      StepInfo& info = scope.steps[id.index];
      info.lowered = true;
      std::vector<std::string> created = TaskNamesSince(*tasks, before);
      if (!created.empty()) info.tasks = created;
    }
  }
  scope.tasks = saved_tasks;
}

void Lowering::LowerCall(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks) {
  const ir::Task& task = program_.tasks[step.callee];
  std::string name = pipeline_task_names_.Unique(scope.prefix + step.id);
  YNode pt = YNode::Map();
  pt.Set("name", YNode::Str(name));
  YNode params = YNode::Seq();
  YNode matrix_params = YNode::Seq();
  size_t combinations = 0;
  std::vector<TaskParamShape> shapes(task.params.size());
  std::vector<std::pair<size_t, TValue>> matrix_values;  // param index → its per-iteration value
  bool arg_failed = false;                                // an argument was reported already
  for (size_t i = 0; i < task.params.size(); ++i) {
    const ir::Param& p = task.params[i];
    ir::ExprId arg = i < step.args.size() ? step.args[i] : ir::ExprId{};
    if (!arg.valid()) arg = p.default_value;
    if (!arg.valid()) continue;
    std::optional<TValue> v = Value(arg, scope);
    if (!v) {
      arg_failed = true;
      continue;
    }
    bool list = types().KindOf(p.type) == TypeKind::List;
    YNode entry = YNode::Map();
    entry.Set("name", YNode::Str(ParamName(p.name)));
    if (v->matrix) {
      matrix_values.emplace_back(i, *v);
      if (v->literal_array) {
        YNode items = YNode::Seq();
        for (const std::string& item : v->items) items.Push(YNode::Str(item));
        entry.Set("value", std::move(items));
        combinations = v->items.size();
      } else {
        entry.Set("value", YNode::Str(v->text));
      }
      matrix_params.Push(std::move(entry));
      shapes[i].matrix = true;
      continue;
    }
    if (list) {
      if (v->literal_array) {
        YNode items = YNode::Seq();
        for (const std::string& item : v->items) items.Push(YNode::Str(item));
        entry.Set("value", std::move(items));
      } else if (v->array) {
        entry.Set("value", YNode::Str(v->text));
      } else {
        // A list produced by a task is JSON text: an expression task turns it into an array.
        std::optional<TValue> array = Computed(arg, scope, /*array_result=*/true);
        if (!array) continue;
        entry.Set("value", YNode::Str(array->text));
      }
    } else {
      if (v->array) {
        Unsupported(program_.expr(arg).loc, fmt::format("passing a gathered list to `{}`", p.name),
                    fmt::format("input `{}` has type `{}`, and Tekton cannot turn an array into one string",
                                p.name, types().ToString(p.type)));
        continue;
      }
      entry.Set("value", YNode::Str(v->text));
    }
    params.Push(std::move(entry));
  }
  bool guarded = scope.in_scatter && scope.guard.has_value();
  if (scope.in_scatter && (matrix_values.size() > 1 || guarded)) {
    // Several inputs change per iteration, and a matrix would run every
    // combination of them: an expression task pairs them up into one JSON
    // object per iteration (`flow-iter`), which the Task's `values` step unpacks.
    // Under a per-iteration `if`, the iteration's guard is one more field
    // (`flow-guard`, read by the Task's `guard` step).
    std::vector<std::pair<std::string, ir::TypeId>> fields;
    std::vector<TValue> values;
    for (const auto& [i, v] : matrix_values) {
      fields.emplace_back(task.params[i].name, task.params[i].type);
      values.push_back(v);
      shapes[i].matrix = false;
      shapes[i].virtual_param = true;
    }
    if (guarded) {
      fields.emplace_back("flow-guard", types::TypeStore::String());
      values.push_back(*scope.guard);
    }
    std::optional<TValue> iter = ZipIterations(fields, values, scope, step.loc, step.id);
    matrix_params = YNode::Seq();
    if (iter) {
      YNode entry = YNode::Map();
      entry.Set("name", YNode::Str("flow-iter"));
      entry.Set("value", YNode::Str(iter->text));
      matrix_params.Push(std::move(entry));
    }
  }
  int64_t backoff = 0, timeout = 0, retries = 0;
  std::string task_name =
      TaskFor(step.callee, step.overrides, shapes, step.is_try, guarded, step.loc, &backoff, &timeout, &retries);
  if (task_name.empty()) task_name = "missing";
  pt.Set("taskRef", YNode::Map()).Set("name", YNode::Str(task_name));
  if (!params.empty()) pt.Set("params", std::move(params));
  if (scope.in_scatter) {
    if (matrix_params.items().size() > 1) {
      Unsupported(step.loc, "a call using the loop variable in several arguments, or several loop levels",
                  "Tekton's matrix runs every combination of its params, not one per iteration");
    } else if (matrix_params.empty() && !arg_failed) {
      Unsupported(step.loc, "a call inside `for` that does not use the iteration's values",
                  "Tekton would run it once instead of once per iteration");
    }
    if (combinations > MatrixLimit()) {
      Unsupported(step.loc, fmt::format("a `for` over {} elements", combinations), MatrixLimitReason());
    }
  }
  if (!matrix_params.empty()) pt.Set("matrix", YNode::Map()).Set("params", std::move(matrix_params));
  if (!scope.when.empty()) pt.Set("when", scope.when);
  if (!scope.finally) {
    std::vector<std::string> after = RunAfter(step, scope);
    if (!after.empty()) {
      YNode seq = YNode::Seq();
      for (const std::string& a : after) seq.Push(YNode::Str(a));
      pt.Set("runAfter", std::move(seq));
    }
  } else if (!RunAfter(step, scope).empty()) {
    Unsupported(step.loc, "ordering between calls of a `finally` block",
                "Tekton runs all `finally` tasks in parallel (no runAfter)");
  }
  YNode ws = YNode::Seq();
  YNode& binding = ws.Push(YNode::Map());
  binding.Set("name", YNode::Str(kWorkspace));
  binding.Set("workspace", YNode::Str(kWorkspace));
  pt.Set("workspaces", std::move(ws));
  if (retries > 0) pt.Set("retries", YNode::Int(retries));
  if (timeout > 0) {
    // The backoff sleep runs inside the attempt: the longest one is added to its timeout.
    int64_t longest = 0;
    if (backoff > 0 && retries > 0) {
      longest = backoff;
      for (int64_t r = 1; r < retries && longest < 86'400'000LL * 365; ++r) longest *= 2;
    }
    pt.Set("timeout", YNode::Str(GoDuration(timeout + longest)));
  }
  if (step.is_try && retries > 0) {
    diags_.Emit(Range(step.loc), diag::Kind::TargetApproximation,
                "on Tekton a `try` call is not retried: its failure is caught inside the TaskRun, "
                "which then succeeds with a `none` value");
  }
  tasks->Push(std::move(pt));

  StepInfo& info = scope.steps[index];
  bool matrixed = scope.in_scatter;
  auto result = [&](const std::string& r) {
    TValue v = Ref(fmt::format("$(tasks.{}.results.{}{})", name, r, matrixed ? "[*]" : ""), false);
    v.matrix = matrixed;
    v.guarded = guarded;
    v.level = matrixed ? scope.level : 0;
    return v;
  };
  if (task.outputs.empty()) {
    info.unavailable = "the task has no outputs";
  } else if (task.single_output) {
    info.value = result("out");
  } else {
    for (const ir::Output& o : task.outputs) info.fields[o.name] = result(ParamName(o.name));
  }
}

void Lowering::LowerScatter(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks) {
  if (!scope.in_scatter && LowerNestedScatter(step, index, scope, tasks)) return;
  if (scope.in_scatter) {
    LowerFlattenedScatter(step, index, scope, tasks);
    return;
  }
  // Over a map, with two variables (enumerate, zip, a map's entries) or over a
  // list a task produced: expression tasks compute each loop variable's values
  // as an array aligned with the iterations (a call using several of them gets
  // them paired by ZipIterations).
  auto loop_arrays = [&]() {
    for (size_t k = 0; k < step.vars.size(); ++k) {
      ir::VarId var = step.vars[k];
      const ir::Var& v = program_.var(var);
      Lowering::WrapFn wrap = [&, var](EvalProgram& p, int root, const std::function<int(ir::ExprId)>&) {
        ir::Json vars = VarsJson(step.vars);
        int body = p.AddRawNode(ir::Json::array({"var", p.TypeIndex(v.type), var.index}));
        p.SetMatrixLimit(MatrixLimit(), program_.Where(step.loc), MatrixLimitNote());
        return p.AddRawNode(ir::Json::array({"comp", p.AddListType(v.type), vars, root, body}));
      };
      std::optional<TValue> values =
          Computed(step.iterable, scope, /*array_result=*/true, fmt::format("{}-{}", step.id, v.name), "", wrap);
      if (!values) return false;
      TValue loop = *values;
      loop.matrix = true;
      scope.loop_vars[var.index] = loop;
    }
    return true;
  };
  const ir::Expr& iterable_expr = program_.expr(step.iterable);
  bool over_map = types().KindOf(types().StripOptional(iterable_expr.type)) == TypeKind::Map;
  if (step.vars.size() != 1 || over_map) {
    if (!loop_arrays()) return;
    TValue none;
    LowerScatterBody(step, index, none, scope, tasks);
    for (ir::VarId var : step.vars) scope.loop_vars.erase(var.index);
    return;
  }
  // Over the gathered records of another `for`: each field is its own array.
  const ir::Expr& over = program_.expr(step.iterable);
  if (over.kind == ExprKind::StepValue) {
    auto it = scope.steps.find(over.step.index);
    if (it != scope.steps.end() && !it->second.conditional && !it->second.value && !it->second.fields.empty()) {
      std::map<std::string, TValue> fields;
      for (const auto& [k, v] : it->second.fields) {
        TValue f = v;
        f.matrix = true;
        fields[k] = f;
      }
      scope.loop_var_fields[step.vars[0].index] = fields;
      TValue none;
      LowerScatterBody(step, index, none, scope, tasks);
      scope.loop_var_fields.erase(step.vars[0].index);
      return;
    }
  }
  std::optional<TValue> iterable = Value(step.iterable, scope);
  if (!iterable) return;
  if (!iterable->array && !iterable->literal_array) {
    // A list produced by a task (JSON text): an expression task turns it into an array result.
    if (!loop_arrays()) return;
    TValue none;
    LowerScatterBody(step, index, none, scope, tasks);
    scope.loop_vars.erase(step.vars[0].index);
    return;
  }
  if (iterable->literal_array && iterable->items.size() > MatrixLimit()) {
    Unsupported(step.loc, fmt::format("a `for` over {} elements", iterable->items.size()), MatrixLimitReason());
    return;
  }
  TValue loop = *iterable;
  loop.matrix = true;
  loop.array = !iterable->literal_array;
  scope.loop_vars[step.vars[0].index] = loop;
  LowerScatterBody(step, index, *iterable, scope, tasks);
  scope.loop_vars.erase(step.vars[0].index);
}

void Lowering::LowerScatterBody(const ir::Step& step, int32_t index, const TValue& iterable, Scope& scope,
                                YNode* tasks) {
  if (step.limit.valid()) {
    diags_.Emit(Range(program_.expr(step.limit).loc), diag::Kind::TargetApproximation,
                "Tekton has no per-task concurrency limit: `limit` is not enforced, all iterations may run at once");
  }
  scope.in_scatter = true;
  int saved_level = scope.level;
  scope.level = 1;
  for (auto& [var, v] : scope.loop_vars) {
    if (v.level == 0) v.level = 1;
  }
  for (auto& [var, fields] : scope.loop_var_fields) {
    for (auto& [name, v] : fields) {
      if (v.level == 0) v.level = 1;
    }
  }
  std::vector<std::string> saved_after = scope.base_after;
  if (!scope.finally) scope.base_after = RunAfter(step, scope);
  // One per-iteration value of this loop: it tells expression tasks how many
  // iterations there are (a per-iteration `if` guard over a constant condition).
  std::optional<TValue> saved_ref = scope.iteration_ref;
  ir::ExprId saved_value = scope.scatter_value;
  scope.scatter_value = step.body_value;
  for (ir::VarId var : step.vars) {
    auto v = scope.loop_vars.find(var.index);
    if (v != scope.loop_vars.end()) {
      scope.iteration_ref = v->second;
      break;
    }
    auto f = scope.loop_var_fields.find(var.index);
    if (f != scope.loop_var_fields.end() && !f->second.empty()) {
      scope.iteration_ref = f->second.begin()->second;
      break;
    }
  }
  size_t before = tasks->items().size();
  LowerRegion(step.body, scope, tasks);
  scope.in_scatter = false;
  scope.level = saved_level;
  scope.base_after = saved_after;
  scope.iteration_ref = saved_ref;
  scope.scatter_value = saved_value;

  // The gathered value: a matrixed task's string results become `[*]` arrays.
  StepInfo& info = scope.steps[index];
  info.tasks = TaskNamesSince(*tasks, before);
  auto gathered = [](TValue v) {
    v.matrix = false;
    v.array = true;
    return v;
  };
  if (!step.body_value.valid()) return;
  const ir::Expr& value = program_.expr(step.body_value);
  ir::TypeId body_type = types().StripOptional(value.type);
  if (types().KindOf(body_type) == TypeKind::Record && types().Get(body_type).fields.empty()) return;  // `()`
  if (value.kind == ExprKind::StepValue) {
    auto it = scope.steps.find(value.step.index);
    if (it != scope.steps.end()) {
      if (it->second.value && it->second.value->matrix) info.value = gathered(*it->second.value);
      for (const auto& [k, v] : it->second.fields) {
        if (v.matrix) info.fields[k] = gathered(v);
      }
      if (info.value || !info.fields.empty()) return;
    }
  } else if (value.kind == ExprKind::Var && value.var == step.vars[0] && (iterable.array || iterable.literal_array)) {
    info.value = iterable;
    return;
  }
  if (!ok_) return;  // the body was not lowered
  // Computed from the iteration's values: one expression task for all iterations.
  scope.in_scatter = true;
  scope.level = 1;
  scope.base_after = info.tasks;
  scope.tasks = tasks;
  std::optional<TValue> per_iteration = Computed(step.body_value, scope, false, step.id + "-value");
  scope.in_scatter = false;
  scope.level = saved_level;
  scope.base_after = saved_after;
  if (per_iteration && per_iteration->matrix) {
    info.value = gathered(*per_iteration);
    info.tasks = TaskNamesSince(*tasks, before);
    return;
  }
  if (per_iteration) {
    Unsupported(value.loc, "this `for` value", "it does not change from one iteration to the next, and Tekton "
                "has no way to repeat it once per iteration");
    return;
  }
  info.unavailable = "the `for` body's value is computed from several results";
}

bool Lowering::ValueIsUsed(const ir::Step& step, int32_t index, const Scope& scope) const {
  ir::TypeId t = types().StripOptional(step.type);
  if (types().KindOf(t) == TypeKind::Record && types().Get(t).fields.empty()) return false;  // `()`
  if (!step.binding.empty()) return true;
  // Unbound: used only if the workflow's result reads it.
  std::function<bool(ir::ExprId, int)> reads = [&](ir::ExprId id, int depth) {
    if (!id.valid() || depth > 200) return false;
    const ir::Expr& e = program_.expr(id);
    if (e.kind == ExprKind::StepValue && e.step.index == index) return true;
    for (ir::ExprId op : e.operands) {
      if (reads(op, depth + 1)) return true;
    }
    return false;
  };
  return scope.workflow != nullptr && reads(scope.workflow->result, 0);
}

void Lowering::LowerCond(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks) {
  if (scope.in_scatter) {
    LowerGuardedCond(step, index, scope, tasks);
    return;
  }
  scope.tasks = tasks;
  size_t before = tasks->items().size();
  YNode saved = scope.when;
  // Dependencies of the `if` (lifted from its branches) order every branch task.
  std::vector<std::string> saved_after = scope.base_after;
  if (!scope.finally) scope.base_after = RunAfter(step, scope);
  // An `if` with a value: the branch that runs writes its value to a file of the
  // workspace, and a select task (after both branches, run or skipped) reads it,
  // `none` when no branch ran: Tekton would skip consumers of a skipped task's
  // results instead. The file is per PipelineRun (a volumeClaimTemplate).
  bool has_value = step.then_value.valid() && !scope.finally && ValueIsUsed(step, index, scope);
  std::string target = fmt::format(".flow-if/{}{}", scope.prefix, step.id);
  std::vector<std::string> writers;
  auto write_value = [&](ir::ExprId value, const ir::Region& body, const char* branch) {
    if (!has_value || !value.valid()) return;
    std::vector<std::string> saved_base = scope.base_after;
    for (ir::StepId s : body.steps) {
      auto it = scope.steps.find(s.index);
      if (it != scope.steps.end()) scope.base_after.insert(scope.base_after.end(), it->second.tasks.begin(),
                                                           it->second.tasks.end());
    }
    std::sort(scope.base_after.begin(), scope.base_after.end());
    scope.base_after.erase(std::unique(scope.base_after.begin(), scope.base_after.end()), scope.base_after.end());
    if (std::optional<TValue> v = Computed(value, scope, false, step.id + "-" + branch, target)) {
      writers.push_back(v->text);
    }
    scope.base_after = saved_base;
  };
  YNode entries = YNode::Seq();
  if (WhenEntries(step.cond, false, scope, &entries)) {
    for (const YNode& e : entries.items()) scope.when.Push(e);
    LowerRegion(step.then_body, scope, tasks);
    scope.tasks = tasks;
    write_value(step.then_value, step.then_body, "then");
  }
  scope.when = saved;
  if (step.has_else && (!step.else_body.steps.empty() || (has_value && step.else_value.valid()))) {
    YNode negated = YNode::Seq();
    if (WhenEntries(step.cond, true, scope, &negated)) {
      for (const YNode& e : negated.items()) scope.when.Push(e);
      LowerRegion(step.else_body, scope, tasks);
      scope.tasks = tasks;
      write_value(step.else_value, step.else_body, "else");
    } else {
      ok_ = false;
    }
    scope.when = saved;
  }
  StepInfo& info = scope.steps[index];
  if (has_value && ok_) {
    scope.tasks = tasks;
    std::string select = SelectBranchValue(step, writers, target, scope);
    TValue v;
    v.text = fmt::format("$(tasks.{}.results.value)", select);
    info.value = v;
  }
  scope.base_after = saved_after;
  info.tasks = TaskNamesSince(*tasks, before);
  if (info.tasks.empty()) info.tasks = RunAfter(step, scope);
  info.conditional = !has_value;
}

void Lowering::InlineWorkflow(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks) {
  const ir::Workflow& wf = program_.workflows[step.callee];
  if (std::find(workflow_stack_.begin(), workflow_stack_.end(), step.callee) != workflow_stack_.end()) {
    Unsupported(step.loc, "a recursive workflow call", "sub-workflows are inlined into one Pipeline");
    return;
  }
  if (options_.pipelines_in_pipelines && !pip_reported_) {
    // Never a silent no-op: the flag asks for child Pipelines, which this backend
    // does not emit (reported once; lowering goes on inlining, for more diagnostics).
    pip_reported_ = true;
    Unsupported(step.loc, "a sub-workflow as a child Pipeline (`--pipelines-in-pipelines`)",
                "Pipelines-in-Pipelines (a pipeline task with `pipelineRef`, TEP-0056) is an alpha feature that "
                "the Tekton v1 schema and admission rules flowc validates against do not accept",
                "drop `--pipelines-in-pipelines`: sub-workflows are then inlined into the Pipeline");
  }
  Scope inner;
  inner.workflow = &wf;
  inner.prefix = scope.prefix + step.id + "-";
  inner.when = scope.when;
  inner.finally = scope.finally;
  inner.in_scatter = scope.in_scatter;  // inside `for`: the inlined tasks are matrixed too
  inner.level = scope.level;
  inner.parents = scope.parents;
  inner.guard = scope.guard;  // under a per-iteration `if`: its calls are guarded too
  inner.iteration_ref = scope.iteration_ref;
  inner.base_after = scope.finally ? std::vector<std::string>{} : RunAfter(step, scope);
  for (size_t i = 0; i < wf.params.size(); ++i) {
    ir::ExprId arg = i < step.args.size() ? step.args[i] : ir::ExprId{};
    if (!arg.valid()) arg = wf.params[i].default_value;
    std::optional<TValue> v = arg.valid() ? Value(arg, scope) : std::nullopt;
    inner.inputs.push_back(v.value_or(TValue{}));
  }
  workflow_stack_.push_back(step.callee);
  size_t before = tasks->items().size();
  LowerRegion(wf.body, inner, tasks);
  if (!wf.finally_body.steps.empty() && finally_tasks_ != nullptr) {
    // Tekton has one `finally` section: the sub-workflow's `finally` calls join
    // it, so they still run whatever happens, but after the whole Pipeline.
    diags_.Emit(Range(step.loc), diag::Kind::TargetApproximation,
                fmt::format("the `finally` block of `{}` runs with the Pipeline's `finally` tasks: after every "
                            "task of the Pipeline, not right after the sub-workflow's tasks (Tekton has one "
                            "`finally` section)",
                            wf.qualified_name));
    Scope fin = inner;
    fin.finally = true;
    fin.base_after.clear();
    LowerRegion(wf.finally_body, fin, finally_tasks_);
  }
  workflow_stack_.pop_back();
  StepInfo& info = scope.steps[index];
  inner.tasks = tasks;  // a computed result gets its expression task
  if (wf.result.valid()) {
    const ir::Expr& result = program_.expr(wf.result);
    if (result.kind == ExprKind::Record) {
      for (size_t i = 0; i < result.names.size(); ++i) {
        if (std::optional<TValue> v = Value(result.operands[i], inner)) info.fields[result.names[i]] = *v;
      }
    } else if (std::optional<TValue> v = Value(wf.result, inner)) {
      info.value = *v;
    }
  } else {
    info.unavailable = "the workflow has no outputs";
  }
  info.tasks = TaskNamesSince(*tasks, before);
  if (info.tasks.empty()) info.tasks = inner.base_after;
}

}  // namespace flow::lower::tekton

// Workflow regions → Argo DAG templates: calls, `for` (withParam/withItems),
// `if` (when), `try` (continueOn + `dependencies`) and sub-workflows
// (nested DAG templates; a `finally` becomes the call's exit hook).
#include <fmt/format.h>

#include <set>

#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/context.h"

namespace flow::lower::argo {

using types::TypeKind;

namespace {

YNode JsonToYaml(const ir::Json& json) {
  if (json.is_object()) {
    YNode map = YNode::Map();
    for (auto it = json.begin(); it != json.end(); ++it) map.Set(it.key(), JsonToYaml(it.value()));
    return map;
  }
  if (json.is_array()) {
    YNode seq = YNode::Seq();
    for (const auto& item : json) seq.Push(JsonToYaml(item));
    return seq;
  }
  if (json.is_boolean()) return YNode::Bool(json.get<bool>());
  if (json.is_number_integer()) return YNode::Int(json.get<int64_t>());
  if (json.is_string()) return YNode::Str(Lowering::EscapeBraces(json.get<std::string>()));
  if (json.is_null()) return YNode();
  // Floats keep Flow's spelling, as strings (Argo renders {{item}} from the text).
  return YNode::Str(json.dump());
}

void AddParam(YNode& params, const std::string& name, const std::string& value) {
  YNode& p = params.Push(YNode::Map());
  p.Set("name", YNode::Str(name));
  p.Set("value", YNode::Str(value));
}

}  // namespace

std::string Lowering::ScopeKey(const Scope& scope) {
  return scope.root ? scope.root_key : "{{inputs.parameters.flow-scope}}";
}

std::vector<int32_t> Lowering::DepTargets(const ir::Step& step) const {
  std::set<int32_t> seen;
  std::vector<ir::StepId> work(step.deps.begin(), step.deps.end());
  std::vector<int32_t> ordered;
  while (!work.empty()) {
    ir::StepId dep = work.back();
    work.pop_back();
    if (!seen.insert(dep.index).second) continue;
    const ir::Step& d = program_.step(dep);
    if (d.kind == ir::StepKind::Value) {
      work.insert(work.end(), d.deps.begin(), d.deps.end());
      continue;
    }
    ordered.push_back(dep.index);
  }
  std::sort(ordered.begin(), ordered.end());
  return ordered;
}

std::string Lowering::Depends(const ir::Step& step, const Scope& scope) {
  std::vector<std::string> terms;
  for (int32_t index : DepTargets(step)) {
    auto name = scope.local_steps.find(index);
    if (name == scope.local_steps.end()) continue;
    terms.push_back(name->second);
    auto other = scope.local_else.find(index);
    if (other != scope.local_else.end()) terms.push_back(other->second);
  }
  std::string out;
  for (const std::string& t : terms) out += (out.empty() ? "" : " && ") + t;
  return out;
}

void Lowering::SetDepends(const ir::Step& step, const Scope& scope, YNode& task, const std::string& extra) {
  if (!scope.uses_dependencies) {
    std::string depends = Depends(step, scope);
    if (!extra.empty()) depends += (depends.empty() ? "" : " && ") + extra;
    if (!depends.empty()) task.Set("depends", YNode::Str(depends));
    return;
  }
  // `dependencies` waits for each task to end Succeeded or Skipped, or Failed/
  // Errored when it has `continueOn` (a `try` call): exactly Flow's order.
  YNode list = YNode::FlowSeq();
  for (int32_t index : DepTargets(step)) {
    auto name = scope.local_steps.find(index);
    if (name == scope.local_steps.end()) continue;
    list.Push(YNode::Str(name->second));
    auto other = scope.local_else.find(index);
    if (other != scope.local_else.end()) list.Push(YNode::Str(other->second));
  }
  if (!extra.empty()) list.Push(YNode::Str(extra));
  if (!list.empty()) task.Set("dependencies", std::move(list));
}

void Lowering::PassFreeValues(const Scope& inner, Scope& outer, ir::Loc loc, YNode& params) {
  for (const FreeRef& ref : inner.free_order) {
    std::optional<std::string> value = FreeRefValue(ref, outer, loc);
    if (value) AddParam(params, inner.free.at(ref), *value);
  }
}

std::string Lowering::RegionTemplate(const std::string& name, const ir::Region& region, ir::ExprId result,
                                     bool result_json, Scope& scope, bool wrap_result) {
  scope.param_names.Reserve("flow-scope");
  for (ir::StepId id : region.steps) {
    const ir::Step& step = program_.step(id);
    if (step.kind == ir::StepKind::Call && step.is_try) scope.uses_dependencies = true;
  }
  for (ir::StepId id : region.steps) {
    const ir::Step& step = program_.step(id);
    if (step.kind == ir::StepKind::Value) continue;
    scope.local_steps[id.index] = scope.task_names.Unique(step.id);
    if (step.kind == ir::StepKind::Cond && step.has_else) {
      scope.local_else[id.index] = scope.task_names.Unique(step.id + "-else");
    }
  }
  YNode tasks = YNode::Seq();
  for (ir::StepId id : region.steps) {
    const ir::Step& step = program_.step(id);
    switch (step.kind) {
      case ir::StepKind::Value:
        break;
      case ir::StepKind::Call:
        LowerCall(step, scope.local_steps[id.index], scope, tasks.Push(YNode::Map()));
        break;
      case ir::StepKind::Scatter:
        LowerScatter(step, scope.local_steps[id.index], scope, tasks.Push(YNode::Map()));
        break;
      case ir::StepKind::Cond:
        LowerCond(step, scope.local_steps[id.index], false, scope, tasks.Push(YNode::Map()));
        if (step.has_else) LowerCond(step, scope.local_else[id.index], true, scope, tasks.Push(YNode::Map()));
        break;
    }
  }
  for (YNode& extra : scope.extra_tasks) tasks.Push(std::move(extra));
  scope.extra_tasks.clear();
  YNode outputs;
  if (result.valid()) {
    std::optional<std::string> value = ParamValue(result, scope, result_json);
    // Argo >= 3.6 aggregates a fan-out's values as JSON only when every one is
    // a JSON list or object (else as a list of their texts, as before 3.6): a
    // loop body wraps its value in a one-element list, which the gather unwraps.
    if (value && wrap_result) value = "[" + *value + "]";
    if (value) {
      outputs = YNode::Map();
      YNode& p = outputs.Set("parameters", YNode::Seq()).Push(YNode::Map());
      p.Set("name", YNode::Str("value"));
      p.Set("valueFrom", YNode::Map()).Set("parameter", YNode::Str(*value));
      // Files it returns are also output artifacts (the key stays in `value`).
      YNode artifacts = WorkflowOutputArtifacts(result, scope);
      if (!artifacts.empty()) outputs.Set("artifacts", std::move(artifacts));
    }
  }
  if (tasks.empty()) {
    // Argo needs at least one task; a pure region (e.g. `for` whose body only
    // computes) gets a no-op helper that keeps the DAG well-formed.
    YNode& noop = tasks.Push(YNode::Map());
    noop.Set("name", YNode::Str(scope.task_names.Unique("pure")));
    noop.Set("template", YNode::Str(NoopTemplate()));
  }

  YNode tmpl = YNode::Map();
  tmpl.Set("name", YNode::Str(name));
  YNode params = YNode::Seq();
  if (scope.top && !scope.global_inputs) {
    for (const ir::Param& p : scope.workflow->params) params.Push(YNode::Map()).Set("name", YNode::Str(ParamName(p.name)));
  }
  for (const auto& [var, pname] : scope.own_vars) params.Push(YNode::Map()).Set("name", YNode::Str(pname));
  for (const FreeRef& ref : scope.free_order) params.Push(YNode::Map()).Set("name", YNode::Str(scope.free.at(ref)));
  if (!scope.root) params.Push(YNode::Map()).Set("name", YNode::Str("flow-scope"));
  YNode artifacts = ArtifactInputs(scope);
  if (!params.empty() || !artifacts.empty()) {
    YNode& inputs = tmpl.Set("inputs", YNode::Map());
    if (!params.empty()) inputs.Set("parameters", std::move(params));
    if (!artifacts.empty()) inputs.Set("artifacts", std::move(artifacts));
  }
  if (outputs.kind() == YNode::Kind::Map) tmpl.Set("outputs", std::move(outputs));
  tmpl.Set("dag", YNode::Map()).Set("tasks", std::move(tasks));
  templates_.Push(std::move(tmpl));
  return name;
}

std::string Lowering::NoopTemplate() {
  if (!noop_template_.empty()) return noop_template_;
  noop_template_ = template_names_.Unique("flow-noop");
  YNode tmpl = YNode::Map();
  tmpl.Set("name", YNode::Str(noop_template_));
  YNode& container = tmpl.Set("container", YNode::Map());
  container.Set("image", YNode::Str(options_.helper_image.empty() ? kHelperImage : options_.helper_image));
  YNode command = YNode::FlowSeq();
  command.Push(YNode::Str("true"));
  container.Set("command", std::move(command));
  templates_.Push(std::move(tmpl));
  return noop_template_;
}

std::string Lowering::WorkflowTemplate(int32_t index) {
  auto found = workflow_templates_.find(index);
  if (found != workflow_templates_.end()) return found->second;
  const ir::Workflow& wf = program_.workflows[index];
  std::string name = template_names_.Unique(wf.qualified_name);
  workflow_templates_.emplace(index, name);
  Scope scope;
  scope.workflow = &wf;
  scope.top = true;
  if (index == program_.entry) {
    scope.root = true;
    scope.root_key = "flow/{{workflow.uid}}";
  }
  for (const ir::Param& p : wf.params) scope.param_names.Reserve(ParamName(p.name));
  RegionTemplate(name, wf.body, wf.result, false, scope);
  return name;
}

std::string Lowering::FinallyTemplate(int32_t index, bool entry, Scope** scope_out) {
  const ir::Workflow& wf = program_.workflows[index];
  if (wf.finally_body.steps.empty()) return "";
  auto key = std::make_pair(index, entry);
  auto found = finally_templates_by_kind_.find(key);
  if (found != finally_templates_by_kind_.end()) {
    *scope_out = &finally_scopes_[key];
    return found->second;
  }
  std::string name = template_names_.Unique(wf.qualified_name + "-finally");
  finally_templates_by_kind_.emplace(key, name);
  Scope& scope = finally_scopes_[key];
  scope.workflow = &wf;
  if (entry) {
    // The workflow's exit handler receives no arguments: inputs are global.
    scope.global_inputs = true;
    scope.root = true;
    scope.root_key = "flow/{{workflow.uid}}/finally";
  }
  RegionTemplate(name, wf.finally_body, ir::ExprId{}, false, scope);
  *scope_out = &scope;
  return name;
}

void Lowering::LowerCall(const ir::Step& step, const std::string& name, Scope& scope, YNode& task) {
  task.Set("name", YNode::Str(name));
  std::vector<ir::Param> params;
  std::string tmpl;
  bool needs_scope = false;
  if (step.callee_kind == ir::CalleeKind::Task) {
    const ir::Task& callee = program_.tasks[step.callee];
    tmpl = TaskTemplate(step.callee, step.overrides, step.loc);
    params = callee.params;
    for (const ir::Output& out : callee.outputs) {
      TypeKind kind = types().KindOf(out.type);
      if (kind == TypeKind::File || kind == TypeKind::Dir) needs_scope = true;
    }
  } else {
    for (int32_t active : workflow_stack_) {
      if (active == step.callee) return;  // recursion is reported by the checker (E0402)
    }
    workflow_stack_.push_back(step.callee);
    tmpl = WorkflowTemplate(step.callee);
    workflow_stack_.pop_back();
    params = program_.workflows[step.callee].params;
    needs_scope = true;
  }
  task.Set("template", YNode::Str(tmpl));
  SetDepends(step, scope, task);
  if (step.is_try) {
    // `try`: a failed (or errored) call is a value, `none`, not a failure of the DAG;
    // its consumers read `none` from the task's status (lower_expr.cpp, StepNative).
    YNode& cont = task.Set("continueOn", YNode::Map());
    cont.Set("error", YNode::Bool(true));
    cont.Set("failed", YNode::Bool(true));
  }

  YNode args = YNode::Seq();
  std::vector<std::optional<std::string>> values(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    ir::ExprId arg = i < step.args.size() && step.args[i].valid() ? step.args[i] : params[i].default_value;
    if (!arg.valid()) continue;
    values[i] = ParamValue(arg, scope);
    if (values[i]) AddParam(args, ParamName(params[i].name), *values[i]);
    const ir::Expr& e = program_.expr(arg);
    TypeKind kind = types().KindOf(params[i].type);
    if (step.callee_kind == ir::CalleeKind::Task && kind == TypeKind::List) {
      TypeKind elem = types().KindOf(types().Get(params[i].type).elem);
      if (elem == TypeKind::File || elem == TypeKind::Dir) {
        AddParam(args, ParamName(params[i].name) + "-prefix", GatherPrefix(arg, scope, e.loc));
      }
    }
  }
  if (needs_scope) AddParam(args, "flow-scope", ScopeKey(scope) + "/" + name);
  // Every `File`/`Dir` argument also travels as an artifact: the task's input
  // artifact (or the sub-workflow's, which hands it on to its own tasks) comes
  // `from` the artifact holding the value here (lower_artifacts.cpp).
  YNode artifacts = YNode::Seq();
  for (size_t i = 0; i < params.size(); ++i) {
    if (!values[i] || !IsArtifactParam(params[i])) continue;
    ir::ExprId arg = i < step.args.size() && step.args[i].valid() ? step.args[i] : params[i].default_value;
    AddArtifactArgument(artifacts, ParamName(params[i].name), arg, *values[i], scope);
  }
  if (!args.empty() || !artifacts.empty()) {
    YNode& arguments = task.Set("arguments", YNode::Map());
    if (!args.empty()) arguments.Set("parameters", std::move(args));
    if (!artifacts.empty()) arguments.Set("artifacts", std::move(artifacts));
  }

  if (step.callee_kind == ir::CalleeKind::Workflow) {
    Scope* fin_scope = nullptr;
    std::string fin = FinallyTemplate(step.callee, false, &fin_scope);
    if (!fin.empty()) {
      // The callee's `finally` runs when the call ends, however it ends.
      YNode& exit = task.Set("hooks", YNode::Map()).Set("exit", YNode::Map());
      exit.Set("template", YNode::Str(fin));
      YNode hook_args = YNode::Seq();
      for (const FreeRef& ref : fin_scope->free_order) {
        if (ref.kind == FreeRef::Kind::Input && values[ref.index]) {
          AddParam(hook_args, fin_scope->free.at(ref), *values[ref.index]);
        }
      }
      AddParam(hook_args, "flow-scope", ScopeKey(scope) + "/" + name + "-finally");
      // The files the handler uses: the same artifacts the call received.
      YNode hook_artifacts = YNode::Seq();
      for (const auto& [ref, art_name] : fin_scope->free_artifacts) {
        if (ref.kind != FreeRef::Kind::Input || !values[ref.index]) continue;
        ir::ExprId arg = static_cast<size_t>(ref.index) < step.args.size() && step.args[ref.index].valid()
                             ? step.args[ref.index]
                             : params[ref.index].default_value;
        AddArtifactArgument(hook_artifacts, art_name, arg, *values[ref.index], scope);
      }
      YNode& hook_arguments = exit.Set("arguments", YNode::Map());
      hook_arguments.Set("parameters", std::move(hook_args));
      if (!hook_artifacts.empty()) hook_arguments.Set("artifacts", std::move(hook_artifacts));
    }
  }
}

std::string Lowering::GatherPrefix(ir::ExprId arg, const Scope& scope, ir::Loc loc) {
  // Every key of a gathered List[File] lies under the prefix of the steps that
  // produced it; the task downloads that prefix as a directory.
  std::set<int32_t> steps;
  bool from_inputs = false;
  std::vector<ir::ExprId> work{arg};
  while (!work.empty()) {
    const ir::Expr& e = program_.expr(work.back());
    work.pop_back();
    if (e.kind == ir::ExprKind::StepValue) {
      const ir::Step& s = program_.step(e.step);
      if (s.kind == ir::StepKind::Value) {
        work.push_back(s.value);
      } else {
        steps.insert(e.step.index);
      }
    }
    if (e.kind == ir::ExprKind::Input || (e.kind == ir::ExprKind::Var && scope.own_vars.count(e.var.index) != 0) ||
        e.kind == ir::ExprKind::Literal) {
      if (types().ContainsPath(e.type)) from_inputs = true;
    }
    work.insert(work.end(), e.operands.begin(), e.operands.end());
  }
  if (from_inputs) {
    Unsupported(loc, "a `List[File]` argument holding files that no step of this run produced",
                "Argo downloads a list of files as one directory of the run's artifacts");
  }
  if (steps.size() == 1 && scope.local_steps.count(*steps.begin()) != 0) {
    return ScopeKey(scope) + "/" + scope.local_steps.at(*steps.begin());
  }
  bool all_local = true;
  for (int32_t s : steps) all_local = all_local && scope.local_steps.count(s) != 0;
  if (all_local) return ScopeKey(scope);
  // Produced outside this template: fall back to the run's root prefix.
  return "flow/{{workflow.uid}}";
}

void Lowering::LowerScatter(const ir::Step& step, const std::string& name, Scope& scope, YNode& task) {
  task.Set("name", YNode::Str(name));
  Scope body;
  body.workflow = scope.workflow;
  body.global_inputs = scope.global_inputs;
  const ir::Expr& iterable = program_.expr(step.iterable);
  ir::TypeId iter_type = types().StripOptional(iterable.type);
  bool over_map = types().KindOf(iter_type) == TypeKind::Map;
  std::vector<std::string> var_params;
  for (ir::VarId v : step.vars) {
    std::string pname = body.param_names.Unique(ParamName(program_.var(v).name));
    body.own_vars[v.index] = pname;
    var_params.push_back(pname);
  }
  std::string body_name = template_names_.Unique(name);
  RegionTemplate(body_name, step.body, step.body_value, true, body, /*wrap_result=*/true);

  YNode args = YNode::Seq();
  YNode items;
  std::string with_param;
  std::string helper_task;  // the DAG task listing a run-time map's entries
  std::optional<ir::Value> constant = Constant(step.iterable);
  if (constant) {
    items = YNode::Seq();
    if (over_map) {
      ir::Json json = ir::ValueToJson(*constant, iter_type, types());
      for (auto it = json.begin(); it != json.end(); ++it) {
        YNode& item = items.Push(YNode::Map());
        item.Set("key", YNode::Str(EscapeBraces(it.key())));
        item.Set("value", JsonToYaml(it.value()));
      }
    } else {
      for (const ir::Json& item : ir::ValueToJson(*constant, iter_type, types())) items.Push(JsonToYaml(item));
    }
  } else if (over_map) {
    // expr-lang has no ordered view of a map: a helper step lists its entries.
    std::optional<std::string> value = ParamValue(step.iterable, scope, true);
    if (value) {
      std::string helper = scope.task_names.Unique(name + "-items");
      YNode entries = YNode::Map();
      entries.Set("name", YNode::Str(helper));
      entries.Set("template", YNode::Str(MapItemsTemplate()));
      SetDepends(step, scope, entries);
      YNode helper_args = YNode::Seq();
      AddParam(helper_args, "map", *value);
      entries.Set("arguments", YNode::Map()).Set("parameters", std::move(helper_args));
      scope.extra_tasks.push_back(std::move(entries));
      with_param = "{{tasks." + helper + ".outputs.parameters.value}}";
      helper_task = helper;
    }
  } else {
    std::optional<std::string> value = ParamValue(step.iterable, scope, true);
    if (value) with_param = *value;
  }
  if (step.vars.size() == 1) {
    AddParam(args, var_params[0], over_map ? "{{item.key}}" : "{{item}}");
  } else if (step.vars.size() == 2) {
    if (over_map) {
      AddParam(args, var_params[0], "{{item.key}}");
      AddParam(args, var_params[1], "{{item.value}}");
    } else {
      ir::TypeId elem = types().StripOptional(types().Get(iter_type).elem);
      const auto& fields = types().Get(elem).fields;
      for (size_t i = 0; i < 2 && i < fields.size(); ++i) {
        AddParam(args, var_params[i], "{{item." + fields[i].name + "}}");
      }
    }
  }
  PassFreeValues(body, scope, step.loc, args);
  AddParam(args, "flow-scope", ScopeKey(scope) + "/" + name);
  YNode body_artifacts = PassFreeArtifacts(body, scope, step.loc);

  std::optional<ir::Value> limit;
  if (step.limit.valid()) {
    limit = Constant(step.limit);
    if (!limit) {
      Unsupported(program_.expr(step.limit).loc, "a `limit` computed at run time",
                  "Argo's `parallelism` is fixed when the workflow is submitted");
    }
  }
  if (limit && limit->as_int() > 0) {
    // Argo caps concurrency per template: the loop gets a wrapper DAG with `parallelism`.
    std::string wrapper = template_names_.Unique(name + "-limit");
    YNode tmpl = YNode::Map();
    tmpl.Set("name", YNode::Str(wrapper));
    YNode in = YNode::Seq();
    YNode loop = YNode::Map();
    loop.Set("name", YNode::Str("loop"));
    loop.Set("template", YNode::Str(body_name));
    YNode inner_args = YNode::Seq();
    YNode outer_args = YNode::Seq();
    for (YNode& a : args.items()) {
      const std::string pname = a.Find("name")->str();
      std::string value = a.Find("value")->str();
      if (value.rfind("{{item", 0) == 0) {
        AddParam(inner_args, pname, value);
        continue;
      }
      in.Push(YNode::Map()).Set("name", YNode::Str(pname));
      AddParam(inner_args, pname, "{{inputs.parameters." + pname + "}}");
      AddParam(outer_args, pname, value);
    }
    if (!with_param.empty()) {
      in.Push(YNode::Map()).Set("name", YNode::Str("flow-items"));
      AddParam(outer_args, "flow-items", with_param);
      with_param = "{{inputs.parameters.flow-items}}";
    }
    YNode& loop_arguments = loop.Set("arguments", YNode::Map());
    loop_arguments.Set("parameters", std::move(inner_args));
    // Received artifacts pass through the wrapper under their own names.
    YNode wrapper_artifacts = YNode::Seq();
    YNode loop_artifacts = YNode::Seq();
    for (YNode& a : body_artifacts.items()) {
      const std::string aname = a.Find("name")->str();
      wrapper_artifacts.Push(YNode::Map()).Set("name", YNode::Str(aname));
      YNode& inner_art = loop_artifacts.Push(YNode::Map());
      inner_art.Set("name", YNode::Str(aname));
      inner_art.Set("from", YNode::Str("{{inputs.artifacts." + aname + "}}"));
    }
    if (!loop_artifacts.empty()) loop_arguments.Set("artifacts", std::move(loop_artifacts));
    if (items.kind() == YNode::Kind::Seq) loop.Set("withItems", std::move(items));
    if (!with_param.empty()) loop.Set("withParam", YNode::Str(with_param));
    YNode& wrapper_inputs = tmpl.Set("inputs", YNode::Map());
    wrapper_inputs.Set("parameters", std::move(in));
    if (!wrapper_artifacts.empty()) wrapper_inputs.Set("artifacts", std::move(wrapper_artifacts));
    if (step.body_value.valid()) {
      YNode& p = tmpl.Set("outputs", YNode::Map()).Set("parameters", YNode::Seq()).Push(YNode::Map());
      p.Set("name", YNode::Str("value"));
      p.Set("valueFrom", YNode::Map()).Set("parameter", YNode::Str(GatherPath("loop").Tag()));
    }
    tmpl.Set("parallelism", YNode::Int(limit->as_int()));
    YNode& dag_tasks = tmpl.Set("dag", YNode::Map()).Set("tasks", YNode::Seq());
    dag_tasks.Push(std::move(loop));
    templates_.Push(std::move(tmpl));
    task.Set("template", YNode::Str(wrapper));
    SetDepends(step, scope, task, helper_task);
    YNode& outer_arguments = task.Set("arguments", YNode::Map());
    outer_arguments.Set("parameters", std::move(outer_args));
    if (!body_artifacts.empty()) outer_arguments.Set("artifacts", std::move(body_artifacts));
    return;
  }
  task.Set("template", YNode::Str(body_name));
  SetDepends(step, scope, task, helper_task);
  YNode& arguments = task.Set("arguments", YNode::Map());
  arguments.Set("parameters", std::move(args));
  if (!body_artifacts.empty()) arguments.Set("artifacts", std::move(body_artifacts));
  if (items.kind() == YNode::Kind::Seq) task.Set("withItems", std::move(items));
  if (!with_param.empty()) task.Set("withParam", YNode::Str(with_param));
}

void Lowering::LowerCond(const ir::Step& step, const std::string& name, bool else_branch, Scope& scope,
                         YNode& task) {
  task.Set("name", YNode::Str(name));
  Scope branch;
  branch.workflow = scope.workflow;
  branch.global_inputs = scope.global_inputs;
  std::string tmpl = template_names_.Unique(name);
  RegionTemplate(tmpl, else_branch ? step.else_body : step.then_body,
                 else_branch ? step.else_value : step.then_value, true, branch);
  task.Set("template", YNode::Str(tmpl));
  SetDepends(step, scope, task);
  std::optional<NativeExpr> cond = Native(step.cond, scope);
  if (cond) {
    std::string code = else_branch ? "!(" + cond->code + ")" : cond->code;
    task.Set("when", YNode::Str("{{=" + SafeTagCode("string(" + code + ")") + " }}"));
  }
  YNode args = YNode::Seq();
  PassFreeValues(branch, scope, step.loc, args);
  AddParam(args, "flow-scope", ScopeKey(scope) + "/" + name);
  YNode& arguments = task.Set("arguments", YNode::Map());
  arguments.Set("parameters", std::move(args));
  YNode branch_artifacts = PassFreeArtifacts(branch, scope, step.loc);
  if (!branch_artifacts.empty()) arguments.Set("artifacts", std::move(branch_artifacts));
}

}  // namespace flow::lower::argo

// The one place that assembles generated expression pipeline tasks (computed
// values, per-iteration input records, loop variables, regrouped nested loops,
// `if` values, per-iteration guards) and evaluator steps (the shared
// `flow-eval-*` Tasks and a Task's own `values` step): sources become params
// (strings through env vars, arrays through argument segments), the program is
// a param or env value, never script source.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/eval_program.h"
#include "compiler/lower/tekton/task_scripts.h"

namespace flow::lower::tekton {

bool NeedsEvaluation(ir::ExprKind kind) {
  switch (kind) {
    case ir::ExprKind::Input:
    case ir::ExprKind::OutputPath:
    case ir::ExprKind::StepValue:
    case ir::ExprKind::Var:
      return false;
    case ir::ExprKind::Literal:
    case ir::ExprKind::Field:
    case ir::ExprKind::Index:
    case ir::ExprKind::Unary:
    case ir::ExprKind::Binary:
    case ir::ExprKind::List:
    case ir::ExprKind::Map:
    case ir::ExprKind::Record:
    case ir::ExprKind::Cond:
    case ir::ExprKind::Comprehension:
    case ir::ExprKind::Let:
    case ir::ExprKind::Builtin:
    case ir::ExprKind::Interpolate:
    case ir::ExprKind::Convert:
      return true;
  }
  return true;
}

ir::Json VarsJson(const std::vector<ir::VarId>& vars) {
  ir::Json out = ir::Json::array();
  for (ir::VarId v : vars) out.push_back(v.index);
  return out;
}

int ZipFieldArrays(EvalProgram& p, const types::TypeStore& types, ir::TypeId elem, int var,
                   const std::function<int(const types::Field&)>& source) {
  int int_type = p.TypeIndex(types::TypeStore::Int());
  ir::Json names = ir::Json::array(), nodes = ir::Json::array();
  int first = -1;
  for (const types::Field& f : types.Get(types.StripOptional(elem)).fields) {
    int src = source(f);
    if (src < 0) return -1;
    if (first < 0) first = src;
    int k = p.AddRawNode(ir::Json::array({"var", int_type, var}));
    names.push_back(f.name);
    nodes.push_back(p.AddRawNode(ir::Json::array({"index", p.TypeIndex(f.type), src, k})));
  }
  int rec = p.AddRawNode(ir::Json::array({"rec", p.TypeIndex(elem), names, nodes}));
  int len = p.AddRawNode(ir::Json::array({"call", int_type, "len", ir::Json::array({first})}));
  int range = p.AddRawNode(ir::Json::array({"call", int_type, "range", ir::Json::array({len})}));
  return p.AddRawNode(ir::Json::array({"comp", p.AddListType(elem), ir::Json::array({var}), range, rec}));
}

std::vector<std::string> TaskNamesSince(const YNode& tasks, size_t from) {
  std::vector<std::string> names;
  for (size_t i = from; i < tasks.items().size(); ++i) names.push_back(tasks.items()[i].Find("name")->str());
  return names;
}

YNode EnvEntry(const std::string& name, const std::string& value) {
  YNode v = YNode::Map();
  v.Set("name", YNode::Str(name));
  v.Set("value", YNode::Str(value));
  return v;
}

std::string GuardFile() {
  return fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/.flow-guard", kWorkspace);
}

YNode EvalStepNode(const std::string& name, YNode env, YNode args, const std::string& prologue) {
  YNode step = YNode::Map();
  step.Set("name", YNode::Str(name));
  step.Set("image", YNode::Str(kEvalImage));
  step.Set("env", std::move(env));
  if (!args.empty()) step.Set("args", std::move(args));
  step.Set("script", YNode::Str(std::string("#!/usr/bin/env python3\n") + prologue + EvalScript()));
  return step;
}

int ExprTask::AddSource(const TValue& v, int type_index) {
  bool array = v.array || v.literal_array || v.matrix;
  int segment = array ? static_cast<int>(std::count(kinds.begin(), kinds.end(), 'a')) : -1;
  int n = program.AddSourceOfIndex(array, type_index, segment);
  kinds += array ? 'a' : 's';
  YNode& p = params.Push(YNode::Map());
  p.Set("name", YNode::Str(fmt::format("s{}", n + 1)));
  if (v.literal_array) {
    YNode items = YNode::Seq();
    for (const std::string& item : v.items) items.Push(YNode::Str(item));
    p.Set("value", std::move(items));
  } else {
    p.Set("value", YNode::Str(v.text));
  }
  return n;
}

int ExprTask::AddSourceNode(const TValue& v, int type_index) {
  int source = AddSource(v, type_index);
  return program.AddRawNode(ir::Json::array({"src", type_index, source}));
}

int ExprTask::AddFile(const std::string& path, ir::TypeId type) {
  int n = program.AddFileSource(type);
  kinds += 'f';
  YNode& p = params.Push(YNode::Map());
  p.Set("name", YNode::Str(fmt::format("s{}", n + 1)));
  p.Set("value", YNode::Str(path));
  return n;
}

bool Lowering::FinallyResult(const TValue& v) const {
  // The checker keeps body values out of an entry workflow's `finally`; what a
  // `finally` block reads as `$(tasks.T...)` is a finally task's result, unless
  // T is a regular pipeline task (a sub-workflow's `finally` reads its inputs).
  for (size_t at = v.text.find("$(tasks."); at != std::string::npos; at = v.text.find("$(tasks.", at + 1)) {
    size_t begin = at + 8, end = v.text.find('.', begin);
    if (end == std::string::npos) return true;
    std::string task = v.text.substr(begin, end - begin);
    bool regular = false;
    if (dag_tasks_ != nullptr) {
      for (const YNode& t : dag_tasks_->items()) regular = regular || t.Find("name")->str() == task;
    }
    if (!regular) return true;
  }
  return false;
}

std::string Lowering::PushExprTask(ExprTask& t, char result, const std::string& label, ir::Loc loc, Scope& scope,
                                   const std::vector<std::string>& after, const std::string& write_target) {
  std::string json = t.program.Json();
  if (HasTektonVariable(json)) {
    Unsupported(loc, "a constant containing `$(...)`", "Tekton would substitute the variable reference inside it");
    return "";
  }
  std::string task = EvalTask(t.kinds, result);
  std::string name = pipeline_task_names_.Unique(scope.prefix + label);
  YNode pt = YNode::Map();
  pt.Set("name", YNode::Str(name));
  pt.Set("taskRef", YNode::Map()).Set("name", YNode::Str(task));
  YNode all = YNode::Seq();
  YNode& prog = all.Push(YNode::Map());
  prog.Set("name", YNode::Str("program"));
  prog.Set("value", YNode::Str(json));
  for (const YNode& p : t.params.items()) all.Push(p);
  if (!write_target.empty()) {
    YNode& target = all.Push(YNode::Map());
    target.Set("name", YNode::Str("target"));
    target.Set("value", YNode::Str(write_target));
  }
  pt.Set("params", std::move(all));
  if (!write_target.empty() || t.kinds.find('f') != std::string::npos) BindWorkspace(&pt);
  if (!scope.when.empty()) pt.Set("when", scope.when);
  if (!after.empty()) {
    YNode seq = YNode::Seq();
    for (const std::string& a : after) seq.Push(YNode::Str(a));
    pt.Set("runAfter", std::move(seq));
  }
  // Inside `finally`: in the Pipeline's `tasks`, which finally tasks may read.
  YNode* target = scope.finally && dag_tasks_ != nullptr ? dag_tasks_ : scope.tasks;
  target->Push(std::move(pt));
  return name;
}

}  // namespace flow::lower::tekton

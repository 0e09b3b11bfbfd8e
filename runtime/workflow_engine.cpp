#include "runtime/workflow_engine.h"

#include <algorithm>
#include <utility>

#include "compiler/ir/eval.h"
#include "runtime/value_paths.h"

namespace flow::runtime {

const char* NodeStateName(NodeState state) {
  switch (state) {
    case NodeState::Waiting: return "waiting";
    case NodeState::Active: return "running";
    case NodeState::Done: return "done";
    case NodeState::Failed: return "failed";
    case NodeState::Skipped: return "skipped";
    case NodeState::Cancelled: return "cancelled";
  }
  return "waiting";
}

WorkflowEngine::WorkflowEngine(const ir::Program& program)
    : program_(program), step_region_(program.steps.size(), nullptr), step_pos_(program.steps.size(), -1) {
  auto index = [this](const ir::Region& region) {
    for (size_t i = 0; i < region.steps.size(); ++i) {
      size_t s = static_cast<size_t>(region.steps[i].index);
      if (s >= step_region_.size() || step_region_[s]) continue;  // (the IR lists a step once)
      step_region_[s] = &region;
      step_pos_[s] = static_cast<int32_t>(i);
    }
  };
  for (const ir::Workflow& wf : program.workflows) {
    index(wf.body);
    index(wf.finally_body);
  }
  for (const ir::Step& step : program.steps) {
    index(step.body);
    index(step.then_body);
    index(step.else_body);
  }
}

int32_t WorkflowEngine::NodeOf(int32_t scope, ir::StepId step) const {
  size_t s = static_cast<size_t>(step.index);
  if (s >= step_region_.size() || step_region_[s] != scopes_[scope].region) return -1;
  return scopes_[scope].first_node + step_pos_[s];
}

void WorkflowEngine::Start(int32_t workflow, std::vector<ir::Value> inputs) {
  const std::vector<ir::Param>& params = program_.workflows[workflow].params;
  for (size_t i = 0; i < params.size() && i < inputs.size() && !base_dir_.empty(); ++i)
    inputs[i] = AbsolutizePaths(program_.types, params[i].type, inputs[i], base_dir_);
  StartFrame(workflow, std::move(inputs), -1, "");
  Drain();
}

std::vector<TaskRequest> WorkflowEngine::TakeReady() {
  std::vector<TaskRequest> out;
  out.reserve(ready_.size());
  for (TaskRequest& r : ready_) out.push_back(std::move(r));
  ready_.clear();
  return out;
}

void WorkflowEngine::TakeReady(std::deque<TaskRequest>* out) {
  if (out->empty()) {
    out->swap(ready_);
    return;
  }
  for (TaskRequest& r : ready_) out->push_back(std::move(r));
  ready_.clear();
}

void WorkflowEngine::TaskSucceeded(int32_t node, ir::Value value) {
  if (finished_) return;
  Complete(node, std::move(value));
  Drain();
}

void WorkflowEngine::TaskFailed(int32_t node, std::string message) {
  if (finished_) return;
  const ir::Step& step = program_.step(infos_[node].step);
  if (step.is_try) {
    infos_[node].tolerated = true;
    infos_[node].message = std::move(message);
    Complete(node, ir::Value::None());
  } else {
    Fail(node, std::move(message));
  }
  Drain();
}

void WorkflowEngine::Cancel() {
  for (NodeInfo& info : infos_)
    if (info.state == NodeState::Waiting || info.state == NodeState::Active) info.state = NodeState::Cancelled;
  ready_.clear();
  work_.clear();
  finished_ = true;
  failed_ = true;
}

int32_t WorkflowEngine::NewScope(Scope scope) {
  int32_t sid = static_cast<int32_t>(scopes_.size());
  const ir::Region* region = scope.region;
  int32_t workflow = frames_[scope.frame].workflow;
  std::string prefix = scope.path;
  scope.first_node = static_cast<int32_t>(nodes_.size());
  scopes_.push_back(std::move(scope));
  for (ir::StepId step_id : region->steps) {
    const ir::Step& step = program_.step(step_id);
    int32_t nid = static_cast<int32_t>(nodes_.size());
    nodes_.emplace_back();
    nodes_.back().scope = sid;
    infos_.push_back(NodeInfo{step_id, workflow, prefix + step.id, NodeState::Waiting, false, {}});
    for (ir::StepId dep : step.deps) {
      int32_t dn = NodeOf(sid, dep);
      if (dn < 0 || dn >= nid) continue;  // not an earlier step of this region
      nodes_[dn].dependents.push_back(nid);
      ++nodes_[nid].deps_left;
    }
    if (nodes_[nid].deps_left == 0) work_.push_back(nid);
  }
  scopes_[sid].left = static_cast<int32_t>(region->steps.size());
  return sid;
}

void WorkflowEngine::StartFrame(int32_t workflow, std::vector<ir::Value> inputs, int32_t owner,
                                std::string path) {
  int32_t fid = static_cast<int32_t>(frames_.size());
  frames_.push_back(Frame{workflow, std::move(inputs), owner, -1, false, path});
  Scope body;
  body.kind = ScopeKind::Body;
  body.frame = fid;
  body.owner = owner;
  body.region = &program_.workflows[workflow].body;
  body.path = path;
  int32_t sid = NewScope(std::move(body));
  frames_[fid].body_scope = sid;
  if (scopes_[sid].left == 0) ScopeEnded(sid);
}

void WorkflowEngine::Drain() {
  while (!work_.empty() && !finished_) {
    int32_t node = work_.front();
    work_.pop_front();
    Activate(node);
  }
}

bool WorkflowEngine::EvalIn(int32_t scope, ir::ExprId expr, ir::Value* out, std::string* error) const {
  ir::EvalResult r = ir::Eval(program_, expr, EnvFor(scope));
  if (!r.ok) {
    *error = program_.Where(r.loc) + ": " + r.error;
    return false;
  }
  *out = std::move(r.value);
  return true;
}

ir::EvalEnv WorkflowEngine::EnvFor(int32_t scope) const {
  ir::EvalEnv env;
  const Frame* frame = &frames_[scopes_[scope].frame];
  env.input = [frame](int32_t index) -> const ir::Value* {
    if (index < 0 || static_cast<size_t>(index) >= frame->inputs.size()) return nullptr;
    return &frame->inputs[index];
  };
  env.var = [this, scope](ir::VarId var) { return LookupVar(scope, var); };
  env.step_value = [this, scope](ir::StepId step) { return LookupStep(scope, step); };
  return env;
}

const ir::Value* WorkflowEngine::LookupStep(int32_t scope, ir::StepId step) const {
  for (int32_t s = scope; s >= 0; s = scopes_[s].parent) {
    int32_t node = NodeOf(s, step);
    if (node >= 0) return infos_[node].state == NodeState::Done ? &nodes_[node].value : nullptr;
  }
  return nullptr;
}

const ir::Value* WorkflowEngine::LookupVar(int32_t scope, ir::VarId var) const {
  for (int32_t s = scope; s >= 0; s = scopes_[s].parent)
    for (const auto& [v, value] : scopes_[s].vars)
      if (v == var) return &value;
  return nullptr;
}

void WorkflowEngine::Activate(int32_t node) {
  if (nodes_[node].upstream_failed) {
    Fail(node, "skipped because a step it needs failed", NodeState::Skipped);
    return;
  }
  infos_[node].state = NodeState::Active;
  const ir::Step& step = program_.step(infos_[node].step);
  int32_t scope = nodes_[node].scope;
  std::string error;
  switch (step.kind) {
    case ir::StepKind::Value: {
      ir::Value v;
      if (!EvalIn(scope, step.value, &v, &error)) return Fail(node, error);
      return Complete(node, std::move(v));
    }
    case ir::StepKind::Call: return ActivateCall(node, step);
    case ir::StepKind::Scatter: return ActivateScatter(node, step);
    case ir::StepKind::Cond: {
      ir::Value c;
      if (!EvalIn(scope, step.cond, &c, &error)) return Fail(node, error);
      bool then_branch = c.as_bool();
      if (!then_branch && !step.has_else) return Complete(node, ir::Value::None());
      Scope branch;
      branch.kind = ScopeKind::Branch;
      branch.parent = scope;
      branch.frame = scopes_[scope].frame;
      branch.owner = node;
      branch.then_branch = then_branch;
      branch.region = then_branch ? &step.then_body : &step.else_body;
      branch.path = infos_[node].path + (then_branch ? "/then/" : "/else/");
      int32_t sid = NewScope(std::move(branch));
      if (scopes_[sid].left == 0) ScopeEnded(sid);
      return;
    }
  }
}

void WorkflowEngine::ActivateCall(int32_t node, const ir::Step& step) {
  int32_t scope = nodes_[node].scope;
  const std::vector<ir::Param>& params = step.callee_kind == ir::CalleeKind::Task
                                             ? program_.tasks[step.callee].params
                                             : program_.workflows[step.callee].params;
  std::vector<ir::Value> inputs;
  std::string error;
  for (size_t i = 0; i < params.size(); ++i) {
    ir::Value v;
    if (i < step.args.size() && step.args[i].valid()) {
      if (!EvalIn(scope, step.args[i], &v, &error)) return Fail(node, error);
    } else if (params[i].default_value.valid()) {
      ir::EvalResult r = ir::Eval(program_, params[i].default_value, ir::EvalEnv{});
      if (!r.ok) return Fail(node, program_.Where(r.loc) + ": " + r.error);
      v = std::move(r.value);
    }
    if (!base_dir_.empty()) v = AbsolutizePaths(program_.types, params[i].type, v, base_dir_);
    inputs.push_back(std::move(v));
  }
  if (step.callee_kind == ir::CalleeKind::Workflow) {
    StartFrame(step.callee, std::move(inputs), node, infos_[node].path + "/");
    return;
  }
  std::vector<std::pair<ir::TaskField, ir::Value>> overrides;
  for (const ir::FieldOverride& o : step.overrides) {
    ir::Value v;
    if (!EvalIn(scope, o.value, &v, &error)) return Fail(node, error);
    overrides.emplace_back(o.field, std::move(v));
  }
  TaskRequest request;
  request.node = node;
  request.path = infos_[node].path;
  if (!ResolveTask(program_, step.callee, std::move(inputs), overrides, &request.call, &error))
    return Fail(node, error);
  ready_.push_back(std::move(request));
}

void WorkflowEngine::ActivateScatter(int32_t node, const ir::Step& step) {
  int32_t scope = nodes_[node].scope;
  std::string error;
  ir::Value iterable;
  if (!EvalIn(scope, step.iterable, &iterable, &error)) return Fail(node, error);
  nodes_[node].scatter = static_cast<int32_t>(scatters_.size());
  Scatter& n = scatters_.emplace_back();
  auto bind = [&](std::vector<ir::Value> values) {
    std::vector<std::pair<ir::VarId, ir::Value>> b;
    for (size_t i = 0; i < step.vars.size() && i < values.size(); ++i) b.emplace_back(step.vars[i], std::move(values[i]));
    n.items.push_back(std::move(b));
  };
  if (iterable.kind() == ir::Value::Kind::Map) {
    for (const auto& [k, v] : iterable.map()) bind({k, v});
  } else {
    for (const ir::Value& elem : iterable.list()) {
      if (step.vars.size() == 2 && elem.kind() == ir::Value::Kind::Record && elem.record().size() >= 2) {
        bind({elem.record()[0].second, elem.record()[1].second});
      } else {
        bind({elem});
      }
    }
  }
  if (step.limit.valid()) {
    ir::Value limit;
    if (!EvalIn(scope, step.limit, &limit, &error)) return Fail(node, error);
    n.limit = std::max<int64_t>(1, limit.as_int());
  }
  n.gathered.resize(n.items.size());
  if (n.items.empty()) return Complete(node, ir::Value::List({}));
  StartIterations(node);
}

void WorkflowEngine::StartIterations(int32_t node) {
  const ir::Step& step = program_.step(infos_[node].step);
  Scatter& n = scatters_[nodes_[node].scatter];  // (deque: stays put while scopes and nodes are added)
  int32_t parent = nodes_[node].scope;
  while (n.next_item < n.items.size()) {
    size_t active = n.next_item - n.ended_items;
    if (n.limit >= 0 && static_cast<int64_t>(active) >= n.limit) break;
    size_t item = n.next_item++;
    Scope it;
    it.kind = ScopeKind::Iteration;
    it.parent = parent;
    it.frame = scopes_[parent].frame;
    it.owner = node;
    it.item = item;
    it.region = &step.body;
    it.path = infos_[node].path + "/" + std::to_string(item) + "/";
    it.vars = std::move(n.items[item]);
    int32_t sid = NewScope(std::move(it));
    if (scopes_[sid].left == 0) {
      ScopeEnded(sid);
      return;  // ScopeEnded started the next iterations itself
    }
  }
}

void WorkflowEngine::Complete(int32_t node, ir::Value value) {
  infos_[node].state = NodeState::Done;
  nodes_[node].value = std::move(value);
  Ended(node);
}

void WorkflowEngine::Fail(int32_t node, std::string message, NodeState state) {
  infos_[node].state = state;
  if (state == NodeState::Failed && !message.empty()) errors_.push_back(infos_[node].path + ": " + message);
  infos_[node].message = std::move(message);
  Ended(node);
}

void WorkflowEngine::Ended(int32_t node) {
  NodeState state = infos_[node].state;
  bool bad = state == NodeState::Failed || state == NodeState::Skipped;
  for (int32_t d : nodes_[node].dependents) {
    if (bad) nodes_[d].upstream_failed = true;
    if (--nodes_[d].deps_left == 0) work_.push_back(d);
  }
  int32_t scope = nodes_[node].scope;
  if (bad) scopes_[scope].failed = true;
  if (--scopes_[scope].left == 0) ScopeEnded(scope);
}

void WorkflowEngine::ScopeEnded(int32_t sid) {
  Scope& scope = scopes_[sid];
  switch (scope.kind) {
    case ScopeKind::Body: {
      Frame& frame = frames_[scope.frame];
      frame.body_failed = scope.failed;
      const ir::Region& fin = program_.workflows[frame.workflow].finally_body;
      if (fin.steps.empty()) return FrameEnded(scope.frame, scope.failed);
      Scope f;
      f.kind = ScopeKind::Finally;
      f.frame = scope.frame;
      f.owner = scope.owner;
      f.region = &fin;
      f.path = frame.path + "finally/";
      NewScope(std::move(f));
      return;
    }
    case ScopeKind::Finally: {
      bool failed = frames_[scope.frame].body_failed || scope.failed;
      return FrameEnded(scope.frame, failed);
    }
    case ScopeKind::Iteration: {
      int32_t owner = scope.owner;
      const ir::Step& step = program_.step(infos_[owner].step);
      bool failed = scope.failed;
      if (!failed && step.body_value.valid()) {
        std::string error;
        ir::Value v;
        if (EvalIn(sid, step.body_value, &v, &error)) {
          scatters_[nodes_[owner].scatter].gathered[scope.item] = std::move(v);
        } else {
          errors_.push_back(infos_[owner].path + ": " + error);
          failed = true;
        }
      }
      Scatter& n = scatters_[nodes_[owner].scatter];
      if (failed) n.any_failed = true;
      ++n.ended_items;
      if (n.ended_items < n.items.size()) return StartIterations(owner);
      if (n.any_failed) return Fail(owner, "", NodeState::Failed);
      if (!step.body_value.valid()) return Complete(owner, ir::Value::List({}));
      return Complete(owner, ir::Value::List(std::move(n.gathered)));
    }
    case ScopeKind::Branch: {
      int32_t owner = scope.owner;
      if (scope.failed) return Fail(owner, "", NodeState::Failed);
      const ir::Step& step = program_.step(infos_[owner].step);
      ir::ExprId value = scope.then_branch ? step.then_value : step.else_value;
      if (!value.valid()) return Complete(owner, ir::Value::None());
      std::string error;
      ir::Value v;
      if (!EvalIn(sid, value, &v, &error)) return Fail(owner, error);
      return Complete(owner, std::move(v));
    }
  }
}

void WorkflowEngine::FrameEnded(int32_t fid, bool failed) {
  const Frame& frame = frames_[fid];
  const ir::Workflow& wf = program_.workflows[frame.workflow];
  ir::Value value;
  if (!failed && wf.result.valid()) {
    std::string error;
    if (!EvalIn(frame.body_scope, wf.result, &value, &error)) {
      errors_.push_back((frame.path.empty() ? wf.qualified_name : frame.path) + ": " + error);
      failed = true;
    }
  }
  int32_t owner = frame.owner;
  if (owner < 0) {
    finished_ = true;
    failed_ = failed;
    result_ = std::move(value);
    return;
  }
  if (!failed) return Complete(owner, std::move(value));
  if (program_.step(infos_[owner].step).is_try) {
    infos_[owner].tolerated = true;
    infos_[owner].message = "workflow `" + wf.qualified_name + "` failed";
    return Complete(owner, ir::Value::None());
  }
  Fail(owner, "", NodeState::Failed);
}

}  // namespace flow::runtime

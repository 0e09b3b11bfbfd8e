// Workflows: statements → steps in regions, dependencies (data and `after`,
// lifted to the step of the same region), stable topological order, and
// readable step ids.
#include <algorithm>
#include <queue>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "compiler/ir/build_ir_internal.h"

namespace flow::ir {

using check::RefKind;
using types::TypeKind;
using types::TypeStore;

namespace {

// A DNS-label-friendly piece of a step id: lowercase letters, digits and '-'.
std::string Sanitize(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 40) out.resize(40);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "x" : out;
}

}  // namespace

RegionBuilder* IrBuilder::NewRegion(StepId owner, RegionSlot slot) {
  auto region = std::make_unique<RegionBuilder>();
  region->id = static_cast<int32_t>(regions_.size());
  region->owner = owner;
  region->slot = slot;
  regions_.push_back(std::move(region));
  return regions_.back().get();
}

void IrBuilder::BuildWorkflow(const ast::WorkflowDecl* decl, Workflow& wf) {
  callable_ = decl;
  in_workflow_ = true;
  lets_.clear();
  loop_vars_.clear();
  let_scopes_.clear();
  step_ids_.clear();
  next_suffix_.clear();
  stmt_steps_.clear();
  regions_.clear();
  after_targets_.clear();
  region_ = nullptr;
  current_stmt_ = nullptr;
  const size_t first_step = out_.steps.size();
  wf.doc = decl->doc;
  wf.loc = ToLoc(decl->name.range.valid() ? decl->name.range : decl->range);
  for (const ast::Param& p : decl->params) {
    Param param;
    param.name = p.name.text;
    param.type = TypeOfTypeExpr(p.type);
    if (p.default_value) param.default_value = Fold(LowerAs(p.default_value, param.type));
    param.doc = p.doc;
    param.loc = ToLoc(p.range.valid() ? p.range : p.name.range);
    wf.params.push_back(std::move(param));
  }
  if (decl->output) {
    wf.output_type = TypeOfTypeExpr(decl->output);
    wf.record_output = decl->output->Is<ast::RecordType>();
  }

  region_ = NewRegion(StepId{}, RegionSlot::WorkflowBody);
  let_scopes_.emplace_back();
  DeclareLets(decl->body, /*pure=*/false);
  const ast::FinallyStmt* finally = nullptr;
  for (const ast::Stmt* stmt : decl->body) {
    current_stmt_ = stmt;
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) {
      EnsureLet(let);
    } else if (const auto* expr_stmt = stmt->TryAs<ast::ExprStmt>()) {
      LowerExprStmt(expr_stmt);
    } else if (const auto* field_stmt = stmt->TryAs<ast::FieldStmt>()) {
      const ast::FieldAssign& field = field_stmt->field;
      if (field.name.text == "schedule") {
        RegionBuilder* saved = region_;
        region_ = nullptr;
        ExprId value = Fold(LowerExpr(field.value));
        region_ = saved;
        const Expr& e = out_.expr(value);
        if (e.kind == ExprKind::Literal && e.literal.kind() == Value::Kind::String) wf.schedule = e.literal.as_string();
      }
    } else if (const auto* fin = stmt->TryAs<ast::FinallyStmt>()) {
      if (!finally) finally = fin;
    } else if (const auto* ret = stmt->TryAs<ast::ReturnStmt>()) {
      if (ret->value) wf.result = LowerAs(ret->value, wf.output_type);
    }
    // ErrorStmt: reported by the parser; the checker ran only without errors.
  }
  current_stmt_ = nullptr;
  let_scopes_.pop_back();
  if (finally) {
    region_ = NewRegion(StepId{}, RegionSlot::WorkflowFinally);
    current_stmt_ = finally;
    LowerRegionBlock(finally->body, TypeId{});
    current_stmt_ = nullptr;
  }
  region_ = nullptr;
  for (size_t i = first_step; i < out_.steps.size(); ++i) ComputeDeps(StepId{static_cast<int32_t>(i)});
  FinishRegions(wf);
  AssignStepIds(first_step);
  callable_ = nullptr;
  in_workflow_ = false;
}

void IrBuilder::DeclareLets(const std::vector<ast::Stmt*>& stmts, bool pure) {
  for (const ast::Stmt* stmt : stmts) {
    const auto* let = stmt->TryAs<ast::LetStmt>();
    if (!let) continue;
    LetBinding binding;
    binding.pure = pure;
    binding.region = pure ? nullptr : region_;
    binding.block = pure && !pure_blocks_.empty() ? pure_blocks_.back() : nullptr;
    lets_[let] = binding;
    if (!let_scopes_.empty()) let_scopes_.back()[let->name.text] = let;
  }
}

void IrBuilder::LowerStatements(const std::vector<ast::Stmt*>& stmts) {
  for (const ast::Stmt* stmt : stmts) {
    const ast::Node* saved = current_stmt_;
    current_stmt_ = stmt;
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) EnsureLet(let);
    if (const auto* expr_stmt = stmt->TryAs<ast::ExprStmt>()) LowerExprStmt(expr_stmt);
    current_stmt_ = saved;
  }
}

void IrBuilder::LowerExprStmt(const ast::ExprStmt* stmt) {
  // A statement without calls has no effect: nothing to run.
  if (!ContainsCall(stmt->expr)) return;
  LowerExpr(stmt->expr);
  ApplyAfter(stmt->after, stmt);
}

void IrBuilder::LowerRegionLet(const ast::LetStmt* let) {
  RegionBuilder* saved_region = region_;
  const ast::Node* saved_stmt = current_stmt_;
  if (lets_[let].region) region_ = lets_[let].region;
  current_stmt_ = let;
  if (!region_) {
    // Only reachable on a program the checker rejected; keep the IR well formed.
    lets_[let].pure = true;
    lets_[let].state = LetBinding::State::Unlowered;
    current_stmt_ = saved_stmt;
    EnsureLet(let);
    return;
  }
  const size_t before = out_.steps.size();
  TypeId want = let->type ? TypeOfTypeExpr(let->type) : TypeId{};
  ExprId value = LowerExpr(let->value);
  const Expr& v = out_.expr(value);
  StepId step;
  if (v.kind == ExprKind::StepValue && static_cast<size_t>(v.step.index) >= before &&
      step_region_[v.step.index] == region_->id && (!want.valid() || want == v.type) &&
      out_.step(v.step).binding.empty()) {
    step = v.step;  // the let names the call, `for` or `if` itself
    // Its StepValue, made last and read by no one, is not needed: every use
    // of the let makes its own.
    if (static_cast<size_t>(value.index) + 1 == out_.exprs.size()) out_.exprs.pop_back();
  } else {
    Step s;
    s.kind = StepKind::Value;
    s.value = ConvertTo(value, want);
    s.type = out_.expr(s.value).type;
    s.loc = ToLoc(let->range);
    step = AddStep(std::move(s));
  }
  out_.steps[step.index].binding = let->name.text;
  LetBinding& binding = lets_[let];
  binding.step = step;
  binding.state = LetBinding::State::Done;  // before `after`: a self-reference must not recurse
  ApplyAfter(let->after, let);
  region_ = saved_region;
  current_stmt_ = saved_stmt;
}

void IrBuilder::ApplyAfter(const std::vector<ast::Ident>& after, const ast::Node* stmt) {
  if (after.empty() || !region_) return;
  std::vector<StepId> targets;
  for (const ast::Ident& name : after) {
    for (auto scope = let_scopes_.rbegin(); scope != let_scopes_.rend(); ++scope) {
      auto it = scope->find(name.text);
      if (it == scope->end()) continue;
      EnsureLet(it->second);
      const LetBinding& binding = lets_[it->second];
      if (!binding.pure && binding.step.valid()) targets.push_back(binding.step);
      break;
    }
  }
  auto created = stmt_steps_.find(stmt);
  if (created == stmt_steps_.end()) return;
  for (StepId step : created->second) {
    if (step_region_[step.index] != region_->id) continue;
    auto& list = after_targets_[step.index];
    list.insert(list.end(), targets.begin(), targets.end());
  }
}

ExprId IrBuilder::LowerCall(const ast::CallExpr* call, bool is_try, SourceRange range) {
  const check::CallBinding* binding = CallOf(call);
  if (!binding || !region_ ||
      (binding->callee.kind != RefKind::Task && binding->callee.kind != RefKind::Workflow)) {
    return Literal(Value::None(), TypeStore::Error(), range);
  }
  const auto* callable = static_cast<const ast::CallableDecl*>(binding->callee.node);
  Step s;
  s.kind = StepKind::Call;
  s.loc = ToLoc(range);
  s.is_try = is_try;
  if (binding->callee.kind == RefKind::Task) {
    s.callee_kind = CalleeKind::Task;
    s.callee = task_index_.lookup(callable);
  } else {
    s.callee_kind = CalleeKind::Workflow;
    s.callee = workflow_index_.lookup(callable);
  }
  for (size_t i = 0; i < binding->args.size(); ++i) {
    TypeId want = i < callable->params.size() ? TypeOfTypeExpr(callable->params[i].type) : TypeId{};
    s.args.push_back(binding->args[i] ? LowerAs(binding->args[i], want) : ExprId{});
  }
  for (const auto& [field, value] : binding->overrides) {
    s.overrides.push_back({field, LowerAs(value, TaskFieldType(field, out_.types))});
  }
  TypeId type = TypeOf(call);
  s.type = is_try ? out_.types.Optional(type) : type;
  TypeId step_type = s.type;
  StepId id = AddStep(std::move(s));
  Expr e;
  e.kind = ExprKind::StepValue;
  e.step = id;
  e.type = step_type;
  e.loc = ToLoc(range);
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerScatter(const ast::ForExpr* expr) {
  TypeId type = TypeOf(expr);
  TypeId elem = out_.types.KindOf(type) == TypeKind::List ? out_.types.Get(type).elem : TypeId{};
  Step s;
  s.kind = StepKind::Scatter;
  s.type = type;
  s.loc = ToLoc(expr->range);
  s.iterable = LowerExpr(expr->iterable);
  if (expr->limit) s.limit = LowerAs(expr->limit, TypeStore::Int());
  s.vars = LoopVars(expr, out_.expr(s.iterable).type);
  StepId id = AddStep(std::move(s));
  RegionBuilder* saved = region_;
  region_ = NewRegion(id, RegionSlot::ScatterBody);
  ExprId value = LowerRegionBlock(expr->body, elem);
  region_ = saved;
  // A body without a final expression yields `()` per iteration: no value.
  if (!expr->body || !expr->body->result) value = ExprId{};
  out_.steps[id.index].body_value = value;
  Expr e;
  e.kind = ExprKind::StepValue;
  e.step = id;
  e.type = type;
  e.loc = ToLoc(expr->range);
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerCondStep(const ast::IfExpr* expr) {
  TypeId type = TypeOf(expr);
  TypeId branch = expr->else_block ? type : out_.types.StripOptional(type);
  Step s;
  s.kind = StepKind::Cond;
  s.type = type;
  s.loc = ToLoc(expr->range);
  s.cond = LowerAs(expr->cond, TypeStore::Bool());
  s.has_else = expr->else_block != nullptr;
  StepId id = AddStep(std::move(s));
  RegionBuilder* saved = region_;
  region_ = NewRegion(id, RegionSlot::Then);
  ExprId then_value = LowerRegionBlock(expr->then_block, branch);
  if (then_value.valid()) then_value = ConvertTo(then_value, branch);
  ExprId else_value;
  if (expr->else_block) {
    region_ = NewRegion(id, RegionSlot::Else);
    else_value = LowerRegionBlock(expr->else_block, branch);
    if (else_value.valid()) else_value = ConvertTo(else_value, branch);
  }
  region_ = saved;
  out_.steps[id.index].then_value = then_value;
  out_.steps[id.index].else_value = else_value;
  Expr e;
  e.kind = ExprKind::StepValue;
  e.step = id;
  e.type = type;
  e.loc = ToLoc(expr->range);
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerRegionBlock(const ast::Block* block, TypeId want) {
  if (!block) return ExprId{};
  let_scopes_.emplace_back();
  DeclareLets(block->stmts, /*pure=*/false);
  LowerStatements(block->stmts);
  ExprId result;
  if (block->result) {
    const ast::Node* saved = current_stmt_;
    current_stmt_ = block;
    result = LowerAs(block->result, want);
    current_stmt_ = saved;
  }
  let_scopes_.pop_back();
  return result;
}

// --- dependencies -----------------------------------------------------------

void IrBuilder::CollectStepRefs(ExprId expr, std::vector<StepId>* out) const {
  if (!expr.valid()) return;
  // Iterative walk: expressions can be long chains.
  std::vector<ExprId> stack{expr};
  while (!stack.empty()) {
    ExprId id = stack.back();
    stack.pop_back();
    if (!id.valid()) continue;
    const Expr& e = out_.expr(id);
    if (e.kind == ExprKind::StepValue) out->push_back(e.step);
    for (ExprId op : e.operands) stack.push_back(op);
  }
}

void IrBuilder::CollectStepRefsOfStep(StepId step, std::vector<StepId>* out) const {
  const Step& s = out_.step(step);
  switch (s.kind) {
    case StepKind::Call:
      for (ExprId arg : s.args) CollectStepRefs(arg, out);
      for (const FieldOverride& o : s.overrides) CollectStepRefs(o.value, out);
      break;
    case StepKind::Scatter:
      CollectStepRefs(s.iterable, out);
      CollectStepRefs(s.limit, out);
      CollectStepRefs(s.body_value, out);
      break;
    case StepKind::Cond:
      CollectStepRefs(s.cond, out);
      CollectStepRefs(s.then_value, out);
      CollectStepRefs(s.else_value, out);
      break;
    case StepKind::Value: CollectStepRefs(s.value, out); break;
  }
}

void IrBuilder::ComputeDeps(StepId step) {
  // The chain of `step` and its enclosing compound steps, with their regions.
  std::vector<std::pair<StepId, int32_t>> user_chain;
  for (StepId a = step; a.valid();) {
    int32_t region = step_region_[a.index];
    user_chain.emplace_back(a, region);
    if (region < 0 || static_cast<size_t>(region) >= regions_.size()) break;
    a = regions_[region]->owner;
  }
  auto add = [&](StepId target, bool is_after) {
    // Lift: find the lowest region holding an ancestor of both.
    for (StepId a = target; a.valid();) {
      int32_t region = step_region_[a.index];
      for (const auto& [b, b_region] : user_chain) {
        if (b_region != region) continue;
        if (a == b) return;  // `target` is inside `step` itself
        Step& user = out_.steps[b.index];
        user.deps.push_back(a);
        if (is_after) user.after_deps.push_back(a);
        return;
      }
      if (region < 0 || static_cast<size_t>(region) >= regions_.size()) return;
      a = regions_[region]->owner;
    }
  };
  std::vector<StepId> refs;
  CollectStepRefsOfStep(step, &refs);
  for (StepId r : refs) add(r, false);
  auto it = after_targets_.find(step.index);
  if (it != after_targets_.end()) {
    for (StepId r : it->second) add(r, true);
  }
}

void IrBuilder::FinishRegions(Workflow& wf) {
  std::vector<int32_t> position(out_.steps.size(), -1);  // step index → place in its region
  for (auto& region : regions_) {
    // Deps sorted and unique, everywhere in this region.
    for (StepId id : region->steps) {
      Step& s = out_.steps[id.index];
      std::sort(s.deps.begin(), s.deps.end());
      s.deps.erase(std::unique(s.deps.begin(), s.deps.end()), s.deps.end());
      std::sort(s.after_deps.begin(), s.after_deps.end());
      s.after_deps.erase(std::unique(s.after_deps.begin(), s.after_deps.end()), s.after_deps.end());
    }
    // Kahn's algorithm, taking the ready step that comes first in the source.
    // Flat arrays indexed by the step's position in the region: a workflow
    // of 10,000 calls sorts without a tree node per step.
    const std::vector<StepId>& steps = region->steps;
    const size_t n = steps.size();
    for (size_t i = 0; i < n; ++i) position[steps[i].index] = static_cast<int32_t>(i);
    auto local = [&](StepId id) -> int32_t {
      int32_t p = position[id.index];
      return p >= 0 && static_cast<size_t>(p) < n && steps[p] == id ? p : -1;
    };
    std::vector<uint32_t> pending(n, 0);       // unmet deps
    std::vector<uint32_t> users_begin(n + 1, 0);  // users of step i: users[users_begin[i] .. users_begin[i+1])
    for (size_t i = 0; i < n; ++i) {
      for (StepId dep : out_.step(steps[i]).deps) {
        int32_t d = local(dep);
        if (d < 0) continue;
        ++pending[i];
        ++users_begin[d + 1];
      }
    }
    for (size_t i = 0; i < n; ++i) users_begin[i + 1] += users_begin[i];
    std::vector<int32_t> users(users_begin[n]);
    {
      std::vector<uint32_t> fill(users_begin.begin(), users_begin.end() - 1);
      for (size_t i = 0; i < n; ++i) {
        for (StepId dep : out_.step(steps[i]).deps) {
          int32_t d = local(dep);
          if (d >= 0) users[fill[d]++] = static_cast<int32_t>(i);
        }
      }
    }
    using Key = std::tuple<int32_t, uint32_t, int32_t>;  // file, offset, step index
    auto key = [&](int32_t i) {
      const Loc& loc = out_.step(steps[i]).loc;
      return Key{loc.file, loc.begin, steps[i].index};
    };
    std::priority_queue<Key, std::vector<Key>, std::greater<Key>> ready;
    for (size_t i = 0; i < n; ++i) {
      if (pending[i] == 0) ready.push(key(static_cast<int32_t>(i)));
    }
    std::vector<StepId> sorted;
    sorted.reserve(n);
    std::vector<bool> placed(n, false);
    while (!ready.empty()) {
      StepId id{std::get<2>(ready.top())};
      ready.pop();
      int32_t i = local(id);
      sorted.push_back(id);
      placed[i] = true;
      for (uint32_t u = users_begin[i]; u < users_begin[i + 1]; ++u) {
        if (--pending[users[u]] == 0) ready.push(key(users[u]));
      }
    }
    // A cycle would be a checker bug; keep every step (VerifyProgram reports it).
    for (size_t i = 0; i < n; ++i) {
      if (!placed[i]) sorted.push_back(steps[i]);
    }
    switch (region->slot) {
      case RegionSlot::WorkflowBody: wf.body.steps = std::move(sorted); break;
      case RegionSlot::WorkflowFinally: wf.finally_body.steps = std::move(sorted); break;
      case RegionSlot::ScatterBody: out_.steps[region->owner.index].body.steps = std::move(sorted); break;
      case RegionSlot::Then: out_.steps[region->owner.index].then_body.steps = std::move(sorted); break;
      case RegionSlot::Else: out_.steps[region->owner.index].else_body.steps = std::move(sorted); break;
    }
  }
}

std::string IrBuilder::FirstCallee(const Region& body) const {
  for (StepId id : body.steps) {
    const Step& s = out_.step(id);
    switch (s.kind) {
      case StepKind::Call:
        if (s.callee_kind == CalleeKind::Task && s.callee >= 0) return out_.tasks[s.callee].qualified_name;
        if (s.callee_kind == CalleeKind::Workflow && s.callee >= 0) return out_.workflows[s.callee].qualified_name;
        break;
      case StepKind::Scatter: {
        std::string inner = FirstCallee(s.body);
        if (!inner.empty()) return inner;
        break;
      }
      case StepKind::Cond: {
        std::string inner = FirstCallee(s.then_body);
        if (inner.empty()) inner = FirstCallee(s.else_body);
        if (!inner.empty()) return inner;
        break;
      }
      case StepKind::Value: break;
    }
  }
  return "";
}

std::string IrBuilder::UniqueStepId(std::string base) {
  std::string id = base;
  if (step_ids_.contains(id)) {
    // Resume where the last duplicate of this base stopped: many calls of one
    // task must not cost a quadratic search.
    int& n = next_suffix_.try_emplace(base, 2).first->second;
    do {
      id = fmt::format("{}-{}", base, n++);
    } while (step_ids_.contains(id));
  }
  step_ids_.insert(id);
  return id;
}

void IrBuilder::AssignStepIds(size_t first_step) {
  for (size_t i = first_step; i < out_.steps.size(); ++i) {
    Step& s = out_.steps[i];
    std::string base;
    switch (s.kind) {
      case StepKind::Call: {
        std::string callee = s.callee < 0 ? "call"
                             : s.callee_kind == CalleeKind::Task ? out_.tasks[s.callee].qualified_name
                                                                 : out_.workflows[s.callee].qualified_name;
        base = "call-" + Sanitize(callee);
        break;
      }
      case StepKind::Scatter: {
        std::string what = FirstCallee(s.body);
        if (what.empty()) what = s.binding.empty() ? "each" : s.binding;
        base = fmt::format("for-{}-l{}", Sanitize(what), s.loc.line);
        break;
      }
      case StepKind::Cond: base = fmt::format("if-l{}", s.loc.line); break;
      case StepKind::Value: base = "let-" + Sanitize(s.binding.empty() ? "value" : s.binding); break;
    }
    s.id = UniqueStepId(base);
  }
}

}  // namespace flow::ir

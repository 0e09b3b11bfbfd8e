// An `if` inside a `for` body. A pipeline task's `when` tests one value for
// every TaskRun of its matrix, so it cannot gate single iterations. Instead an
// expression task computes each branch's guard per iteration (an array aligned
// with the iterations: "true" where the branch runs, combined with any
// enclosing guard), every call of the branch is matrixed over `flow-iter`
// records carrying their iteration's guard (`flow-guard`), and its Task skips
// itself when the guard is not "true": every step does nothing and the results
// step writes none. So the call's gathered results hold none for the skipped
// iterations, which is what `flowc run` gives. The `if`'s value is selected per
// iteration by one more expression task.
#include <fmt/format.h>

#include <functional>

#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/eval_program.h"

namespace flow::lower::tekton {

using ir::ExprKind;

namespace {

/// True if expression `id` reads the value of step `index`.
bool ReadsStep(const ir::Program& program, ir::ExprId id, int32_t index, int depth) {
  if (!id.valid() || depth > 200) return false;
  const ir::Expr& e = program.expr(id);
  if (e.kind == ExprKind::StepValue && e.step.index == index) return true;
  for (ir::ExprId op : e.operands) {
    if (ReadsStep(program, op, index, depth + 1)) return true;
  }
  return false;
}

}  // namespace

void Lowering::LowerGuardedCond(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks) {
  scope.tasks = tasks;
  size_t before = tasks->items().size();
  std::optional<TValue> outer = scope.guard;
  std::vector<std::string> saved_after = scope.base_after;
  if (!scope.finally) scope.base_after = RunAfter(step, scope);
  std::vector<std::string> cond_after = scope.base_after;

  // A branch's guard: its condition (negated for `else`) per iteration, none
  // where an enclosing guard is false (Computed applies `scope.guard`).
  auto guard_for = [&](bool negate) -> std::optional<TValue> {
    WrapFn negated = [](EvalProgram& p, int root, const std::function<int(ir::ExprId)>&) {
      return p.AddRawNode(ir::Json::array({"not", p.TypeIndex(types::TypeStore::Bool()), root}));
    };
    scope.per_iteration = true;
    std::optional<TValue> g = Computed(step.cond, scope, false, step.id + (negate ? "-else-guard" : "-then-guard"),
                                       "", negate ? negated : WrapFn{});
    scope.per_iteration = false;
    if (g && !g->matrix) {
      Unsupported(program_.expr(step.cond).loc, "this condition inside `for`",
                  "it could not be computed once per iteration");
      return std::nullopt;
    }
    return g;
  };
  auto lower_branch = [&](const ir::Region& body, bool negate) {
    std::optional<TValue> g = guard_for(negate);
    if (!g) return;
    scope.guard = g;
    scope.base_after = cond_after;
    LowerRegion(body, scope, tasks);
    scope.tasks = tasks;
    scope.guard = outer;
  };
  if (!step.then_body.steps.empty()) lower_branch(step.then_body, false);
  if (step.has_else && !step.else_body.steps.empty()) lower_branch(step.else_body, true);

  // The value, per iteration: `if cond { then } else { else }` over the branch
  // values (each none where its branch was skipped, read leniently).
  StepInfo& info = scope.steps[index];
  ir::TypeId value_type = types().StripOptional(step.type);
  bool unit = !value_type.valid() ||
              (types().KindOf(value_type) == types::TypeKind::Record && types().Get(value_type).fields.empty());
  bool used = step.then_value.valid() && !scope.finally && !unit &&
              (ValueIsUsed(step, index, scope) || ReadsStep(program_, scope.scatter_value, index, 0));
  if (used && ok_) {
    std::vector<std::string> after = cond_after;
    for (const ir::Region* body : {&step.then_body, &step.else_body}) {
      for (ir::StepId s : body->steps) {
        auto it = scope.steps.find(s.index);
        if (it != scope.steps.end()) after.insert(after.end(), it->second.tasks.begin(), it->second.tasks.end());
      }
    }
    std::sort(after.begin(), after.end());
    after.erase(std::unique(after.begin(), after.end()), after.end());
    scope.base_after = after;
    ir::TypeId type = step.type;
    WrapFn select = [&](EvalProgram& p, int root, const std::function<int(ir::ExprId)>& serialize) {
      int then_node = serialize(step.then_value);
      if (then_node < 0) return -1;
      ir::Json else_node = nullptr;
      if (step.has_else && step.else_value.valid()) {
        int n = serialize(step.else_value);
        if (n < 0) return -1;
        else_node = n;
      }
      return p.AddRawNode(ir::Json::array({"cond", p.TypeIndex(type), root, then_node, else_node}));
    };
    scope.per_iteration = true;
    std::optional<TValue> v = Computed(step.cond, scope, false, step.id + "-value", "", select);
    scope.per_iteration = false;
    if (v) info.value = *v;
  }
  scope.base_after = saved_after;
  info.tasks = TaskNamesSince(*tasks, before);
  if (info.tasks.empty()) info.tasks = RunAfter(step, scope);
  info.conditional = !info.value.has_value();
}

}  // namespace flow::lower::tekton

// A nested `for` (`for x in xs { for y in ys(x) { f(x, y) } }`): Tekton's matrix
// fans out one pipeline task, so both loops become one matrix over the
// flattened iterations. Expression tasks compute, for every (x, y) pair in
// order, the value of each loop variable (arrays aligned with the flattened
// iterations) and the size of every inner loop; the inner body is lowered once
// over them, and the outer loop's value (a list of lists) is the inner loop's
// gathered values cut back into groups of those sizes.
#include <fmt/format.h>

#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/eval_program.h"
#include "compiler/lower/tekton/task_scripts.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using ir::StepKind;
using types::TypeKind;

bool Lowering::LowerNestedScatter(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks) {
  // Applies when the body is one inner `for` (plus pure lets) whose value is the outer value.
  const ir::Step* inner = nullptr;
  ir::StepId inner_id;
  for (ir::StepId id : step.body.steps) {
    const ir::Step& s = program_.step(id);
    if (s.kind == StepKind::Value) continue;
    if (s.kind != StepKind::Scatter || inner != nullptr) return false;
    inner = &s;
    inner_id = id;
  }
  if (inner == nullptr) return false;
  for (ir::StepId id : inner->body.steps) {
    if (program_.step(id).kind == StepKind::Scatter) return false;  // three levels: reported as nested
  }
  if (step.body_value.valid()) {
    const ir::Expr& v = program_.expr(step.body_value);
    if (v.kind != ExprKind::StepValue || v.step != inner_id) return false;
  }
  if (step.limit.valid() || inner->limit.valid()) {
    diags_.Emit(Range(program_.expr(step.limit.valid() ? step.limit : inner->limit).loc),
                diag::Kind::TargetApproximation,
                "Tekton has no per-task concurrency limit: `limit` is not enforced, all iterations may run at once");
  }
  std::vector<ir::VarId> all_vars = step.vars;
  all_vars.insert(all_vars.end(), inner->vars.begin(), inner->vars.end());
  auto vars_json = [](const std::vector<ir::VarId>& vars) { return VarsJson(vars); };
  // flatten([for O in outer { [for I in inner(O) { var }] }])
  for (ir::VarId var : all_vars) {
    const ir::Var& v = program_.var(var);
    WrapFn wrap = [&, var](EvalProgram& p, int root, const std::function<int(ir::ExprId)>& serialize) {
      int inner_iterable = serialize(inner->iterable);
      if (inner_iterable < 0) return -1;
      int list = p.AddListType(v.type);
      int body = p.AddRawNode(ir::Json::array({"var", p.TypeIndex(v.type), var.index}));
      int inner_comp = p.AddRawNode(ir::Json::array({"comp", list, vars_json(inner->vars), inner_iterable, body}));
      p.SetMatrixLimit(MatrixLimit(), program_.Where(step.loc), MatrixLimitNote());
      int outer_comp =
          p.AddRawNode(ir::Json::array({"comp", p.AddListOfIndex(list), vars_json(step.vars), root, inner_comp}));
      return p.AddRawNode(ir::Json::array({"call", list, "flatten", ir::Json::array({outer_comp})}));
    };
    std::optional<TValue> values =
        Computed(step.iterable, scope, /*array_result=*/true, fmt::format("{}-{}", step.id, v.name), "", wrap);
    if (!values) return true;
    TValue loop = *values;
    loop.matrix = true;
    scope.loop_vars[var.index] = loop;
  }
  // The size of each inner loop: [for O in outer { len(inner(O)) }]
  WrapFn sizes_wrap = [&](EvalProgram& p, int root, const std::function<int(ir::ExprId)>& serialize) {
    int inner_iterable = serialize(inner->iterable);
    if (inner_iterable < 0) return -1;
    int int_type = p.TypeIndex(types::TypeStore::Int());
    int len = p.AddRawNode(ir::Json::array({"call", int_type, "len", ir::Json::array({inner_iterable})}));
    return p.AddRawNode(
        ir::Json::array({"comp", p.AddListType(types::TypeStore::Int()), vars_json(step.vars), root, len}));
  };
  std::optional<TValue> sizes = Computed(step.iterable, scope, true, step.id + "-sizes", "", sizes_wrap);
  if (!sizes) return true;

  // The inner body, once, over the flattened iterations.
  size_t before = tasks->items().size();
  TValue none;
  std::vector<std::string> saved_after = scope.base_after;
  if (!scope.finally) scope.base_after = RunAfter(step, scope);
  LowerScatterBody(*inner, inner_id.index, none, scope, tasks);
  scope.base_after = saved_after;
  for (ir::VarId var : all_vars) scope.loop_vars.erase(var.index);
  StepInfo& info = scope.steps[index];
  StepInfo& flat = scope.steps[inner_id.index];
  if (!step.body_value.valid() || !ok_) {
    info.tasks.clear();
    for (size_t i = before; i < tasks->items().size(); ++i) info.tasks.push_back(tasks->items()[i].Find("name")->str());
    info.unavailable = "the nested `for` has no value";
    return true;
  }

  // regroup(flat values, sizes): the outer value as one JSON list of lists.
  ir::TypeId elem = types().Get(types().StripOptional(inner->type)).elem;  // inner `for` is List[T]
  if (types().KindOf(types().StripOptional(inner->type)) != TypeKind::List) elem = inner->type;
  ExprTask et(program_);
  EvalProgram& program = et.program;
  auto add_array = [&](TValue v, int type_index) {
    v.array = true;
    return et.AddSourceNode(v, type_index);
  };
  program.TypeIndex(types::TypeStore::Int());  // the type table starts with Int (stable programs)
  int flat_node = -1;
  if (flat.value && flat.value->array) {
    flat_node = add_array(*flat.value, program.AddListType(elem));
  } else if (!flat.fields.empty() &&
             (types().KindOf(types().StripOptional(elem)) == TypeKind::Record ||
              types().KindOf(types().StripOptional(elem)) == TypeKind::Struct)) {
    constexpr int kIndexVar = -3;
    flat_node = ZipFieldArrays(program, types(), elem, kIndexVar, [&](const types::Field& f) {
      auto field = flat.fields.find(f.name);
      if (field == flat.fields.end() || !field->second.array) return -1;
      return add_array(field->second, program.AddListType(f.type));
    });
    if (flat_node < 0) {
      Unsupported(step.loc, "this nested `for`'s value", "a field of its records is not gathered");
      return true;
    }
  } else {
    Unsupported(step.loc, "this nested `for`'s value", "the inner loop's values are not gathered");
    return true;
  }
  int sizes_node = add_array(*sizes, program.AddListType(types::TypeStore::Int()));
  int grouped = program.AddRawNode(ir::Json::array(
      {"call", program.TypeIndex(step.type.valid() ? step.type : inner->type), "__regroup",
       ir::Json::array({flat_node, sizes_node})}));
  program.AddOutput(grouped, "text");
  program.SetWhere(program_.Where(step.loc));
  scope.tasks = tasks;
  std::string name = PushExprTask(et, 's', step.id + "-value", step.loc, scope, {});
  if (name.empty()) return true;
  info.tasks.clear();
  for (size_t i = before; i < tasks->items().size(); ++i) info.tasks.push_back(tasks->items()[i].Find("name")->str());
  TValue v;
  v.text = fmt::format("$(tasks.{}.results.value)", name);
  info.value = v;
  return true;
}

}  // namespace flow::lower::tekton

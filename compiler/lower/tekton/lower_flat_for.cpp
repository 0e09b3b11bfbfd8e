// A `for` inside a `for` body, at any depth and next to other steps of the
// outer body. Tekton's matrix fans out one pipeline task over one list, so the
// inner loop runs over the flattened (outer iteration, element) pairs:
//
//   <for>-lists    the inner list of every outer iteration (an array aligned
//                  with the outer iterations, one JSON list each; none, where a
//                  per-iteration `if` skipped the loop, is empty)
//   <for>-<var>    each loop variable per flattened iteration
//   <for>-parent   per flattened iteration, the index of its outer iteration
//   <for>-sizes    per outer iteration, the inner list's length
//
// The inner body is lowered one level deeper (Scope::level), where a value of
// an enclosing level is re-aligned through the parent indices (AtLevel), and
// the inner loop's value is its gathered values cut back into one list per
// outer iteration (`<for>-value`, an array aligned with the outer iterations).
// `flowc run` gives the same lists in the same order.
#include <fmt/format.h>

#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/eval_program.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using types::TypeKind;

namespace {

// Generated evaluator variables (IR variables are >= 0; Computed uses -1..-3).
constexpr int kOuterVar = -5;
constexpr int kFlatVar = -6;

}  // namespace

TValue Lowering::AtLevel(const TValue& v, Scope& scope) {
  if (!v.matrix || v.level <= 0 || v.level >= scope.level || scope.tasks == nullptr) return v;
  std::string key = v.text;
  for (const std::string& item : v.items) key += "\n" + item;
  key += fmt::format("#{}#{}", v.level, scope.level);
  auto cached = scope.realigned.find(key);
  if (cached != scope.realigned.end()) return cached->second;
  // [for k in range(len(parent)) { v[parent_{l+1}[...parent_{level}[k]]] }], texts as they are.
  ExprTask et(program_);
  EvalProgram& p = et.program;
  int text = p.TypeIndex(types::TypeStore::String());
  int int_type = p.TypeIndex(types::TypeStore::Int());
  int values = et.AddSourceNode(v, p.AddListOfIndex(text));
  int index = p.AddRawNode(ir::Json::array({"var", int_type, kFlatVar}));
  int innermost = -1;
  for (int l = scope.level; l > v.level; --l) {
    int parent = et.AddSourceNode(scope.parents[static_cast<size_t>(l)], p.AddListOfIndex(int_type));
    if (innermost < 0) innermost = parent;
    index = p.AddRawNode(ir::Json::array({"index", int_type, parent, index}));
  }
  int body = p.AddRawNode(ir::Json::array({"index", text, values, index}));
  int len = p.AddRawNode(ir::Json::array({"call", int_type, "len", ir::Json::array({innermost})}));
  int range = p.AddRawNode(ir::Json::array({"call", int_type, "range", ir::Json::array({len})}));
  p.AddOutput(p.AddRawNode(ir::Json::array({"comp", p.AddListOfIndex(text), ir::Json::array({kFlatVar}), range, body})),
              "array");
  std::string name = PushExprTask(et, 'a', fmt::format("realign-l{}", scope.level), ir::Loc{}, scope, scope.base_after);
  if (name.empty()) return v;
  TValue out = v;
  out.text = fmt::format("$(tasks.{}.results.value[*])", name);
  out.literal_array = false;
  out.items.clear();
  out.array = false;
  out.level = scope.level;
  scope.realigned[key] = out;
  return out;
}

void Lowering::LowerFlattenedScatter(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks) {
  scope.tasks = tasks;
  size_t before = tasks->items().size();
  int outer = scope.level;
  std::vector<std::string> saved_after = scope.base_after;
  if (!scope.finally) scope.base_after = RunAfter(step, scope);
  if (step.limit.valid()) {
    diags_.Emit(Range(program_.expr(step.limit).loc), diag::Kind::TargetApproximation,
                "Tekton has no per-task concurrency limit: `limit` is not enforced, all iterations may run at once");
  }

  // The inner list of every outer iteration.
  scope.per_iteration = true;
  std::optional<TValue> lists = Computed(step.iterable, scope, false, step.id + "-lists");
  scope.per_iteration = false;
  if (!lists) {
    scope.base_after = saved_after;
    return;
  }
  ir::TypeId iter_type = types().StripOptional(program_.expr(step.iterable).type);
  auto vars_json = [&]() { return VarsJson(step.vars); };
  // An expression task over `lists`: `per_outer(p, list_i, i)` gives one node per
  // outer iteration; flattened (a list per outer iteration) unless `flat` is false.
  auto over_lists = [&](const std::string& label, const std::function<int(EvalProgram&, int, int)>& per_outer,
                        bool flat) -> std::optional<TValue> {
    ExprTask et(program_);
    EvalProgram& p = et.program;
    int int_type = p.TypeIndex(types::TypeStore::Int());
    int list_type = p.TypeIndex(iter_type);
    int src = et.AddSourceNode(*lists, p.AddListOfIndex(p.AddLaxOfIndex(list_type)));
    int i = p.AddRawNode(ir::Json::array({"var", int_type, kOuterVar}));
    int at = p.AddRawNode(ir::Json::array({"index", p.AddOptionalOfIndex(list_type), src, i}));
    int empty = p.AddRawNode(ir::Json::array({"lit", list_type, types().KindOf(iter_type) == TypeKind::Map
                                                                     ? ir::Json::object()
                                                                     : ir::Json::array()}));
    int list_i = p.AddRawNode(ir::Json::array({"bin", list_type, "coalesce", at, empty}));
    int body = per_outer(p, list_i, i);
    int len = p.AddRawNode(ir::Json::array({"call", int_type, "len", ir::Json::array({src})}));
    int range = p.AddRawNode(ir::Json::array({"call", int_type, "range", ir::Json::array({len})}));
    int body_type = p.NodeType(body);  // a list per outer iteration when `flat`
    int node = p.AddRawNode(
        ir::Json::array({"comp", p.AddListOfIndex(body_type), ir::Json::array({kOuterVar}), range, body}));
    if (flat) {
      node = p.AddRawNode(ir::Json::array({"call", body_type, "flatten", ir::Json::array({node})}));
      p.SetMatrixLimit(MatrixLimit(), program_.Where(step.loc), MatrixLimitNote());  // the flattened iterations
    }
    p.AddOutput(node, "array");
    p.SetWhere(program_.Where(step.loc));
    std::string name = PushExprTask(et, 'a', step.id + "-" + label, step.loc, scope, scope.base_after);
    if (name.empty()) return std::nullopt;
    TValue out;
    out.text = fmt::format("$(tasks.{}.results.value[*])", name);
    out.matrix = true;
    out.level = outer + 1;
    return out;
  };
  std::map<int32_t, TValue> vars;
  for (ir::VarId var : step.vars) {
    const ir::Var& v = program_.var(var);
    std::optional<TValue> values = over_lists(
        v.name,
        [&](EvalProgram& p, int list_i, int) {
          int body = p.AddRawNode(ir::Json::array({"var", p.TypeIndex(v.type), var.index}));
          return p.AddRawNode(ir::Json::array({"comp", p.AddListType(v.type), vars_json(), list_i, body}));
        },
        true);
    if (!values) {
      scope.base_after = saved_after;
      return;
    }
    vars[var.index] = *values;
  }
  std::optional<TValue> parent = over_lists(
      "parent",
      [&](EvalProgram& p, int list_i, int i) {
        return p.AddRawNode(
            ir::Json::array({"comp", p.AddListType(types::TypeStore::Int()), vars_json(), list_i, i}));
      },
      true);
  std::optional<TValue> sizes = over_lists(
      "sizes",
      [&](EvalProgram& p, int list_i, int) {
        return p.AddRawNode(
            ir::Json::array({"call", p.TypeIndex(types::TypeStore::Int()), "len", ir::Json::array({list_i})}));
      },
      false);
  if (!parent || !sizes) {
    scope.base_after = saved_after;
    return;
  }

  // The body, one level deeper.
  int saved_level = scope.level;
  std::vector<TValue> saved_parents = scope.parents;
  std::optional<TValue> saved_guard = scope.guard, saved_ref = scope.iteration_ref;
  ir::ExprId saved_value = scope.scatter_value;
  scope.level = outer + 1;
  scope.parents.resize(static_cast<size_t>(scope.level) + 1);
  scope.parents[static_cast<size_t>(scope.level)] = *parent;
  if (scope.guard) scope.guard = AtLevel(*scope.guard, scope);
  for (const auto& [var, v] : vars) scope.loop_vars[var] = v;
  scope.iteration_ref = vars.empty() ? *parent : vars.begin()->second;
  scope.scatter_value = step.body_value;
  size_t body_start = tasks->items().size();
  LowerRegion(step.body, scope, tasks);
  scope.tasks = tasks;

  // The gathered values, per flattened iteration.
  std::optional<TValue> flat;
  std::map<std::string, TValue> flat_fields;
  ir::TypeId elem;
  bool has_value = step.body_value.valid() && ok_;
  if (has_value) {
    const ir::Expr& value = program_.expr(step.body_value);
    elem = value.type;
    ir::TypeId stripped = types().StripOptional(value.type);
    if (types().KindOf(stripped) == TypeKind::Record && types().Get(stripped).fields.empty()) has_value = false;
  }
  if (has_value) {
    const ir::Expr& value = program_.expr(step.body_value);
    auto it = value.kind == ExprKind::StepValue ? scope.steps.find(value.step.index) : scope.steps.end();
    if (it != scope.steps.end() && it->second.value && it->second.value->matrix) {
      flat = AtLevel(*it->second.value, scope);
    } else if (it != scope.steps.end() && !it->second.value && !it->second.fields.empty()) {
      for (const auto& [k, f] : it->second.fields) flat_fields[k] = AtLevel(f, scope);
    } else {
      scope.base_after = TaskNamesSince(*tasks, body_start);
      scope.per_iteration = true;
      flat = Computed(step.body_value, scope, false, step.id + "-each");
      scope.per_iteration = false;
      if (flat && !flat->matrix) flat.reset();
    }
  }
  std::vector<std::string> body_tasks = TaskNamesSince(*tasks, body_start);
  for (const auto& [var, v] : vars) scope.loop_vars.erase(var);
  scope.level = saved_level;
  scope.parents = saved_parents;
  scope.guard = saved_guard;
  scope.iteration_ref = saved_ref;
  scope.scatter_value = saved_value;
  StepInfo& info = scope.steps[index];

  // Regrouped: one list per outer iteration (an array aligned with them).
  if (has_value && (flat || !flat_fields.empty())) {
    ExprTask et(program_);
    EvalProgram& p = et.program;
    int int_type = p.TypeIndex(types::TypeStore::Int());
    int flat_node = -1;
    if (flat) {
      int elem_type = p.TypeIndex(elem);
      if (flat->guarded) elem_type = p.AddLaxOfIndex(elem_type);
      flat_node = et.AddSourceNode(*flat, p.AddListOfIndex(elem_type));
    } else if (types().KindOf(types().StripOptional(elem)) == TypeKind::Record ||
               types().KindOf(types().StripOptional(elem)) == TypeKind::Struct) {
      // A call with named outputs: its records, field by field.
      flat_node = ZipFieldArrays(p, types(), elem, kFlatVar, [&](const types::Field& f) {
        auto field = flat_fields.find(f.name);
        if (field == flat_fields.end()) return -1;
        int ft = p.TypeIndex(f.type);
        if (field->second.guarded) ft = p.AddLaxOfIndex(ft);
        return et.AddSourceNode(field->second, p.AddListOfIndex(ft));
      });
      if (flat_node < 0) {
        Unsupported(step.loc, "this `for`'s value", "a field of its records is not a task result");
        return;
      }
    } else {
      Unsupported(step.loc, "this `for`'s value", "its values are not task results");
      return;
    }
    int sizes_node = et.AddSourceNode(*sizes, p.AddListOfIndex(int_type));
    int list_elem = p.AddListType(elem);
    int grouped = p.AddRawNode(ir::Json::array(
        {"call", p.AddListOfIndex(list_elem), "__regroup", ir::Json::array({flat_node, sizes_node})}));
    p.AddOutput(grouped, "array");
    p.SetWhere(program_.Where(step.loc));
    scope.base_after = body_tasks;
    std::string name = PushExprTask(et, 'a', step.id + "-value", step.loc, scope, scope.base_after);
    if (!name.empty()) {
      TValue v;
      v.text = fmt::format("$(tasks.{}.results.value[*])", name);
      v.matrix = true;
      v.level = outer;
      info.value = v;
    }
  } else if (has_value) {
    Unsupported(program_.expr(step.body_value).loc, "this `for` value", "it could not be computed per iteration");
  }
  scope.base_after = saved_after;
  info.tasks = TaskNamesSince(*tasks, before);
  if (info.tasks.empty()) info.tasks = RunAfter(step, scope);
}

}  // namespace flow::lower::tekton

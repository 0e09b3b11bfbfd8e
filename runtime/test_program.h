// Builds small ir::Programs by hand for the runtime's unit tests (so they do
// not depend on the front end).
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "compiler/ir/ir.h"

namespace flow::runtime::testing {

class ProgramBuilder {
 public:
  ir::Program& program() { return p_; }
  types::TypeStore& types() { return p_.types; }

  ir::ExprId Add(ir::Expr e) {
    p_.exprs.push_back(std::move(e));
    return ir::ExprId{static_cast<int32_t>(p_.exprs.size() - 1)};
  }
  ir::ExprId Lit(ir::Value v, types::TypeId t) {
    ir::Expr e;
    e.kind = ir::ExprKind::Literal;
    e.literal = std::move(v);
    e.type = t;
    return Add(std::move(e));
  }
  ir::ExprId Int(int64_t i) { return Lit(ir::Value::Int(i), types::TypeStore::Int()); }
  ir::ExprId Str(std::string s) { return Lit(ir::Value::String(std::move(s)), types::TypeStore::String()); }
  ir::ExprId Input(int32_t index, types::TypeId t) {
    ir::Expr e;
    e.kind = ir::ExprKind::Input;
    e.index = index;
    e.type = t;
    return Add(std::move(e));
  }
  ir::ExprId StepValue(ir::StepId s, types::TypeId t) {
    ir::Expr e;
    e.kind = ir::ExprKind::StepValue;
    e.step = s;
    e.type = t;
    return Add(std::move(e));
  }
  ir::ExprId VarRef(ir::VarId v) {
    ir::Expr e;
    e.kind = ir::ExprKind::Var;
    e.var = v;
    e.type = p_.var(v).type;
    return Add(std::move(e));
  }
  ir::ExprId OutPath(int32_t index) {
    ir::Expr e;
    e.kind = ir::ExprKind::OutputPath;
    e.index = index;
    e.type = types::TypeStore::File();
    return Add(std::move(e));
  }
  ir::ExprId ListOf(std::vector<ir::ExprId> elems, types::TypeId elem_type) {
    ir::Expr e;
    e.kind = ir::ExprKind::List;
    e.operands = std::move(elems);
    e.type = p_.types.List(elem_type);
    return Add(std::move(e));
  }
  ir::VarId Var(std::string name, types::TypeId t) {
    p_.vars.push_back(ir::Var{std::move(name), t, {}});
    return ir::VarId{static_cast<int32_t>(p_.vars.size() - 1)};
  }

  /// A script piece: literal text or an interpolated expression.
  using Piece = std::variant<std::string, ir::ExprId>;

  /// A task with a `script`; `out_type` invalid: no output.
  int32_t Task(std::string name, std::vector<std::pair<std::string, types::TypeId>> params,
               types::TypeId out_type, std::vector<Piece> script,
               std::vector<std::pair<ir::TaskField, ir::ExprId>> fields = {}) {
    ir::Task t;
    t.name = t.qualified_name = name;
    for (auto& [pname, ptype] : params) t.params.push_back(ir::Param{pname, ptype, {}, "", {}});
    if (out_type.valid()) {
      t.outputs.push_back(ir::Output{"", out_type});
      t.single_output = true;
      t.output_type = out_type;
    }
    for (auto& f : t.fields) f = ir::ExprId{};
    for (auto& [field, expr] : fields) t.fields[static_cast<size_t>(field)] = expr;
    t.has_script = true;
    for (Piece& piece : script) {
      ir::TemplatePart part;
      if (auto* text = std::get_if<std::string>(&piece)) part.text = *text;
      else part.expr = std::get<ir::ExprId>(piece);
      t.script.parts.push_back(part);
    }
    t.digest = "digest-" + name;
    p_.tasks.push_back(std::move(t));
    return static_cast<int32_t>(p_.tasks.size() - 1);
  }

  ir::StepId AddStep(ir::Step s) {
    p_.steps.push_back(std::move(s));
    return ir::StepId{static_cast<int32_t>(p_.steps.size() - 1)};
  }
  ir::StepId Call(std::string id, int32_t task, std::vector<ir::ExprId> args, std::vector<ir::StepId> deps = {},
                  bool is_try = false) {
    ir::Step s;
    s.kind = ir::StepKind::Call;
    s.id = std::move(id);
    s.callee_kind = ir::CalleeKind::Task;
    s.callee = task;
    s.args = std::move(args);
    s.deps = std::move(deps);
    s.is_try = is_try;
    s.type = p_.tasks[task].output_type;
    if (is_try && s.type.valid()) s.type = p_.types.Optional(s.type);
    return AddStep(std::move(s));
  }
  ir::StepId CallWorkflow(std::string id, int32_t workflow, std::vector<ir::ExprId> args,
                          std::vector<ir::StepId> deps = {}) {
    ir::Step s;
    s.kind = ir::StepKind::Call;
    s.id = std::move(id);
    s.callee_kind = ir::CalleeKind::Workflow;
    s.callee = workflow;
    s.args = std::move(args);
    s.deps = std::move(deps);
    s.type = p_.workflows[workflow].output_type;
    return AddStep(std::move(s));
  }
  ir::StepId Scatter(std::string id, ir::VarId var, ir::ExprId iterable, std::vector<ir::StepId> body,
                     ir::ExprId body_value, ir::ExprId limit = {}, std::vector<ir::StepId> deps = {}) {
    ir::Step s;
    s.kind = ir::StepKind::Scatter;
    s.id = std::move(id);
    s.vars = {var};
    s.iterable = iterable;
    s.body.steps = std::move(body);
    s.body_value = body_value;
    s.limit = limit;
    s.deps = std::move(deps);
    return AddStep(std::move(s));
  }
  ir::StepId Cond(std::string id, ir::ExprId cond, std::vector<ir::StepId> then_body, ir::ExprId then_value,
                  std::vector<ir::StepId> deps = {}) {
    ir::Step s;
    s.kind = ir::StepKind::Cond;
    s.id = std::move(id);
    s.cond = cond;
    s.then_body.steps = std::move(then_body);
    s.then_value = then_value;
    s.deps = std::move(deps);
    return AddStep(std::move(s));
  }

  int32_t Workflow(std::string name, std::vector<std::pair<std::string, types::TypeId>> params,
                   std::vector<ir::StepId> body, ir::ExprId result, types::TypeId out_type,
                   std::vector<ir::StepId> finally_body = {}) {
    ir::Workflow w;
    w.name = w.qualified_name = name;
    for (auto& [pname, ptype] : params) w.params.push_back(ir::Param{pname, ptype, {}, "", {}});
    w.body.steps = std::move(body);
    w.finally_body.steps = std::move(finally_body);
    w.result = result;
    w.output_type = out_type;
    p_.workflows.push_back(std::move(w));
    return static_cast<int32_t>(p_.workflows.size() - 1);
  }

 private:
  ir::Program p_;
};

}  // namespace flow::runtime::testing

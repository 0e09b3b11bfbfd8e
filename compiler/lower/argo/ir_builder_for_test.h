// Builds ir::Programs by hand for the Argo backend's unit tests (the same IR
// the front end produces, without parsing). Test-only; header-only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"

namespace flow::lower::argo::testing {

using ir::ExprId;
using ir::StepId;
using ir::TypeId;
using ir::Value;
using ir::VarId;
using types::TypeStore;

class IrBuilder {
 public:
  ir::Program p;

  IrBuilder() { p.files.push_back("test.flow"); }

  TypeId ListOf(TypeId t) { return p.types.List(t); }
  TypeId Opt(TypeId t) { return p.types.Optional(t); }

  ExprId Add(ir::Expr e) {
    e.loc.file = 0;
    p.exprs.push_back(std::move(e));
    return ExprId{static_cast<int32_t>(p.exprs.size() - 1)};
  }
  ExprId Lit(Value v, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Literal;
    e.literal = std::move(v);
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Str(std::string s) { return Lit(Value::String(std::move(s)), TypeStore::String()); }
  ExprId Int(int64_t i) { return Lit(Value::Int(i), TypeStore::Int()); }
  ExprId Input(int32_t index, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Input;
    e.index = index;
    e.type = type;
    return Add(std::move(e));
  }
  ExprId VarRef(VarId v) {
    ir::Expr e;
    e.kind = ir::ExprKind::Var;
    e.var = v;
    e.type = p.var(v).type;
    return Add(std::move(e));
  }
  ExprId StepRef(StepId s, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::StepValue;
    e.step = s;
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Out(int32_t index, TypeId type = TypeStore::String()) {
    ir::Expr e;
    e.kind = ir::ExprKind::OutputPath;
    e.index = index;
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Field(ExprId base, std::string name, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Field;
    e.operands = {base};
    e.name = std::move(name);
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Bin(ir::BinaryOp op, ExprId a, ExprId b, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Binary;
    e.binary_op = op;
    e.operands = {a, b};
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Convert(ExprId a, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Convert;
    e.operands = {a};
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Builtin(ir::BuiltinId id, std::vector<ExprId> args, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Builtin;
    e.builtin = id;
    e.operands = std::move(args);
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Record(std::vector<std::string> names, std::vector<ExprId> values, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Record;
    e.names = std::move(names);
    e.operands = std::move(values);
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Comprehension(VarId v, ExprId list, ExprId body, TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Comprehension;
    e.vars = {v};
    e.operands = {list, body};
    e.type = type;
    return Add(std::move(e));
  }
  VarId NewVar(std::string name, TypeId type) {
    p.vars.push_back(ir::Var{std::move(name), type, {}});
    return VarId{static_cast<int32_t>(p.vars.size() - 1)};
  }

  /// A script made of text and interpolated expressions, alternating as given.
  ir::Template Script(std::vector<std::pair<std::string, ExprId>> parts) {
    ir::Template t;
    for (auto& [text, expr] : parts) {
      if (!text.empty()) {
        ir::TemplatePart part;
        part.text = text;
        t.parts.push_back(part);
      }
      if (expr.valid()) {
        ir::TemplatePart part;
        part.expr = expr;
        t.parts.push_back(part);
      }
    }
    return t;
  }

  int32_t AddTask(ir::Task task) {
    if (task.qualified_name.empty()) task.qualified_name = task.name;
    task.loc.file = 0;
    p.tasks.push_back(std::move(task));
    return static_cast<int32_t>(p.tasks.size() - 1);
  }
  static ir::Param Param(std::string name, TypeId type, ExprId def = ExprId{}) {
    ir::Param param;
    param.name = std::move(name);
    param.type = type;
    param.default_value = def;
    return param;
  }
  void SetField(int32_t task, ir::TaskField field, ExprId value) {
    p.tasks[task].fields[static_cast<size_t>(field)] = value;
  }

  StepId AddStep(ir::Step step) {
    step.loc.file = 0;
    p.steps.push_back(std::move(step));
    return StepId{static_cast<int32_t>(p.steps.size() - 1)};
  }
  StepId Call(std::string id, int32_t task, std::vector<ExprId> args, std::vector<StepId> deps = {},
              ir::CalleeKind kind = ir::CalleeKind::Task) {
    ir::Step s;
    s.kind = ir::StepKind::Call;
    s.id = std::move(id);
    s.callee_kind = kind;
    s.callee = task;
    s.args = std::move(args);
    s.deps = std::move(deps);
    if (kind == ir::CalleeKind::Task) s.type = p.tasks[task].output_type;
    return AddStep(std::move(s));
  }
  ir::Step& step(StepId s) { return p.steps[s.index]; }

  int32_t AddWorkflow(ir::Workflow wf) {
    if (wf.qualified_name.empty()) wf.qualified_name = wf.name;
    wf.loc.file = 0;
    p.workflows.push_back(std::move(wf));
    return static_cast<int32_t>(p.workflows.size() - 1);
  }
};

}  // namespace flow::lower::argo::testing

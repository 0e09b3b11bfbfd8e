#include "compiler/ir/verify_ir.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace flow::ir {

namespace {

class Verifier {
 public:
  Verifier(const Program& program, std::string* error) : p_(program), error_(error) {}

  bool Run() {
    if (p_.entry >= static_cast<int32_t>(p_.workflows.size()) || p_.entry < -1) return Fail("entry out of range");
    for (size_t i = 0; i < p_.exprs.size(); ++i) {
      if (!CheckExprShallow(ExprId{static_cast<int32_t>(i)})) return false;
    }
    for (size_t i = 0; i < p_.vars.size(); ++i) {
      if (!TypeOk(p_.vars[i].type)) return Fail(fmt::format("var {} has an invalid type", i));
    }
    for (const Task& task : p_.tasks) {
      if (!CheckTask(task)) return false;
    }
    for (const Workflow& wf : p_.workflows) {
      if (!CheckWorkflow(wf)) return false;
    }
    return true;
  }

 private:
  bool Fail(std::string message) {
    if (error_) *error_ = std::move(message);
    return false;
  }
  bool TypeOk(TypeId t) const { return t.valid() && static_cast<size_t>(t.index) < p_.types.size(); }
  bool ExprOk(ExprId e) const { return e.valid() && static_cast<size_t>(e.index) < p_.exprs.size(); }
  bool StepOk(StepId s) const { return s.valid() && static_cast<size_t>(s.index) < p_.steps.size(); }
  bool VarOk(VarId v) const { return v.valid() && static_cast<size_t>(v.index) < p_.vars.size(); }
  bool OptExpr(ExprId e, const std::string& what) {
    if (e.valid() && !ExprOk(e)) return Fail(fmt::format("{}: expression {} out of range", what, e.index));
    return true;
  }

  bool CheckExprShallow(ExprId id) {
    const Expr& e = p_.expr(id);
    std::string what = fmt::format("expression {}", id.index);
    if (!TypeOk(e.type)) return Fail(what + " has an invalid type");
    for (ExprId op : e.operands) {
      if (!ExprOk(op)) return Fail(fmt::format("{}: operand {} out of range", what, op.index));
    }
    auto want_operands = [&](size_t n) {
      if (e.operands.size() != n) return Fail(fmt::format("{} needs {} operands, has {}", what, n, e.operands.size()));
      return true;
    };
    switch (e.kind) {
      case ExprKind::Literal:
      case ExprKind::Input:
      case ExprKind::OutputPath: return want_operands(0);
      case ExprKind::Var:
        if (!VarOk(e.var)) return Fail(what + ": variable out of range");
        return want_operands(0);
      case ExprKind::StepValue:
        if (!StepOk(e.step)) return Fail(what + ": step out of range");
        return want_operands(0);
      case ExprKind::Field:
      case ExprKind::Unary:
      case ExprKind::Convert: return want_operands(1);
      case ExprKind::Index:
      case ExprKind::Binary: return want_operands(2);
      case ExprKind::Cond: return want_operands(3);
      case ExprKind::Let:
        if (!VarOk(e.var)) return Fail(what + ": variable out of range");
        return want_operands(2);
      case ExprKind::Comprehension:
        if (e.vars.empty() || e.vars.size() > 2) return Fail(what + ": a comprehension binds 1 or 2 variables");
        for (VarId v : e.vars) {
          if (!VarOk(v)) return Fail(what + ": variable out of range");
        }
        return want_operands(2);
      case ExprKind::List:
      case ExprKind::Builtin: return true;
      case ExprKind::Map:
        if (e.operands.size() % 2 != 0) return Fail(what + ": a map needs key/value pairs");
        return true;
      case ExprKind::Record:
        if (e.names.size() != e.operands.size()) return Fail(what + ": record names and operands differ");
        return true;
      case ExprKind::Interpolate:
        if (e.text_parts.size() != e.operands.size() + 1) return Fail(what + ": text_parts must be operands + 1");
        return true;
    }
    return Fail(what + ": unknown kind");
  }

  bool CheckParams(const std::vector<Param>& params, const std::string& owner) {
    for (const Param& p : params) {
      if (!TypeOk(p.type)) return Fail(fmt::format("{}: parameter `{}` has an invalid type", owner, p.name));
      if (!OptExpr(p.default_value, owner + " default")) return false;
    }
    return true;
  }

  bool CheckTemplate(const Template& t, const std::string& owner) {
    for (const TemplatePart& part : t.parts) {
      if (!OptExpr(part.expr, owner)) return false;
    }
    return true;
  }

  bool CheckTask(const Task& task) {
    std::string owner = "task `" + task.qualified_name + "`";
    if (!CheckParams(task.params, owner)) return false;
    for (const TaskLocal& local : task.locals) {
      if (!VarOk(local.var) || !ExprOk(local.value)) return Fail(owner + ": bad local");
    }
    for (ExprId f : task.fields) {
      if (!OptExpr(f, owner + " field")) return false;
    }
    if (task.single_output && task.outputs.size() != 1) return Fail(owner + ": a single output needs one Output");
    if (!CheckTemplate(task.script, owner + " script")) return false;
    for (const ArgvElement& arg : task.command) {
      if (!CheckTemplate(arg.tmpl, owner + " command")) return false;
    }
    return true;
  }

  bool CheckWorkflow(const Workflow& wf) {
    std::string owner = "workflow `" + wf.qualified_name + "`";
    if (!CheckParams(wf.params, owner)) return false;
    if (!OptExpr(wf.result, owner + " result")) return false;
    ids_.clear();
    if (!CheckRegion(wf.body, owner)) return false;
    if (!CheckRegion(wf.finally_body, owner + " finally")) return false;
    return true;
  }

  bool CheckRegion(const Region& region, const std::string& owner) {
    std::set<int32_t> members;
    for (StepId id : region.steps) {
      if (!StepOk(id)) return Fail(fmt::format("{}: step {} out of range", owner, id.index));
      if (!members.insert(id.index).second) return Fail(fmt::format("{}: step {} listed twice", owner, id.index));
      if (!seen_.insert(id.index).second) {
        return Fail(fmt::format("{}: step `{}` belongs to more than one region", owner, p_.step(id).id));
      }
    }
    std::set<int32_t> placed;
    for (StepId id : region.steps) {
      const Step& s = p_.step(id);
      std::string what = owner + ": step `" + s.id + "`";
      if (s.id.empty()) return Fail(what + " has no id");
      if (!ids_.insert(s.id).second) return Fail(what + ": duplicate step id");
      if (!TypeOk(s.type)) return Fail(what + " has an invalid type");
      if (!std::is_sorted(s.deps.begin(), s.deps.end()) ||
          std::adjacent_find(s.deps.begin(), s.deps.end()) != s.deps.end()) {
        return Fail(what + ": deps are not sorted and unique");
      }
      for (StepId dep : s.deps) {
        if (!members.count(dep.index)) return Fail(what + ": depends on a step of another region");
        if (!placed.count(dep.index)) return Fail(what + ": region is not in topological order");
      }
      for (StepId dep : s.after_deps) {
        if (!std::binary_search(s.deps.begin(), s.deps.end(), dep)) return Fail(what + ": after_deps not in deps");
      }
      placed.insert(id.index);
      if (!CheckStep(s, what)) return false;
    }
    return true;
  }

  bool CheckStep(const Step& s, const std::string& what) {
    switch (s.kind) {
      case StepKind::Call: {
        size_t count = s.callee_kind == CalleeKind::Task ? p_.tasks.size() : p_.workflows.size();
        if (s.callee < 0 || static_cast<size_t>(s.callee) >= count) return Fail(what + ": callee out of range");
        size_t params = s.callee_kind == CalleeKind::Task ? p_.tasks[s.callee].params.size()
                                                          : p_.workflows[s.callee].params.size();
        if (s.args.size() != params) return Fail(what + ": needs one argument slot per callee parameter");
        for (ExprId a : s.args) {
          if (!OptExpr(a, what)) return false;
        }
        for (const FieldOverride& o : s.overrides) {
          if (!ExprOk(o.value)) return Fail(what + ": bad override");
        }
        return true;
      }
      case StepKind::Scatter:
        if (s.vars.empty() || s.vars.size() > 2) return Fail(what + ": a scatter binds 1 or 2 variables");
        for (VarId v : s.vars) {
          if (!VarOk(v)) return Fail(what + ": variable out of range");
        }
        if (!ExprOk(s.iterable)) return Fail(what + ": no iterable");
        if (!OptExpr(s.limit, what) || !OptExpr(s.body_value, what)) return false;
        return CheckRegion(s.body, what);
      case StepKind::Cond:
        if (!ExprOk(s.cond)) return Fail(what + ": no condition");
        if (!OptExpr(s.then_value, what) || !OptExpr(s.else_value, what)) return false;
        if (!s.has_else && (!s.else_body.steps.empty() || s.else_value.valid())) {
          return Fail(what + ": an `if` without `else` has an else branch");
        }
        if (!CheckRegion(s.then_body, what + " then")) return false;
        return CheckRegion(s.else_body, what + " else");
      case StepKind::Value:
        if (!ExprOk(s.value)) return Fail(what + ": no value");
        return true;
    }
    return Fail(what + ": unknown kind");
  }

  const Program& p_;
  std::string* error_;
  std::set<int32_t> seen_;
  std::set<std::string> ids_;
};

}  // namespace

bool VerifyProgram(const Program& program, std::string* error) {
  Verifier verifier(program, error);
  return verifier.Run();
}

}  // namespace flow::ir

#include "compiler/ir/task_digest.h"

#include <fmt/format.h>
#include <llvm/Support/xxhash.h>

#include "compiler/ir/value_json.h"

namespace flow::ir {

namespace {

class Canonicalizer {
 public:
  explicit Canonicalizer(const Program& program) : program_(program) {}

  void Text(const std::string& s) { out_ += DumpJson(Json(s)); }

  void Expression(ExprId id, int depth = 0) {
    if (!id.valid() || static_cast<size_t>(id.index) >= program_.exprs.size() || depth > 1000) {
      out_ += "_";
      return;
    }
    const Expr& e = program_.expr(id);
    out_ += fmt::format("({}:{}", static_cast<int>(e.kind), program_.types.ToString(e.type));
    switch (e.kind) {
      case ExprKind::Literal: out_ += " " + DumpJson(ValueToJson(e.literal, e.type, program_.types)); break;
      case ExprKind::Input:
      case ExprKind::OutputPath: out_ += fmt::format(" {}", e.index); break;
      case ExprKind::Var:
      case ExprKind::Let: out_ += " " + VarText(e.var); break;
      case ExprKind::Comprehension:
        for (VarId v : e.vars) out_ += " " + VarText(v);
        break;
      case ExprKind::StepValue: out_ += fmt::format(" step{}", e.step.index); break;
      case ExprKind::Field: out_ += " " + DumpJson(Json(e.name)); break;
      case ExprKind::Unary: out_ += fmt::format(" {}", Spelling(e.unary_op)); break;
      case ExprKind::Binary: out_ += fmt::format(" {}", Spelling(e.binary_op)); break;
      case ExprKind::Builtin: out_ += fmt::format(" b{}", static_cast<int>(e.builtin)); break;
      case ExprKind::Record:
        for (const auto& n : e.names) out_ += " " + DumpJson(Json(n));
        break;
      case ExprKind::Interpolate:
        for (const auto& t : e.text_parts) out_ += " " + DumpJson(Json(t));
        break;
      case ExprKind::Index:
      case ExprKind::List:
      case ExprKind::Map:
      case ExprKind::Cond:
      case ExprKind::Convert: break;
    }
    for (ExprId op : e.operands) {
      out_ += ' ';
      Expression(op, depth + 1);
    }
    out_ += ')';
  }

  void Tmpl(const Template& t) {
    out_ += '[';
    for (const TemplatePart& part : t.parts) {
      if (part.expr.valid()) {
        out_ += part.raw ? "{raw " : "{";
        Expression(part.expr);
        out_ += '}';
      } else {
        Text(part.text);
      }
    }
    out_ += ']';
  }

  std::string VarText(VarId v) const {
    if (!v.valid() || static_cast<size_t>(v.index) >= program_.vars.size()) return "_";
    return DumpJson(Json(program_.var(v).name)) + ":" + program_.types.ToString(program_.var(v).type);
  }

  std::string Take() { return std::move(out_); }
  std::string& out() { return out_; }

 private:
  const Program& program_;
  std::string out_;
};

}  // namespace

std::string CanonicalTaskText(const Program& program, const Task& task) {
  Canonicalizer c(program);
  std::string& out = c.out();
  out += "task ";
  c.Text(task.qualified_name);
  out += "\nparams";
  for (const Param& p : task.params) {
    out += " ";
    c.Text(p.name);
    out += ":" + program.types.ToString(p.type) + "=";
    c.Expression(p.default_value);
  }
  out += "\noutputs";
  for (const Output& o : task.outputs) {
    out += " ";
    c.Text(o.name);
    out += ":" + program.types.ToString(o.type);
  }
  out += task.single_output ? " single" : " named";
  out += "\nlocals";
  for (const TaskLocal& local : task.locals) {
    out += " " + c.VarText(local.var) + "=";
    c.Expression(local.value);
  }
  out += "\nfields";
  for (size_t i = 0; i < kTaskFieldCount; ++i) {
    if (!task.fields[i].valid()) continue;
    out += fmt::format(" {}=", TaskFieldName(static_cast<TaskField>(i)));
    c.Expression(task.fields[i]);
  }
  if (task.has_script) {
    out += "\nscript ";
    c.Tmpl(task.script);
  } else {
    out += "\ncommand";
    for (const ArgvElement& arg : task.command) {
      out += arg.splice ? " splice" : " ";
      c.Tmpl(arg.tmpl);
    }
  }
  out += "\n";
  return c.Take();
}

std::string TaskDigest(const Program& program, const Task& task) {
  std::string text = CanonicalTaskText(program, task);
  uint64_t hash = llvm::xxHash64(llvm::StringRef(text));
  return fmt::format("{:016x}", hash);
}

}  // namespace flow::ir

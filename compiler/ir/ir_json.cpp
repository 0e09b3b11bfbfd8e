#include "compiler/ir/ir_json.h"

#include "compiler/ir/eval_builtin.h"

namespace flow::ir {

namespace {

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::Call: return "call";
    case StepKind::Scatter: return "scatter";
    case StepKind::Cond: return "cond";
    case StepKind::Value: return "value";
  }
  return "?";
}

class JsonWriter {
 public:
  JsonWriter(const Program& program, const std::vector<Param>* params, const std::vector<Output>* outputs)
      : p_(program), params_(params), outputs_(outputs) {}

  std::string Type(TypeId t) const { return t.valid() ? p_.types.ToString(t) : std::string(); }

  Json Expression(ExprId id, int depth = 0) const {
    if (!id.valid() || static_cast<size_t>(id.index) >= p_.exprs.size()) return nullptr;
    if (depth > 500) return "...";
    const Expr& e = p_.expr(id);
    Json j = Json::object();
    auto ops = [&]() {
      Json arr = Json::array();
      for (ExprId op : e.operands) arr.push_back(Expression(op, depth + 1));
      return arr;
    };
    auto operand = [&](size_t i) { return i < e.operands.size() ? Expression(e.operands[i], depth + 1) : Json(); };
    switch (e.kind) {
      case ExprKind::Literal: j["lit"] = ValueToJson(e.literal, e.type, p_.types); break;
      case ExprKind::Input:
        j["input"] = params_ && e.index >= 0 && static_cast<size_t>(e.index) < params_->size()
                         ? Json((*params_)[e.index].name)
                         : Json(e.index);
        break;
      case ExprKind::Var: j["var"] = VarName(e.var); break;
      case ExprKind::StepValue:
        j["step"] = e.step.valid() && static_cast<size_t>(e.step.index) < p_.steps.size() ? p_.step(e.step).id : "?";
        break;
      case ExprKind::OutputPath:
        if (outputs_ && e.index >= 0 && static_cast<size_t>(e.index) < outputs_->size() &&
            !(*outputs_)[e.index].name.empty()) {
          j["out"] = (*outputs_)[e.index].name;
        } else {
          j["out"] = e.index;
        }
        break;
      case ExprKind::Field:
        j["field"] = e.name;
        j["of"] = operand(0);
        break;
      case ExprKind::Index: j["index"] = ops(); break;
      case ExprKind::Unary:
        j["op"] = Spelling(e.unary_op);
        j["args"] = ops();
        break;
      case ExprKind::Binary:
        j["op"] = Spelling(e.binary_op);
        j["args"] = ops();
        break;
      case ExprKind::List: j["list"] = ops(); break;
      case ExprKind::Map: {
        Json entries = Json::array();
        for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
          entries.push_back(Json::array({Expression(e.operands[i], depth + 1), Expression(e.operands[i + 1], depth + 1)}));
        }
        j["map"] = entries;
        break;
      }
      case ExprKind::Record: {
        Json fields = Json::object();
        for (size_t i = 0; i < e.operands.size() && i < e.names.size(); ++i) {
          fields[e.names[i]] = Expression(e.operands[i], depth + 1);
        }
        j["record"] = fields;
        break;
      }
      case ExprKind::Cond: j["if"] = ops(); break;
      case ExprKind::Comprehension: {
        Json vars = Json::array();
        for (VarId v : e.vars) vars.push_back(VarName(v));
        j["for"] = vars;
        j["in"] = operand(0);
        j["yield"] = operand(1);
        break;
      }
      case ExprKind::Let:
        j["let"] = VarName(e.var);
        j["be"] = operand(0);
        j["in"] = operand(1);
        break;
      case ExprKind::Builtin:
        j["builtin"] = BuiltinName(e.builtin);
        j["args"] = ops();
        break;
      case ExprKind::Interpolate: {
        Json parts = Json::array();
        for (size_t i = 0; i < e.text_parts.size(); ++i) {
          if (!e.text_parts[i].empty()) parts.push_back(e.text_parts[i]);
          if (i < e.operands.size()) parts.push_back(Expression(e.operands[i], depth + 1));
        }
        j["concat"] = parts;
        break;
      }
      case ExprKind::Convert: j["convert"] = operand(0); break;
    }
    j["type"] = Type(e.type);
    return j;
  }

  std::string VarName(VarId v) const {
    if (!v.valid() || static_cast<size_t>(v.index) >= p_.vars.size()) return "?";
    return p_.var(v).name;
  }

  Json TemplateJson(const Template& t) const {
    Json parts = Json::array();
    for (const TemplatePart& part : t.parts) {
      if (!part.expr.valid()) {
        parts.push_back(part.text);
        continue;
      }
      Json j = Json::object();
      j[part.raw ? "raw" : "value"] = Expression(part.expr);
      parts.push_back(j);
    }
    return parts;
  }

  Json Params(const std::vector<Param>& params) const {
    Json arr = Json::array();
    for (const Param& param : params) {
      Json j = Json::object();
      j["name"] = param.name;
      j["type"] = Type(param.type);
      if (param.default_value.valid()) j["default"] = Expression(param.default_value);
      if (!param.doc.empty()) j["doc"] = param.doc;
      arr.push_back(j);
    }
    return arr;
  }

  Json StepIds(const std::vector<StepId>& ids) const {
    Json arr = Json::array();
    for (StepId id : ids) arr.push_back(p_.step(id).id);
    return arr;
  }

  Json RegionJson(const Region& region, int depth = 0) const {
    Json arr = Json::array();
    for (StepId id : region.steps) arr.push_back(StepJson(p_.step(id), depth));
    return arr;
  }

  Json StepJson(const Step& s, int depth) const {
    Json j = Json::object();
    j["id"] = s.id;
    j["kind"] = StepKindName(s.kind);
    if (!s.binding.empty()) j["binding"] = s.binding;
    j["type"] = Type(s.type);
    j["loc"] = p_.Where(s.loc);
    j["deps"] = StepIds(s.deps);
    if (!s.after_deps.empty()) j["after"] = StepIds(s.after_deps);
    if (depth > 200) return j;
    switch (s.kind) {
      case StepKind::Call: {
        bool is_task = s.callee_kind == CalleeKind::Task;
        const std::vector<Param>* callee_params = nullptr;
        if (is_task && s.callee >= 0 && static_cast<size_t>(s.callee) < p_.tasks.size()) {
          j["callee"] = p_.tasks[s.callee].qualified_name;
          callee_params = &p_.tasks[s.callee].params;
        } else if (!is_task && s.callee >= 0 && static_cast<size_t>(s.callee) < p_.workflows.size()) {
          j["callee"] = p_.workflows[s.callee].qualified_name;
          callee_params = &p_.workflows[s.callee].params;
        }
        j["callee_kind"] = is_task ? "task" : "workflow";
        Json args = Json::object();
        for (size_t i = 0; i < s.args.size(); ++i) {
          std::string name = callee_params && i < callee_params->size() ? (*callee_params)[i].name
                                                                         : std::to_string(i);
          args[name] = s.args[i].valid() ? Expression(s.args[i]) : Json("default");
        }
        j["args"] = args;
        if (!s.overrides.empty()) {
          Json overrides = Json::object();
          for (const FieldOverride& o : s.overrides) overrides[TaskFieldName(o.field)] = Expression(o.value);
          j["with"] = overrides;
        }
        if (s.is_try) j["try"] = true;
        break;
      }
      case StepKind::Scatter: {
        Json vars = Json::array();
        for (VarId v : s.vars) {
          vars.push_back(Json::object({{"name", VarName(v)}, {"type", Type(p_.var(v).type)}}));
        }
        j["vars"] = vars;
        j["iterable"] = Expression(s.iterable);
        if (s.limit.valid()) j["limit"] = Expression(s.limit);
        j["body"] = RegionJson(s.body, depth + 1);
        j["body_value"] = Expression(s.body_value);
        break;
      }
      case StepKind::Cond:
        j["cond"] = Expression(s.cond);
        j["then"] = RegionJson(s.then_body, depth + 1);
        j["then_value"] = Expression(s.then_value);
        if (s.has_else) {
          j["else"] = RegionJson(s.else_body, depth + 1);
          j["else_value"] = Expression(s.else_value);
        }
        break;
      case StepKind::Value: j["value"] = Expression(s.value); break;
    }
    return j;
  }

 private:
  const Program& p_;
  const std::vector<Param>* params_;
  const std::vector<Output>* outputs_;
};

Json TaskJson(const Program& p, const Task& task) {
  JsonWriter w(p, &task.params, &task.outputs);
  Json j = Json::object();
  j["name"] = task.qualified_name;
  if (!task.module.empty()) j["module"] = task.module;
  j["loc"] = p.Where(task.loc);
  if (!task.doc.empty()) j["doc"] = task.doc;
  j["params"] = w.Params(task.params);
  Json outputs = Json::array();
  for (const Output& o : task.outputs) outputs.push_back(Json::object({{"name", o.name}, {"type", w.Type(o.type)}}));
  j["outputs"] = outputs;
  if (task.output_type.valid()) j["output_type"] = w.Type(task.output_type);
  j["single_output"] = task.single_output;
  Json locals = Json::array();
  for (const TaskLocal& local : task.locals) {
    locals.push_back(Json::object({{"name", w.VarName(local.var)},
                                   {"type", w.Type(p.var(local.var).type)},
                                   {"value", w.Expression(local.value)}}));
  }
  if (!locals.empty()) j["locals"] = locals;
  Json fields = Json::object();
  for (size_t i = 0; i < kTaskFieldCount; ++i) {
    if (task.fields[i].valid()) fields[TaskFieldName(static_cast<TaskField>(i))] = w.Expression(task.fields[i]);
  }
  j["fields"] = fields;
  if (task.has_script) {
    j["script"] = w.TemplateJson(task.script);
  } else {
    Json argv = Json::array();
    for (const ArgvElement& arg : task.command) {
      Json a = Json::object({{"parts", w.TemplateJson(arg.tmpl)}});
      if (arg.splice) a["splice"] = true;
      argv.push_back(a);
    }
    j["command"] = argv;
  }
  j["digest"] = task.digest;
  return j;
}

Json WorkflowJson(const Program& p, const Workflow& wf) {
  JsonWriter w(p, &wf.params, nullptr);
  Json j = Json::object();
  j["name"] = wf.qualified_name;
  if (!wf.module.empty()) j["module"] = wf.module;
  j["loc"] = p.Where(wf.loc);
  if (!wf.doc.empty()) j["doc"] = wf.doc;
  j["params"] = w.Params(wf.params);
  if (wf.output_type.valid()) {
    j["output_type"] = w.Type(wf.output_type);
    j["record_output"] = wf.record_output;
  }
  if (wf.schedule) j["schedule"] = *wf.schedule;
  j["steps"] = w.RegionJson(wf.body);
  if (!wf.finally_body.steps.empty()) j["finally"] = w.RegionJson(wf.finally_body);
  if (wf.result.valid()) j["result"] = w.Expression(wf.result);
  return j;
}

// Pretty JSON that keeps small values on one line: an object or array whose
// compact form fits in the remaining width is printed inline, anything larger
// is broken over lines with two-space indentation.
constexpr size_t kLineWidth = 100;

// One line, with a space after ':' and ','. Gives up (false) as soon as the
// text grows past `limit`, so large documents are not serialized over and
// over while deciding how to break them.
bool InlineWithin(const Json& j, size_t limit, std::string* out) {
  if (!j.is_object() && !j.is_array()) {
    *out += DumpJson(j);
    return out->size() <= limit;
  }
  *out += j.is_object() ? "{" : "[";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    *out += first ? "" : ", ";
    first = false;
    if (j.is_object()) *out += DumpJson(Json(it.key())) + ": ";
    if (out->size() > limit || !InlineWithin(it.value(), limit, out)) return false;
  }
  *out += j.is_object() ? "}" : "]";
  return out->size() <= limit;
}

// `indent`: the indentation of the current line; `column`: where `j` starts.
void WritePretty(const Json& j, size_t indent, size_t column, std::string* out) {
  if (!j.is_object() && !j.is_array()) {
    *out += DumpJson(j);
    return;
  }
  if (j.empty()) {
    *out += j.is_object() ? "{}" : "[]";
    return;
  }
  std::string line;
  if (column < kLineWidth && InlineWithin(j, kLineWidth - column, &line)) {
    *out += line;
    return;
  }
  std::string pad(indent + 2, ' ');
  *out += j.is_object() ? "{\n" : "[\n";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!first) *out += ",\n";
    first = false;
    *out += pad;
    size_t at = indent + 2;
    if (j.is_object()) {
      std::string key = DumpJson(Json(it.key())) + ": ";
      *out += key;
      at += key.size();
    }
    WritePretty(it.value(), indent + 2, at, out);
  }
  *out += "\n" + std::string(indent, ' ') + (j.is_object() ? "}" : "]");
}

}  // namespace

Json ExprToJson(const Program& program, ExprId expr, const std::vector<Param>* params,
                const std::vector<Output>* outputs) {
  return JsonWriter(program, params, outputs).Expression(expr);
}

std::string ProgramToJson(const Program& program) {
  Json j = Json::object();
  j["entry"] = program.entry >= 0 && static_cast<size_t>(program.entry) < program.workflows.size()
                   ? Json(program.workflows[program.entry].qualified_name)
                   : Json(nullptr);
  Json tasks = Json::array();
  for (const Task& task : program.tasks) tasks.push_back(TaskJson(program, task));
  j["tasks"] = tasks;
  Json workflows = Json::array();
  for (const Workflow& wf : program.workflows) workflows.push_back(WorkflowJson(program, wf));
  j["workflows"] = workflows;
  std::string out;
  WritePretty(j, 0, 0, &out);
  return out;
}

}  // namespace flow::ir

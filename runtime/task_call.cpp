#include "runtime/task_call.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/shell_quote.h"

namespace flow::runtime {

namespace {

using types::TypeKind;

ir::EvalEnv TaskEnv(const ResolvedTask& call, const std::vector<ir::Value>* output_paths) {
  ir::EvalEnv env;
  env.input = [&call](int32_t index) -> const ir::Value* {
    if (index < 0 || static_cast<size_t>(index) >= call.inputs.size()) return nullptr;
    return &call.inputs[index];
  };
  env.var = [&call](ir::VarId var) -> const ir::Value* {
    for (auto it = call.locals.rbegin(); it != call.locals.rend(); ++it)
      if (it->first == var) return &it->second;
    return nullptr;
  };
  env.output_path = [output_paths](int32_t index) -> const ir::Value* {
    if (!output_paths || index < 0 || static_cast<size_t>(index) >= output_paths->size()) return nullptr;
    return &(*output_paths)[index];
  };
  return env;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// The text(s) an interpolated value contributes.
lower::ScriptValue ToScriptValue(const ir::Program& program, const ir::Value& value, types::TypeId type) {
  lower::ScriptValue sv;
  types::TypeId stripped = type.valid() ? program.types.StripOptional(type) : type;
  if (value.kind() == ir::Value::Kind::List) {
    sv.is_list = true;
    types::TypeId elem = stripped.valid() && program.types.KindOf(stripped) == TypeKind::List
                             ? program.types.Get(stripped).elem
                             : types::TypeId{};
    for (const ir::Value& v : value.list()) sv.texts.push_back(ir::FormatValueText(v, elem, program.types));
    return sv;
  }
  sv.texts.push_back(ir::FormatValueText(value, stripped, program.types));
  return sv;
}

// Evaluates the interpolations of `tmpl` in order.
bool TemplateValues(const ir::Program& program, const ir::Template& tmpl, const ir::EvalEnv& env,
                    std::vector<lower::ScriptValue>* values, std::string* error) {
  for (const ir::TemplatePart& part : tmpl.parts) {
    if (!part.expr.valid()) continue;
    ir::ExprId expr = part.expr;
    const ir::Expr& e = program.expr(expr);
    if (e.kind == ir::ExprKind::Builtin && e.builtin == ir::BuiltinId::Raw && !e.operands.empty())
      expr = e.operands[0];
    ir::EvalResult r = ir::Eval(program, expr, env);
    if (!r.ok) {
      *error = program.Where(r.loc) + ": " + r.error;
      return false;
    }
    values->push_back(ToScriptValue(program, r.value, program.expr(expr).type));
  }
  return true;
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

}  // namespace

void ApplyField(ir::TaskField field, const ir::Value& value, TaskSettings* s) {
  if (value.is_none()) return;
  switch (field) {
    case ir::TaskField::Image: s->image = value.as_string(); break;
    case ir::TaskField::Cpu: s->cpu = value.as_float(); break;
    case ir::TaskField::Memory: s->memory = value.as_int(); break;
    case ir::TaskField::Gpu: s->gpu = value.as_int(); break;
    case ir::TaskField::Retries: s->retries = value.as_int() < 0 ? 0 : value.as_int(); break;
    case ir::TaskField::Backoff: s->backoff_ms = value.as_int() < 0 ? 0 : value.as_int(); break;
    case ir::TaskField::Timeout: s->timeout_ms = value.as_int() < 0 ? 0 : value.as_int(); break;
    case ir::TaskField::Cache: s->cache = value.as_bool(); break;
    case ir::TaskField::Env:
      s->env.clear();
      for (const auto& [k, v] : value.map()) s->env.emplace_back(k.as_string(), v.as_string());
      break;
    case ir::TaskField::Shell: s->shell = value.as_string(); break;
  }
}

bool ResolveTask(const ir::Program& program, int32_t task_index, std::vector<ir::Value> inputs,
                 const std::vector<std::pair<ir::TaskField, ir::Value>>& overrides,
                 ResolvedTask* out, std::string* error) {
  const ir::Task& task = program.tasks[task_index];
  out->task = task_index;
  out->inputs = std::move(inputs);
  out->locals.clear();
  out->settings = TaskSettings{};
  ir::EvalEnv env = TaskEnv(*out, nullptr);
  for (const ir::TaskLocal& local : task.locals) {
    ir::EvalResult r = ir::Eval(program, local.value, env);
    if (!r.ok) {
      *error = program.Where(r.loc) + ": " + r.error;
      return false;
    }
    out->locals.emplace_back(local.var, std::move(r.value));
  }
  for (size_t f = 0; f < ir::kTaskFieldCount; ++f) {
    ir::TaskField field = static_cast<ir::TaskField>(f);
    const ir::Value* override_value = nullptr;
    for (const auto& [of, ov] : overrides)
      if (of == field) override_value = &ov;
    if (override_value) {
      ApplyField(field, *override_value, &out->settings);
      continue;
    }
    if (!task.fields[f].valid()) continue;
    ir::EvalResult r = ir::Eval(program, task.fields[f], env);
    if (!r.ok) {
      *error = program.Where(r.loc) + ": field `" + ir::TaskFieldName(field) + "`: " + r.error;
      return false;
    }
    ApplyField(field, r.value, &out->settings);
  }
  return true;
}

std::vector<std::string> OutputPaths(const ir::Task& task, const std::string& dir) {
  std::vector<std::string> paths;
  for (const ir::Output& o : task.outputs) paths.push_back(dir + "/" + (o.name.empty() ? "out" : "out." + o.name));
  return paths;
}

bool RenderTaskProgram(const ir::Program& program, const ResolvedTask& call,
                       const std::vector<std::string>& output_paths, TaskProgram* out,
                       std::string* error) {
  const ir::Task& task = program.tasks[call.task];
  std::vector<ir::Value> paths;
  for (const std::string& p : output_paths) paths.push_back(ir::Value::String(p));
  ir::EvalEnv env = TaskEnv(call, &paths);
  out->argv.clear();
  out->has_script = task.has_script;
  if (task.has_script) {
    std::vector<lower::ScriptValue> values;
    if (!TemplateValues(program, task.script, env, &values, error)) return false;
    if (!lower::RenderLocalScript(task.script, values, &out->script, error)) {
      *error = "task `" + task.qualified_name + "`: " + *error;
      return false;
    }
    if (call.settings.shell.empty()) {
      out->argv = {"/bin/sh", "-eu"};
    } else {
      out->argv = SplitWords(call.settings.shell);
      if (out->argv.empty()) out->argv = {"/bin/sh", "-eu"};
    }
    return true;
  }
  for (const ir::ArgvElement& element : task.command) {
    std::vector<lower::ScriptValue> values;
    if (!TemplateValues(program, element.tmpl, env, &values, error)) return false;
    lower::RenderLocalArgv(element, values, &out->argv);
  }
  if (out->argv.empty()) {
    *error = "task `" + task.qualified_name + "` has an empty `command`";
    return false;
  }
  return true;
}

ir::ReadOptions ValueReadOptions(const ir::Program& program) {
  ir::ReadOptions options;
  options.struct_default = [&program](types::TypeId type, size_t field) -> std::optional<ir::Value> {
    auto it = program.struct_defaults.find(type.index);
    if (it == program.struct_defaults.end() || field >= it->second.size() || !it->second[field].valid())
      return std::nullopt;
    ir::EvalResult r = ir::Eval(program, it->second[field], ir::EvalEnv{});
    if (!r.ok) return std::nullopt;
    return r.value;
  };
  return options;
}

namespace {

bool ReadOne(const ir::Program& program, const ir::Task& task, const ir::Output& output,
             const std::string& path, ir::Value* value, std::string* error) {
  std::string out_name = output.name.empty() ? "out" : "out." + output.name;
  types::TypeId type = output.type;
  bool optional = program.types.IsOptional(type);
  types::TypeId base = program.types.StripOptional(type);
  std::string type_name = program.types.ToString(type);
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (optional) {
      *value = ir::Value::None();
      return true;
    }
    *error = "task `" + task.qualified_name + "` did not write output `" + out_name + "` (`" +
             type_name + "`) at " + path;
    return false;
  }
  TypeKind kind = program.types.KindOf(base);
  if (kind == TypeKind::File || kind == TypeKind::Dir) {
    bool is_dir = S_ISDIR(st.st_mode);
    if ((kind == TypeKind::Dir) != is_dir) {
      *error = "task `" + task.qualified_name + "` output `" + out_name + "`: expected `" + type_name +
               "`, found a " + (is_dir ? "directory" : "file") + " at " + path;
      return false;
    }
    *value = ir::Value::String(path);
    return true;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = "task `" + task.qualified_name + "` output `" + out_name + "`: expected a file holding `" +
             type_name + "` at " + path;
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string trimmed = Trim(text);
  if (optional && (trimmed.empty() || trimmed == "null" || trimmed == "none")) {
    *value = ir::Value::None();
    return true;
  }
  std::string why;
  ir::ReadOptions options = ValueReadOptions(program);
  if (!ir::ValueFromText(trimmed, base, program.types, options, value, &why)) {
    std::string shown = trimmed.size() > 200 ? trimmed.substr(0, 200) + "..." : trimmed;
    *error = "task `" + task.qualified_name + "` output `" + out_name + "`: expected `" + type_name +
             "`, found `" + shown + "` in " + path + " (" + why + ")";
    return false;
  }
  *value = ir::ConvertValue(*value, base, type, program.types);
  return true;
}

}  // namespace

bool ReadOutputs(const ir::Program& program, const ir::Task& task,
                 const std::vector<std::string>& output_paths, ir::Value* value, std::string* error) {
  if (task.outputs.empty()) {
    *value = ir::Value::None();
    return true;
  }
  std::vector<std::pair<std::string, ir::Value>> fields;
  for (size_t i = 0; i < task.outputs.size(); ++i) {
    ir::Value v;
    if (!ReadOne(program, task, task.outputs[i], output_paths[i], &v, error)) return false;
    fields.emplace_back(task.outputs[i].name, std::move(v));
  }
  if (task.single_output) {
    *value = std::move(fields[0].second);
    return true;
  }
  *value = ir::Value::Record(std::move(fields));
  return true;
}

}  // namespace flow::runtime

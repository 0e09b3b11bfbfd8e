#include "compiler/ir/params.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/diag/suggest.h"
#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"

namespace flow::ir {

using types::TypeKind;

namespace {

constexpr int kMaxYamlDepth = 200;

// YAML → JSON with every scalar as a string (the Flow type decides how to read
// it) and null for YAML nulls. False on too-deep nesting.
bool YamlToJson(const YAML::Node& node, int depth, Json* out) {
  if (depth > kMaxYamlDepth) return false;
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: *out = nullptr; return true;
    case YAML::NodeType::Scalar: *out = node.Scalar(); return true;
    case YAML::NodeType::Sequence: {
      *out = Json::array();
      for (const YAML::Node& item : node) {
        Json j;
        if (!YamlToJson(item, depth + 1, &j)) return false;
        out->push_back(std::move(j));
      }
      return true;
    }
    case YAML::NodeType::Map: {
      *out = Json::object();
      for (const auto& entry : node) {
        Json j;
        if (!YamlToJson(entry.second, depth + 1, &j)) return false;
        std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
        (*out)[key] = std::move(j);
      }
      return true;
    }
  }
  return false;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsUri(const std::string& path) { return path.find("://") != std::string::npos; }

// Joins relative File/Dir paths inside `value` (of type `type`) to `base_dir`.
void ResolvePaths(Value* value, TypeId type, const types::TypeStore& types, const std::string& base_dir) {
  if (value->is_none() || !type.valid()) return;
  const types::Type& t = types.Get(types.StripOptional(type));
  switch (t.kind) {
    case TypeKind::File:
    case TypeKind::Dir:
      if (value->kind() == Value::Kind::String && !value->as_string().empty() && !IsUri(value->as_string())) {
        *value = Value::String(NormalizePath(JoinPath(base_dir, value->as_string())));
      }
      return;
    case TypeKind::List: {
      std::vector<Value> elems = value->list();
      for (Value& e : elems) ResolvePaths(&e, t.elem, types, base_dir);
      *value = Value::List(std::move(elems));
      return;
    }
    case TypeKind::Map: {
      std::vector<std::pair<Value, Value>> entries = value->map();
      for (auto& entry : entries) ResolvePaths(&entry.second, t.value, types, base_dir);
      *value = Value::Map(std::move(entries));
      return;
    }
    case TypeKind::Record:
    case TypeKind::Struct: {
      std::vector<std::pair<std::string, Value>> fields = value->record();
      for (auto& [name, v] : fields) {
        const types::Field* f = types.FindField(types.StripOptional(type), name);
        if (f) ResolvePaths(&v, f->type, types, base_dir);
      }
      *value = Value::Record(std::move(fields));
      return;
    }
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Optional:
    case TypeKind::Enum: return;
  }
}

}  // namespace

std::optional<Value> StructFieldDefaultValue(const Program& program, TypeId type, size_t field) {
  auto it = program.struct_defaults.find(type.index);
  if (it == program.struct_defaults.end() || field >= it->second.size() || !it->second[field].valid()) {
    return std::nullopt;
  }
  EvalResult r = Eval(program, it->second[field], EvalEnv{});
  if (!r.ok) return std::nullopt;
  return r.value;
}

bool LoadInputsFile(const FileSystem& fs, const std::string& path, ParamSources* sources, std::string* error) {
  std::string read_error;
  std::optional<std::string> text = fs.Read(path, &read_error);
  if (!text) {
    *error = fmt::format("cannot read `{}`: {}", path, read_error);
    return false;
  }
  sources->inputs_path = path;
  sources->inputs_text = std::move(*text);
  return true;
}

bool ParseParams(const Program& program, int32_t workflow, const ParamSources& sources,
                 std::map<std::string, Value>* values, std::vector<std::string>* errors) {
  values->clear();
  if (workflow < 0 || static_cast<size_t>(workflow) >= program.workflows.size()) {
    errors->push_back("there is no entry workflow to pass parameters to");
    return false;
  }
  const Workflow& wf = program.workflows[workflow];
  const types::TypeStore& types = program.types;
  std::vector<std::string> names;
  for (const Param& p : wf.params) names.push_back(p.name);
  auto find_param = [&](const std::string& name) -> const Param* {
    for (const Param& p : wf.params) {
      if (p.name == name) return &p;
    }
    return nullptr;
  };
  auto unknown = [&](const std::string& name, const std::string& where) {
    std::string message = fmt::format("unknown parameter `{}`{}: workflow `{}` ", name, where, wf.qualified_name);
    if (names.empty()) {
      message += "takes no parameters";
    } else {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "`" : ", `") + n + "`";
      message += "takes " + list;
    }
    if (auto suggestion = diag::Suggest(name, names)) message += "; " + diag::DidYouMean(*suggestion);
    errors->push_back(std::move(message));
  };
  ReadOptions options;
  options.struct_default = [&](TypeId type, size_t field) { return StructFieldDefaultValue(program, type, field); };
  const size_t errors_before = errors->size();

  // -i first: -p values given later override it.
  if (!sources.inputs_path.empty()) {
    Json inputs;
    bool is_json = EndsWith(sources.inputs_path, ".json");
    if (is_json) {
      inputs = Json::parse(sources.inputs_text, nullptr, /*allow_exceptions=*/false);
      if (inputs.is_discarded()) {
        errors->push_back(fmt::format("`{}` is not valid JSON", sources.inputs_path));
        return false;
      }
    } else {
      // yaml-cpp reports syntax errors by throwing; contain them here.
      try {
        YAML::Node node = YAML::Load(sources.inputs_text);
        if (!YamlToJson(node, 0, &inputs)) {
          errors->push_back(fmt::format("`{}` nests too deeply", sources.inputs_path));
          return false;
        }
      } catch (const YAML::Exception& e) {
        errors->push_back(fmt::format("`{}` is not valid YAML: {}", sources.inputs_path, e.what()));
        return false;
      }
      options.scalars_from_strings = true;
    }
    if (inputs.is_null()) inputs = Json::object();  // an empty YAML file
    if (!inputs.is_object()) {
      errors->push_back(fmt::format("`{}` must map parameter names to values", sources.inputs_path));
      return false;
    }
    std::string where = fmt::format(" in `{}`", sources.inputs_path);
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
      const Param* p = find_param(it.key());
      if (!p) {
        unknown(it.key(), where);
        continue;
      }
      Value v;
      std::string error;
      if (!ValueFromJson(it.value(), p->type, types, options, &v, &error)) {
        errors->push_back(fmt::format("parameter `{}`{}: {}", p->name, where, error));
        continue;
      }
      (*values)[p->name] = std::move(v);
    }
    options.scalars_from_strings = false;
  }

  for (const std::string& assignment : sources.assignments) {
    size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      errors->push_back(fmt::format("`-p {}`: expected `name=value`", assignment));
      continue;
    }
    std::string name = assignment.substr(0, eq);
    std::string text = assignment.substr(eq + 1);
    const Param* p = find_param(name);
    if (!p) {
      unknown(name, "");
      continue;
    }
    Value v;
    std::string error;
    if (!ValueFromText(text, p->type, types, options, &v, &error)) {
      errors->push_back(fmt::format("parameter `{}`: {}", name, error));
      continue;
    }
    (*values)[name] = std::move(v);
  }

  std::string missing;
  for (const Param& p : wf.params) {
    if (values->count(p.name)) continue;
    if (p.default_value.valid()) {
      EvalResult r = Eval(program, p.default_value, EvalEnv{});
      if (!r.ok) {
        errors->push_back(fmt::format("parameter `{}`: its default cannot be computed: {}", p.name, r.error));
        continue;
      }
      (*values)[p.name] = std::move(r.value);
      continue;
    }
    missing += fmt::format("{}`{}` ({})", missing.empty() ? "" : ", ", p.name, types.ToString(p.type));
  }
  if (!missing.empty()) {
    errors->push_back(fmt::format("missing required parameter(s) of workflow `{}`: {}; pass them with `-p name=value`",
                                  wf.qualified_name, missing));
  }
  if (!sources.base_dir.empty()) {
    for (const Param& p : wf.params) {
      auto it = values->find(p.name);
      if (it != values->end()) ResolvePaths(&it->second, p.type, types, sources.base_dir);
    }
  }
  return errors->size() == errors_before;
}

}  // namespace flow::ir

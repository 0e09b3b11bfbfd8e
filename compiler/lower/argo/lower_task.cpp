// Tasks → Argo container templates.
//
// A script task runs `/bin/sh -eu -c SCRIPT` where every interpolation is an
// environment-variable reference (lower/shell_quote.h, cluster mode): a value
// is never pasted into script source. A command task runs its argv directly.
// File/Dir inputs are key-only input artifacts downloaded to /flow/in/NAME;
// outputs are written under /tmp/flow/out. See docs/targets/argo.md.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/context.h"
#include "compiler/lower/shell_quote.h"

namespace flow::lower::argo {

using types::TypeKind;

namespace {

constexpr const char* kOutDir = "/tmp/flow/out";

std::string OutputName(const ir::Output& out) { return out.name.empty() ? "value" : ParamName(out.name); }

bool IsPathKind(TypeKind kind) { return kind == TypeKind::File || kind == TypeKind::Dir; }

/// Kubernetes quantity for a CPU count: whole cores as integers, else millicores.
std::string CpuQuantity(double cores) {
  auto milli = static_cast<int64_t>(cores * 1000 + 0.5);
  if (milli % 1000 == 0) return std::to_string(milli / 1000);
  return std::to_string(milli) + "m";
}

int64_t CeilSeconds(int64_t millis) { return (millis + 999) / 1000; }

/// FNV-1a, 64 bits: a stable digest of a template's definition for its cache key.
std::string DefinitionHash(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace

std::string Lowering::TaskTemplate(int32_t task_index, const std::vector<ir::FieldOverride>& overrides,
                                   ir::Loc call_loc) {
  const ir::Task& task = program_.tasks[task_index];
  // Effective fields: the task's own, then the call's constant overrides.
  std::array<std::optional<ir::Value>, ir::kTaskFieldCount> fields;
  std::array<ir::ExprId, ir::kTaskFieldCount> field_exprs = task.fields;
  std::string key = std::to_string(task_index);
  for (const ir::FieldOverride& o : overrides) {
    std::optional<ir::Value> value = Constant(o.value);
    if (!value) {
      Unsupported(program_.expr(o.value).loc, "a `with` override computed at run time",
                  "task templates are fixed when the workflow is submitted");
      continue;
    }
    field_exprs[static_cast<size_t>(o.field)] = o.value;
    fields[static_cast<size_t>(o.field)] = value;
    key += "|" + std::string(ir::TaskFieldName(o.field)) + "=" +
           ir::ValueToJson(*value, program_.expr(o.value).type, types()).dump();
  }
  auto found = task_templates_.find(key);
  if (found != task_templates_.end()) return found->second;

  std::string name = template_names_.Unique(overrides.empty() ? task.name : task.name + "-custom");
  task_templates_.emplace(key, name);
  Scope scope;
  scope.task = &task;

  for (size_t f = 0; f < ir::kTaskFieldCount; ++f) {
    if (fields[f] || !field_exprs[f].valid()) continue;
    fields[f] = Constant(field_exprs[f]);
    // A computed `env` map gets Argo expressions per entry (below).
    if (!fields[f] && static_cast<ir::TaskField>(f) == ir::TaskField::Env &&
        program_.expr(field_exprs[f]).kind == ir::ExprKind::Map) {
      continue;
    }
    if (!fields[f]) {
      Unsupported(program_.expr(field_exprs[f]).loc,
                  fmt::format("task field `{}` computed from inputs", ir::TaskFieldName(static_cast<ir::TaskField>(f))),
                  "Argo fixes it when the workflow is submitted");
    }
  }
  auto field = [&](ir::TaskField f) -> const std::optional<ir::Value>& { return fields[static_cast<size_t>(f)]; };

  YNode tmpl = YNode::Map();
  tmpl.Set("name", YNode::Str(name));

  // --- inputs ---------------------------------------------------------------
  bool has_path_outputs = false;
  for (const ir::Output& out : task.outputs) {
    if (IsPathKind(types().KindOf(out.type))) has_path_outputs = true;
  }
  YNode in_params = YNode::Seq();
  YNode in_artifacts = YNode::Seq();
  for (const ir::Param& param : task.params) {
    std::string pname = ParamName(param.name);
    in_params.Push(YNode::Map()).Set("name", YNode::Str(pname));
    TypeKind kind = types().KindOf(param.type);
    bool file_list = kind == TypeKind::List && IsPathKind(types().KindOf(types().Get(param.type).elem));
    if (IsPathKind(kind) || file_list) {
      if (file_list) in_params.Push(YNode::Map()).Set("name", YNode::Str(pname + "-prefix"));
      YNode& art = in_artifacts.Push(YNode::Map());
      art.Set("name", YNode::Str(pname));
      art.Set("path", YNode::Str("/flow/in/" + pname));
      art.Set("s3", YNode::Map())
          .Set("key", YNode::Str("{{inputs.parameters." + pname + (file_list ? "-prefix" : "") + "}}"));
      // A gathered empty list has nothing under its prefix: nothing to download.
      if (file_list) art.Set("optional", YNode::Bool(true));
    }
  }
  if (has_path_outputs) in_params.Push(YNode::Map()).Set("name", YNode::Str("flow-scope"));
  if (!in_params.empty() || !in_artifacts.empty()) {
    YNode& inputs = tmpl.Set("inputs", YNode::Map());
    if (!in_params.empty()) inputs.Set("parameters", std::move(in_params));
    if (!in_artifacts.empty()) inputs.Set("artifacts", std::move(in_artifacts));
  }

  // --- outputs --------------------------------------------------------------
  YNode out_params = YNode::Seq();
  YNode out_artifacts = YNode::Seq();
  std::string key_files;  // shell lines writing the artifact keys of File/Dir outputs
  for (const ir::Output& out : task.outputs) {
    std::string oname = OutputName(out);
    std::string path = std::string(kOutDir) + "/" + oname;
    YNode& param = out_params.Push(YNode::Map());
    param.Set("name", YNode::Str(oname));
    if (IsPathKind(types().KindOf(out.type))) {
      // The value of a File is its key in the artifact repository; the pod name
      // keeps every attempt and every loop iteration apart.
      param.Set("valueFrom", YNode::Map()).Set("path", YNode::Str(path + ".key"));
      YNode& art = out_artifacts.Push(YNode::Map());
      art.Set("name", YNode::Str(oname));
      art.Set("path", YNode::Str(path));
      art.Set("archive", YNode::Map()).Set("none", YNode::Map());
      art.Set("s3", YNode::Map()).Set("key", YNode::Str("{{inputs.parameters.flow-scope}}/{{pod.name}}/" + oname));
      key_files += "printf '%s' \"$FLOW_KEY/" + oname + "\" > " + path + ".key\n";
    } else {
      param.Set("valueFrom", YNode::Map()).Set("path", YNode::Str(path));
      if (types().ContainsPath(out.type)) {
        Unsupported(task.loc, "output `" + oname + "` of type `" + types().ToString(out.type) + "`",
                    "files inside records, maps or lists of outputs have no artifact to travel in");
      }
    }
  }
  if (!out_params.empty()) {
    YNode& outputs = tmpl.Set("outputs", YNode::Map());
    outputs.Set("parameters", std::move(out_params));
    if (!out_artifacts.empty()) outputs.Set("artifacts", std::move(out_artifacts));
  }

  // --- container ------------------------------------------------------------
  YNode container = YNode::Map();
  std::string image;
  if (field(ir::TaskField::Image)) image = field(ir::TaskField::Image)->as_string();
  bool image_computed = !field(ir::TaskField::Image) && field_exprs[static_cast<size_t>(ir::TaskField::Image)].valid();
  if (image.empty()) image = options_.default_image;
  if (image.empty() && !image_computed) {
    ok_ = false;
    diags_.Build(Range(task.loc), diag::Kind::MissingImage, task.qualified_name, "argo")
        .Note("set `image` in the task, or pass `--default-image IMAGE`")
        .Emit();
    image = "missing-image";
  }
  container.Set("image", YNode::Str(EscapeBraces(image)));

  YNode env = YNode::Seq();
  auto add_env = [&](const std::string& n, const std::string& v) {
    YNode& entry = env.Push(YNode::Map());
    entry.Set("name", YNode::Str(n));
    entry.Set("value", YNode::Str(v));
  };
  if (const auto& user_env = field(ir::TaskField::Env)) {
    for (const auto& [k, v] : user_env->map()) add_env(EscapeBraces(k.as_string()), EscapeBraces(v.as_string()));
  } else if (ir::ExprId env_expr = field_exprs[static_cast<size_t>(ir::TaskField::Env)]; env_expr.valid()) {
    const ir::Expr& m = program_.expr(env_expr);
    for (size_t i = 0; i + 1 < m.operands.size(); i += 2) {
      std::optional<ir::Value> key = Constant(m.operands[i]);
      if (!key) {
        Unsupported(program_.expr(m.operands[i]).loc, "an `env` name computed from inputs",
                    "Argo fixes variable names when the workflow is submitted");
        continue;
      }
      EnvBinding binding;
      binding.expr = m.operands[i + 1];
      std::optional<std::string> value = BindingValue(binding, scope);
      if (value) add_env(EscapeBraces(key->as_string()), *value);
    }
  }
  if (has_path_outputs) add_env("FLOW_KEY", "{{inputs.parameters.flow-scope}}/{{pod.name}}");

  std::string prelude = "mkdir -p " + std::string(kOutDir) + "\n" + key_files;
  // Flow reads scalar outputs as trimmed text; Argo reads the file as it is:
  // drop the trailing newlines `echo` leaves (a `$(...)` does exactly that).
  std::string trims;
  for (const ir::Output& out : task.outputs) {
    if (types().IsScalar(out.type) && !IsPathKind(types().KindOf(out.type))) {
      trims += " " + std::string(kOutDir) + "/" + OutputName(out);
    }
  }
  if (!trims.empty() && task.has_script) {
    prelude +=
        "flow_trim() { for f; do if [ -f \"$f\" ]; then v=$(cat \"$f\"); "
        "printf '%s' \"$v\" > \"$f\"; fi; done; }\n"
        "trap 'rc=$?; if [ \"$rc\" -eq 0 ]; then flow_trim" + trims + "; fi; exit \"$rc\"' EXIT\n";
  }
  if (task.has_script) {
    std::string shell = "/bin/sh";
    if (const auto& s = field(ir::TaskField::Shell)) shell = s->as_string();
    ClusterScript rendered;
    std::string error;
    if (!RenderClusterScript(program_, task.script, "FLOW_V", &rendered, &error)) {
      Unsupported(task.loc, "the script of task `" + task.qualified_name + "`", error);
    }
    for (const EnvBinding& binding : rendered.bindings) {
      std::optional<std::string> value = BindingValue(binding, scope);
      if (value) add_env(binding.name, *value);
    }
    // The shell is argv, word by word (`bash -eu` is two words), as
    // `flowc run` runs it. A lone `sh`/`bash` gets `-eu`, the language's
    // default strictness; a command with its own flags keeps exactly those.
    std::vector<std::string> words = ShellWords(shell);
    bool posix = IsPosixShell(shell);
    YNode command = YNode::FlowSeq();
    for (const std::string& word : words) command.Push(YNode::Str(EscapeBraces(word)));
    if (shell == "/bin/sh" || shell == "sh" || shell == "bash" || shell == "/bin/bash") {
      command.Push(YNode::Str("-eu"));
    } else if (!posix && !rendered.bindings.empty()) {
      Unsupported(task.loc, "interpolation in a `" + shell + "` script",
                  "cluster scripts read values from environment variables with POSIX shell syntax");
    }
    command.Push(YNode::Str("-c"));
    container.Set("command", std::move(command));
    std::string script = posix ? prelude + rendered.script : rendered.script;
    YNode args = YNode::Seq();
    args.Push(YNode::Str(EscapeBraces(script)));
    container.Set("args", std::move(args));
  } else if (std::count_if(task.command.begin(), task.command.end(),
                           [](const ir::ArgvElement& a) { return a.splice; }) == 1) {
    // A spliced `{{xs}}` expands to one argument per element: a POSIX sh
    // decoder turns the JSON list into "$@", the other arguments come from
    // variables, and the program replaces the shell (needs /bin/sh in the image).
    std::string exec_line = "exec";
    int n = 0;
    for (const ir::ArgvElement& element : task.command) {
      if (element.splice) {
        exec_line += " \"$@\"";
        for (const ir::TemplatePart& part : element.tmpl.parts) {
          if (!part.expr.valid()) continue;
          EnvBinding binding;
          binding.expr = part.expr;
          binding.encoding = Encoding::JsonList;
          if (std::optional<std::string> value = BindingValue(binding, scope)) add_env("FLOW_LIST", *value);
        }
        continue;
      }
      std::string var = "FLOW_A" + std::to_string(++n);
      if (std::optional<std::string> arg = ArgvValue(element, scope, task.loc)) add_env(var, *arg);
      exec_line += " \"${" + var + "}\"";
    }
    YNode command = YNode::FlowSeq();
    for (const char* a : {"/bin/sh", "-eu", "-c"}) command.Push(YNode::Str(a));
    container.Set("command", std::move(command));
    YNode args = YNode::Seq();
    args.Push(YNode::Str(prelude + ListPrelude("FLOW_LIST") + "\n" + exec_line + "\n"));
    container.Set("args", std::move(args));
  } else {
    YNode argv = YNode::Seq();
    for (const ir::ArgvElement& element : task.command) {
      std::optional<std::string> arg = ArgvValue(element, scope, task.loc);
      if (arg) argv.Push(YNode::Str(*arg));
    }
    if (has_path_outputs) {
      // Write the output keys, then become the program: argv stays exact.
      YNode command = YNode::FlowSeq();
      for (const char* a : {"/bin/sh", "-eu", "-c"}) command.Push(YNode::Str(a));
      container.Set("command", std::move(command));
      YNode args = YNode::Seq();
      args.Push(YNode::Str(prelude + "exec \"$@\""));
      args.Push(YNode::Str("flow-task"));
      for (YNode& a : argv.items()) args.Push(std::move(a));
      container.Set("args", std::move(args));
    } else {
      container.Set("command", std::move(argv));
    }
  }
  if (!env.empty()) container.Set("env", std::move(env));

  YNode requests = YNode::Map();
  YNode limits = YNode::Map();
  if (const auto& cpu = field(ir::TaskField::Cpu)) requests.Set("cpu", YNode::Str(CpuQuantity(cpu->as_float())));
  if (const auto& memory = field(ir::TaskField::Memory)) {
    std::string q = ir::FormatSize(memory->as_int());
    requests.Set("memory", YNode::Str(q));
    limits.Set("memory", YNode::Str(q));
  }
  if (const auto& gpu = field(ir::TaskField::Gpu)) {
    if (gpu->as_int() > 0) limits.Set("nvidia.com/gpu", YNode::Str(std::to_string(gpu->as_int())));
  }
  if (!requests.empty() || !limits.empty()) {
    YNode& resources = container.Set("resources", YNode::Map());
    if (!limits.empty()) resources.Set("limits", std::move(limits));
    if (!requests.empty()) resources.Set("requests", std::move(requests));
  }
  tmpl.Set("container", std::move(container));

  if (const auto& retries = field(ir::TaskField::Retries)) {
    if (retries->as_int() > 0) {
      YNode& retry = tmpl.Set("retryStrategy", YNode::Map());
      retry.Set("limit", YNode::Str(std::to_string(retries->as_int())));
      retry.Set("retryPolicy", YNode::Str("Always"));
      if (const auto& backoff = field(ir::TaskField::Backoff)) {
        YNode& b = retry.Set("backoff", YNode::Map());
        b.Set("duration", YNode::Str(std::to_string(CeilSeconds(backoff->as_int())) + "s"));
        b.Set("factor", YNode::Str("2"));
      }
    }
  }
  if (const auto& timeout = field(ir::TaskField::Timeout)) {
    // Template-level activeDeadlineSeconds bounds each attempt (pod), as Flow's timeout does.
    tmpl.Set("activeDeadlineSeconds", YNode::Str(std::to_string(CeilSeconds(timeout->as_int()))));
  }
  (void)call_loc;
  // `cache = true` (the default): Argo memoization, keyed by the template's
  // definition and its input values, as Flow's cache is keyed by the call.
  // Argo caches outputs only, so a task without outputs always runs.
  const std::optional<ir::Value>& cache = field(ir::TaskField::Cache);
  if (!options_.no_cache && (!cache || cache->as_bool()) && !task.outputs.empty()) {
    std::string values;
    for (const ir::Param& param : task.params) {
      // File values are keys (a gathered list's prefix is implied by its keys).
      values += (values.empty() ? "" : ", ") + std::string("inputs.parameters['") + ParamName(param.name) + "']";
    }
    std::string key = name + "-" + DefinitionHash(EmitYaml(tmpl));
    YNode& memo = tmpl.Set("memoize", YNode::Map());
    if (!values.empty()) key += "-{{=" + SafeTagCode("sprig.sha256sum(toJson([" + values + "]))") + " }}";
    memo.Set("key", YNode::Str(key));
    // No expiry: an identical call reuses an earlier result, however old.
    memo.Set("maxAge", YNode::Str(""));
    YNode& config_map = memo.Set("cache", YNode::Map()).Set("configMap", YNode::Map());
    config_map.Set("name", YNode::Str(kCacheConfigMap));
    // Argo 3.7's schema types it as a ConfigMapKeySelector (key required, unused by the cache).
    if (options_.argo_version == "3.7") config_map.Set("key", YNode::Str(kCacheConfigMap));
  }
  templates_.Push(std::move(tmpl));
  return name;
}

std::optional<std::string> Lowering::BindingValue(const EnvBinding& binding, Scope& scope) {
  const ir::Expr& e = program_.expr(binding.expr);
  TypeKind kind = types().KindOf(e.type);
  if (binding.encoding == Encoding::JsonList) {
    std::optional<NativeExpr> native = Native(binding.expr, scope);
    if (!native) return std::nullopt;
    TypeKind elem = types().KindOf(types().Get(types().StripOptional(e.type)).elem);
    bool strings = elem == TypeKind::String || IsPathKind(elem) || elem == TypeKind::Enum ||
                   elem == TypeKind::Duration || elem == TypeKind::Size;
    ir::TypeId elem_type = types().Get(types().StripOptional(e.type)).elem;
    std::string code = strings ? "toJson(" + native->code + ")"
                               : "toJson(map(" + native->code + ", {" + ScalarText("#", elem_type) + "}))";
    return "{{=" + SafeTagCode(code) + " }}";
  }
  // Plain references keep the YAML readable; Int/Float go through asInt/asFloat
  // so a malformed value fails the step before the program sees it.
  if (e.kind == ir::ExprKind::Input) {
    std::string pname = ParamName(scope.task->params[e.index].name);
    if (IsPathKind(kind)) return "/flow/in/" + pname;
    // asInt/asFloat fail the step on malformed text; the text itself passes unchanged.
    std::string ref = "inputs.parameters['" + pname + "']";
    if (kind == TypeKind::Int) return "{{=asInt(" + ref + ") != nil ? " + ref + " : '' }}";
    if (kind == TypeKind::Float) return "{{=asFloat(" + ref + ") != nil ? " + ref + " : '' }}";
    if (kind == TypeKind::Bool) return "{{=" + SafeTagCode(ValidBool(ref, "'true'", "'false'")) + " }}";
    if (!IsPathKind(kind) && !IsJsonType(e.type)) return "{{inputs.parameters." + pname + "}}";
  }
  if (e.kind == ir::ExprKind::OutputPath) {
    return std::string(kOutDir) + "/" + OutputName(scope.task->outputs[e.index]);
  }
  std::optional<NativeExpr> native = Native(binding.expr, scope);
  if (!native) return std::nullopt;
  if (kind == TypeKind::List) {
    // Flow's text of a list: its elements' texts joined by one space.
    ir::TypeId elem_type = types().Get(e.type).elem;
    return "{{=" + SafeTagCode("sprig.join(' ', map(" + native->code + ", {" + ScalarText("#", elem_type) + "}))") +
           " }}";
  }
  if (kind == TypeKind::Float) return "{{=" + SafeTagCode(FloatText(native->code)) + " }}";
  return "{{=" + SafeTagCode(NativeToParam(native->code, e.type, false)) + " }}";
}

std::optional<std::string> Lowering::ArgvValue(const ir::ArgvElement& element, Scope& scope, ir::Loc loc) {
  if (element.splice) {
    // Point at the spliced `{{xs}}` itself when the IR kept its location.
    for (const ir::TemplatePart& part : element.tmpl.parts) {
      if (part.expr.valid() && part.loc.file >= 0) loc = part.loc;
    }
    Unsupported(loc, "a spliced list argument `{{xs}}` in `command`",
                "an Argo container's argv has a fixed length; use `script` with `{{xs}}` instead");
    return std::nullopt;
  }
  std::string out;
  for (const ir::TemplatePart& part : element.tmpl.parts) {
    if (!part.expr.valid()) {
      out += EscapeBraces(part.text);
      continue;
    }
    EnvBinding binding;
    binding.expr = part.expr;
    std::optional<std::string> value = BindingValue(binding, scope);
    if (!value) return std::nullopt;
    out += *value;
  }
  return out;
}

}  // namespace flow::lower::argo

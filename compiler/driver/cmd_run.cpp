// `flowc run FILE`: compile, parse `-p`/`-i` against the entry workflow's
// parameters, then execute the workflow on this machine (runtime/local_run.h).
// stdout gets exactly one JSON document (the result); everything else stderr.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"
#include "runtime/local_run.h"
#include "runtime/task_call.h"

namespace flow::driver {
namespace {

/// Parses `-p name=value` and the `-i` file per the declared parameter types
/// and fills defaults; `*inputs` gets one value per parameter.
bool ParseRunInputs(Context& ctx, const ir::Program& program, int32_t workflow,
                    const std::vector<std::string>& assignments, const std::string& inputs_file,
                    std::vector<ir::Value>* inputs, std::string* error) {
  const ir::Workflow& wf = program.workflows[workflow];
  std::vector<std::optional<ir::Value>> given(wf.params.size());
  auto find = [&](const std::string& name) -> int {
    for (size_t i = 0; i < wf.params.size(); ++i)
      if (wf.params[i].name == name) return static_cast<int>(i);
    return -1;
  };
  auto unknown = [&](const std::string& name) {
    std::string names;
    for (const ir::Param& p : wf.params) names += (names.empty() ? "`" : ", `") + p.name + "`";
    *error = "workflow `" + wf.qualified_name + "` has no parameter `" + name + "`" +
             (names.empty() ? " (it takes none)" : " (its parameters: " + names + ")");
    return false;
  };
  ir::ReadOptions read = runtime::ValueReadOptions(program);
  if (!inputs_file.empty()) {
    std::string why;
    std::optional<std::string> text = ctx.fs->Read(JoinPath(ctx.cwd, inputs_file), &why);
    if (!text) {
      *error = "cannot read " + inputs_file + ": " + why;
      return false;
    }
    ir::Json json = ir::Json::parse(*text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      *error = inputs_file + ": expected a JSON object of parameter values";
      return false;
    }
    for (auto it = json.begin(); it != json.end(); ++it) {
      int i = find(it.key());
      if (i < 0) return unknown(it.key());
      ir::Value v;
      if (!ir::ValueFromJson(it.value(), wf.params[i].type, program.types, read, &v, &why)) {
        *error = inputs_file + ": parameter `" + it.key() + "`: " + why;
        return false;
      }
      given[i] = std::move(v);
    }
  }
  for (const std::string& a : assignments) {
    size_t eq = a.find('=');
    if (eq == std::string::npos) {
      *error = "-p expects name=value, found `" + a + "`";
      return false;
    }
    std::string name = a.substr(0, eq);
    int i = find(name);
    if (i < 0) return unknown(name);
    ir::Value v;
    std::string why;
    if (!ir::ValueFromText(a.substr(eq + 1), wf.params[i].type, program.types, read, &v, &why)) {
      *error = "parameter `" + name + "`: " + why;
      return false;
    }
    given[i] = std::move(v);
  }
  std::string missing;
  for (size_t i = 0; i < wf.params.size(); ++i) {
    if (given[i]) {
      inputs->push_back(std::move(*given[i]));
      continue;
    }
    if (wf.params[i].default_value.valid()) {
      ir::EvalResult r = ir::Eval(program, wf.params[i].default_value, ir::EvalEnv{});
      if (!r.ok) {
        *error = "default of parameter `" + wf.params[i].name + "`: " + r.error;
        return false;
      }
      inputs->push_back(std::move(r.value));
      continue;
    }
    if (program.types.IsOptional(wf.params[i].type)) {
      inputs->push_back(ir::Value::None());
      continue;
    }
    missing += (missing.empty() ? "`" : ", `") + wf.params[i].name + "`";
  }
  if (!missing.empty()) {
    *error = "missing required parameter(s) " + missing + " of workflow `" + wf.qualified_name +
             "` (pass -p name=value or -i FILE)";
    return false;
  }
  return true;
}

struct RunCommand {
  FrontEndOptions front;
  std::string file;
  std::vector<std::string> params;  // -p name=value
  std::string inputs_file;          // -i FILE
  int jobs = 0;
  double cpus = 0;
  std::string memory;
  int64_t gpus = 0;
  bool no_cache = false;
  bool explain = false;
  bool quiet = false;
  bool verbose = false;
  std::string report;
  std::vector<std::string> raw_args;
};

int RunWorkflow(Context& ctx, RunCommand& cmd) {
  Compilation compilation;
  if (!Compile(ctx, cmd.front, cmd.file, &compilation) || !compilation.program) return 2;
  const ir::Program& program = *compilation.program;
  if (program.entry < 0) {
    *ctx.err << "error: " << cmd.file << " has no entry workflow (name one `main`, or pass --entry NAME)\n";
    return 2;
  }
  std::vector<ir::Value> inputs;
  std::string error;
  if (!ParseRunInputs(ctx, program, program.entry, cmd.params, cmd.inputs_file, &inputs, &error)) {
    *ctx.err << "error: " << error << "\n";
    return 2;
  }
  runtime::LocalRunOptions options;
  options.cwd = ctx.cwd;
  options.file = cmd.file;
  for (size_t i = 0; i < cmd.raw_args.size(); ++i) options.args += (i ? " " : "") + cmd.raw_args[i];
  options.jobs = cmd.jobs;
  options.cpus = cmd.cpus;
  if (!cmd.memory.empty() && !ir::ParseSize(cmd.memory, &options.memory)) {
    *ctx.err << "error: --memory expects a size such as `8Gi`, found `" << cmd.memory << "`\n";
    return 2;
  }
  options.gpus = cmd.gpus;
  options.use_cache = !cmd.no_cache;
  options.explain = cmd.explain;
  options.verbosity = cmd.quiet ? 0 : cmd.verbose ? 2 : 1;
  options.err_is_tty = ctx.err_is_tty;
  options.report_path = cmd.report;
  if (!options.report_path.empty() && options.report_path[0] != '/')
    options.report_path = ctx.cwd + "/" + options.report_path;
  return runtime::RunLocally(program, program.entry, std::move(inputs), options, *ctx.out, *ctx.err);
}

void AddRun(CLI::App& app, Context& ctx, CommandAction* action) {
  auto cmd = std::make_shared<RunCommand>();
  CLI::App* sub = app.add_subcommand("run", "Run a workflow on this machine; prints its result as JSON");
  sub->add_option("file", cmd->file, "The .flow file")->required();
  sub->add_option("-p,--param", cmd->params, "An entry workflow input: name=value (repeatable)");
  sub->add_option("-i,--inputs", cmd->inputs_file, "Inputs from a YAML or JSON file");
  sub->add_option("-j,--jobs", cmd->jobs, "Tasks running at once (default: the number of cores)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--cpus", cmd->cpus, "CPU budget for task `cpu` requests (default: the machine's cores)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--memory", cmd->memory, "Memory budget for task `memory` requests, e.g. 16Gi (default: RAM)");
  sub->add_option("--gpus", cmd->gpus, "GPUs available to tasks (default: 0)")->check(CLI::NonNegativeNumber);
  sub->add_flag("--no-cache", cmd->no_cache, "Run every task, neither reading nor writing the cache");
  sub->add_flag("--explain", cmd->explain, "Say why each task runs or is taken from the cache");
  sub->add_option("--report", cmd->report, "Write a self-contained HTML report of the run");
  sub->add_flag("-q,--quiet", cmd->quiet, "Only print failures");
  sub->add_flag("-v,--verbose", cmd->verbose, "Also print when each task starts");
  AddFrontEndOptions(sub, &cmd->front);
  sub->callback([&ctx, cmd, sub, action] {
    cmd->raw_args.clear();
    cmd->raw_args.push_back(cmd->file);
    for (const std::string& p : cmd->params) cmd->raw_args.push_back("-p " + p);
    if (!cmd->inputs_file.empty()) cmd->raw_args.push_back("-i " + cmd->inputs_file);
    cmd->front.files = {cmd->file};
    (void)sub;
    *action = [&ctx, cmd] { return RunWorkflow(ctx, *cmd); };
  });
}

}  // namespace

FLOW_REGISTER_COMMAND(20, AddRun);

}  // namespace flow::driver

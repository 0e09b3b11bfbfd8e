// `flowc run FILE`: compile, parse `-p`/`-i` against the entry workflow's
// parameters, then execute the workflow on this machine (runtime/local_run.h).
// stdout gets exactly one JSON document (the result); everything else stderr.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/params.h"
#include "compiler/ir/value_json.h"
#include "runtime/local_run.h"

namespace flow::driver {
namespace {

/// Parses `-p name=value` and the `-i` file (YAML or JSON) per the declared
/// parameter types with ir::ParseParams, the same parser `flowc build` uses;
/// `*inputs` gets one value per parameter, in declaration order. Relative
/// File/Dir paths are taken relative to the current directory.
bool ParseRunInputs(Context& ctx, const ir::Program& program, int32_t workflow,
                    const std::vector<std::string>& assignments, const std::string& inputs_file,
                    std::vector<ir::Value>* inputs, std::vector<std::string>* errors) {
  ir::ParamSources sources;
  sources.assignments = assignments;
  sources.base_dir = ctx.cwd;
  std::string error;
  if (!inputs_file.empty() && !ir::LoadInputsFile(*ctx.fs, JoinPath(ctx.cwd, inputs_file), &sources, &error)) {
    errors->push_back(error);
    return false;
  }
  std::map<std::string, ir::Value> values;
  if (!ir::ParseParams(program, workflow, sources, &values, errors)) return false;
  for (const ir::Param& p : program.workflows[workflow].params) {
    auto it = values.find(p.name);
    if (it == values.end()) {
      errors->push_back("parameter `" + p.name + "` has no value");
      return false;
    }
    inputs->push_back(std::move(it->second));
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
  KeepFreedMemory();
  Compilation compilation;
  if (!Compile(ctx, cmd.front, cmd.file, &compilation) || !compilation.program) return 2;
  const ir::Program& program = *compilation.program;
  if (program.entry < 0) {
    *ctx.err << "error: " << cmd.file << " has no entry workflow (name one `main`, or pass --entry NAME)\n";
    return 2;
  }
  std::vector<ir::Value> inputs;
  std::vector<std::string> errors;
  if (!ParseRunInputs(ctx, program, program.entry, cmd.params, cmd.inputs_file, &inputs, &errors)) {
    for (const std::string& e : errors) *ctx.err << "error: " << e << "\n";
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

// `flowc build FILE --target argo|tekton`: compile, then lower the entry
// workflow to Kubernetes YAML (compiler/lower). `-o DIR` writes one file per
// document; `-o -` (the default) prints them separated by `---`.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "compiler/diag/emitter.h"
#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/params.h"
#include "compiler/lower/argo/lower_argo.h"
#include "compiler/lower/backend.h"
#include "compiler/lower/tekton/lower_tekton.h"

namespace flow::driver {
namespace {

struct BuildCommand {
  FrontEndOptions front;
  std::string file;
  std::string target;
  std::string output = "-";
  std::vector<std::string> params;  // -p name=value
  std::string inputs_file;          // -i FILE
  lower::BuildOptions options;
};

/// Parses -p/-i against the entry workflow's parameters (ir/params.h). A
/// parameter given by neither and without default stays unset: the cluster
/// asks for it when the workflow is submitted (`argo submit -p name=value`).
/// Problems go to ctx.err as usage errors (exit 2), like `flowc run`.
bool ParseArguments(Context& ctx, const BuildCommand& cmd, const ir::Program& program,
                    std::map<std::string, ir::Value>* out) {
  ir::ParamSources sources;
  sources.assignments = cmd.params;
  // File/Dir values are keys in the artifact repository: no base directory.
  std::string error;
  if (!cmd.inputs_file.empty() && !ir::LoadInputsFile(*ctx.fs, JoinPath(ctx.cwd, cmd.inputs_file), &sources, &error)) {
    *ctx.err << "error: " << error << "\n";
    return false;
  }
  std::vector<std::string> errors;
  ir::ParseParams(program, program.entry, sources, out, &errors);
  bool ok = true;
  for (const std::string& e : errors) {
    if (e.rfind("missing required parameter", 0) == 0) continue;
    *ctx.err << "error: " << e << "\n";
    ok = false;
  }
  return ok;
}

int RunBuild(Context& ctx, BuildCommand& cmd) {
  KeepFreedMemory();
  Compilation comp;
  if (!Compile(ctx, cmd.front, cmd.file, &comp) || !comp.program) return 1;
  const ir::Program& program = *comp.program;
  if (program.entry < 0) return 1;
  if (!ParseArguments(ctx, cmd, program, &cmd.options.arguments)) return 2;
  cmd.options.target = cmd.target;
  if (cmd.options.argo_version.empty()) cmd.options.argo_version = "4";

  diag::CollectingConsumer collected;
  diag::DiagnosticEmitter emitter(collected);
  std::vector<lower::Document> documents;
  bool lowered = cmd.target == "argo"
                     ? lower::argo::Lower(program, cmd.options, emitter, &documents)
                     : lower::tekton::Lower(program, cmd.options, emitter, &documents);
  int errors = RenderDiagnostics(ctx, cmd.front, *comp.sources, collected.mutable_diagnostics());
  if (!lowered || errors > 0) return 1;

  if (cmd.output == "-") {
    for (size_t i = 0; i < documents.size(); ++i) {
      if (i > 0) *ctx.out << "---\n";
      *ctx.out << documents[i].yaml;
    }
    return 0;
  }
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(ctx.cwd) / cmd.output;
  if (std::filesystem::path(cmd.output).is_absolute()) dir = cmd.output;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *ctx.err << fmt::format("error: cannot create `{}`: {}\n", cmd.output, ec.message());
    return 1;
  }
  for (const lower::Document& doc : documents) {
    std::filesystem::path path = dir / doc.filename;
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << doc.yaml;
    if (!file) {
      *ctx.err << fmt::format("error: cannot write `{}`\n", path.string());
      return 1;
    }
    *ctx.err << fmt::format("wrote {}\n", path.string());
  }
  return 0;
}

void AddBuild(CLI::App& app, Context& ctx, CommandAction* action) {
  auto cmd = std::make_shared<BuildCommand>();
  CLI::App* sub = app.add_subcommand("build", "lower a workflow to Argo Workflows or Tekton YAML");
  sub->add_option("file", cmd->file, "the .flow file (`-` reads stdin)")->required();
  sub->add_option("--target,-t", cmd->target, "argo or tekton")
      ->required()
      ->check(CLI::IsMember({"argo", "tekton"}));
  sub->add_option("-o,--output", cmd->output, "output directory, or `-` for stdout (default)");
  sub->add_option("-p,--param", cmd->params, "set an entry workflow input: name=value (repeatable)");
  sub->add_option("-i,--inputs", cmd->inputs_file, "entry workflow inputs from a YAML or JSON file");
  sub->add_option("--kind", cmd->options.kind,
                  "argo: workflow|template|cron (default: cron when the entry has `schedule`, else "
                  "workflow); tekton: pipeline|run");
  sub->add_option("--default-image", cmd->options.default_image, "image for tasks that set no `image`");
  sub->add_option("--helper-image", cmd->options.helper_image,
                  "image of synthesized helper steps (default: alpine:3.20)");
  sub->add_option("--artifact-repo", cmd->options.artifact_repo,
                  "argo: the artifactRepositoryRef key to store File/Dir values in (default: the "
                  "controller's default repository)");
  sub->add_option("--argo-version", cmd->options.argo_version, "argo: 4 (default) or 3.7")
      ->check(CLI::IsMember({"4", "3.7"}));
  sub->add_flag("--no-cache", cmd->options.no_cache,
                "argo: do not memoize tasks with `cache = true` (every call runs)");
  sub->add_flag("--cel-when", cmd->options.cel_when, "tekton: allow CEL `when` expressions (not GA)");
  sub->add_flag("--pipelines-in-pipelines", cmd->options.pipelines_in_pipelines,
                "tekton: sub-workflows as child Pipelines");
  sub->add_option("--tekton-max-matrix", cmd->options.tekton_max_matrix,
                  "tekton: the cluster's default-max-matrix-combinations-count (default: 256, Tekton's default)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
  AddFrontEndOptions(sub, &cmd->front);
  sub->callback([&ctx, cmd, action] { *action = [&ctx, cmd] { return RunBuild(ctx, *cmd); }; });
}

}  // namespace

FLOW_REGISTER_COMMAND(30, AddBuild);

}  // namespace flow::driver

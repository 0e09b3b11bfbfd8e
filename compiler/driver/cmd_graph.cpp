// `flowc graph FILE [--format dot|svg|mermaid] [--workflow NAME]`: draws a
// workflow's DAG (the entry workflow by default) on stdout.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/lower/graph/graph.h"

namespace flow::driver {
namespace {

struct GraphCommand {
  std::string file;
  std::string format = "dot";
  std::string workflow;
  std::string color = "auto";
  FrontEndOptions front;
};

int RunGraph(Context& ctx, GraphCommand& cmd) {
  // `--format` names the drawing here, so diagnostics keep the text form.
  cmd.front.format = DiagFormat::Text;
  cmd.front.color = cmd.color == "always" ? ColorMode::Always : cmd.color == "never" ? ColorMode::Never
                                                                                        : ColorMode::Auto;
  Compilation comp;
  if (!Compile(ctx, cmd.front, cmd.file, &comp) || !comp.program) return 1;
  const ir::Program& program = *comp.program;
  graph::GraphOptions options;
  if (!cmd.workflow.empty()) {
    for (size_t i = 0; i < program.workflows.size(); ++i) {
      if (program.workflows[i].qualified_name == cmd.workflow) options.workflow = static_cast<int32_t>(i);
    }
    if (options.workflow < 0) {
      std::string names;
      for (const ir::Workflow& wf : program.workflows) names += (names.empty() ? "`" : ", `") + wf.qualified_name + "`";
      *ctx.err << fmt::format("error: no workflow named `{}` (workflows: {})\n", cmd.workflow,
                              names.empty() ? "none" : names);
      return 2;
    }
  } else if (program.entry < 0) {
    *ctx.err << "error: the program has no entry workflow to draw; name one with `--workflow NAME`\n";
    return 1;
  }
  if (cmd.format == "mermaid") {
    *ctx.out << graph::ToMermaid(program, options);
    return 0;
  }
  if (cmd.format == "svg") {
    std::string svg, error;
    if (!graph::ToSvg(program, options, &svg, &error)) {
      *ctx.err << "error: " << error << "\n";
      return 1;
    }
    *ctx.out << svg;
    return 0;
  }
  *ctx.out << graph::ToDot(program, options);
  return 0;
}

void AddGraph(CLI::App& app, Context& ctx, CommandAction* action) {
  auto cmd = std::make_shared<GraphCommand>();
  CLI::App* sub = app.add_subcommand("graph", "draw the workflow DAG (dot, svg or mermaid)");
  sub->add_option("file", cmd->file, "the .flow file (`-` reads stdin)")->required();
  sub->add_option("--format,-f", cmd->format, "dot (default), svg or mermaid")
      ->check(CLI::IsMember({"dot", "svg", "mermaid"}));
  sub->add_option("--workflow,-w", cmd->workflow, "the workflow to draw (default: the entry workflow)");
  sub->add_option("--entry", cmd->front.entry, "the entry workflow, when the file has several");
  sub->add_option("--color", cmd->color, "color diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  sub->callback([&ctx, cmd, action] { *action = [&ctx, cmd] { return RunGraph(ctx, *cmd); }; });
}

}  // namespace
}  // namespace flow::driver

FLOW_REGISTER_COMMAND(40, flow::driver::AddGraph);

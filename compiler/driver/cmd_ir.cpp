// `flowc ir FILE`: the typed IR (docs/ir.md) as JSON on stdout. Exit codes as
// `check`: 0 ok, 1 errors in the program, 2 usage.
#include <memory>
#include <string>

#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/ir_json.h"

namespace flow::driver {
namespace {

struct IrCommand {
  std::string file;
  FrontEndOptions front;
};

int RunIr(Context& ctx, IrCommand& cmd) {
  Compilation comp;
  if (!Compile(ctx, cmd.front, cmd.file, &comp) || !comp.program) return 1;
  *ctx.out << ir::ProgramToJson(*comp.program) << "\n";
  return 0;
}

void AddIr(CLI::App& app, Context& ctx, CommandAction* action) {
  auto cmd = std::make_shared<IrCommand>();
  CLI::App* sub = app.add_subcommand("ir", "print the typed IR DAG as JSON");
  sub->add_option("file", cmd->file, "the .flow file (`-` reads stdin)")->required();
  AddFrontEndOptions(sub, &cmd->front);
  sub->callback([&ctx, cmd, action] { *action = [&ctx, cmd] { return RunIr(ctx, *cmd); }; });
}

}  // namespace
}  // namespace flow::driver

FLOW_REGISTER_COMMAND(45, flow::driver::AddIr);

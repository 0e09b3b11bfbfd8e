// `flowc check FILE...`: parse and type-check; print diagnostics on stderr.
// Exit 0 when there are no errors (warnings allowed), 1 on errors, 2 on usage.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/driver/dump.h"
#include "compiler/driver/render_text.h"

namespace flow::driver {
namespace {

struct CheckCommand {
  std::vector<std::string> files;
  FrontEndOptions front;
  bool dump_tokens = false;  // hidden: print tokens instead of checking
  bool dump_ast = false;     // hidden: print the AST instead of checking
  bool lower_to_ir = false;  // --ir: also build (and in debug builds verify) the typed IR
};

int RunCheck(Context& ctx, CheckCommand& cmd) {
  if (cmd.dump_tokens || cmd.dump_ast) {
    int code = 0;
    for (const std::string& file : cmd.files)
      code = std::max(code, DumpFile(ctx, cmd.dump_tokens ? DumpKind::Tokens : DumpKind::Ast, file));
    return code;
  }
  FrontEndOptions front = cmd.front;
  front.summary = false;  // one total for all files, below
  front.lower_to_ir = cmd.lower_to_ir;
  int errors = 0, warnings = 0;
  for (const std::string& file : cmd.files) {
    Compilation comp;
    Compile(ctx, front, file, &comp);
    errors += comp.errors;
    warnings += comp.warnings;
  }
  if (cmd.front.format == DiagFormat::Text) {
    std::string summary = SummaryLine(errors, warnings);
    if (!summary.empty()) {
      bool color = UseColor(ctx, cmd.front.color);
      *ctx.err << (color ? (errors > 0 ? "\x1b[1;31m" : "\x1b[1;33m") : "") << summary << (color ? "\x1b[0m" : "")
               << "\n";
    }
  }
  return errors > 0 ? 1 : 0;
}

void AddCheck(CLI::App& app, Context& ctx, CommandAction* action) {
  auto cmd = std::make_shared<CheckCommand>();
  CLI::App* sub = app.add_subcommand("check", "parse and type-check .flow files; print diagnostics");
  sub->add_option("files", cmd->files, "the .flow files (`-` reads stdin)")->required()->type_name("FILE");
  AddFrontEndOptions(sub, &cmd->front);
  sub->add_flag("--ir", cmd->lower_to_ir,
                "also lower each file to the typed IR, as run/build/graph do (reports nothing more; for timing)");
  // Debugging aids for compiler developers; hidden from --help (empty group).
  sub->add_flag("--dump-tokens", cmd->dump_tokens, "print the tokens of each file")->group("");
  sub->add_flag("--dump-ast", cmd->dump_ast, "print the syntax tree of each file")->group("");
  sub->callback([&ctx, cmd, action] { *action = [&ctx, cmd] { return RunCheck(ctx, *cmd); }; });
}

}  // namespace
}  // namespace flow::driver

FLOW_REGISTER_COMMAND(10, flow::driver::AddCheck);

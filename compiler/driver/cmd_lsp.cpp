// `flowc lsp`: the language server, speaking LSP over stdin/stdout. Logs go to
// stderr; stdout carries only protocol messages.
#include <malloc.h>

#include <memory>
#include <string>

#include "compiler/driver/commands.h"
#include "compiler/driver/version.h"
#include "compiler/lsp/stdio_loop.h"

namespace flow::driver {
namespace {

struct LspCommand {
  bool stdio = true;  // the only transport; `--stdio` is what clients pass
};

void AddLsp(CLI::App& app, Context& ctx, CommandAction* action) {
  auto cmd = std::make_shared<LspCommand>();
  CLI::App* sub = app.add_subcommand("lsp", "run the language server (LSP over stdin/stdout) for editors");
  sub->add_flag("--stdio", cmd->stdio, "communicate over stdin/stdout (the default and only transport)");
  // Editors' clients append their own flags (e.g. --clientProcessId=N); they
  // change nothing here and must not stop the server from starting.
  sub->allow_extras();
  sub->callback([&ctx, action] {
    *action = [&ctx] {
      // Every edit re-analyzes the program, freeing and re-allocating the same
      // few megabytes. glibc would hand them back to the kernel after each
      // analysis (trim, and munmap for large blocks) and fault them in again on
      // the next; a long-lived server keeps them instead.
      mallopt(M_TRIM_THRESHOLD, 256 << 20);
      mallopt(M_MMAP_THRESHOLD, 32 << 20);
      lsp::ServerOptions options;
      options.stdlib_dir = ctx.stdlib_dir;
      options.disk = ctx.fs;
      options.log = ctx.err;
      options.version = kVersion;
      return lsp::RunStdio(*ctx.in, *ctx.out, std::move(options));
    };
  });
}

}  // namespace
}  // namespace flow::driver

FLOW_REGISTER_COMMAND(90, flow::driver::AddLsp);

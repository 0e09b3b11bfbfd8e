// The `flowc` command line: a CLI11 app built from the command registry
// (commands.h), run on a thread with a large stack so that no input, however
// deeply nested, can overflow it.
#include <pthread.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/diag/suggest.h"
#include "compiler/driver/commands.h"
#include "compiler/driver/version.h"

namespace flow::driver {
namespace {

std::vector<RegisteredCommand>& Registry() {
  static std::vector<RegisteredCommand> registry;
  return registry;
}

// Large enough for any recursion the front end allows (the parser caps
// nesting, but the checker and IR builder recurse over the AST). Only touched
// pages are committed, so reserving this much costs nothing.
constexpr size_t kStackSize = size_t{512} << 20;

/// Parses `args` and runs the selected command on the current thread.
int RunHere(const std::vector<std::string>& args, Context& ctx) {
  CLI::App app{"flowc: check, run and lower Flow workflows", "flowc"};
  app.set_version_flag("--version", std::string("flowc ") + kVersion);
  app.require_subcommand(0, 1);
  app.footer("Run `flowc COMMAND --help` for the options of a command.");
  CommandAction action;
  for (const RegisteredCommand& command : RegisteredCommands()) command.add(app, ctx, &action);

  // CLI11 would report an unknown command as "arguments were not expected";
  // name it, with a suggestion.
  if (!args.empty() && !args[0].empty() && args[0][0] != '-') {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), args[0]) == names.end()) {
      *ctx.err << "error: unknown command `" << args[0] << "`\n";
      if (std::optional<std::string> near = diag::Suggest(args[0], names))
        *ctx.err << "note: " << diag::DidYouMean(*near) << "\n";
      *ctx.err << "Run `flowc --help` for the list of commands.\n";
      return 2;
    }
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, *ctx.out, *ctx.err);
    return code == 0 ? 0 : 2;
  }
  if (!action) {
    *ctx.err << app.help() << "error: no command given\n";
    return 2;
  }
  return action();
}

struct ThreadCall {
  const std::vector<std::string>* args;
  Context* ctx;
  int result = 1;
};

int RunGuarded(const std::vector<std::string>& args, Context& ctx) {
  try {
    return RunHere(args, ctx);
  } catch (const std::bad_alloc&) {
    *ctx.err << "flowc: error: out of memory\n";
  } catch (const std::exception& e) {
    *ctx.err << "flowc: internal error: " << e.what() << "\n";
  }
  return 1;
}

void* ThreadMain(void* arg) {
  auto* call = static_cast<ThreadCall*>(arg);
  call->result = RunGuarded(*call->args, *call->ctx);
  return nullptr;
}

}  // namespace

CommandRegistration::CommandRegistration(int order, AddCommandFn add) { Registry().push_back({order, add}); }

std::vector<RegisteredCommand> RegisteredCommands() {
  std::vector<RegisteredCommand> commands = Registry();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const RegisteredCommand& a, const RegisteredCommand& b) { return a.order < b.order; });
  return commands;
}

int Run(const std::vector<std::string>& args, Context& ctx) {
  ThreadCall call{&args, &ctx};
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return RunGuarded(args, ctx);
  pthread_t thread;
  bool started = pthread_attr_setstacksize(&attr, kStackSize) == 0 &&
                 pthread_create(&thread, &attr, &ThreadMain, &call) == 0;
  pthread_attr_destroy(&attr);
  if (!started) return RunGuarded(args, ctx);  // e.g. address space limits: run with the default stack
  pthread_join(thread, nullptr);
  return call.result;
}

}  // namespace flow::driver

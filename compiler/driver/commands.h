// How `flowc` subcommands plug into the driver. Each cmd_<name>.cpp in this
// folder registers itself with FLOW_REGISTER_COMMAND; the driver (driver.cpp)
// builds the CLI11 app from the registry in `order`, parses the arguments and
// runs the selected command. Commands share the front end through compile.h.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"

namespace flow::driver {

/// What a command may use. Commands never touch std::cout/std::cerr directly,
/// so the file-test runner can call the driver in process.
struct Context {
  const FileSystem* fs = nullptr;
  std::istream* in = nullptr;   // for `-` (stdin) inputs
  std::ostream* out = nullptr;  // results
  std::ostream* err = nullptr;  // diagnostics, progress, logs
  bool err_is_tty = false;      // decides `--color=auto`
  std::string stdlib_dir;       // see load::DefaultStdlibDir()
  std::string cwd;              // current directory (absolute)
};

/// Set by a subcommand's callback; returns the process exit code.
using CommandAction = std::function<int()>;

/// Adds one subcommand to `app`. When the user selects it, its CLI11 callback
/// must store the work to do in `*action` (the driver runs it after parsing).
using AddCommandFn = void (*)(CLI::App& app, Context& ctx, CommandAction* action);

struct CommandRegistration {
  CommandRegistration(int order, AddCommandFn add);
};

struct RegisteredCommand {
  int order;
  AddCommandFn add;
};
/// All registered commands, sorted by `order`.
std::vector<RegisteredCommand> RegisteredCommands();

/// Runs flowc with `args` (without argv[0]); returns the exit code.
int Run(const std::vector<std::string>& args, Context& ctx);

}  // namespace flow::driver

/// Registers a subcommand; use once per cmd_<name>.cpp at namespace scope.
#define FLOW_REGISTER_COMMAND(order, add_fn) \
  static ::flow::driver::CommandRegistration flow_command_registration_##order(order, add_fn)

// flowc's entry point: wires the real world (disk, standard streams, terminal,
// current directory) into a driver Context and runs the command line.
#include <unistd.h>

#include <climits>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/driver/commands.h"
#include "compiler/load/load.h"

int main(int argc, char** argv) {
  flow::RealFileSystem fs;
  flow::driver::Context ctx;
  ctx.fs = &fs;
  ctx.in = &std::cin;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.err_is_tty = isatty(STDERR_FILENO) == 1;
  ctx.stdlib_dir = flow::load::DefaultStdlibDir();
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) != nullptr) ctx.cwd = cwd;
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = flow::driver::Run(args, ctx);
  std::cout.flush();
  std::cerr.flush();
  return code;
}

// `flowc fmt FILE... [--check | --write]`: canonical formatting (compiler/fmt).
//
//   flowc fmt FILE...     the formatted text on stdout, file after file, as
//                         gofmt does (`-`: stdin → stdout)
//   flowc fmt -w FILE...  rewrite the files that change, atomically
//   flowc fmt --check F.. list the files that would change; exit 1 if any
//
// A file with syntax errors is never formatted: its diagnostics are printed as
// `flowc check` prints them (`--format`, `--color`) and the exit code is 1.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/diag/emitter.h"
#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/fmt/format.h"

namespace flow::driver {
namespace {

struct FmtCommand {
  std::vector<std::string> files;
  bool check = false;
  bool write = false;
  FrontEndOptions front;
};

/// Replaces the file at `path` with `text`: a temporary file in the same
/// directory, renamed over the original, so a crash never leaves half a file.
/// Keeps the file's permissions; writes through a symlink to its target.
bool WriteAtomically(const std::string& path, const std::string& text, std::string* error) {
  std::error_code ec;
  std::filesystem::path target = std::filesystem::canonical(path, ec);
  if (ec) target = path;
  struct stat info {};
  mode_t mode = ::stat(target.c_str(), &info) == 0 ? (info.st_mode & 07777) : 0644;
  std::string temp = target.string() + ".fmt-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return false;
    }
    written += static_cast<size_t>(n);
  }
  bool ok = ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(temp.c_str(), target.c_str()) != 0) {
    *error = std::strerror(errno);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

int RunFmt(Context& ctx, FmtCommand& cmd) {
  if (cmd.check && cmd.write) {
    *ctx.err << "error: --check and --write cannot be combined\n";
    return 2;
  }
  int exit_code = 0;
  for (const std::string& file : cmd.files) {
    SourceManager sources;
    diag::CollectingConsumer collected;
    diag::DiagnosticEmitter diags(collected);
    bool from_stdin = file == "-";
    std::string text;
    if (from_stdin) {
      if (ctx.in != nullptr) text.assign(std::istreambuf_iterator<char>(*ctx.in), std::istreambuf_iterator<char>());
    } else {
      std::string error;
      std::optional<std::string> read = ctx.fs->Read(file, &error);
      if (!read) {
        diags.Emit(SourceRange{}, diag::Kind::CannotReadFile, file, error);
        RenderDiagnostics(ctx, cmd.front, sources, collected.diagnostics());
        exit_code = 1;
        continue;
      }
      text = std::move(*read);
    }
    FileId id = sources.Add(from_stdin ? "<stdin>" : file, text);
    std::optional<std::string> formatted = format::FormatFile(sources, id, diags);
    if (!collected.diagnostics().empty()) RenderDiagnostics(ctx, cmd.front, sources, collected.diagnostics());
    if (!formatted) {
      exit_code = 1;
      continue;
    }
    bool changed = *formatted != text;
    if (cmd.check) {
      if (changed) {
        *ctx.out << (from_stdin ? "<stdin>" : file) << "\n";
        exit_code = 1;
      }
      continue;
    }
    if (!cmd.write || from_stdin) {
      *ctx.out << *formatted;
      continue;
    }
    if (!changed) continue;
    std::string error;
    if (!WriteAtomically(file, *formatted, &error)) {
      *ctx.err << "error: cannot write `" << file << "`: " << error << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

void AddFmt(CLI::App& app, Context& ctx, CommandAction* action) {
  auto cmd = std::make_shared<FmtCommand>();
  CLI::App* sub = app.add_subcommand("fmt", "format .flow files in the canonical layout, comments kept");
  sub->add_option("files", cmd->files, "the .flow files (`-` reads stdin and writes stdout)")
      ->required()
      ->type_name("FILE");
  sub->add_flag("--check", cmd->check, "print the files whose formatting would change; exit 1 if any");
  sub->add_flag("-w,--write", cmd->write, "rewrite files in place (only those that change)");
  sub->add_option("--format", cmd->front.format, "diagnostics format: text (default) or json (one object per line)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, DiagFormat>{{"text", DiagFormat::Text},
                                                                            {"json", DiagFormat::Json}},
                                          CLI::ignore_case)
                     .description(""))
      ->type_name("text|json");
  sub->add_option("--color", cmd->front.color, "color diagnostics: auto (default: on a terminal), always, never")
      ->transform(CLI::CheckedTransformer(std::map<std::string, ColorMode>{{"auto", ColorMode::Auto},
                                                                           {"always", ColorMode::Always},
                                                                           {"never", ColorMode::Never}},
                                          CLI::ignore_case)
                     .description(""))
      ->type_name("auto|always|never");
  sub->callback([&ctx, cmd, action] { *action = [&ctx, cmd] { return RunFmt(ctx, *cmd); }; });
}

}  // namespace
}  // namespace flow::driver

FLOW_REGISTER_COMMAND(70, flow::driver::AddFmt);

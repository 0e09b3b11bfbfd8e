// `flowc logs RUN [TASK]`: prints the stdout/stderr logs of a run's attempts.
#include <fmt/format.h>

#include "compiler/driver/commands.h"
#include "runtime/disk.h"
#include "runtime/run_db.h"

namespace flow::driver {
namespace {

struct LogsOptions {
  std::string run = "last";
  std::string task;
  std::string stream = "both";
  int attempt = 0;  // 0: all
};

bool Matches(const runtime::AttemptRecord& a, const std::string& task) {
  if (task.empty()) return true;
  if (a.path == task || a.task == task) return true;
  // A prefix of the step path selects a subtree ("for-train-l12", "for-train-l12/3").
  return a.path.size() > task.size() && a.path.compare(0, task.size(), task) == 0 && a.path[task.size()] == '/';
}

int ShowLogs(Context& ctx, const LogsOptions& opts) {
  runtime::RunDb db;
  std::string error;
  std::string path = ctx.cwd + "/.flow/runs.db";
  if (!ctx.fs->Exists(path) || !db.Open(path, &error)) {
    *ctx.err << "error: no runs recorded in " << ctx.cwd << "/.flow\n";
    return 1;
  }
  std::optional<std::string> id = db.ResolveRun(opts.run);
  if (!id) {
    *ctx.err << "error: no run matches `" << opts.run << "` (see `flowc runs`)\n";
    return 1;
  }
  int shown = 0;
  for (const runtime::AttemptRecord& a : db.Attempts(*id)) {
    if (a.cache_hit || !Matches(a, opts.task)) continue;
    if (opts.attempt > 0 && a.attempt != opts.attempt) continue;
    ++shown;
    *ctx.out << fmt::format("==> {} (task {}, attempt {}, {}", a.path, a.task, a.attempt, a.status);
    if (a.exit_code >= 0 && a.status != "running") *ctx.out << ", exit " << a.exit_code;
    *ctx.out << ") <==\n";
    for (const char* stream : {"stdout", "stderr"}) {
      if (opts.stream != "both" && opts.stream != stream) continue;
      const std::string& file = std::string(stream) == "stdout" ? a.stdout_path : a.stderr_path;
      std::optional<std::string> text = runtime::ReadFile(file);
      if (!text) {
        *ctx.out << "[" << stream << ": " << file << " is gone (see `flowc clean`)]\n";
        continue;
      }
      if (text->empty()) continue;
      if (opts.stream == "both") *ctx.out << "[" << stream << "]\n";
      *ctx.out << *text;
      if (text->back() != '\n') *ctx.out << "\n";
    }
  }
  if (shown == 0) {
    *ctx.err << "error: run " << *id << " has no attempt"
             << (opts.task.empty() ? "" : " of `" + opts.task + "`") << " with logs\n";
    return 1;
  }
  return 0;
}

void AddLogs(CLI::App& app, Context& ctx, CommandAction* action) {
  auto opts = std::make_shared<LogsOptions>();
  CLI::App* cmd = app.add_subcommand("logs", "Print the logs of a run's tasks");
  cmd->add_option("run", opts->run, "Run id, unique prefix of one, or `last`");
  cmd->add_option("task", opts->task, "Step path (or prefix), or task name; default: every task");
  cmd->add_option("--stream", opts->stream, "Which log to print")->check(CLI::IsMember({"stdout", "stderr", "both"}));
  cmd->add_option("--attempt", opts->attempt, "Only this attempt number")->check(CLI::PositiveNumber);
  cmd->callback([&ctx, opts, action] { *action = [&ctx, opts] { return ShowLogs(ctx, *opts); }; });
}

}  // namespace

FLOW_REGISTER_COMMAND(61, AddLogs);

}  // namespace flow::driver

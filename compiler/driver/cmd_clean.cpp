// `flowc clean`: prunes `.flow/` — work directories (and history) of old runs,
// optionally the cache, or everything.
#include <errno.h>
#include <fmt/format.h>
#include <signal.h>

#include "compiler/driver/commands.h"
#include "runtime/disk.h"
#include "runtime/run_db.h"

namespace flow::driver {
namespace {

struct CleanOptions {
  int keep = 0;
  bool cache = false;
  bool all = false;
  bool dry_run = false;
};

bool StillRunning(const runtime::RunRecord& r) {
  return r.status == "running" && r.pid > 0 && (kill(static_cast<pid_t>(r.pid), 0) == 0 || errno == EPERM);
}

int Clean(Context& ctx, const CleanOptions& opts) {
  std::string flow_dir = ctx.cwd + "/.flow";
  auto remove = [&](const std::string& path) {
    *ctx.err << (opts.dry_run ? "would remove " : "removing ") << path << "\n";
    if (!opts.dry_run && !runtime::RemoveTree(path)) {
      *ctx.err << "error: cannot remove " << path << "\n";
      return false;
    }
    return true;
  };
  if (opts.all) return remove(flow_dir) ? 0 : 1;
  runtime::RunDb db;
  std::string error;
  if (!ctx.fs->Exists(flow_dir + "/runs.db")) {
    *ctx.err << "nothing to clean in " << flow_dir << "\n";
    return 0;
  }
  if (!db.Open(flow_dir + "/runs.db", &error)) {
    *ctx.err << "error: " << error << "\n";
    return 1;
  }
  bool ok = true;
  std::vector<runtime::RunRecord> runs = db.Runs(1 << 30);
  int kept = 0;
  for (const runtime::RunRecord& r : runs) {
    if (StillRunning(r)) continue;
    if (kept < opts.keep) {
      ++kept;
      continue;
    }
    ok = remove(r.work_dir.empty() ? flow_dir + "/work/" + r.id : r.work_dir) && ok;
    if (!opts.dry_run) db.DeleteRun(r.id);
  }
  ok = remove(flow_dir + "/cache/tmp") && ok;  // entries half-built by killed runs
  if (opts.cache) ok = remove(flow_dir + "/cache") && ok;
  return ok ? 0 : 1;
}

void AddClean(CLI::App& app, Context& ctx, CommandAction* action) {
  auto opts = std::make_shared<CleanOptions>();
  CLI::App* cmd = app.add_subcommand(
      "clean", "Remove work directories and history of old runs (and optionally the cache) from .flow/");
  cmd->add_option("--keep", opts->keep, "Keep the newest N runs")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--cache", opts->cache, "Also empty the result cache");
  cmd->add_flag("--all", opts->all, "Remove .flow/ entirely (history, cache, work directories)");
  cmd->add_flag("-n,--dry-run", opts->dry_run, "Only print what would be removed");
  cmd->callback([&ctx, opts, action] { *action = [&ctx, opts] { return Clean(ctx, *opts); }; });
}

}  // namespace

FLOW_REGISTER_COMMAND(62, AddClean);

}  // namespace flow::driver

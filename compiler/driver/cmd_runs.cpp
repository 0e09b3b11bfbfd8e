// `flowc runs`: the run history recorded in `.flow/runs.db`.
#include <fmt/format.h>
#include <signal.h>
#include <time.h>

#include <map>
#include <nlohmann/json.hpp>

#include "compiler/driver/commands.h"
#include "runtime/progress.h"
#include "runtime/run_db.h"

namespace flow::driver {
namespace {

struct RunsOptions {
  int limit = 20;
  bool json = false;
};

std::string FormatTime(int64_t ms) {
  time_t t = static_cast<time_t>(ms / 1000);
  tm utc;
  gmtime_r(&t, &utc);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &utc);
  return buf;
}

/// A run still marked running whose flowc is gone was killed (e.g. `kill -9`).
std::string EffectiveStatus(const runtime::RunRecord& r) {
  if (r.status != "running") return r.status;
  if (r.pid > 0 && kill(static_cast<pid_t>(r.pid), 0) != 0 && errno == ESRCH) return "interrupted";
  return r.status;
}

int ListRuns(Context& ctx, const RunsOptions& opts) {
  runtime::RunDb db;
  std::string error;
  std::string path = ctx.cwd + "/.flow/runs.db";
  if (!ctx.fs->Exists(path)) {
    if (opts.json) *ctx.out << "[]\n";
    else *ctx.err << "no runs recorded in " << ctx.cwd << "/.flow\n";
    return 0;
  }
  if (!db.Open(path, &error)) {
    *ctx.err << "error: " << error << "\n";
    return 1;
  }
  std::vector<runtime::RunRecord> runs = db.Runs(opts.limit);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  if (!opts.json)
    *ctx.out << fmt::format("{:<21} {:<11} {:<19} {:>9} {:>6} {:>6} {:>6}  {}\n", "RUN", "STATUS", "STARTED (UTC)",
                            "DURATION", "TASKS", "CACHED", "FAILED", "FILE");
  for (const runtime::RunRecord& r : runs) {
    int tasks = 0, cached = 0, failed = 0;
    std::map<std::string, std::string> last;  // path → status of its last attempt
    for (const runtime::AttemptRecord& a : db.Attempts(r.id)) last[a.path] = a.status;
    for (const auto& [p, s] : last) {
      ++tasks;
      if (s == "cached") ++cached;
      if (s == "failed" || s == "timeout") ++failed;
    }
    std::string status = EffectiveStatus(r);
    int64_t duration = r.ended_ms > 0 ? r.ended_ms - r.started_ms : 0;
    if (opts.json) {
      nlohmann::ordered_json j;
      j["id"] = r.id;
      j["status"] = status;
      j["file"] = r.file;
      j["args"] = r.args;
      j["started_ms"] = r.started_ms;
      j["ended_ms"] = r.ended_ms;
      j["exit_code"] = r.exit_code;
      j["tasks"] = tasks;
      j["cached"] = cached;
      j["failed"] = failed;
      j["work_dir"] = r.work_dir;
      list.push_back(j);
      continue;
    }
    *ctx.out << fmt::format("{:<21} {:<11} {:<19} {:>9} {:>6} {:>6} {:>6}  {}\n", r.id, status,
                            FormatTime(r.started_ms), r.ended_ms > 0 ? runtime::FormatElapsed(duration) : "-", tasks,
                            cached, failed, r.file);
  }
  if (opts.json) *ctx.out << list.dump(2) << "\n";
  return 0;
}

void AddRuns(CLI::App& app, Context& ctx, CommandAction* action) {
  auto opts = std::make_shared<RunsOptions>();
  CLI::App* cmd = app.add_subcommand("runs", "List recorded runs (newest first) from .flow/runs.db");
  cmd->add_option("-n,--limit", opts->limit, "How many runs to show")->check(CLI::PositiveNumber);
  cmd->add_flag("--json", opts->json, "Print the runs as a JSON array");
  cmd->callback([&ctx, opts, action] { *action = [&ctx, opts] { return ListRuns(ctx, *opts); }; });
}

}  // namespace

FLOW_REGISTER_COMMAND(60, AddRuns);

}  // namespace flow::driver

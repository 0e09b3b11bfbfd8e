#include "runtime/local_run.h"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "compiler/ir/eval.h"
#include "compiler/lower/graph/graph.h"
#include "compiler/ir/value_json.h"
#include "runtime/cache.h"
#include "runtime/disk.h"
#include "runtime/progress.h"
#include "runtime/report_html.h"
#include "runtime/run_db.h"
#include "runtime/scheduler.h"
#include "runtime/subprocess_posix.h"

extern char** environ;

namespace flow::runtime {

std::string NewRunId() {
  time_t now = time(nullptr);
  tm utc;
  gmtime_r(&now, &utc);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  std::random_device rd;
  return fmt::format("{}-{:04x}", stamp, (rd() ^ static_cast<unsigned>(getpid())) & 0xffff);
}

std::vector<std::string> CheckResourceBudgets(const ir::Program& program, double cpus, int64_t memory,
                                              int64_t gpus) {
  std::vector<std::string> problems;
  for (const ir::Step& step : program.steps) {
    if (step.kind != ir::StepKind::Call || step.callee_kind != ir::CalleeKind::Task) continue;
    const ir::Task& task = program.tasks[step.callee];
    TaskSettings s;
    for (ir::TaskField field : {ir::TaskField::Cpu, ir::TaskField::Memory, ir::TaskField::Gpu}) {
      ir::ExprId expr = task.fields[static_cast<size_t>(field)];
      for (const ir::FieldOverride& o : step.overrides)
        if (o.field == field) expr = o.value;
      if (!expr.valid()) continue;
      ir::EvalResult r = ir::Eval(program, expr, ir::EvalEnv{});
      if (r.ok) ApplyField(field, r.value, &s);  // depends on inputs: checked when it is ready
    }
    std::string where = program.Where(step.loc) + ": task `" + task.qualified_name + "`";
    if (cpus > 0 && s.cpu > cpus)
      problems.push_back(fmt::format("{} needs {} cpu but only {} are available (--cpus)", where, s.cpu, cpus));
    if (memory > 0 && s.memory > memory)
      problems.push_back(fmt::format("{} needs {} of memory but only {} are available (--memory)", where,
                                     ir::FormatSize(s.memory), ir::FormatSize(memory)));
    if (s.gpu > gpus)
      problems.push_back(fmt::format("{} needs {} gpu but only {} are available (--gpus)", where, s.gpu, gpus));
  }
  return problems;
}

namespace {

int64_t MachineMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? static_cast<int64_t>(pages) * size : 0;
}

}  // namespace

int RunLocally(const ir::Program& program, int32_t workflow, std::vector<ir::Value> inputs,
               const LocalRunOptions& options, std::ostream& out, std::ostream& err) {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  RunOptions run;
  run.jobs = options.jobs > 0 ? options.jobs : cores;
  run.cpus = options.cpus > 0 ? options.cpus : cores;
  run.memory = options.memory > 0 ? options.memory : MachineMemory();
  run.gpus = options.gpus;
  std::vector<std::string> problems = CheckResourceBudgets(program, run.cpus, run.memory, run.gpus);
  if (!problems.empty()) {
    for (const std::string& p : problems) err << "error: " << p << "\n";
    return 2;
  }
  run.flow_dir = options.cwd + "/.flow";
  run.base_dir = options.cwd;
  run.file = options.file;
  run.use_cache = options.use_cache;
  run.explain = options.explain;
  run.kill_grace_ms = options.kill_grace_ms;
  run.run_id = NewRunId();
  for (char** e = environ; e && *e; ++e) run.base_env.emplace_back(*e);

  if (!MakeDirs(run.flow_dir + "/work/" + run.run_id) || !MakeDirs(run.flow_dir + "/cache/tmp")) {
    err << "error: cannot create " << run.flow_dir << "\n";
    return 2;
  }
  RunDb db;
  std::string error;
  bool have_db = db.Open(run.flow_dir + "/runs.db", &error);
  if (!have_db) err << "warning: " << error << " (the run is not recorded)\n";
  Cache cache(run.flow_dir + "/cache");
  Progress progress(err, options.err_is_tty, options.verbosity);
  PosixCommandRunner runner;

  RunRecord record;
  record.id = run.run_id;
  record.file = options.file;
  record.args = options.args;
  record.status = "running";
  record.started_ms = runner.WallMs();
  record.pid = getpid();
  record.work_dir = run.flow_dir + "/work/" + run.run_id;
  if (have_db) {
    db.SaveRun(record);
    db.Flush();
  }
  if (options.verbosity > 0) err << "run " << run.run_id << " (" << options.file << ")\n";

  Scheduler scheduler(program, runner, &cache, have_db ? &db : nullptr, &progress, run);
  RunStatus status = scheduler.Run(workflow, std::move(inputs));
  const WorkflowEngine& engine = scheduler.engine();

  int code = 0;
  switch (status) {
    case RunStatus::Succeeded: {
      const ir::Workflow& wf = program.workflows[workflow];
      ir::Json json = wf.result.valid() ? ir::ValueToJson(engine.result(), wf.output_type, program.types)
                                        : ir::Json(nullptr);
      out << json.dump(2) << "\n";
      out.flush();
      code = 0;
      break;
    }
    case RunStatus::Failed:
      code = 1;
      // The first line of each: the tails of stderr were shown with the failures.
      for (const std::string& e : engine.errors()) err << "error: " << e.substr(0, e.find('\n')) << "\n";
      break;
    case RunStatus::Cancelled: code = 130; break;
  }
  record.status = RunStatusName(status);
  record.ended_ms = runner.WallMs();
  record.exit_code = code;
  if (have_db) {
    db.SaveRun(record);
    db.Flush();
  }
  if (options.verbosity > 0 || code != 0)
    err << fmt::format("run {} {} in {}: {} done, {} cached, {} failed\n", run.run_id, record.status,
                       FormatElapsed(record.ended_ms - record.started_ms), progress.done(), progress.cached(),
                       progress.failed());
  if (!options.report_path.empty()) {
    graph::GraphOptions drawing;
    drawing.workflow = workflow;
    std::vector<NodeInfo> nodes(engine.nodes().begin(), engine.nodes().end());
    std::vector<AttemptRecord> attempts = scheduler.Attempts();
    drawing.status = StepStatuses(program, nodes, attempts);
    std::string svg, svg_error;
    if (!graph::ToSvg(program, drawing, &svg, &svg_error)) {
      err << "warning: cannot draw the graph: " << svg_error << "\n";
      svg.clear();
    }
    std::string html = RenderReportHtml(program, workflow, record, nodes, attempts, svg);
    if (!WriteFile(options.report_path, html)) err << "error: cannot write " << options.report_path << "\n";
    else if (options.verbosity > 0) err << "report: " << options.report_path << "\n";
  }
  return code;
}

}  // namespace flow::runtime

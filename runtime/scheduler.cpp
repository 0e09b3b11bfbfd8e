#include "runtime/scheduler.h"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>

#include <utility>

#include "compiler/ir/value_json.h"
#include "runtime/disk.h"

namespace flow::runtime {

const char* RunStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::Succeeded: return "succeeded";
    case RunStatus::Failed: return "failed";
    case RunStatus::Cancelled: return "cancelled";
  }
  return "failed";
}

Scheduler::Scheduler(const ir::Program& program, CommandRunner& runner, Cache* cache, RunDb* db,
                     Progress* progress, RunOptions options)
    : program_(program),
      runner_(runner),
      cache_(cache),
      db_(db),
      progress_(progress),
      options_(std::move(options)),
      engine_(program) {
  engine_.set_base_dir(options_.base_dir);
  if (db_) db_->LoadFileHashes(&memo_);
}

RunStatus Scheduler::Run(int32_t workflow, std::vector<ir::Value> inputs) {
  last_flush_ms_ = runner_.NowMs();
  engine_.Start(workflow, std::move(inputs));
  for (;;) {
    // Cache hits complete inside Enqueue and may make more calls ready.
    std::deque<TaskRequest> ready;
    for (engine_.TakeReady(&ready); !ready.empty(); engine_.TakeReady(&ready)) {
      while (!ready.empty()) {
        TaskRequest request = std::move(ready.front());
        ready.pop_front();
        Enqueue(std::move(request));
      }
    }
    int64_t now = runner_.NowMs();
    while (!retries_.empty() && retries_.begin()->first <= now) {
      queue_.push_back(retries_.begin()->second);
      retries_.erase(retries_.begin());
    }
    if (!cancelled_) Admit();
    if (running_.empty() && queue_.empty() && retries_.empty()) break;
    int64_t deadline = -1;
    for (const auto& [token, job] : running_) {
      int64_t d = jobs_[job].deadline_ms;
      if (d >= 0 && !jobs_[job].timed_out) deadline = deadline < 0 ? d : std::min(deadline, d);
    }
    if (!retries_.empty()) deadline = deadline < 0 ? retries_.begin()->first : std::min(deadline, retries_.begin()->first);
    if (progress_) {
      int64_t tick = now + 100;
      deadline = deadline < 0 ? tick : std::min(deadline, tick);
      progress_->Tick(now);
    }
    if (db_) {
      int64_t flush = last_flush_ms_ + 500;
      deadline = deadline < 0 ? flush : std::min(deadline, flush);
    }
    std::vector<CommandExit> exited;
    bool interrupted = false;
    runner_.Wait(deadline, &exited, &interrupted);
    for (const CommandExit& e : exited) {
      auto it = running_.find(e.token);
      if (it == running_.end()) continue;
      size_t job = it->second;
      running_.erase(it);
      AttemptEnded(job, e);
    }
    if (interrupted && !cancelled_) CancelAll();
    now = runner_.NowMs();
    for (const auto& [token, job] : running_) {
      Job& j = jobs_[job];
      if (j.deadline_ms >= 0 && !j.timed_out && now >= j.deadline_ms) {
        j.timed_out = true;
        runner_.Terminate(token, options_.kill_grace_ms);
      }
    }
    FlushMaybe(false);
  }
  if (progress_) progress_->Finish();
  if (db_) {
    db_->SaveFileHashes(memo_);
    FlushMaybe(true);
  }
  if (cancelled_) return RunStatus::Cancelled;
  return engine_.finished() && !engine_.failed() ? RunStatus::Succeeded : RunStatus::Failed;
}

AttemptRecord Scheduler::HitRecord(const Hit& hit) const {
  AttemptRecord rec;
  rec.run_id = options_.run_id;
  const NodeInfo& info = engine_.nodes()[hit.node];
  rec.path = info.path;
  rec.task = program_.tasks[program_.step(info.step).callee].qualified_name;
  rec.attempt = 0;
  rec.status = "cached";
  rec.cache_hit = true;
  rec.cache_key = hit.key;
  rec.image = hit.image;
  rec.started_ms = rec.ended_ms = hit.at_ms;
  rec.exit_code = 0;
  if (cache_) rec.work_dir = cache_->EntryDir(hit.key);
  return rec;
}

std::vector<AttemptRecord> Scheduler::Attempts() const {
  std::vector<AttemptRecord> out;
  out.reserve(records_.size() + hits_.size());
  size_t next_hit = 0;
  for (size_t r = 0; r <= records_.size(); ++r) {
    while (next_hit < hits_.size() && hits_[next_hit].records_before == r) out.push_back(HitRecord(hits_[next_hit++]));
    if (r < records_.size()) out.push_back(records_[r]);
  }
  return out;
}

void Scheduler::SaveRecord(size_t record) {
  if (!db_) return;
  if (record >= unsaved_flag_.size()) unsaved_flag_.resize(records_.size(), false);
  if (unsaved_flag_[record]) return;  // already queued: the flush writes its latest state
  unsaved_flag_[record] = true;
  unsaved_.push_back(record);
}

void Scheduler::FlushMaybe(bool force) {
  if (!db_) return;
  int64_t now = runner_.NowMs();
  if (!force && now - last_flush_ms_ < 500) return;
  // The rows are read from records_ in place (a deque: stable addresses), not
  // copied into the database's buffer first.
  std::vector<const AttemptRecord*> rows;
  rows.reserve(unsaved_.size());
  for (size_t record : unsaved_) {
    rows.push_back(&records_[record]);
    unsaved_flag_[record] = false;
  }
  unsaved_.clear();
  std::string hits;
  for (; unsaved_hits_ < hits_.size(); ++unsaved_hits_) {
    const Hit& hit = hits_[unsaved_hits_];
    const NodeInfo& info = engine_.nodes()[hit.node];
    RunDb::AppendCacheHit(&hits, info.path, program_.tasks[program_.step(info.step).callee].qualified_name,
                          hit.at_ms, hit.key, hit.image);
  }
  db_->SaveCacheHits(options_.run_id, std::move(hits));
  db_->Flush(rows);
  last_flush_ms_ = now;
}

void Scheduler::Enqueue(TaskRequest request) {
  const ir::Task& task = program_.tasks[request.call.task];
  const TaskSettings& s = request.call.settings;
  bool use_cache = cache_ && options_.use_cache && s.cache;
  CacheKey key;
  if (use_cache) {
    key = keys_.Make(request.call);
    ir::Value value;
    if (cache_->Lookup(program_, task, key.key, &value)) {
      // A hit needs no slot and no process: record it and go on at once.
      Hit& hit = hits_.emplace_back();
      hit.node = request.node;
      hit.at_ms = runner_.WallMs();
      hit.records_before = records_.size();
      hit.image = s.image;
      if (progress_) {
        progress_->Cached(request.path);
        if (options_.explain)
          progress_->Note(fmt::format("explain {}: cached result {}", request.path, key.key.substr(0, 12)));
      }
      hit.key = std::move(key.key);
      engine_.TaskSucceeded(request.node, std::move(value));
      return;
    }
  }
  std::string step_key = options_.file + "::" + request.path;
  if (use_cache) {
    if (options_.explain && progress_) {
      std::vector<std::pair<std::string, std::string>> before;
      std::string why = db_ && db_->LastKey(step_key, &before) ? ExplainKeyChange(before, key.parts)
                                                               : "no earlier run of this step";
      progress_->Note(fmt::format("explain {}: runs because {}", request.path, why));
    }
    if (db_) db_->SaveLastKey(step_key, key);
  } else if (options_.explain && progress_) {
    progress_->Note(fmt::format("explain {}: runs because {}", request.path,
                                !options_.use_cache ? "caching is off (--no-cache)"
                                                    : "the task sets `cache = false`"));
  }
  size_t index = jobs_.size();
  Job& job = jobs_.emplace_back();
  job.request = std::move(request);
  job.use_cache = use_cache;
  job.key = std::move(key);
  queue_.push_back(index);
}

std::string Scheduler::Oversize(const Job& job) const {
  const TaskSettings& s = job.request.call.settings;
  if (options_.cpus > 0 && s.cpu > options_.cpus)
    return fmt::format("needs {} cpu but only {} are available (--cpus)", s.cpu, options_.cpus);
  if (options_.memory > 0 && s.memory > options_.memory)
    return fmt::format("needs {} of memory but only {} are available (--memory)", ir::FormatSize(s.memory),
                       ir::FormatSize(options_.memory));
  if (s.gpu > options_.gpus)
    return fmt::format("needs {} gpu but only {} are available", s.gpu, options_.gpus);
  return "";
}

bool Scheduler::Fits(const Job& job) const {
  if (static_cast<int>(running_.size()) >= options_.jobs) return false;
  const TaskSettings& s = job.request.call.settings;
  if (running_.empty()) return true;  // anything within the budgets may run alone
  if (options_.cpus > 0 && cpu_used_ + s.cpu > options_.cpus + 1e-9) return false;
  if (options_.memory > 0 && memory_used_ + s.memory > options_.memory) return false;
  if (gpu_used_ + s.gpu > options_.gpus) return false;
  return true;
}

void Scheduler::Admit() {
  while (!queue_.empty()) {
    size_t job = queue_.front();
    std::string too_big = Oversize(jobs_[job]);
    if (!too_big.empty()) {
      queue_.pop_front();
      jobs_[job].attempt = 1;
      AttemptFailed(job, "task `" + program_.tasks[jobs_[job].request.call.task].qualified_name + "` " + too_big,
                    "", false);
      continue;
    }
    if (!Fits(jobs_[job])) return;
    queue_.pop_front();
    StartAttempt(job);
  }
}

void Scheduler::StartAttempt(size_t index) {
  Job& job = jobs_[index];
  ++job.attempt;
  job.timed_out = false;
  const ResolvedTask& call = job.request.call;
  const ir::Task& task = program_.tasks[call.task];
  job.dir = options_.flow_dir + "/work/" + options_.run_id + "/" + job.request.path + "/" +
            std::to_string(job.attempt);
  AttemptRecord rec;
  rec.run_id = options_.run_id;
  rec.path = job.request.path;
  rec.task = task.qualified_name;
  rec.attempt = job.attempt;
  rec.status = "running";
  rec.cache_key = job.use_cache ? job.key.key : "";
  rec.image = call.settings.image;
  rec.work_dir = job.dir;
  rec.stdout_path = job.dir + "/stdout.log";
  rec.stderr_path = job.dir + "/stderr.log";
  rec.started_ms = runner_.WallMs();
  job.record = records_.size();
  job.has_record = true;
  records_.push_back(rec);
  job.started_ms = runner_.NowMs();
  if (progress_) progress_->Started(job.request.path, job.attempt, job.started_ms);

  // (A leftover of a killed earlier flowc with the same run id is removed.)
  if (!MakeFreshDir(job.dir)) return AttemptFailed(index, "cannot create the work directory " + job.dir, "", false);
  job.outputs = OutputPaths(task, job.dir);
  TaskProgram prog;
  std::string error;
  if (!RenderTaskProgram(program_, call, job.outputs, &prog, &error)) return AttemptFailed(index, error, "", false);
  CommandSpec spec;
  spec.argv = std::move(prog.argv);
  if (prog.has_script) {
    std::string script_path = job.dir + "/script.sh";
    if (!WriteFile(script_path, prog.script)) return AttemptFailed(index, "cannot write " + script_path, "", false);
    spec.argv.push_back(script_path);
  }
  spec.dir = job.dir;
  spec.stdout_path = rec.stdout_path;
  spec.stderr_path = rec.stderr_path;
  spec.env = options_.base_env;
  for (const auto& [name, value] : call.settings.env) {
    std::string prefix = name + "=";
    bool replaced = false;
    for (std::string& e : spec.env) {
      if (e.compare(0, prefix.size(), prefix) == 0) {
        e = prefix + value;
        replaced = true;
      }
    }
    if (!replaced) spec.env.push_back(prefix + value);
  }
  int64_t token = next_token_++;
  if (!runner_.Start(token, spec, &error)) return AttemptFailed(index, error, "", true);
  running_[token] = index;
  cpu_used_ += call.settings.cpu;
  memory_used_ += call.settings.memory;
  gpu_used_ += call.settings.gpu;
  job.deadline_ms = call.settings.timeout_ms > 0 ? job.started_ms + call.settings.timeout_ms : -1;
  SaveRecord(job.record);
}

void Scheduler::AttemptEnded(size_t index, const CommandExit& exit) {
  Job& job = jobs_[index];
  const ResolvedTask& call = job.request.call;
  const ir::Task& task = program_.tasks[call.task];
  cpu_used_ -= call.settings.cpu;
  memory_used_ -= call.settings.memory;
  gpu_used_ -= call.settings.gpu;
  AttemptRecord& rec = records_[job.record];
  rec.ended_ms = runner_.WallMs();
  rec.cpu_ms = exit.cpu_ms;
  rec.max_rss_kb = exit.max_rss_kb;
  rec.exit_code = exit.kind == CommandExit::Kind::Exited ? exit.exit_code : -1;
  rec.signal = exit.signal;
  if (cancelled_) {
    rec.status = "cancelled";
    rec.message = "cancelled";
    SaveRecord(job.record);
    if (progress_) progress_->Failed(job.request.path, "cancelled", "", true, runner_.NowMs());
    return;
  }
  if (job.timed_out)
    return AttemptFailed(index, "timed out after " + ir::FormatDuration(call.settings.timeout_ms),
                         TailOfFile(rec.stderr_path, 10), true);
  switch (exit.kind) {
    case CommandExit::Kind::SpawnFailed: return AttemptFailed(index, exit.error, "", true);
    case CommandExit::Kind::Signaled:
      return AttemptFailed(index, fmt::format("killed by signal {} ({})", exit.signal, strsignal(exit.signal)),
                           TailOfFile(rec.stderr_path, 10), true);
    case CommandExit::Kind::Exited: break;
  }
  if (exit.exit_code != 0)
    return AttemptFailed(index, fmt::format("exited with status {}", exit.exit_code), TailOfFile(rec.stderr_path, 10),
                         true);
  ir::Value value;
  std::string error;
  if (!ReadOutputs(program_, task, job.outputs, &value, &error)) return AttemptFailed(index, error, "", true);
  if (job.use_cache && !cache_->Store(program_, task, job.key.key, job.outputs, &value, &error) && progress_)
    progress_->Note("warning: " + job.request.path + ": " + error);
  rec.status = "succeeded";
  SaveRecord(job.record);
  if (progress_) progress_->Succeeded(job.request.path, runner_.NowMs());
  engine_.TaskSucceeded(job.request.node, std::move(value));
}

void Scheduler::AttemptFailed(size_t index, const std::string& message, const std::string& detail,
                              bool retryable) {
  Job& job = jobs_[index];
  const TaskSettings& s = job.request.call.settings;
  bool retry = retryable && !cancelled_ && job.attempt <= s.retries;
  if (job.has_record) {
    AttemptRecord& rec = records_[job.record];
    rec.status = job.timed_out ? "timeout" : "failed";
    rec.message = message;
    if (rec.ended_ms == 0) rec.ended_ms = runner_.WallMs();
    SaveRecord(job.record);
  }
  int64_t now = runner_.NowMs();
  if (progress_) progress_->Failed(job.request.path, message, detail, !retry, now);
  if (retry) {
    int shift = std::min(job.attempt - 1, 30);
    int64_t delay = s.backoff_ms << shift;
    if (delay < 0 || delay > (int64_t{1} << 40)) delay = int64_t{1} << 40;
    retries_.emplace(now + delay, index);
    if (progress_)
      progress_->Note(fmt::format("       {}: attempt {} of {} in {}", job.request.path, job.attempt + 1,
                                  s.retries + 1, ir::FormatDuration(delay)));
    return;
  }
  std::string full = message;
  if (!detail.empty()) full += "\n" + detail;
  engine_.TaskFailed(job.request.node, full);
}

void Scheduler::CancelAll() {
  cancelled_ = true;
  if (progress_) progress_->Note("interrupted: stopping every running task");
  for (const auto& [token, job] : running_) runner_.Terminate(token, options_.kill_grace_ms);
  queue_.clear();
  retries_.clear();
  engine_.Cancel();
}

}  // namespace flow::runtime

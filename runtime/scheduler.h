// The scheduler: drives a WorkflowEngine with real (or fake) processes.
//
//  - Ready task calls first consult the cache (a hit needs no slot); the rest
//    wait in one FIFO queue (the order they became ready: fair and
//    deterministic) and start while fewer than `jobs` run and their cpu/memory/
//    gpu fit the budgets. The head of the queue is never overtaken, so a large
//    task cannot starve.
//  - Each attempt gets `.flow/work/<run>/<step path>/<attempt>/` (script.sh,
//    stdout.log, stderr.log, outputs), its own process group and an optional
//    timeout (SIGTERM to the group, SIGKILL after the grace period).
//  - A failed attempt is retried `retries` times, after `backoff`, doubling.
//  - An interrupt (SIGINT/SIGTERM to flowc) terminates every running group
//    (SIGKILL after the grace period, well within 2 s), waits for all of them,
//    records the run as cancelled.
//  - Every attempt is recorded in the RunDb (buffered, flushed a few times a
//    second), so `kill -9` loses at most the last fraction of a second of
//    history and never a cache entry.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/cache.h"
#include "runtime/command_runner.h"
#include "runtime/progress.h"
#include "runtime/run_db.h"
#include "runtime/workflow_engine.h"

namespace flow::runtime {

struct RunOptions {
  std::string run_id;
  std::string flow_dir;   // absolute path of `.flow`
  std::string base_dir;   // where relative File/Dir paths are resolved (the cwd)
  std::string file;       // the workflow file (keys `--explain` history per step)
  int jobs = 1;
  double cpus = 0;        // budgets; 0 = unlimited
  int64_t memory = 0;
  int64_t gpus = 0;       // GPUs available (tasks asking for more fail before running)
  bool use_cache = true;
  bool explain = false;
  int64_t kill_grace_ms = 1000;
  std::vector<std::string> base_env;  // the environment tasks inherit ("NAME=value")
};

enum class RunStatus : uint8_t { Succeeded, Failed, Cancelled };
const char* RunStatusName(RunStatus status);

class Scheduler {
 public:
  /// `cache`, `db` and `progress` may be null (no caching / history / display).
  Scheduler(const ir::Program& program, CommandRunner& runner, Cache* cache, RunDb* db,
            Progress* progress, RunOptions options);

  /// Runs `workflow` to its end; the result is in engine().result().
  RunStatus Run(int32_t workflow, std::vector<ir::Value> inputs);

  const WorkflowEngine& engine() const { return engine_; }
  /// Every attempt (cache hits included), in start order; built on each call.
  std::vector<AttemptRecord> Attempts() const;

 private:
  struct Job {
    TaskRequest request;
    int attempt = 0;          // of the running or last attempt
    int64_t due_ms = 0;       // retry: not before
    CacheKey key;
    bool use_cache = false;
    std::string dir;
    std::vector<std::string> outputs;
    int64_t started_ms = 0;
    int64_t deadline_ms = -1;
    bool timed_out = false;
    size_t record = 0;        // index into records_ (valid once has_record)
    bool has_record = false;
  };

  /// A cache hit, kept small (a 10k no-op rerun holds 10k of them): the
  /// path and task come from the engine's node, the rest of its
  /// AttemptRecord is implied.
  struct Hit {
    int32_t node = -1;
    int64_t at_ms = 0;
    size_t records_before = 0;  // records_.size() when it happened (for the start order)
    std::string key;
    std::string image;
  };

  void Enqueue(TaskRequest request);
  AttemptRecord HitRecord(const Hit& hit) const;
  bool Fits(const Job& job) const;
  std::string Oversize(const Job& job) const;
  void Admit();
  void StartAttempt(size_t job);
  void AttemptEnded(size_t job, const CommandExit& exit);
  void AttemptFailed(size_t job, const std::string& message, const std::string& detail, bool retryable);
  void CancelAll();
  /// Queues records_[record] for the next flush to the RunDb.
  void SaveRecord(size_t record);
  void FlushMaybe(bool force);

  const ir::Program& program_;
  CommandRunner& runner_;
  Cache* cache_;
  RunDb* db_;
  Progress* progress_;
  RunOptions options_;
  WorkflowEngine engine_;
  FileHashMemo memo_;
  CacheKeyMaker keys_{program_, &memo_};
  std::deque<Job> jobs_;
  std::deque<size_t> queue_;                 // ready, in arrival order
  std::multimap<int64_t, size_t> retries_;   // due time → job (ties: insertion order)
  std::map<int64_t, size_t> running_;        // token → job
  int64_t next_token_ = 1;
  double cpu_used_ = 0;
  int64_t memory_used_ = 0;
  int64_t gpu_used_ = 0;
  std::deque<AttemptRecord> records_;       // attempts that ran (or tried to run) a process
  std::deque<Hit> hits_;
  size_t unsaved_hits_ = 0;                  // hits_[unsaved_hits_..] not yet flushed
  std::vector<size_t> unsaved_;              // records_ changed since the last flush
  std::vector<bool> unsaved_flag_;           // per record: in unsaved_
  int64_t last_flush_ms_ = 0;
  bool cancelled_ = false;
};

}  // namespace flow::runtime

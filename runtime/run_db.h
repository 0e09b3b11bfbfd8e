// Run history in SQLite (`.flow/runs.db`): every run and every attempt of every
// task (status, exit code, start/end, CPU time, max RSS, cache hit, log paths),
// the last cache key of each step (for `--explain`) and the file-hash memo of
// the cache. Writes are buffered and flushed in one transaction (the scheduler
// flushes a few times per second and at the end), so 10k tasks cost a handful
// of commits, and a concurrent `flowc` never waits on a long-held lock.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/cache.h"

namespace flow::runtime {

struct RunRecord {
  std::string id;          // "20261129-074501-3f2a": sortable by start time
  std::string file;        // the workflow file
  std::string args;        // the command line after `run`
  std::string status;      // running | succeeded | failed | cancelled
  int64_t started_ms = 0;  // Unix epoch ms
  int64_t ended_ms = 0;
  int exit_code = -1;
  int64_t pid = 0;         // of the flowc that ran it (to tell a killed run from a running one)
  std::string work_dir;    // `.flow/work/<id>`
};

struct AttemptRecord {
  std::string run_id;
  std::string path;        // step path in the run
  std::string task;        // qualified task name
  int attempt = 1;
  std::string status;      // running | succeeded | failed | timeout | cancelled | cached
  int exit_code = -1;
  int signal = 0;
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
  int64_t cpu_ms = 0;
  int64_t max_rss_kb = 0;
  bool cache_hit = false;
  std::string cache_key;
  std::string image;
  std::string work_dir;
  std::string stdout_path;
  std::string stderr_path;
  std::string message;
};

class RunDb {
 public:
  RunDb() = default;
  ~RunDb();
  RunDb(const RunDb&) = delete;
  RunDb& operator=(const RunDb&) = delete;

  /// Opens (creating) the database; false with `*error` when it cannot.
  bool Open(const std::string& path, std::string* error);

  void SaveRun(const RunRecord& run);        // buffered
  void SaveAttempt(const AttemptRecord& a);  // buffered; same (run, path, attempt) replaces
  /// Cache hits (attempt 0, status `cached`, no process) are stored compactly:
  /// the hits of one flush are one row of `cache_hits`, one line per hit made
  /// by AppendCacheHit (a no-op rerun of 10k tasks wrote 10k full attempt rows,
  /// a fifth of its time). Attempts() expands them back into AttemptRecords.
  static void AppendCacheHit(std::string* lines, const std::string& path, const std::string& task,
                             int64_t at_ms, const std::string& key, const std::string& image);
  void SaveCacheHits(const std::string& run_id, std::string lines);  // buffered
  void SaveLastKey(const std::string& step, const CacheKey& key);  // buffered
  /// Writes everything buffered, and the attempts `more` (read in place, not
  /// copied), in one transaction.
  bool Flush(const std::vector<const AttemptRecord*>& more = {});

  std::vector<RunRecord> Runs(int limit);
  /// Every attempt of the run, cache hits included, by (start, path, attempt).
  std::vector<AttemptRecord> Attempts(const std::string& run_id);
  /// "last", a full id, or a unique prefix of one.
  std::optional<std::string> ResolveRun(const std::string& spec);
  bool LastKey(const std::string& step, std::vector<std::pair<std::string, std::string>>* parts);
  void LoadFileHashes(FileHashMemo* memo);
  void SaveFileHashes(const FileHashMemo& memo);  // the memo's `changed` entries; buffered
  bool DeleteRun(const std::string& run_id);

 private:
  bool Exec(const char* sql);
  sqlite3* db_ = nullptr;
  std::string cache_dir_;  // `.flow/cache` next to the database: where cache hits' entries are
  std::vector<RunRecord> runs_;
  std::vector<AttemptRecord> attempts_;
  std::vector<std::pair<std::string, std::string>> hits_;  // (run id, AppendCacheHit lines)
  std::vector<std::pair<std::string, std::string>> keys_;  // (step, serialized parts)
  std::vector<std::pair<std::string, std::pair<FileStamp, std::string>>> hashes_;
};

}  // namespace flow::runtime

// The result cache: a content-addressed store under `.flow/cache/`.
//
// Key (CacheKey): XXH3-128 over the task's normalized definition
// (ir::Task::digest), its image, env and shell, and every input value as typed
// JSON, where each File/Dir inside an input also contributes its content hash
// (mtime+size+inode fast path through FileHashMemo; xxHash of the bytes when
// they changed). Resource fields, retries, backoff and timeout do not change a
// result and are not part of the key.
//
// Index: `.flow/cache/index` holds every entry's result as one line
// "<key>\t<result json>\n" (each written as "\n<key>\t<json>\n" in one
// O_APPEND write, so a line torn by a `kill -9` ends at the next newline and
// never joins a later one; torn and empty lines are ignored). Lookups read it
// once instead of opening one file per task.
//
// A result without File/Dir outputs is complete in its index line: storing it
// is one write() to an open descriptor (no directory, no rename), so on a
// chain of short tasks the store costs nothing on the critical path.
//
// A result with File/Dir outputs also has an entry directory,
// `.flow/cache/<k0k1>/<key>/`, holding `result.json` and the outputs (moved
// there from the attempt directory). It is built in `.flow/cache/tmp/` and
// renamed into place before its index line is written, so it appears complete
// or not at all: a `kill -9` at any moment never leaves a partial entry in
// use. Keys missing from the index fall back to the entry's result.json.
#pragma once

#include <map>
#include <set>
#include <unordered_map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/disk.h"
#include "runtime/task_call.h"

namespace flow::runtime {

/// Content hashes of files by path, valid while the FileStamp matches.
struct FileHashMemo {
  std::map<std::string, std::pair<FileStamp, std::string>> entries;
  std::vector<std::string> changed;  // paths whose entry was (re)computed this run
  /// The content hash of `path` ("missing" if absent; a directory hashes its
  /// sorted listing and its files' hashes).
  std::string Hash(const std::string& path);
};

/// A cache key and the digests it was made of (for `--explain`).
struct CacheKey {
  std::string key;
  std::vector<std::pair<std::string, std::string>> parts;  // ("task", d), ("input data", d), ...
};

CacheKey ComputeCacheKey(const ir::Program& program, const ResolvedTask& call, FileHashMemo* memo);

/// ComputeCacheKey for many calls (the same keys): the digest of each task's
/// definition is computed once, those of its image, env and shell once per
/// distinct value, and scalar inputs are written as JSON without building a
/// JSON tree. On a 10k no-op rerun the key was a third of the runtime's time.
class CacheKeyMaker {
 public:
  CacheKeyMaker(const ir::Program& program, FileHashMemo* memo) : program_(program), memo_(memo) {}
  CacheKey Make(const ResolvedTask& call);

 private:
  /// The digest of `text`, remembered while `text` stays the same.
  struct Memo {
    bool valid = false;
    std::string text;
    std::string digest;
    const std::string& Get(const std::string& of);
  };
  struct TaskMemo {
    std::string definition;  // "" until computed
    Memo image, env, shell;
  };

  const ir::Program& program_;
  FileHashMemo* memo_;
  std::vector<TaskMemo> tasks_;  // by task index
};

/// Why a key differs from the previous one of the same step ("input `x` changed").
std::string ExplainKeyChange(const std::vector<std::pair<std::string, std::string>>& before,
                             const std::vector<std::pair<std::string, std::string>>& after);

class Cache {
 public:
  explicit Cache(std::string dir) : dir_(std::move(dir)) {}
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  /// The stored value of `key`, with File/Dir outputs pointing into the entry.
  bool Lookup(const ir::Program& program, const ir::Task& task, const std::string& key, ir::Value* value) const;

  /// Moves the File/Dir outputs at `output_paths` into a new entry for `key`
  /// and rewrites `*value` to point there. On failure the outputs stay where
  /// they were and `*value` is unchanged.
  bool Store(const ir::Program& program, const ir::Task& task, const std::string& key,
             const std::vector<std::string>& output_paths, ir::Value* value, std::string* error);

  std::string EntryDir(const std::string& key) const;
  const std::string& dir() const { return dir_; }

 private:
  void LoadIndex() const;
  /// The index line's result JSON of `key`, or null.
  const std::string_view* FindIndexed(const std::string& key) const;
  /// Appends the index line of `key` (the descriptor stays open for the run);
  /// false if it could not be written whole.
  bool AppendIndex(const std::string& key, const std::string& json);

  std::string dir_;
  int counter_ = 0;
  int index_fd_ = -1;
  std::set<std::string> shards_;  // `<k0k1>` directories known to exist
  mutable bool index_loaded_ = false;
  // The index file as read, and (key, result json) views into it sorted by
  // key (a later line of the same key wins): one allocation for 10k entries
  // instead of three each.
  mutable std::string index_text_;
  mutable std::vector<std::pair<std::string_view, std::string_view>> index_;
  std::unordered_map<std::string, std::string> stored_;  // key → result json, stored by this run
};

}  // namespace flow::runtime

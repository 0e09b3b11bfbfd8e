#include "runtime/run_db.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string_view>

namespace flow::runtime {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs(
  id TEXT PRIMARY KEY, file TEXT, args TEXT, status TEXT, started_ms INTEGER,
  ended_ms INTEGER, exit_code INTEGER, pid INTEGER, work_dir TEXT);
CREATE TABLE IF NOT EXISTS attempts(
  run_id TEXT, path TEXT, task TEXT, attempt INTEGER, status TEXT, exit_code INTEGER,
  signal INTEGER, started_ms INTEGER, ended_ms INTEGER, cpu_ms INTEGER, max_rss_kb INTEGER,
  cache_hit INTEGER, cache_key TEXT, image TEXT, work_dir TEXT, stdout_path TEXT,
  stderr_path TEXT, message TEXT, PRIMARY KEY(run_id, path, attempt));
CREATE TABLE IF NOT EXISTS cache_hits(run_id TEXT, lines TEXT);
CREATE INDEX IF NOT EXISTS cache_hits_run ON cache_hits(run_id);
CREATE TABLE IF NOT EXISTS last_keys(step TEXT PRIMARY KEY, parts TEXT);
CREATE TABLE IF NOT EXISTS file_hashes(
  path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER, is_dir INTEGER, hash TEXT);
)sql";

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  Stmt& Bind(int i, const std::string& s) {
    // SQLITE_STATIC: every bound string outlives the step that reads it (no copy).
    sqlite3_bind_text(stmt_, i, s.c_str(), static_cast<int>(s.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  bool Step() { return sqlite3_step(stmt_) == SQLITE_ROW; }
  bool Run() {
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);  // every parameter is bound again before the next step
    return rc == SQLITE_DONE;
  }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

RunRecord ReadRun(Stmt& s) {
  RunRecord r;
  r.id = s.Text(0);
  r.file = s.Text(1);
  r.args = s.Text(2);
  r.status = s.Text(3);
  r.started_ms = s.Int(4);
  r.ended_ms = s.Int(5);
  r.exit_code = static_cast<int>(s.Int(6));
  r.pid = s.Int(7);
  r.work_dir = s.Text(8);
  return r;
}

// Cache-hit lines are tab-separated; a field (an image name) may hold any text.
void AppendEscaped(std::string* out, const std::string& text) {
  // (A plain loop: find_first_of tests each character with a call.)
  bool plain = true;
  for (char c : text) plain = plain && c != '\\' && c != '\t' && c != '\n';
  if (plain) {
    *out += text;  // the usual case: nothing to escape
    return;
  }
  for (char c : text) {
    switch (c) {
      case '\\': *out += "\\\\"; break;
      case '\t': *out += "\\t"; break;
      case '\n': *out += "\\n"; break;
      default: *out += c;
    }
  }
}

std::string Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char c = text[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
  }
  return out;
}

/// Splits `lines` (AppendCacheHit's format) into cache-hit attempts of `run_id`.
void ReadCacheHits(const std::string& run_id, const std::string& lines, const std::string& cache_dir,
                   std::vector<AttemptRecord>* out) {
  size_t pos = 0;
  while (pos < lines.size()) {
    size_t nl = lines.find('\n', pos);
    if (nl == std::string::npos) nl = lines.size();
    std::string_view line(lines.data() + pos, nl - pos);
    pos = nl + 1;
    std::string_view fields[5];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= line.size() && n < 5; ++i) {
      if (i == line.size() || line[i] == '\t') {
        fields[n++] = line.substr(start, i - start);
        start = i + 1;
      }
    }
    if (n != 5) continue;  // not a line this version wrote
    AttemptRecord a;
    a.run_id = run_id;
    a.path = Unescape(fields[0]);
    a.task = Unescape(fields[1]);
    a.attempt = 0;
    a.status = "cached";
    a.exit_code = 0;
    a.started_ms = a.ended_ms = std::strtoll(std::string(fields[2]).c_str(), nullptr, 10);
    a.cache_hit = true;
    a.cache_key = Unescape(fields[3]);
    a.image = Unescape(fields[4]);
    if (a.cache_key.size() >= 2) a.work_dir = cache_dir + "/" + a.cache_key.substr(0, 2) + "/" + a.cache_key;
    out->push_back(std::move(a));
  }
}

}  // namespace

void RunDb::AppendCacheHit(std::string* lines, const std::string& path, const std::string& task, int64_t at_ms,
                           const std::string& key, const std::string& image) {
  AppendEscaped(lines, path);
  *lines += '\t';
  AppendEscaped(lines, task);
  *lines += '\t';
  *lines += std::to_string(at_ms);
  *lines += '\t';
  AppendEscaped(lines, key);
  *lines += '\t';
  AppendEscaped(lines, image);
  *lines += '\n';
}

void RunDb::SaveCacheHits(const std::string& run_id, std::string lines) {
  if (!lines.empty()) hits_.emplace_back(run_id, std::move(lines));
}

RunDb::~RunDb() {
  if (db_) {
    Flush();
    sqlite3_close(db_);
  }
}

bool RunDb::Exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

bool RunDb::Open(const std::string& path, std::string* error) {
  size_t slash = path.rfind('/');
  cache_dir_ = (slash == std::string::npos ? std::string(".") : path.substr(0, slash)) + "/cache";
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    *error = "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  sqlite3_busy_timeout(db_, 10000);
  // History is not what makes a rerun correct (cache entries are), so it is
  // not worth an fsync per commit; WAL keeps it consistent after `kill -9`.
  // Set before journal_mode: creating a new database (every first run in a
  // directory) switches it to WAL through a rollback journal, which cost four
  // fdatasyncs (journal, directory, journal, database) under the default.
  Exec("PRAGMA synchronous=OFF");
  Exec("PRAGMA journal_mode=WAL");
  // A flush of 10k rows (a no-op rerun of 10k cache hits) dirties a few MB;
  // with the default 2 MB page cache it spilled to the WAL mid-transaction.
  Exec("PRAGMA cache_size=-32768");
  // One transaction for the whole schema: one WAL commit, not one per table.
  bool created = Exec("BEGIN IMMEDIATE");
  created = created && Exec(kSchema);
  created = created && Exec("COMMIT");
  if (!created) {
    *error = "cannot initialize " + path + ": " + sqlite3_errmsg(db_);
    Exec("ROLLBACK");
    sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  return true;
}

void RunDb::SaveRun(const RunRecord& run) { runs_.push_back(run); }
void RunDb::SaveAttempt(const AttemptRecord& a) { attempts_.push_back(a); }

void RunDb::SaveLastKey(const std::string& step, const CacheKey& key) {
  std::string parts;
  for (const auto& [name, digest] : key.parts) parts += name + '\t' + digest + '\n';
  keys_.emplace_back(step, std::move(parts));
}

void RunDb::SaveFileHashes(const FileHashMemo& memo) {
  for (const std::string& path : memo.changed) {
    auto it = memo.entries.find(path);
    if (it != memo.entries.end()) hashes_.emplace_back(path, it->second);
  }
}

bool RunDb::Flush(const std::vector<const AttemptRecord*>& more) {
  if (!db_) return false;
  if (runs_.empty() && attempts_.empty() && hits_.empty() && keys_.empty() && hashes_.empty() && more.empty())
    return true;
  if (!Exec("BEGIN IMMEDIATE")) return false;
  {
    Stmt run(db_, "INSERT OR REPLACE INTO runs VALUES(?,?,?,?,?,?,?,?,?)");
    for (const RunRecord& r : runs_) {
      run.Bind(1, r.id).Bind(2, r.file).Bind(3, r.args).Bind(4, r.status).Bind(5, r.started_ms);
      run.Bind(6, r.ended_ms).Bind(7, int64_t{r.exit_code}).Bind(8, r.pid).Bind(9, r.work_dir).Run();
    }
    Stmt att(db_, "INSERT OR REPLACE INTO attempts VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    auto save = [&att](const AttemptRecord& a) {
      att.Bind(1, a.run_id).Bind(2, a.path).Bind(3, a.task).Bind(4, int64_t{a.attempt}).Bind(5, a.status);
      att.Bind(6, int64_t{a.exit_code}).Bind(7, int64_t{a.signal}).Bind(8, a.started_ms).Bind(9, a.ended_ms);
      att.Bind(10, a.cpu_ms).Bind(11, a.max_rss_kb).Bind(12, int64_t{a.cache_hit}).Bind(13, a.cache_key);
      att.Bind(14, a.image).Bind(15, a.work_dir).Bind(16, a.stdout_path).Bind(17, a.stderr_path);
      att.Bind(18, a.message).Run();
    };
    for (const AttemptRecord& a : attempts_) save(a);
    for (const AttemptRecord* a : more) save(*a);
    Stmt hits(db_, "INSERT INTO cache_hits VALUES(?,?)");
    for (const auto& [run_id, lines] : hits_) hits.Bind(1, run_id).Bind(2, lines).Run();
    Stmt key(db_, "INSERT OR REPLACE INTO last_keys VALUES(?,?)");
    for (const auto& [step, parts] : keys_) key.Bind(1, step).Bind(2, parts).Run();
    Stmt hash(db_, "INSERT OR REPLACE INTO file_hashes VALUES(?,?,?,?,?,?)");
    for (const auto& [path, entry] : hashes_) {
      const FileStamp& st = entry.first;
      hash.Bind(1, path).Bind(2, st.size).Bind(3, st.mtime_ns).Bind(4, static_cast<int64_t>(st.inode));
      hash.Bind(5, int64_t{st.is_dir}).Bind(6, entry.second).Run();
    }
  }
  bool ok = Exec("COMMIT");
  if (!ok) Exec("ROLLBACK");
  runs_.clear();
  attempts_.clear();
  hits_.clear();
  keys_.clear();
  hashes_.clear();
  return ok;
}

std::vector<RunRecord> RunDb::Runs(int limit) {
  std::vector<RunRecord> out;
  if (!db_) return out;
  Stmt s(db_, "SELECT * FROM runs ORDER BY started_ms DESC, id DESC LIMIT ?");
  s.Bind(1, int64_t{limit});
  while (s.Step()) out.push_back(ReadRun(s));
  return out;
}

std::vector<AttemptRecord> RunDb::Attempts(const std::string& run_id) {
  std::vector<AttemptRecord> out;
  if (!db_) return out;
  Stmt s(db_, "SELECT * FROM attempts WHERE run_id = ? ORDER BY started_ms, path, attempt");
  s.Bind(1, run_id);
  while (s.Step()) {
    AttemptRecord a;
    a.run_id = s.Text(0);
    a.path = s.Text(1);
    a.task = s.Text(2);
    a.attempt = static_cast<int>(s.Int(3));
    a.status = s.Text(4);
    a.exit_code = static_cast<int>(s.Int(5));
    a.signal = static_cast<int>(s.Int(6));
    a.started_ms = s.Int(7);
    a.ended_ms = s.Int(8);
    a.cpu_ms = s.Int(9);
    a.max_rss_kb = s.Int(10);
    a.cache_hit = s.Int(11) != 0;
    a.cache_key = s.Text(12);
    a.image = s.Text(13);
    a.work_dir = s.Text(14);
    a.stdout_path = s.Text(15);
    a.stderr_path = s.Text(16);
    a.message = s.Text(17);
    out.push_back(std::move(a));
  }
  Stmt hits(db_, "SELECT lines FROM cache_hits WHERE run_id = ? ORDER BY rowid");
  hits.Bind(1, run_id);
  bool any_hits = false;
  while (hits.Step()) {
    ReadCacheHits(run_id, hits.Text(0), cache_dir_, &out);
    any_hits = true;
  }
  if (any_hits) {
    std::stable_sort(out.begin(), out.end(), [](const AttemptRecord& a, const AttemptRecord& b) {
      if (a.started_ms != b.started_ms) return a.started_ms < b.started_ms;
      if (a.path != b.path) return a.path < b.path;
      return a.attempt < b.attempt;
    });
  }
  return out;
}

std::optional<std::string> RunDb::ResolveRun(const std::string& spec) {
  if (!db_) return std::nullopt;
  if (spec == "last" || spec.empty()) {
    std::vector<RunRecord> runs = Runs(1);
    if (runs.empty()) return std::nullopt;
    return runs[0].id;
  }
  Stmt s(db_, "SELECT id FROM runs WHERE substr(id, 1, length(?)) = ? ORDER BY id");
  s.Bind(1, spec).Bind(2, spec);
  std::vector<std::string> ids;
  while (s.Step()) ids.push_back(s.Text(0));
  for (const std::string& id : ids)
    if (id == spec) return id;
  if (ids.size() == 1) return ids[0];
  return std::nullopt;
}

bool RunDb::LastKey(const std::string& step, std::vector<std::pair<std::string, std::string>>* parts) {
  if (!db_) return false;
  Stmt s(db_, "SELECT parts FROM last_keys WHERE step = ?");
  s.Bind(1, step);
  if (!s.Step()) return false;
  std::istringstream in(s.Text(0));
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.rfind('\t');
    if (tab != std::string::npos) parts->emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return true;
}

void RunDb::LoadFileHashes(FileHashMemo* memo) {
  if (!db_) return;
  Stmt s(db_, "SELECT path, size, mtime_ns, inode, is_dir, hash FROM file_hashes");
  while (s.Step()) {
    FileStamp st;
    st.exists = true;
    st.size = s.Int(1);
    st.mtime_ns = s.Int(2);
    st.inode = static_cast<uint64_t>(s.Int(3));
    st.is_dir = s.Int(4) != 0;
    memo->entries[s.Text(0)] = {st, s.Text(5)};
  }
}

bool RunDb::DeleteRun(const std::string& run_id) {
  if (!db_) return false;
  Stmt a(db_, "DELETE FROM attempts WHERE run_id = ?");
  a.Bind(1, run_id);
  Stmt h(db_, "DELETE FROM cache_hits WHERE run_id = ?");
  h.Bind(1, run_id);
  Stmt r(db_, "DELETE FROM runs WHERE id = ?");
  r.Bind(1, run_id);
  return a.Run() && h.Run() && r.Run();
}

}  // namespace flow::runtime

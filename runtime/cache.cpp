#include "runtime/cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "compiler/ir/value_json.h"
#include "runtime/value_paths.h"

namespace flow::runtime {

namespace {

constexpr int kMaxDirDepth = 64;

std::string HashDir(FileHashMemo* memo, const std::string& path, int depth) {
  DIR* dir = opendir(path.c_str());
  if (!dir) return "unreadable";
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  std::string listing;
  for (const std::string& name : names) {
    std::string child = path + "/" + name;
    FileStamp st = StatFile(child);
    listing += name;
    listing += '\0';
    if (st.is_dir) listing += depth < kMaxDirDepth ? HashDir(memo, child, depth + 1) : "deep";
    else listing += memo->Hash(child);
    listing += '\n';
  }
  return HashText(listing);
}

}  // namespace

std::string FileHashMemo::Hash(const std::string& path) {
  FileStamp stamp = StatFile(path);
  if (!stamp.exists) return "missing";
  if (stamp.is_dir) return "dir:" + HashDir(this, path, 0);
  auto it = entries.find(path);
  if (it != entries.end() && it->second.first == stamp) return it->second.second;
  std::string hash = HashFileContent(path).value_or("unreadable");
  entries[path] = {stamp, hash};
  changed.push_back(path);
  return hash;
}

CacheKey ComputeCacheKey(const ir::Program& program, const ResolvedTask& call, FileHashMemo* memo) {
  return CacheKeyMaker(program, memo).Make(call);
}

namespace {

/// Appends the JSON text ValueToJson(value, type).dump() would give, without
/// the JSON tree, for the common scalars (Int, Bool, none, and strings of
/// plain printable ASCII); false for anything else (the caller then dumps).
bool AppendScalarJson(const ir::Program& program, types::TypeId type, const ir::Value& value, std::string* out) {
  if (value.is_none()) {
    *out += "null";
    return true;
  }
  if (!type.valid()) return false;
  types::TypeKind kind = program.types.KindOf(program.types.StripOptional(type));
  switch (kind) {
    case types::TypeKind::Int:
    case types::TypeKind::Bool:
    case types::TypeKind::String:
    case types::TypeKind::File:
    case types::TypeKind::Dir:
    case types::TypeKind::Enum: break;
    case types::TypeKind::Error:
    case types::TypeKind::None:
    case types::TypeKind::Float:
    case types::TypeKind::Duration:
    case types::TypeKind::Size:
    case types::TypeKind::Optional:
    case types::TypeKind::List:
    case types::TypeKind::Map:
    case types::TypeKind::Record:
    case types::TypeKind::Struct: return false;
  }
  switch (value.kind()) {
    case ir::Value::Kind::Int: *out += std::to_string(value.as_int()); return true;
    case ir::Value::Kind::Bool: *out += value.as_bool() ? "true" : "false"; return true;
    case ir::Value::Kind::String: {
      const std::string& text = value.as_string();
      for (char c : text)
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;  // needs JSON escaping
      *out += '"';
      *out += text;
      *out += '"';
      return true;
    }
    case ir::Value::Kind::None:
    case ir::Value::Kind::Float:
    case ir::Value::Kind::List:
    case ir::Value::Kind::Map:
    case ir::Value::Kind::Record: return false;
  }
  return false;
}

}  // namespace

const std::string& CacheKeyMaker::Memo::Get(const std::string& of) {
  if (!valid || text != of) {
    valid = true;
    text = of;
    digest = HashText(of);
  }
  return digest;
}

CacheKey CacheKeyMaker::Make(const ResolvedTask& call) {
  const ir::Task& task = program_.tasks[call.task];
  if (tasks_.size() < program_.tasks.size()) tasks_.resize(program_.tasks.size());
  TaskMemo& tm = tasks_[call.task];
  if (tm.definition.empty()) tm.definition = HashText(task.qualified_name + '\0' + task.digest);
  CacheKey key;
  key.parts.reserve(4 + task.params.size());
  key.parts.emplace_back("task definition", tm.definition);
  key.parts.emplace_back("image", tm.image.Get(call.settings.image));
  std::string env;
  for (const auto& [k, v] : call.settings.env) {
    env += k;
    env += '=';
    env += v;
    env += '\0';
  }
  key.parts.emplace_back("env", tm.env.Get(env));
  key.parts.emplace_back("shell", tm.shell.Get(call.settings.shell));
  std::string text;
  for (size_t i = 0; i < task.params.size() && i < call.inputs.size(); ++i) {
    text.clear();
    if (!AppendScalarJson(program_, task.params[i].type, call.inputs[i], &text))
      text = ir::ValueToJson(call.inputs[i], task.params[i].type, program_.types).dump();
    std::vector<std::string> paths;
    CollectPaths(program_.types, task.params[i].type, call.inputs[i], &paths);
    for (const std::string& p : paths) {
      text += '\0';
      text += memo_->Hash(p);
    }
    key.parts.emplace_back("input `" + task.params[i].name + "`", HashText(text));
  }
  std::string all;
  all.reserve(key.parts.size() * 64);
  for (const auto& [name, digest] : key.parts) {
    all += name;
    all += '\0';
    all += digest;
    all += '\n';
  }
  key.key = HashText(all);
  return key;
}

std::string ExplainKeyChange(const std::vector<std::pair<std::string, std::string>>& before,
                             const std::vector<std::pair<std::string, std::string>>& after) {
  std::vector<std::string> changed;
  // (Plain pairs, not structured bindings: clang 14 cannot capture those in a lambda.)
  for (const auto& entry : after) {
    const std::string& name = entry.first;
    auto it = std::find_if(before.begin(), before.end(), [&](const auto& p) { return p.first == name; });
    if (it == before.end()) changed.push_back(name + " is new");
    else if (it->second != entry.second) changed.push_back(name + " changed");
  }
  for (const auto& entry : before) {
    const std::string& name = entry.first;
    auto it = std::find_if(after.begin(), after.end(), [&](const auto& p) { return p.first == name; });
    if (it == after.end()) changed.push_back(name + " was removed");
  }
  if (changed.empty()) return "the cached result is gone";
  std::string out;
  for (size_t i = 0; i < changed.size(); ++i) out += (i ? ", " : "") + changed[i];
  return out;
}

std::string Cache::EntryDir(const std::string& key) const { return dir_ + "/" + key.substr(0, 2) + "/" + key; }

namespace {

// Points the File/Dir outputs of `value` at `dir`/<output file name>.
ir::Value Repoint(const ir::Program& program, const ir::Task& task, const ir::Value& value,
                  const std::string& dir) {
  auto file_like = [&](types::TypeId t) {
    types::TypeKind k = program.types.KindOf(program.types.StripOptional(t));
    return k == types::TypeKind::File || k == types::TypeKind::Dir;
  };
  if (task.single_output) {
    if (!file_like(task.outputs[0].type) || value.is_none()) return value;
    return ir::Value::String(dir + "/out");
  }
  std::vector<std::pair<std::string, ir::Value>> fields;
  for (size_t i = 0; i < task.outputs.size(); ++i) {
    const ir::Value* f = value.field(task.outputs[i].name);
    ir::Value v = f ? *f : ir::Value::None();
    if (file_like(task.outputs[i].type) && !v.is_none()) v = ir::Value::String(dir + "/out." + task.outputs[i].name);
    fields.emplace_back(task.outputs[i].name, std::move(v));
  }
  return ir::Value::Record(std::move(fields));
}

}  // namespace

void Cache::LoadIndex() const {
  index_loaded_ = true;
  std::optional<std::string> text = ReadFile(dir_ + "/index");
  if (!text) return;
  index_text_ = std::move(*text);
  const std::string& t = index_text_;
  size_t pos = 0;
  while (pos < t.size()) {
    size_t nl = t.find('\n', pos);
    if (nl == std::string::npos) break;  // a torn last line
    size_t tab = t.find('\t', pos);     // (an empty line has none before its newline)
    if (tab != std::string::npos && tab < nl)
      index_.emplace_back(std::string_view(t.data() + pos, tab - pos), std::string_view(t.data() + tab + 1, nl - tab - 1));
    pos = nl + 1;
  }
  // Stable: among lines of one key the last stays last, and FindIndexed takes it.
  std::stable_sort(index_.begin(), index_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

const std::string_view* Cache::FindIndexed(const std::string& key) const {
  auto it = std::upper_bound(index_.begin(), index_.end(), std::string_view(key),
                             [](std::string_view k, const auto& entry) { return k < entry.first; });
  if (it == index_.begin() || std::prev(it)->first != key) return nullptr;
  return &std::prev(it)->second;
}

namespace {

/// The value of a result JSON `{"value":X}` whose X is an integer, a boolean,
/// a string without escapes, or null, read without a JSON parser, for a task
/// whose single output is an Int, Bool or String (optional or not). False
/// when the text or the type is anything else: the caller parses it fully.
bool ReadScalarResult(const ir::Program& program, const ir::Task& task, std::string_view text, ir::Value* out) {
  constexpr std::string_view kPrefix = "{\"value\":";
  if (!task.single_output || text.size() < kPrefix.size() + 2 || text.substr(0, kPrefix.size()) != kPrefix ||
      text.back() != '}')
    return false;
  std::string_view x = text.substr(kPrefix.size(), text.size() - kPrefix.size() - 1);
  types::TypeId type = task.output_type;
  bool optional = program.types.KindOf(type) == types::TypeKind::Optional;
  types::TypeKind kind = program.types.KindOf(program.types.StripOptional(type));
  if (x == "null") {
    if (!optional) return false;
    *out = ir::Value::None();
    return true;
  }
  switch (kind) {
    case types::TypeKind::Int: {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(x.data(), x.data() + x.size(), n);
      if (ec != std::errc() || end != x.data() + x.size()) return false;
      *out = ir::Value::Int(n);
      return true;
    }
    case types::TypeKind::Bool:
      if (x != "true" && x != "false") return false;
      *out = ir::Value::Bool(x == "true");
      return true;
    case types::TypeKind::String: {
      if (x.size() < 2 || x.front() != '"' || x.back() != '"') return false;
      std::string_view body = x.substr(1, x.size() - 2);
      if (body.find_first_of("\"\\") != std::string_view::npos) return false;
      for (char c : body)
        if (static_cast<unsigned char>(c) < 0x20) return false;
      *out = ir::Value::String(std::string(body));
      return true;
    }
    case types::TypeKind::Error:
    case types::TypeKind::None:
    case types::TypeKind::Float:
    case types::TypeKind::File:
    case types::TypeKind::Dir:
    case types::TypeKind::Duration:
    case types::TypeKind::Size:
    case types::TypeKind::List:
    case types::TypeKind::Map:
    case types::TypeKind::Optional:
    case types::TypeKind::Record:
    case types::TypeKind::Struct:
    case types::TypeKind::Enum: return false;
  }
  return false;
}

}  // namespace

bool Cache::Lookup(const ir::Program& program, const ir::Task& task, const std::string& key,
                   ir::Value* value) const {
  if (!index_loaded_) LoadIndex();
  std::string_view text;
  std::optional<std::string> from_file;
  auto stored = stored_.find(key);
  if (stored != stored_.end()) {
    text = stored->second;
  } else if (const std::string_view* indexed = FindIndexed(key)) {
    text = *indexed;
  } else {
    from_file = ReadFile(EntryDir(key) + "/result.json");
    if (!from_file) return false;
    text = *from_file;
  }
  // (A scalar result has no File/Dir to repoint or check.)
  if (ReadScalarResult(program, task, text, value)) return true;
  ir::Json json = ir::Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("value")) return false;
  if (task.outputs.empty()) {
    *value = ir::Value::None();
    return true;
  }
  ir::Value v;
  std::string error;
  if (!ir::ValueFromJson(json["value"], task.output_type, program.types, ValueReadOptions(program), &v, &error))
    return false;
  std::string entry = EntryDir(key);
  v = Repoint(program, task, v, entry);
  // A File/Dir output removed by hand makes the entry unusable.
  std::vector<std::string> paths;
  CollectPaths(program.types, task.output_type, v, &paths);
  for (const std::string& p : paths)
    if (p.rfind(entry, 0) == 0 && !StatFile(p).exists) return false;
  *value = std::move(v);
  return true;
}

Cache::~Cache() {
  if (index_fd_ >= 0) close(index_fd_);
}

bool Cache::AppendIndex(const std::string& key, const std::string& json) {
  if (index_fd_ < 0) {
    std::string path = dir_ + "/index";
    index_fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (index_fd_ < 0 && MakeDirs(dir_)) index_fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (index_fd_ < 0) return false;
  }
  // The leading newline ends a line torn by a killed writer (this or another
  // flowc), so ours never joins it; empty lines are skipped when reading.
  std::string line = "\n" + key + "\t" + json + "\n";
  // One write: a kill -9 leaves the line whole or without its final newline
  // (ignored). A lost line of a result without files is a miss, never a wrong hit.
  return write(index_fd_, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

bool Cache::Store(const ir::Program& program, const ir::Task& task, const std::string& key,
                  const std::vector<std::string>& output_paths, ir::Value* value, std::string* error) {
  if (!index_loaded_) LoadIndex();
  ir::Json json = ir::Json::object();
  json["value"] = task.outputs.empty() ? ir::Json(nullptr) : ir::ValueToJson(*value, task.output_type, program.types);
  std::string text = json.dump();
  bool has_files = false;
  for (size_t i = 0; i < task.outputs.size() && !has_files; ++i) {
    types::TypeKind k = program.types.KindOf(program.types.StripOptional(task.outputs[i].type));
    has_files = (k == types::TypeKind::File || k == types::TypeKind::Dir) && StatFile(output_paths[i]).exists;
  }
  if (!has_files) {
    // A result without files is complete in its index line: no directory, no
    // result.json, no rename (on a chain of short tasks those were most of
    // the store's cost, on every task's critical path).
    if (!AppendIndex(key, text)) {
      *error = "cannot write the cache index " + dir_ + "/index";
      return false;
    }
    stored_[key] = std::move(text);
    return true;
  }
  std::string tmp = dir_ + "/tmp/" + key + "." + std::to_string(getpid()) + "." + std::to_string(counter_++);
  if (mkdir(tmp.c_str(), 0755) != 0 && !MakeDirs(tmp)) {
    *error = "cannot create " + tmp;
    return false;
  }
  std::vector<std::pair<std::string, std::string>> moved;  // (from, to), to undo on failure
  auto undo = [&] {
    for (auto it = moved.rbegin(); it != moved.rend(); ++it) rename(it->second.c_str(), it->first.c_str());
    RemoveTree(tmp);
  };
  for (size_t i = 0; i < task.outputs.size(); ++i) {
    types::TypeKind k = program.types.KindOf(program.types.StripOptional(task.outputs[i].type));
    if (k != types::TypeKind::File && k != types::TypeKind::Dir) continue;
    if (!StatFile(output_paths[i]).exists) continue;  // an optional output left unwritten
    std::string name = task.outputs[i].name.empty() ? "out" : "out." + task.outputs[i].name;
    std::string to = tmp + "/" + name;
    if (rename(output_paths[i].c_str(), to.c_str()) != 0) {
      *error = "cannot move " + output_paths[i] + " into the cache";
      undo();
      return false;
    }
    moved.emplace_back(output_paths[i], to);
  }
  if (!WriteFile(tmp + "/result.json", text)) {
    *error = "cannot write " + tmp + "/result.json";
    undo();
    return false;
  }
  std::string entry = EntryDir(key);
  std::string shard = key.substr(0, 2);
  if (!shards_.count(shard)) {
    MakeDirs(dir_ + "/" + shard);
    shards_.insert(shard);
  }
  if (rename(tmp.c_str(), entry.c_str()) != 0) {
    // Another run stored the same key meanwhile: identical by construction.
    ir::Value existing;
    if (!Lookup(program, task, key, &existing)) {
      *error = "cannot store the cache entry " + entry;
      undo();
      return false;
    }
    undo();
    *value = std::move(existing);
    return true;
  }
  if (!task.outputs.empty()) *value = Repoint(program, task, *value, entry);
  // After the rename: a line in the index always names a complete entry.
  // (A lost line here only costs a slower lookup: result.json is the fallback.)
  AppendIndex(key, text);
  stored_[key] = std::move(text);
  return true;
}

}  // namespace flow::runtime

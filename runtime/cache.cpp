#include "runtime/cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

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
  const ir::Task& task = program.tasks[call.task];
  CacheKey key;
  key.parts.emplace_back("task definition", HashText(task.qualified_name + '\0' + task.digest));
  key.parts.emplace_back("image", HashText(call.settings.image));
  std::string env;
  for (const auto& [k, v] : call.settings.env) env += k + '=' + v + '\0';
  key.parts.emplace_back("env", HashText(env));
  key.parts.emplace_back("shell", HashText(call.settings.shell));
  for (size_t i = 0; i < task.params.size() && i < call.inputs.size(); ++i) {
    std::string text = ir::ValueToJson(call.inputs[i], task.params[i].type, program.types).dump();
    std::vector<std::string> paths;
    CollectPaths(program.types, task.params[i].type, call.inputs[i], &paths);
    for (const std::string& p : paths) {
      text += '\0';
      text += memo->Hash(p);
    }
    key.parts.emplace_back("input `" + task.params[i].name + "`", HashText(text));
  }
  std::string all;
  for (const auto& [name, digest] : key.parts) all += name + '\0' + digest + '\n';
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
  size_t pos = 0;
  while (pos < text->size()) {
    size_t nl = text->find('\n', pos);
    if (nl == std::string::npos) break;  // a torn last line
    size_t tab = text->find('\t', pos);  // (an empty line has none before its newline)
    if (tab != std::string::npos && tab < nl)
      index_[text->substr(pos, tab - pos)] = text->substr(tab + 1, nl - tab - 1);
    pos = nl + 1;
  }
}

bool Cache::Lookup(const ir::Program& program, const ir::Task& task, const std::string& key,
                   ir::Value* value) const {
  if (!index_loaded_) LoadIndex();
  std::string entry = EntryDir(key);
  std::optional<std::string> text;
  auto hit = index_.find(key);
  if (hit != index_.end()) text = hit->second;
  else text = ReadFile(entry + "/result.json");
  if (!text) return false;
  ir::Json json = ir::Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("value")) return false;
  if (task.outputs.empty()) {
    *value = ir::Value::None();
    return true;
  }
  ir::Value v;
  std::string error;
  if (!ir::ValueFromJson(json["value"], task.output_type, program.types, ValueReadOptions(program), &v, &error))
    return false;
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
    index_[key] = std::move(text);
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
  index_[key] = std::move(text);
  return true;
}

}  // namespace flow::runtime

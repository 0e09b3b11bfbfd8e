#include "compiler/base/file_system.h"

#include <sys/stat.h>

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace flow {

namespace {

/// strerror's text in diagnostic style: "no such file or directory".
std::string ErrnoText(int err) {
  std::string text = std::strerror(err);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && (text.size() < 2 || !(text[1] >= 'A' && text[1] <= 'Z')))
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

}  // namespace

std::optional<std::string> RealFileSystem::Read(const std::string& path, std::string* error) const {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    *error = ErrnoText(errno);
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    *error = "is a directory";
    return std::nullopt;
  }
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > kMaxReadBytes) {
    *error = "the file is larger than " + std::to_string(kMaxReadBytes >> 20) + " MiB";
    return std::nullopt;
  }
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    *error = ErrnoText(errno);
    return std::nullopt;
  }
  // Read in chunks up to the cap, so a device or pipe that never ends
  // (/dev/zero, /dev/urandom) is refused instead of read forever.
  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<size_t>(st.st_size));
  char chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, in)) > 0) {
    if (text.size() + n > kMaxReadBytes) {
      std::fclose(in);
      *error = "the file is larger than " + std::to_string(kMaxReadBytes >> 20) + " MiB";
      return std::nullopt;
    }
    text.append(chunk, n);
  }
  bool failed = std::ferror(in) != 0;
  int err = errno;
  std::fclose(in);
  if (failed) {
    *error = ErrnoText(err);
    return std::nullopt;
  }
  return text;
}

bool RealFileSystem::Exists(const std::string& path) const {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::vector<std::string> RealFileSystem::List(const std::string& dir) const {
  std::vector<std::string> names;
  DIR* handle = opendir(dir.empty() ? "." : dir.c_str());
  if (handle == nullptr) return names;
  while (const dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  closedir(handle);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> MemoryFileSystem::List(const std::string& dir) const {
  std::string prefix = NormalizePath(dir);
  prefix = prefix.empty() || prefix == "." ? "" : prefix == "/" ? prefix : prefix + "/";
  std::vector<std::string> names;
  for (const auto& [path, text] : files_) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = path.substr(prefix.size());
    std::string name = rest.substr(0, rest.find('/'));
    if (!name.empty()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::optional<std::string> MemoryFileSystem::Read(const std::string& path, std::string* error) const {
  auto it = files_.find(NormalizePath(path));
  if (it == files_.end()) it = files_.find(path);
  if (it == files_.end()) {
    *error = "no such file";
    return std::nullopt;
  }
  return it->second;
}

std::string NormalizePath(const std::string& path) {
  if (path.empty()) return path;
  bool absolute = path[0] == '/';
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else if (!absolute)
        parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string result = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) result += '/';
    result += parts[i];
  }
  if (result.empty()) result = ".";
  return result;
}

std::string JoinPath(const std::string& base_dir, const std::string& relative) {
  if (!relative.empty() && relative[0] == '/') return NormalizePath(relative);
  if (base_dir.empty()) return NormalizePath(relative);
  return NormalizePath(base_dir + "/" + relative);
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string FileStem(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base;
}

}  // namespace flow

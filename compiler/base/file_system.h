// File access behind an interface, so the compiler and its tests can run on an
// in-memory tree (ninja's DiskInterface plays the same role).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace flow {

/// The largest file any Flow tool reads (sources, inputs files). The parser's
/// own limit is lower (64 MiB, E0009); this one stops endless devices.
inline constexpr size_t kMaxReadBytes = 128u * 1024 * 1024;

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// Reads a whole file (at most kMaxReadBytes). On failure returns nullopt and
  /// sets `*error` (e.g. "no such file or directory").
  virtual std::optional<std::string> Read(const std::string& path, std::string* error) const = 0;
  virtual bool Exists(const std::string& path) const = 0;
  /// Names (not paths) of the entries directly inside `dir`, sorted; empty if
  /// `dir` cannot be listed. Used for "did you mean" suggestions only.
  virtual std::vector<std::string> List(const std::string& dir) const {
    (void)dir;
    return {};
  }
};

/// The real disk.
class RealFileSystem : public FileSystem {
 public:
  std::optional<std::string> Read(const std::string& path, std::string* error) const override;
  bool Exists(const std::string& path) const override;
  std::vector<std::string> List(const std::string& dir) const override;
};

/// Files held in memory; paths are compared as given (use normalized paths).
class MemoryFileSystem : public FileSystem {
 public:
  void Add(std::string path, std::string text) { files_[std::move(path)] = std::move(text); }
  std::optional<std::string> Read(const std::string& path, std::string* error) const override;
  bool Exists(const std::string& path) const override { return files_.count(path) > 0; }
  std::vector<std::string> List(const std::string& dir) const override;

 private:
  std::map<std::string, std::string> files_;
};

/// Lexically normalizes a path: removes `.` components and folds `dir/..`.
std::string NormalizePath(const std::string& path);
/// Joins `base_dir` and `relative` (returns `relative` if it is absolute).
std::string JoinPath(const std::string& base_dir, const std::string& relative);
/// The directory part of a path ("" for a bare name).
std::string DirName(const std::string& path);
/// The final component without its last extension: "lib/train.flow" → "train".
std::string FileStem(const std::string& path);

}  // namespace flow

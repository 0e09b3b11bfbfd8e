// Small file-system helpers for the runtime (no exceptions: std::filesystem's
// error_code overloads only), and content hashing with xxHash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace flow::runtime {

/// Creates `path` and its missing parents; true if it exists as a directory afterwards.
bool MakeDirs(const std::string& path);
/// Creates `path` (and its missing parents) as a new, empty directory: a
/// leftover at `path` is removed first. Costs one mkdir when the parent exists.
bool MakeFreshDir(const std::string& path);
/// Reads a whole file; nullopt if it cannot be read.
std::optional<std::string> ReadFile(const std::string& path);
/// Writes a whole file (truncating); false on failure.
bool WriteFile(const std::string& path, const std::string& text);
/// Writes `text` to a temporary file beside `path`, then renames it over `path`,
/// so readers see the old or the new content, never a part.
bool WriteFileAtomic(const std::string& path, const std::string& text);
/// Removes a file or a directory tree; true if nothing is left.
bool RemoveTree(const std::string& path);
/// The last `max_lines` lines of a file (for "the last lines of stderr").
std::string TailOfFile(const std::string& path, size_t max_lines);

/// Identity of a file's current content, cheap to get: size, mtime (ns), inode.
struct FileStamp {
  bool exists = false;
  bool is_dir = false;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t inode = 0;
  friend bool operator==(const FileStamp& a, const FileStamp& b) {
    return a.exists == b.exists && a.is_dir == b.is_dir && a.size == b.size &&
           a.mtime_ns == b.mtime_ns && a.inode == b.inode;
  }
};
FileStamp StatFile(const std::string& path);

/// XXH3-128 of a file's bytes as 32 hex digits; nullopt if unreadable.
std::optional<std::string> HashFileContent(const std::string& path);
/// XXH3-128 of a string as 32 hex digits.
std::string HashText(const std::string& text);

}  // namespace flow::runtime

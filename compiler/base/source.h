// Source buffers and locations.
//
// Every phase refers to source text through a FileId and byte offsets. Line and
// column numbers are computed lazily (only when a diagnostic is rendered), from a
// line table built on first use, as ninja's lexer and Carbon's SourceBuffer do.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flow {

/// Index of a file in a SourceManager. Invalid when `index < 0`.
struct FileId {
  int32_t index = -1;
  bool valid() const { return index >= 0; }
  friend bool operator==(FileId a, FileId b) { return a.index == b.index; }
  friend bool operator!=(FileId a, FileId b) { return a.index != b.index; }
};

/// A half-open byte range [begin, end) in one file. Empty ranges point at a spot.
struct SourceRange {
  FileId file;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file.valid(); }
  /// The smallest range covering both (they must be in the same file).
  static SourceRange Join(SourceRange a, SourceRange b);
};

/// 1-based line and column (column counts bytes, like clang and rustc's byte mode).
struct LineCol {
  uint32_t line = 0;
  uint32_t column = 0;
};

/// Owns the text of every loaded file. Files are never removed, so string_views
/// returned by `Text` live as long as the manager.
class SourceManager {
 public:
  SourceManager();
  ~SourceManager();
  SourceManager(const SourceManager&) = delete;
  SourceManager& operator=(const SourceManager&) = delete;

  /// Adds an in-memory file. `path` is what diagnostics print.
  FileId Add(std::string path, std::string text);
  /// Returns the file already added under `path`, if any.
  std::optional<FileId> Find(std::string_view path) const;

  std::string_view Path(FileId file) const;
  std::string_view Text(FileId file) const;
  std::string_view Text(SourceRange range) const;
  size_t file_count() const;

  LineCol ToLineCol(FileId file, uint32_t offset) const;
  /// The text of 1-based line `line`, without its newline.
  std::string_view LineText(FileId file, uint32_t line) const;

 private:
  struct File;
  const std::vector<uint32_t>& LineStarts(FileId file) const;
  std::vector<std::unique_ptr<File>> files_;
};

}  // namespace flow

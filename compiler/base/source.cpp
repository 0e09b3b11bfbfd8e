#include "compiler/base/source.h"

#include <algorithm>
#include <cassert>

namespace flow {

struct SourceManager::File {
  std::string path;
  std::string text;
  mutable std::vector<uint32_t> line_starts;  // empty until first needed
};

SourceRange SourceRange::Join(SourceRange a, SourceRange b) {
  if (!a.valid()) return b;
  if (!b.valid() || a.file != b.file) return a;
  return SourceRange{a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

SourceManager::SourceManager() = default;
SourceManager::~SourceManager() = default;

FileId SourceManager::Add(std::string path, std::string text) {
  auto file = std::make_unique<File>();
  file->path = std::move(path);
  file->text = std::move(text);
  files_.push_back(std::move(file));
  return FileId{static_cast<int32_t>(files_.size() - 1)};
}

std::optional<FileId> SourceManager::Find(std::string_view path) const {
  for (size_t i = 0; i < files_.size(); ++i)
    if (files_[i]->path == path) return FileId{static_cast<int32_t>(i)};
  return std::nullopt;
}

std::string_view SourceManager::Path(FileId file) const {
  assert(file.valid() && static_cast<size_t>(file.index) < files_.size());
  return files_[file.index]->path;
}

std::string_view SourceManager::Text(FileId file) const {
  assert(file.valid() && static_cast<size_t>(file.index) < files_.size());
  return files_[file.index]->text;
}

std::string_view SourceManager::Text(SourceRange range) const {
  if (!range.valid()) return {};
  std::string_view text = Text(range.file);
  uint32_t begin = std::min<uint32_t>(range.begin, text.size());
  uint32_t end = std::min<uint32_t>(std::max(range.end, begin), text.size());
  return text.substr(begin, end - begin);
}

size_t SourceManager::file_count() const { return files_.size(); }

const std::vector<uint32_t>& SourceManager::LineStarts(FileId file) const {
  const File& f = *files_[file.index];
  if (f.line_starts.empty()) {
    f.line_starts.push_back(0);
    for (uint32_t i = 0; i < f.text.size(); ++i)
      if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  }
  return f.line_starts;
}

LineCol SourceManager::ToLineCol(FileId file, uint32_t offset) const {
  const auto& starts = LineStarts(file);
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts.begin());  // 1-based
  return LineCol{line, offset - starts[line - 1] + 1};
}

std::string_view SourceManager::LineText(FileId file, uint32_t line) const {
  const auto& starts = LineStarts(file);
  if (line == 0 || line > starts.size()) return {};
  std::string_view text = Text(file);
  uint32_t begin = starts[line - 1];
  uint32_t end = line < starts.size() ? starts[line] - 1 : text.size();
  std::string_view result = text.substr(begin, end - begin);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

}  // namespace flow

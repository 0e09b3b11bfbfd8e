#include "compiler/lsp/document_store.h"

namespace flow::lsp {

void ApplyChange(std::string& text, const ContentChange& change) {
  if (!change.range) {
    text = change.text;
    return;
  }
  LineIndex index(text);
  uint32_t begin = index.ToOffset(change.range->start);
  uint32_t end = index.ToOffset(change.range->end);
  if (end < begin) std::swap(begin, end);  // a reversed range from a confused client
  text.replace(begin, end - begin, change.text);
}

void DocumentStore::Open(const std::string& path, std::string uri, std::string text, int64_t version) {
  docs_[path] = Document{std::move(uri), std::move(text), version};
}

bool DocumentStore::Change(const std::string& path, const std::vector<ContentChange>& changes, int64_t version) {
  auto it = docs_.find(path);
  if (it == docs_.end()) return false;
  for (const ContentChange& change : changes) ApplyChange(it->second.text, change);
  it->second.version = version;
  return true;
}

void DocumentStore::Close(const std::string& path) { docs_.erase(path); }

const Document* DocumentStore::Find(const std::string& path) const {
  auto it = docs_.find(path);
  return it == docs_.end() ? nullptr : &it->second;
}

std::vector<std::string> DocumentStore::Paths() const {
  std::vector<std::string> paths;
  for (const auto& entry : docs_) paths.push_back(entry.first);
  return paths;
}

std::optional<std::string> OverlayFileSystem::Read(const std::string& path, std::string* error) const {
  if (const Document* doc = docs_.Find(path)) return doc->text;
  return base_.Read(path, error);
}

bool OverlayFileSystem::Exists(const std::string& path) const {
  return docs_.Find(path) != nullptr || base_.Exists(path);
}

}  // namespace flow::lsp

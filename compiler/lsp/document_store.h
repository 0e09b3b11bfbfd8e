// The buffers the client has open (didOpen/didChange/didClose), keyed by
// normalized path. Their text overrides the disk for every analysis, so an
// unsaved import is seen by its importers as it is in the editor.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/lsp/text_position.h"

namespace flow::lsp {

struct Document {
  std::string uri;
  std::string text;
  int64_t version = 0;
};

/// One `TextDocumentContentChangeEvent`: a range edit, or the whole text when `range` is unset.
struct ContentChange {
  std::optional<Range> range;
  std::string text;
};

/// Applies one change to `text` (positions in UTF-16 units, as LSP sends them).
void ApplyChange(std::string& text, const ContentChange& change);

class DocumentStore {
 public:
  void Open(const std::string& path, std::string uri, std::string text, int64_t version);
  /// Applies `changes` in order. False if `path` is not open.
  bool Change(const std::string& path, const std::vector<ContentChange>& changes, int64_t version);
  void Close(const std::string& path);
  const Document* Find(const std::string& path) const;
  /// Open paths, sorted.
  std::vector<std::string> Paths() const;

 private:
  std::map<std::string, Document> docs_;
};

/// The disk, with open buffers in front of it.
class OverlayFileSystem : public FileSystem {
 public:
  OverlayFileSystem(const DocumentStore& docs, const FileSystem& base) : docs_(docs), base_(base) {}
  std::optional<std::string> Read(const std::string& path, std::string* error) const override;
  bool Exists(const std::string& path) const override;
  std::vector<std::string> List(const std::string& dir) const override { return base_.List(dir); }

 private:
  const DocumentStore& docs_;
  const FileSystem& base_;
};

}  // namespace flow::lsp

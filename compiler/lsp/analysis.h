// One analysis of one document's program: load (open buffers override the
// disk), check, and keep everything the language features read afterwards.
#pragma once

#include <llvm/ADT/DenseMap.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/base/source.h"
#include "compiler/check/checked_program.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/load/load.h"
#include "compiler/lsp/text_position.h"

namespace flow::lsp {

/// Owns the sources, ASTs and checker tables of one program. Heap-allocated
/// and never moved: the CheckedProgram points into the LoadedProgram.
struct Analysis {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  load::LoadedProgram loaded;
  check::CheckedProgram checked;
  bool has_checked = false;               // false when the entry file could not be loaded
  std::vector<diag::Diagnostic> diagnostics;  // sorted as `flowc check` prints them
  /// Nominal type index → its StructDecl/EnumDecl (the inverse of decl_types).
  llvm::DenseMap<int32_t, const ast::Decl*> type_decls;
  /// URIs of files the client named with a URI other than `file://PATH`
  /// (e.g. `untitled:`), by path; other files get PathToUri(path).
  std::map<std::string, std::string> uris;
  /// FileId index → module index.
  llvm::DenseMap<int32_t, int> file_modules;

  /// The module index of `file`, or -1.
  int ModuleOf(FileId file) const;
  /// The module index of the file at normalized `path`, or -1.
  int ModuleOfPath(const std::string& path) const;
  /// The declaration of a struct/enum type (through `T?`), or null.
  const ast::Decl* DeclOfType(types::TypeId type) const;
  /// The type the checker gave an expression, if any.
  std::optional<types::TypeId> TypeOf(const ast::Node* expr) const;
  /// The line index of a loaded file, built on first use.
  const LineIndex& Lines(FileId file) const;
  /// The `file://` URI of a loaded file.
  std::string UriOf(FileId file) const;
  /// `range` as an LSP range in its file.
  Range ToRange(SourceRange range) const { return Lines(range.file).ToRange(range.begin, range.end); }

 private:
  mutable llvm::DenseMap<int32_t, std::unique_ptr<LineIndex>> lines_;
};

/// Analyzes the program whose entry file is `path` with content `text`
/// (imports are read through `fs`).
std::unique_ptr<Analysis> Analyze(const FileSystem& fs, const std::string& path, std::string text,
                                  const std::string& stdlib_dir);

}  // namespace flow::lsp

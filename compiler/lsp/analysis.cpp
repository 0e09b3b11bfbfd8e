#include "compiler/lsp/analysis.h"

#include "compiler/diag/emitter.h"
#include "compiler/lsp/uri.h"

namespace flow::lsp {

int Analysis::ModuleOf(FileId file) const {
  auto it = file_modules.find(file.index);
  return it == file_modules.end() ? -1 : it->second;
}

int Analysis::ModuleOfPath(const std::string& path) const {
  for (size_t i = 0; i < loaded.modules.size(); ++i)
    if (loaded.modules[i].path == path) return static_cast<int>(i);
  return -1;
}

const ast::Decl* Analysis::DeclOfType(types::TypeId type) const {
  if (!type.valid() || static_cast<size_t>(type.index) >= checked.types.size()) return nullptr;
  type = checked.types.StripOptional(type);
  auto it = type_decls.find(type.index);
  return it == type_decls.end() ? nullptr : it->second;
}

std::optional<types::TypeId> Analysis::TypeOf(const ast::Node* expr) const {
  auto it = checked.expr_types.find(expr);
  if (it == checked.expr_types.end()) return std::nullopt;
  return it->second;
}

std::string Analysis::UriOf(FileId file) const {
  std::string path(sources->Path(file));
  auto it = uris.find(path);
  return it != uris.end() ? it->second : PathToUri(path);
}

const LineIndex& Analysis::Lines(FileId file) const {
  std::unique_ptr<LineIndex>& index = lines_[file.index];
  if (!index) index = std::make_unique<LineIndex>(sources->Text(file));
  return *index;
}

std::unique_ptr<Analysis> Analyze(const FileSystem& fs, const std::string& path, std::string text,
                                  const std::string& stdlib_dir) {
  auto analysis = std::make_unique<Analysis>();
  diag::CollectingConsumer collected;
  diag::DiagnosticEmitter diags(collected);
  load::LoadOptions options;
  options.stdlib_dir = stdlib_dir;
  bool loaded = load::LoadProgramFromText(fs, path, std::move(text), options, *analysis->sources, diags,
                                          &analysis->loaded);
  if (loaded && !analysis->loaded.modules.empty()) {
    analysis->checked = check::Check(analysis->loaded, check::CheckOptions{}, *analysis->sources, diags);
    analysis->checked.loaded = &analysis->loaded;
    analysis->has_checked = true;
  }
  for (size_t i = 0; i < analysis->loaded.modules.size(); ++i)
    analysis->file_modules[analysis->loaded.modules[i].module.file.index] = static_cast<int>(i);
  for (const auto& [node, type] : analysis->checked.decl_types) {
    if (node->Is<ast::StructDecl>() || node->Is<ast::EnumDecl>())
      analysis->type_decls[type.index] = static_cast<const ast::Decl*>(node);
  }
  analysis->diagnostics = std::move(collected.mutable_diagnostics());
  diag::SortDiagnostics(analysis->diagnostics);
  diag::DropRecoveryNoise(analysis->diagnostics, *analysis->sources);
  return analysis;
}

}  // namespace flow::lsp

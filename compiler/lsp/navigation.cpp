// Go to definition, find references and rename: all three start from the
// Symbol under the cursor (symbols.h) and use the same occurrence walk, so a
// rename edits exactly what find-references lists.
#include <map>

#include "compiler/lsp/features.h"
#include "compiler/lsp/symbols.h"

namespace flow::lsp {
namespace {

bool InRange(SourceRange range, uint32_t offset) { return range.begin <= offset && offset <= range.end; }

/// The module an import under the cursor names (the cursor on its path), or -1.
int ImportAt(const Cursor& cursor) {
  const load::LoadedModule& mod = cursor.analysis.loaded.modules[cursor.module];
  for (size_t i = 0; i < mod.module.imports.size(); ++i) {
    if (InRange(mod.module.imports[i]->path_range, cursor.offset) && i < mod.imports.size()) return mod.imports[i];
  }
  return -1;
}

std::string ModuleAliasProblem(const Analysis& a, const Symbol& symbol) {
  int importer = a.ModuleOf(symbol.file);
  if (importer < 0) return "the import is not part of this program";
  const load::LoadedModule& mod = a.loaded.modules[importer];
  for (size_t i = 0; i < mod.module.imports.size() && i < mod.imports.size(); ++i) {
    if (mod.imports[i] == symbol.index && mod.module.imports[i]->has_alias) return "";
  }
  return "the module is bound to its file name; add `as NAME` to the import to choose another name";
}

/// Why the symbol cannot be renamed, or "" when it can.
std::string RenameProblem(const Analysis& a, const Symbol& symbol, const std::string& stdlib_dir) {
  switch (symbol.kind) {
    case SymbolKind::None:
      return "there is no renameable name here";
    case SymbolKind::Builtin:
      return "built-in functions cannot be renamed";
    case SymbolKind::TaskField:
      return "task fields are part of the language and cannot be renamed";
    case SymbolKind::OutputRoot:
      return "`out` is reserved inside a task body and cannot be renamed";
    case SymbolKind::Module:
      return ModuleAliasProblem(a, symbol);
    case SymbolKind::Output:
      // Callers read outputs as fields of an anonymous record; the walk links
      // `call(...).model` and `let r = call(...)` + `r.model`, but not values
      // passed through loops or lists (`[for r in runs { r.model }]`), so a
      // rename could silently miss some: refuse rather than half-rename.
      return "callers may read task outputs through loops and lists, which rename cannot follow";
    case SymbolKind::Task:
    case SymbolKind::Workflow:
    case SymbolKind::Struct:
    case SymbolKind::Enum:
    case SymbolKind::Const:
    case SymbolKind::Param:
    case SymbolKind::StructField:
    case SymbolKind::EnumMember:
    case SymbolKind::Let:
    case SymbolKind::LoopVar:
      break;
  }
  std::optional<SourceRange> decl = DeclarationRange(a, symbol);
  if (!decl) return "the declaration of this name was not found";
  std::string_view path = a.sources->Path(decl->file);
  if (!stdlib_dir.empty() && path.substr(0, stdlib_dir.size()) == stdlib_dir)
    return "it is declared in the standard library";
  return "";
}

std::optional<Occurrence> RenameTarget(const Cursor& cursor, const std::string& stdlib_dir, Error* error) {
  std::optional<Occurrence> occ = OccurrenceAt(cursor.analysis, cursor.module, cursor.offset);
  if (!occ) {
    *error = {ErrorCode::RequestFailed, "there is no renameable name at this position"};
    return std::nullopt;
  }
  std::string problem = RenameProblem(cursor.analysis, occ->symbol, stdlib_dir);
  if (!problem.empty()) {
    std::string name(cursor.analysis.sources->Text(occ->range));
    *error = {ErrorCode::RequestFailed, "cannot rename `" + name + "`: " + problem};
    return std::nullopt;
  }
  return occ;
}

}  // namespace

std::optional<DeclSite> DeclSiteAt(const Cursor& cursor) {
  const Analysis& a = cursor.analysis;
  std::optional<Occurrence> occ = OccurrenceAt(a, cursor.module, cursor.offset);
  // Module aliases are per importing file: no other analysis shares them.
  if (!occ || occ->symbol.kind == SymbolKind::Module) return std::nullopt;
  std::optional<SourceRange> decl = DeclarationRange(a, occ->symbol);
  if (!decl) return std::nullopt;
  return DeclSite{std::string(a.sources->Path(decl->file)), decl->begin};
}

std::optional<Cursor> CursorAtSite(const Analysis& analysis, const DeclSite& site) {
  int module = analysis.ModuleOfPath(site.path);
  if (module < 0) return std::nullopt;
  return Cursor{analysis, module, site.offset};
}

json Definition(const Cursor& cursor) {
  const Analysis& a = cursor.analysis;
  int imported = ImportAt(cursor);
  if (imported >= 0) {
    SourceRange start;
    start.file = a.loaded.modules[imported].module.file;
    return LocationJson(a, start);
  }
  std::optional<Occurrence> occ = OccurrenceAt(a, cursor.module, cursor.offset);
  if (!occ) return nullptr;
  std::optional<SourceRange> decl = DeclarationRange(a, occ->symbol);
  if (!decl) return nullptr;
  return LocationJson(a, *decl);
}

json References(const Cursor& cursor, bool include_declaration) {
  const Analysis& a = cursor.analysis;
  json locations = json::array();
  std::optional<Occurrence> occ = OccurrenceAt(a, cursor.module, cursor.offset);
  if (!occ || occ->symbol.kind == SymbolKind::None) return locations;
  for (const Occurrence& ref : FindReferences(a, occ->symbol)) {
    if (ref.is_decl && !include_declaration) continue;
    locations.push_back(LocationJson(a, ref.range));
  }
  return locations;
}

std::optional<json> PrepareRename(const Cursor& cursor, const std::string& stdlib_dir, Error* error) {
  std::optional<Occurrence> occ = RenameTarget(cursor, stdlib_dir, error);
  if (!occ) return std::nullopt;
  return json{{"range", ToJson(cursor.analysis.ToRange(occ->range))},
              {"placeholder", std::string(cursor.analysis.sources->Text(occ->range))}};
}

std::optional<json> Rename(const Cursor& cursor, const std::string& new_name, const std::string& stdlib_dir,
                           Error* error) {
  if (!IsIdentifier(new_name)) {
    *error = {ErrorCode::InvalidParams, "`" + new_name + "` is not a valid name"};
    return std::nullopt;
  }
  std::optional<Occurrence> occ = RenameTarget(cursor, stdlib_dir, error);
  if (!occ) return std::nullopt;
  const Analysis& a = cursor.analysis;
  // Group edits by file; std::map keeps the output order deterministic.
  std::map<std::string, json> changes;
  for (const Occurrence& ref : FindReferences(a, occ->symbol)) {
    json& edits = changes[a.UriOf(ref.range.file)];
    if (edits.is_null()) edits = json::array();
    edits.push_back({{"range", ToJson(a.ToRange(ref.range))}, {"newText", new_name}});
  }
  json result = json::object();
  for (auto& [uri, edits] : changes) result[uri] = std::move(edits);
  return json{{"changes", std::move(result)}};
}

}  // namespace flow::lsp

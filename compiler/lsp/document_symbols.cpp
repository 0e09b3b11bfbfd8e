// textDocument/documentSymbol: the outline of one file, hierarchical.
#include "compiler/lsp/describe.h"
#include "compiler/lsp/features.h"

namespace flow::lsp {
namespace {

// LSP SymbolKind values.
constexpr int kModule = 2;
constexpr int kField = 8;
constexpr int kEnum = 10;
constexpr int kFunction = 12;
constexpr int kVariable = 13;
constexpr int kConstant = 14;
constexpr int kEnumMember = 22;
constexpr int kStruct = 23;
constexpr int kEvent = 24;

json Symbol(const Analysis& a, std::string_view name, const std::string& detail, int kind, SourceRange range,
            SourceRange selection) {
  // The protocol requires selectionRange ⊆ range.
  if (selection.valid() && (selection.begin < range.begin || selection.end > range.end))
    range = SourceRange::Join(range, selection);
  if (!selection.valid()) selection = range;
  return json{{"name", name.empty() ? std::string("?") : std::string(name)},
              {"detail", detail},
              {"kind", kind},
              {"range", ToJson(a.ToRange(range))},
              {"selectionRange", ToJson(a.ToRange(selection))},
              {"children", json::array()}};
}

}  // namespace

json DocumentSymbols(const Analysis& a, int module) {
  json symbols = json::array();
  if (module < 0 || static_cast<size_t>(module) >= a.loaded.modules.size()) return symbols;
  const ast::Module& mod = a.loaded.modules[module].module;
  for (const ast::ImportDecl* import : mod.imports) {
    if (import->name.text.empty()) continue;
    symbols.push_back(Symbol(a, import->name.text, "\"" + import->path + "\"", kModule, import->range,
                             import->has_alias ? import->name.range : import->path_range));
  }
  for (const ast::Decl* decl : mod.decls) {
    if (decl->Is<ast::TaskDecl>() || decl->Is<ast::WorkflowDecl>()) {
      const auto* callable = static_cast<const ast::CallableDecl*>(decl);
      bool is_task = decl->Is<ast::TaskDecl>();
      std::string detail = std::string(CallableKeyword(callable)) + " " + CallableSignature(a, callable);
      json sym = Symbol(a, decl->name.text, detail, is_task ? kFunction : kEvent, decl->range, decl->name.range);
      for (const ast::Param& param : callable->params)
        sym["children"].push_back(Symbol(a, param.name.text, ParamText(a, param), kVariable,
                                         param.range.valid() ? param.range : param.name.range, param.name.range));
      symbols.push_back(std::move(sym));
    } else if (const auto* s = decl->TryAs<ast::StructDecl>()) {
      json sym = Symbol(a, s->name.text, "struct", kStruct, s->range, s->name.range);
      for (const ast::Param& field : s->fields)
        sym["children"].push_back(Symbol(a, field.name.text, TypeText(a, field.type), kField,
                                         field.range.valid() ? field.range : field.name.range, field.name.range));
      symbols.push_back(std::move(sym));
    } else if (const auto* e = decl->TryAs<ast::EnumDecl>()) {
      json sym = Symbol(a, e->name.text, "enum", kEnum, e->range, e->name.range);
      for (const ast::Ident& member : e->members)
        sym["children"].push_back(Symbol(a, member.text, "", kEnumMember, member.range, member.range));
      symbols.push_back(std::move(sym));
    } else if (const auto* c = decl->TryAs<ast::ConstDecl>()) {
      auto it = a.checked.decl_types.find(c);
      std::string type = it != a.checked.decl_types.end() ? a.checked.types.ToString(it->second) : "";
      symbols.push_back(Symbol(a, c->name.text, type, kConstant, c->range, c->name.range));
    }
  }
  return symbols;
}

}  // namespace flow::lsp

// Module scopes and name lookup: which declaration a name refers to.
//
// Lookup order for a bare name: local bindings (innermost scope first), the
// module's own declarations, its imports, then the built-in functions. A user
// declaration may therefore shadow a builtin, never the reverse.
#include <algorithm>

#include "compiler/check/checker.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

namespace {

struct BuiltinEntry {
  const char* name;
  ir::BuiltinId id;
};

const BuiltinEntry kBuiltins[] = {
#define FLOW_BUILTIN(id, name, signature, doc) {name, ir::BuiltinId::id},
#include "stdlib/builtins.def"
};

std::optional<ir::BuiltinId> FindBuiltin(llvm::StringRef name) {
  for (const BuiltinEntry& entry : kBuiltins)
    if (name == entry.name) return entry.id;
  return std::nullopt;
}

}  // namespace

const ast::Expr* StripParens(const ast::Expr* expr) {
  while (expr && expr->Is<ast::ParenExpr>()) expr = expr->As<ast::ParenExpr>()->inner;
  return expr;
}

const char* Checker::RefKindName(RefKind kind) {
  switch (kind) {
    case RefKind::None:
      return "unresolved name";
    case RefKind::Param:
      return "parameter";
    case RefKind::Let:
      return "binding";
    case RefKind::LoopVar:
      return "loop variable";
    case RefKind::Const:
      return "constant";
    case RefKind::Task:
      return "task";
    case RefKind::Workflow:
      return "workflow";
    case RefKind::Struct:
      return "struct";
    case RefKind::Enum:
      return "enum";
    case RefKind::EnumMember:
      return "enum member";
    case RefKind::Module:
      return "module";
    case RefKind::Builtin:
      return "function";
    case RefKind::Output:
      return "output";
  }
  return "name";
}

void Checker::BuildModuleScopes() {
  modules_.resize(program_.modules.size());
  for (size_t m = 0; m < program_.modules.size(); ++m) {
    const load::LoadedModule& loaded = program_.modules[m];
    ModuleInfo& info = modules_[m];
    info.prefix = loaded.name.empty() || m == 0 ? "" : loaded.name + ".";
    const ast::Module& module = loaded.module;
    for (size_t i = 0; i < module.imports.size(); ++i) {
      const ast::ImportDecl* import = module.imports[i];
      if (import->name.text.empty()) continue;
      int target = i < loaded.imports.size() ? loaded.imports[i] : -1;
      bool inserted = info.imports.try_emplace(import->name.text, target).second;
      // Two imports bound to one name are E0113, reported by the loader; the
      // first one wins here.
      if (!inserted) continue;
      info.import_decls[import->name.text] = import;
    }
    for (const ast::Decl* decl : module.decls) {
      RefKind kind = RefKind::None;
      if (decl->Is<ast::StructDecl>()) kind = RefKind::Struct;
      if (decl->Is<ast::EnumDecl>()) kind = RefKind::Enum;
      if (decl->Is<ast::ConstDecl>()) kind = RefKind::Const;
      if (decl->Is<ast::TaskDecl>()) kind = RefKind::Task;
      if (decl->Is<ast::WorkflowDecl>()) kind = RefKind::Workflow;
      decl_module_[decl] = static_cast<int>(m);
      if (kind == RefKind::None || decl->name.text.empty()) continue;
      DeclRef ref;
      ref.kind = kind;
      ref.node = decl;
      ref.module_index = static_cast<int32_t>(m);
      auto existing = info.decls.find(decl->name.text);
      if (existing != info.decls.end()) {
        diags_.Build(decl->name.range, diag::Kind::DuplicateDeclaration, decl->name.text)
            .Label(static_cast<const ast::Decl*>(existing->second.node)->name.range, "first declared here")
            .Emit();
        continue;
      }
      auto import = info.import_decls.find(decl->name.text);
      if (import != info.import_decls.end()) {
        diags_.Build(decl->name.range, diag::Kind::DuplicateDeclaration, decl->name.text)
            .Label(import->second->range, "the name of this import")
            .Emit();
        continue;
      }
      info.decls[decl->name.text] = ref;
      info.decl_names.emplace_back(decl->name.text);
    }
  }
}

std::optional<DeclRef> Checker::LookupMember(int module, llvm::StringRef name) {
  if (module < 0 || module >= static_cast<int>(modules_.size())) return std::nullopt;
  auto it = modules_[module].decls.find(name);
  if (it == modules_[module].decls.end()) return std::nullopt;
  return it->second;
}

std::optional<DeclRef> Checker::LookupGlobal(int module, llvm::StringRef name) {
  if (auto member = LookupMember(module, name)) return member;
  ModuleInfo& info = modules_[module];
  auto import = info.imports.find(name);
  if (import != info.imports.end()) {
    info.used_imports.insert(name);
    DeclRef ref;
    ref.kind = RefKind::Module;
    ref.module_index = import->second;
    return ref;
  }
  if (auto builtin = FindBuiltin(name)) {
    DeclRef ref;
    ref.kind = RefKind::Builtin;
    ref.builtin = *builtin;
    return ref;
  }
  return std::nullopt;
}

LocalBinding* Checker::LookupLocal(llvm::StringRef name) {
  if (!fn_) return nullptr;
  for (Scope* scope = fn_->scope; scope; scope = scope->parent) {
    auto it = scope->names.find(name);
    if (it != scope->names.end()) return &it->second;
  }
  return nullptr;
}

std::vector<std::string> Checker::VisibleNames() {
  std::vector<std::string> names;
  if (fn_) {
    for (Scope* scope = fn_->scope; scope; scope = scope->parent)
      for (const auto& entry : scope->names) names.push_back(entry.first().str());
  }
  int module = fn_ ? fn_->module : 0;
  const ModuleInfo& info = modules_[module];
  names.insert(names.end(), info.decl_names.begin(), info.decl_names.end());
  for (const auto& import : info.imports) names.push_back(import.first().str());
  for (const BuiltinEntry& entry : kBuiltins) names.push_back(entry.name);
  std::sort(names.begin(), names.end());
  return names;
}

void Checker::ReportUnknownName(SourceRange range, llvm::StringRef name) {
  if (fn_ && !fn_->reported_unknown.insert(name).second) return;
  // Next to a syntax error, a stray name is most likely a piece of the broken text.
  if (fn_ && fn_->saw_syntax_error) return;
  auto builder = diags_.Build(range, diag::Kind::UnknownName, name.str());
  if (auto suggestion = diag::Suggest(name, VisibleNames())) builder.Note(diag::DidYouMean(*suggestion));
  builder.Emit();
}

void Checker::ReportUnknownMember(SourceRange range, int module, llvm::StringRef module_name,
                                  llvm::StringRef name) {
  auto builder = diags_.Build(range, diag::Kind::UnknownMember, module_name.str(), name.str());
  if (module >= 0) {
    if (auto suggestion = diag::Suggest(name, modules_[module].decl_names))
      builder.Note(diag::DidYouMean(*suggestion));
  }
  builder.Emit();
}

std::optional<DeclRef> Checker::ResolveDeclPath(const ast::Expr* expr) {
  expr = StripParens(expr);
  if (!expr) return std::nullopt;
  int module = fn_ ? fn_->module : 0;
  if (const auto* name = expr->TryAs<ast::NameExpr>()) {
    if (LookupLocal(name->name.text)) return std::nullopt;
    auto ref = LookupGlobal(module, name->name.text);
    if (!ref) return std::nullopt;
    switch (ref->kind) {
      case RefKind::Task:
      case RefKind::Workflow:
      case RefKind::Struct:
      case RefKind::Enum:
      case RefKind::Module:
      case RefKind::Builtin:
        out_.refs[expr] = *ref;
        return ref;
      case RefKind::None:
      case RefKind::Param:
      case RefKind::Let:
      case RefKind::LoopVar:
      case RefKind::Const:
      case RefKind::EnumMember:
      case RefKind::Output:
        return std::nullopt;
    }
    return std::nullopt;
  }
  if (const auto* field = expr->TryAs<ast::FieldExpr>()) {
    auto base = ResolveDeclPath(field->base);
    if (!base || base->kind != RefKind::Module) return std::nullopt;
    if (base->module_index < 0) {
      // The import failed to load (already diagnosed): poison silently.
      DeclRef none;
      out_.refs[expr] = none;
      return none;
    }
    auto member = LookupMember(base->module_index, field->field.text);
    if (!member) {
      const auto* base_name = StripParens(field->base)->TryAs<ast::NameExpr>();
      ReportUnknownMember(field->field.range, base->module_index, base_name ? base_name->name.text : "",
                          field->field.text);
      DeclRef none;
      out_.refs[expr] = none;
      return none;
    }
    out_.refs[expr] = *member;
    return member;
  }
  return std::nullopt;
}

}  // namespace flow::check

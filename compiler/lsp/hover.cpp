// textDocument/hover: the signature and `##` doc of a declared name, or the
// type of the expression under the cursor.
#include "compiler/lsp/describe.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/symbols.h"

namespace flow::lsp {
namespace {

std::string CodeBlock(const std::string& code) { return "```flow\n" + code + "\n```"; }

std::string WithDoc(std::string text, const std::string& doc) {
  if (!doc.empty()) text += "\n\n" + doc;
  return text;
}

std::string TypeString(const Analysis& a, types::TypeId type) { return a.checked.types.ToString(type); }

std::string DeclText(const Analysis& a, const ast::Decl* decl) {
  return Collapse(a.sources->Text(decl->range));
}

std::string SymbolHover(const Analysis& a, const Occurrence& occ) {
  const Symbol& s = occ.symbol;
  // Indexed symbols (parameters, fields, members, loop variables) are checked
  // against their declaration once, here, so the cases below can index freely.
  bool indexed = s.kind == SymbolKind::Param || s.kind == SymbolKind::StructField ||
                 s.kind == SymbolKind::EnumMember || s.kind == SymbolKind::LoopVar;
  if (indexed && !DeclarationRange(a, s)) return "";
  std::optional<types::TypeId> expr_type = occ.expr ? a.TypeOf(occ.expr) : std::nullopt;
  switch (s.kind) {
    case SymbolKind::None:
      return expr_type ? CodeBlock(std::string(a.sources->Text(occ.range)) + ": " + TypeString(a, *expr_type)) : "";
    case SymbolKind::Task:
    case SymbolKind::Workflow: {
      const auto* decl = static_cast<const ast::CallableDecl*>(s.node);
      return WithDoc(CodeBlock(std::string(CallableKeyword(decl)) + " " + CallableSignature(a, decl)), decl->doc);
    }
    case SymbolKind::Struct:
    case SymbolKind::Enum: {
      const auto* decl = static_cast<const ast::Decl*>(s.node);
      return WithDoc(CodeBlock(DeclText(a, decl)), decl->doc);
    }
    case SymbolKind::Const: {
      const auto* decl = s.node->As<ast::ConstDecl>();
      auto it = a.checked.decl_types.find(decl);
      std::string type = it != a.checked.decl_types.end() ? TypeString(a, it->second) : TypeText(a, decl->type);
      return WithDoc(CodeBlock("const " + std::string(decl->name.text) + (type.empty() ? "" : ": " + type)), decl->doc);
    }
    case SymbolKind::Param: {
      const auto* decl = static_cast<const ast::CallableDecl*>(s.node);
      const ast::Param& param = decl->params[s.index];
      return WithDoc(CodeBlock(ParamText(a, param)) + "\n\nparameter of " + std::string(CallableKeyword(decl)) +
                         " `" + std::string(decl->name.text) + "`",
                     param.doc);
    }
    case SymbolKind::StructField: {
      const auto* decl = s.node->As<ast::StructDecl>();
      const ast::Param& field = decl->fields[s.index];
      return WithDoc(CodeBlock(std::string(decl->name.text) + "." + ParamText(a, field)), field.doc);
    }
    case SymbolKind::EnumMember: {
      const auto* decl = s.node->As<ast::EnumDecl>();
      return WithDoc(CodeBlock(std::string(decl->name.text) + "." + std::string(decl->members[s.index].text)),
                     decl->doc);
    }
    case SymbolKind::Let: {
      const auto* let = s.node->As<ast::LetStmt>();
      std::optional<types::TypeId> type = expr_type ? expr_type : a.TypeOf(let->value);
      return CodeBlock("let " + std::string(let->name.text) + (type ? ": " + TypeString(a, *type) : ""));
    }
    case SymbolKind::LoopVar: {
      const auto* loop = s.node->As<ast::ForExpr>();
      std::optional<types::TypeId> type = expr_type ? expr_type : LoopVarType(a, loop, s.index);
      return CodeBlock(std::string(loop->vars[s.index].text) + (type ? ": " + TypeString(a, *type) : "")) +
             "\n\nloop variable";
    }
    case SymbolKind::Output: {
      const auto* task = static_cast<const ast::CallableDecl*>(s.node);
      std::string declared;
      if (task->output && task->output->Is<ast::RecordType>()) {
        const auto* record = task->output->As<ast::RecordType>();
        if (static_cast<size_t>(s.index) < record->fields.size())
          declared = std::string(record->fields[s.index].name.text) + ": " + TypeText(a, record->fields[s.index].type);
      }
      const auto* access = occ.expr ? occ.expr->TryAs<ast::FieldExpr>() : nullptr;
      const auto* base = access ? access->base->TryAs<ast::NameExpr>() : nullptr;
      if (base && base->name.text == "out")
        return CodeBlock("out." + declared) + "\n\nthe path where `" + std::string(task->name.text) +
               "` writes this output";
      return CodeBlock(declared) + "\n\noutput of task `" + std::string(task->name.text) + "`";
    }
    case SymbolKind::OutputRoot: {
      const auto* task = static_cast<const ast::CallableDecl*>(s.node);
      return CodeBlock("out: " + (task->output ? TypeText(a, task->output) : std::string("(no outputs)"))) +
             "\n\nthe path (or paths, `out.NAME`) where `" + std::string(task->name.text) + "` writes its outputs";
    }
    case SymbolKind::Module: {
      if (s.index < 0 || static_cast<size_t>(s.index) >= a.loaded.modules.size()) return "";
      const load::LoadedModule& mod = a.loaded.modules[s.index];
      return CodeBlock("module " + mod.name) + "\n\n`" + mod.path + "`";
    }
    case SymbolKind::Builtin: {
      if (s.index < 0 || static_cast<size_t>(s.index) >= Builtins().size()) return "";
      const BuiltinInfo& info = Builtins()[s.index];
      std::string code;
      for (const std::string& overload : SplitOverloads(info.signature)) code += (code.empty() ? "" : "\n") + overload;
      return CodeBlock(code) + "\n\n" + std::string(info.doc);
    }
    case SymbolKind::TaskField: {
      std::string_view name = a.sources->Text(occ.range);
      for (const TaskFieldInfo& field : TaskFields()) {
        if (field.name != name) continue;
        return CodeBlock(std::string(field.name) + ": " + std::string(field.type)) + "\n\ntask field: " +
               std::string(field.doc);
      }
      return "";
    }
  }
  return "";
}

}  // namespace

json LocationJson(const Analysis& analysis, SourceRange range) {
  return json{{"uri", analysis.UriOf(range.file)}, {"range", ToJson(analysis.ToRange(range))}};
}

json Hover(const Cursor& cursor) {
  const Analysis& a = cursor.analysis;
  std::optional<Occurrence> occ = OccurrenceAt(a, cursor.module, cursor.offset);
  std::string text;
  SourceRange range;
  if (occ) {
    text = SymbolHover(a, *occ);
    range = occ->range;
  }
  if (text.empty()) {
    const ast::Expr* expr = ExprAt(a, cursor.module, cursor.offset);
    if (!expr) return nullptr;
    auto type = a.TypeOf(expr);
    if (!type || a.checked.types.IsError(*type)) return nullptr;
    text = CodeBlock(TypeString(a, *type));
    range = expr->range;
  }
  return json{{"contents", {{"kind", "markdown"}, {"value", text}}}, {"range", ToJson(a.ToRange(range))}};
}

}  // namespace flow::lsp

#include "compiler/lsp/symbols.h"

#include <string_view>

#include "compiler/lsp/describe.h"

namespace flow::lsp {
namespace {

using check::DeclRef;
using check::RefKind;

/// Deeper nesting than this is not walked: bad input never overflows the stack.
constexpr int kMaxDepth = 400;

Symbol FromRef(const DeclRef& ref, FileId file) {
  Symbol s;
  switch (ref.kind) {
    case RefKind::None:
      return s;
    case RefKind::Param:
      s = {SymbolKind::Param, ref.node, ref.index, {}};
      break;
    case RefKind::Let:
      s = {SymbolKind::Let, ref.node, -1, {}};
      break;
    case RefKind::LoopVar:
      s = {SymbolKind::LoopVar, ref.node, ref.index, {}};
      break;
    case RefKind::Const:
      s = {SymbolKind::Const, ref.node, -1, {}};
      break;
    case RefKind::Task:
      s = {SymbolKind::Task, ref.node, -1, {}};
      break;
    case RefKind::Workflow:
      s = {SymbolKind::Workflow, ref.node, -1, {}};
      break;
    case RefKind::Struct:
      s = {SymbolKind::Struct, ref.node, -1, {}};
      break;
    case RefKind::Enum:
      s = {SymbolKind::Enum, ref.node, -1, {}};
      break;
    case RefKind::EnumMember:
      s = {SymbolKind::EnumMember, ref.node, ref.index, {}};
      break;
    case RefKind::Module:
      s = {SymbolKind::Module, nullptr, ref.module_index, file};
      break;
    case RefKind::Builtin:
      s = {SymbolKind::Builtin, nullptr, static_cast<int32_t>(ref.builtin), {}};
      break;
    case RefKind::Output:
      s = {SymbolKind::Output, ref.node, ref.index, {}};
      break;
  }
  return s;
}

class Walker {
 public:
  Walker(const Analysis& analysis, int module, const WalkCallbacks& callbacks)
      : a_(analysis), module_(module), cb_(callbacks),
        file_(analysis.loaded.modules[module].module.file) {}

  void Run() {
    const load::LoadedModule& mod = a_.loaded.modules[module_];
    for (size_t i = 0; i < mod.module.imports.size(); ++i) {
      const ast::ImportDecl* import = mod.module.imports[i];
      if (import->has_alias && i < mod.imports.size() && mod.imports[i] >= 0)
        Emit(import->name.range, {SymbolKind::Module, nullptr, mod.imports[i], file_}, true);
    }
    for (const ast::Decl* decl : mod.module.decls) Decl(decl);
  }

 private:
  void Emit(SourceRange range, Symbol symbol, bool is_decl, const ast::Node* expr = nullptr) {
    if (!range.valid() || !cb_.occurrence) return;
    cb_.occurrence(Occurrence{range, symbol, is_decl, expr});
  }

  void Decl(const ast::Decl* decl) {
    if (decl->Is<ast::TaskDecl>() || decl->Is<ast::WorkflowDecl>()) {
      Callable(static_cast<const ast::CallableDecl*>(decl));
    } else if (const auto* s = decl->TryAs<ast::StructDecl>()) {
      Emit(s->name.range, {SymbolKind::Struct, s, -1, {}}, true);
      for (size_t i = 0; i < s->fields.size(); ++i) {
        Emit(s->fields[i].name.range, {SymbolKind::StructField, s, static_cast<int32_t>(i), {}}, true);
        Type(s->fields[i].type, 0);
        Expr(s->fields[i].default_value, 0);
      }
    } else if (const auto* e = decl->TryAs<ast::EnumDecl>()) {
      Emit(e->name.range, {SymbolKind::Enum, e, -1, {}}, true);
      for (size_t i = 0; i < e->members.size(); ++i)
        Emit(e->members[i].range, {SymbolKind::EnumMember, e, static_cast<int32_t>(i), {}}, true);
    } else if (const auto* c = decl->TryAs<ast::ConstDecl>()) {
      Emit(c->name.range, {SymbolKind::Const, c, -1, {}}, true);
      Type(c->type, 0);
      Expr(c->value, 0);
    }
    // Imports are walked apart; an ErrorDecl holds nothing.
  }

  void Callable(const ast::CallableDecl* decl) {
    bool is_task = decl->Is<ast::TaskDecl>();
    callable_ = decl;
    Emit(decl->name.range, {is_task ? SymbolKind::Task : SymbolKind::Workflow, decl, -1, {}}, true);
    for (size_t i = 0; i < decl->params.size(); ++i) {
      Emit(decl->params[i].name.range, {SymbolKind::Param, decl, static_cast<int32_t>(i), {}}, true);
      Type(decl->params[i].type, 0);
      Expr(decl->params[i].default_value, 0);
    }
    if (decl->output && decl->output->Is<ast::RecordType>()) {
      const auto* record = decl->output->As<ast::RecordType>();
      for (size_t i = 0; i < record->fields.size(); ++i) {
        if (is_task) Emit(record->fields[i].name.range, {SymbolKind::Output, decl, static_cast<int32_t>(i), {}}, true);
        Type(record->fields[i].type, 0);
      }
    } else {
      Type(decl->output, 0);
    }
    for (const ast::Stmt* stmt : decl->body) Stmt(stmt, 0);
    callable_ = nullptr;
  }

  void Type(const ast::TypeExpr* type, int depth) {
    if (!type || depth > kMaxDepth) return;
    if (const auto* named = type->TryAs<ast::NamedType>()) {
      auto it = a_.checked.type_exprs.find(type);
      const ast::Decl* decl = it == a_.checked.type_exprs.end() ? nullptr : a_.DeclOfType(it->second);
      QualifiedModule(named->module);
      if (decl)
        Emit(named->name.range, {decl->Is<ast::StructDecl>() ? SymbolKind::Struct : SymbolKind::Enum, decl, -1, {}},
             false);
      for (const ast::TypeExpr* arg : named->args) Type(arg, depth + 1);
    } else if (const auto* optional = type->TryAs<ast::OptionalType>()) {
      Type(optional->inner, depth + 1);
    } else if (const auto* record = type->TryAs<ast::RecordType>()) {
      for (const auto& field : record->fields) Type(field.type, depth + 1);
    }
  }

  /// `after a, b`: the names are lets of the enclosing workflow.
  void After(const std::vector<ast::Ident>& names) {
    if (!callable_) return;
    for (const ast::Ident& name : names) {
      for (const ast::Stmt* stmt : callable_->body) {
        const auto* let = stmt->TryAs<ast::LetStmt>();
        if (let && let->name.text == name.text) {
          Emit(name.range, {SymbolKind::Let, let, -1, {}}, false);
          break;
        }
      }
    }
  }

  void Stmt(const ast::Stmt* stmt, int depth) {
    if (!stmt || depth > kMaxDepth) return;
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) {
      Emit(let->name.range, {SymbolKind::Let, let, -1, {}}, true);
      Type(let->type, depth + 1);
      Expr(let->value, depth + 1);
      After(let->after);
    } else if (const auto* es = stmt->TryAs<ast::ExprStmt>()) {
      Expr(es->expr, depth + 1);
      After(es->after);
    } else if (const auto* field = stmt->TryAs<ast::FieldStmt>()) {
      if (callable_ && callable_->Is<ast::TaskDecl>()) {
        auto it = a_.checked.task_fields.find(stmt);
        int32_t id = it == a_.checked.task_fields.end() ? -1 : static_cast<int32_t>(it->second);
        Emit(field->field.name.range, {SymbolKind::TaskField, nullptr, id, {}}, false);
      }
      Expr(field->field.value, depth + 1);
    } else if (const auto* fin = stmt->TryAs<ast::FinallyStmt>()) {
      Block(fin->body, depth + 1);
    } else if (const auto* ret = stmt->TryAs<ast::ReturnStmt>()) {
      Expr(ret->value, depth + 1);
    }
  }

  void Block(const ast::Block* block, int depth) {
    if (!block || depth > kMaxDepth) return;
    for (const ast::Stmt* stmt : block->stmts) Stmt(stmt, depth + 1);
    Expr(block->result, depth + 1);
  }

  void Expr(const ast::Expr* expr, int depth) {
    if (!expr || depth > kMaxDepth) return;
    if (cb_.expr) cb_.expr(expr);
    int d = depth + 1;
    if (const auto* str = expr->TryAs<ast::StringLit>()) {
      for (const ast::StringPart& part : str->parts) Expr(part.expr, d);
    } else if (const auto* name = expr->TryAs<ast::NameExpr>()) {
      auto it = a_.checked.refs.find(expr);
      Symbol symbol = it == a_.checked.refs.end() ? Symbol{} : FromRef(it->second, file_);
      if (symbol.kind == SymbolKind::Output) symbol = {SymbolKind::OutputRoot, symbol.node, -1, {}};
      Emit(name->name.range, symbol, false, expr);
    } else if (const auto* field = expr->TryAs<ast::FieldExpr>()) {
      Expr(field->base, d);
      Emit(field->field.range, FieldSymbol(field), false, expr);
    } else if (const auto* index = expr->TryAs<ast::IndexExpr>()) {
      Expr(index->base, d);
      Expr(index->index, d);
    } else if (const auto* call = expr->TryAs<ast::CallExpr>()) {
      Call(call, d);
    } else if (const auto* unary = expr->TryAs<ast::UnaryExpr>()) {
      Expr(unary->operand, d);
    } else if (const auto* binary = expr->TryAs<ast::BinaryExpr>()) {
      Expr(binary->lhs, d);
      Expr(binary->rhs, d);
    } else if (const auto* list = expr->TryAs<ast::ListExpr>()) {
      for (const ast::Expr* e : list->elements) Expr(e, d);
    } else if (const auto* map = expr->TryAs<ast::MapExpr>()) {
      for (const auto& entry : map->entries) {
        Expr(entry.key, d);
        Expr(entry.value, d);
      }
    } else if (const auto* record = expr->TryAs<ast::RecordExpr>()) {
      for (const ast::FieldInit& init : record->fields) Expr(init.value, d);
    } else if (const auto* st = expr->TryAs<ast::StructExpr>()) {
      StructLiteral(st, d);
    } else if (const auto* cond = expr->TryAs<ast::IfExpr>()) {
      Expr(cond->cond, d);
      Block(cond->then_block, d);
      Block(cond->else_block, d);
    } else if (const auto* loop = expr->TryAs<ast::ForExpr>()) {
      for (size_t i = 0; i < loop->vars.size(); ++i)
        Emit(loop->vars[i].range, {SymbolKind::LoopVar, loop, static_cast<int32_t>(i), {}}, true);
      Expr(loop->iterable, d);
      Expr(loop->limit, d);
      Block(loop->body, d);
    } else if (const auto* attempt = expr->TryAs<ast::TryExpr>()) {
      Expr(attempt->operand, d);
    } else if (const auto* paren = expr->TryAs<ast::ParenExpr>()) {
      Expr(paren->inner, d);
    }
    // Literals and ErrorExpr hold no names.
  }

  /// The `mod` of `mod.Type` / `mod.Struct { }`: a use of the import alias.
  void QualifiedModule(const ast::Ident& module) {
    if (module.text.empty()) return;
    int index = ImportedModule(a_, module_, module.text);
    if (index >= 0) Emit(module.range, {SymbolKind::Module, nullptr, index, file_}, false);
  }

  void StructLiteral(const ast::StructExpr* s, int depth) {
    QualifiedModule(s->module);
    const ast::Decl* decl = nullptr;
    if (auto type = a_.TypeOf(s)) decl = a_.DeclOfType(*type);
    if (decl && decl->Is<ast::StructDecl>()) {
      Emit(s->type_name.range, {SymbolKind::Struct, decl, -1, {}}, false);
      const auto* sd = decl->As<ast::StructDecl>();
      for (const ast::FieldInit& init : s->fields) {
        int32_t index = FieldIndex(sd, init.name.text);
        if (index >= 0) Emit(init.name.range, {SymbolKind::StructField, sd, index, {}}, false);
      }
    }
    for (const ast::FieldInit& init : s->fields) Expr(init.value, depth);
  }

  static int32_t FieldIndex(const ast::StructDecl* decl, std::string_view name) {
    for (size_t i = 0; i < decl->fields.size(); ++i)
      if (decl->fields[i].name.text == name) return static_cast<int32_t>(i);
    return -1;
  }

  /// The task whose call produced `expr`'s value: the call itself (through
  /// parentheses and `try`), or a `let` bound to one.
  const ast::CallableDecl* CallResultTask(const ast::Expr* expr, int depth) const {
    while (expr && depth < 16) {
      if (const auto* paren = expr->TryAs<ast::ParenExpr>()) {
        expr = paren->inner;
      } else if (const auto* attempt = expr->TryAs<ast::TryExpr>()) {
        expr = attempt->operand;
      } else if (expr->Is<ast::CallExpr>()) {
        auto it = a_.checked.calls.find(expr);
        if (it == a_.checked.calls.end() || it->second.callee.kind != RefKind::Task) return nullptr;
        return static_cast<const ast::CallableDecl*>(it->second.callee.node);
      } else if (expr->Is<ast::NameExpr>()) {
        auto it = a_.checked.refs.find(expr);
        if (it == a_.checked.refs.end() || it->second.kind != RefKind::Let) return nullptr;
        expr = it->second.node->As<ast::LetStmt>()->value;
      } else {
        return nullptr;
      }
      ++depth;
    }
    return nullptr;
  }

  Symbol FieldSymbol(const ast::FieldExpr* field) {
    auto it = a_.checked.refs.find(field);
    if (it != a_.checked.refs.end()) return FromRef(it->second, file_);
    // `r.model` on a task call's result names that task's output.
    if (const ast::CallableDecl* task = CallResultTask(field->base, 0)) {
      if (task->output && task->output->Is<ast::RecordType>()) {
        const auto& outputs = task->output->As<ast::RecordType>()->fields;
        for (size_t i = 0; i < outputs.size(); ++i)
          if (outputs[i].name.text == field->field.text) return {SymbolKind::Output, task, static_cast<int32_t>(i), {}};
      }
    }
    auto base_type = a_.TypeOf(field->base);
    if (!base_type) return {};
    const ast::Decl* decl = a_.DeclOfType(*base_type);
    if (!decl || !decl->Is<ast::StructDecl>()) return {};
    int32_t index = FieldIndex(decl->As<ast::StructDecl>(), field->field.text);
    if (index < 0) return {};
    return {SymbolKind::StructField, decl, index, {}};
  }

  void Call(const ast::CallExpr* call, int depth) {
    Expr(call->callee, depth);
    auto binding = a_.checked.calls.find(call);
    const ast::CallableDecl* callee = nullptr;
    if (binding != a_.checked.calls.end() &&
        (binding->second.callee.kind == RefKind::Task || binding->second.callee.kind == RefKind::Workflow))
      callee = static_cast<const ast::CallableDecl*>(binding->second.callee.node);
    for (const ast::Argument& arg : call->args) {
      if (callee && !arg.name.text.empty()) {
        for (size_t i = 0; i < callee->params.size(); ++i) {
          if (callee->params[i].name.text != arg.name.text) continue;
          Emit(arg.name.range, {SymbolKind::Param, callee, static_cast<int32_t>(i), {}}, false);
          break;
        }
      }
      Expr(arg.value, depth);
    }
    for (const ast::FieldAssign& with : call->with) {
      int32_t id = -1;
      if (binding != a_.checked.calls.end()) {
        for (const auto& [field, value] : binding->second.overrides)
          if (value == with.value) id = static_cast<int32_t>(field);
      }
      Emit(with.name.range, {SymbolKind::TaskField, nullptr, id, {}}, false);
      Expr(with.value, depth);
    }
  }

  const Analysis& a_;
  int module_;
  const WalkCallbacks& cb_;
  FileId file_;
  const ast::CallableDecl* callable_ = nullptr;
};

bool Contains(SourceRange range, uint32_t offset) { return range.begin <= offset && offset <= range.end; }

}  // namespace

void WalkModule(const Analysis& analysis, int module, const WalkCallbacks& callbacks) {
  if (module < 0 || static_cast<size_t>(module) >= analysis.loaded.modules.size()) return;
  Walker(analysis, module, callbacks).Run();
}

std::optional<Occurrence> OccurrenceAt(const Analysis& analysis, int module, uint32_t offset) {
  std::optional<Occurrence> best;
  WalkCallbacks callbacks;
  callbacks.occurrence = [&](const Occurrence& occ) {
    if (!Contains(occ.range, offset)) return;
    // Prefer the narrowest; on a tie (cursor between two names) the later one,
    // which starts at the cursor.
    if (!best || occ.range.end - occ.range.begin <= best->range.end - best->range.begin) best = occ;
  };
  WalkModule(analysis, module, callbacks);
  return best;
}

const ast::Expr* ExprAt(const Analysis& analysis, int module, uint32_t offset) {
  const ast::Expr* best = nullptr;
  WalkCallbacks callbacks;
  callbacks.expr = [&](const ast::Expr* expr) {
    if (!Contains(expr->range, offset) || !analysis.TypeOf(expr)) return;
    if (!best || expr->range.end - expr->range.begin <= best->range.end - best->range.begin) best = expr;
  };
  WalkModule(analysis, module, callbacks);
  return best;
}

std::optional<SourceRange> DeclarationRange(const Analysis& analysis, const Symbol& symbol) {
  switch (symbol.kind) {
    case SymbolKind::None:
    case SymbolKind::Builtin:
    case SymbolKind::TaskField:
      return std::nullopt;
    case SymbolKind::Task:
    case SymbolKind::Workflow:
    case SymbolKind::Struct:
    case SymbolKind::Enum:
    case SymbolKind::Const:
      return static_cast<const ast::Decl*>(symbol.node)->name.range;
    case SymbolKind::Param: {
      const auto* decl = static_cast<const ast::CallableDecl*>(symbol.node);
      if (symbol.index < 0 || static_cast<size_t>(symbol.index) >= decl->params.size()) return std::nullopt;
      return decl->params[symbol.index].name.range;
    }
    case SymbolKind::StructField: {
      const auto* decl = symbol.node->As<ast::StructDecl>();
      if (symbol.index < 0 || static_cast<size_t>(symbol.index) >= decl->fields.size()) return std::nullopt;
      return decl->fields[symbol.index].name.range;
    }
    case SymbolKind::EnumMember: {
      const auto* decl = symbol.node->As<ast::EnumDecl>();
      if (symbol.index < 0 || static_cast<size_t>(symbol.index) >= decl->members.size()) return std::nullopt;
      return decl->members[symbol.index].range;
    }
    case SymbolKind::Let:
      return symbol.node->As<ast::LetStmt>()->name.range;
    case SymbolKind::LoopVar: {
      const auto* loop = symbol.node->As<ast::ForExpr>();
      if (symbol.index < 0 || static_cast<size_t>(symbol.index) >= loop->vars.size()) return std::nullopt;
      return loop->vars[symbol.index].range;
    }
    case SymbolKind::Output:
    case SymbolKind::OutputRoot: {
      const auto* task = static_cast<const ast::CallableDecl*>(symbol.node);
      if (!task->output) return std::nullopt;
      if (symbol.kind == SymbolKind::Output && task->output->Is<ast::RecordType>()) {
        const auto* record = task->output->As<ast::RecordType>();
        if (symbol.index >= 0 && static_cast<size_t>(symbol.index) < record->fields.size())
          return record->fields[symbol.index].name.range;
      }
      return task->output->range;
    }
    case SymbolKind::Module: {
      if (symbol.index < 0 || static_cast<size_t>(symbol.index) >= analysis.loaded.modules.size()) return std::nullopt;
      SourceRange start;
      start.file = analysis.loaded.modules[symbol.index].module.file;
      return start;
    }
  }
  return std::nullopt;
}

std::vector<Occurrence> FindReferences(const Analysis& analysis, const Symbol& symbol) {
  std::vector<Occurrence> found;
  WalkCallbacks callbacks;
  callbacks.occurrence = [&](const Occurrence& occ) {
    if (occ.symbol == symbol) found.push_back(occ);
  };
  // A module alias is local to its importing file.
  for (size_t m = 0; m < analysis.loaded.modules.size(); ++m) {
    if (symbol.kind == SymbolKind::Module && analysis.loaded.modules[m].module.file != symbol.file) continue;
    WalkModule(analysis, static_cast<int>(m), callbacks);
  }
  return found;
}

std::string SymbolName(const Analysis& analysis, const Symbol& symbol) {
  std::optional<SourceRange> range = DeclarationRange(analysis, symbol);
  if (symbol.kind == SymbolKind::Module) {
    if (symbol.index >= 0 && static_cast<size_t>(symbol.index) < analysis.loaded.modules.size())
      return analysis.loaded.modules[symbol.index].name;
    return "";
  }
  if (symbol.kind == SymbolKind::OutputRoot) return "out";
  if (!range) return "";
  return std::string(analysis.sources->Text(*range));
}

}  // namespace flow::lsp

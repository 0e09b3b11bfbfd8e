#include "compiler/ast/ast_dump.h"

#include <cstdio>

namespace flow::ast {
namespace {

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string Qualified(const Ident& module, const Ident& name) {
  return module.text.empty() ? std::string(name.text) : std::string(module.text) + "." + std::string(name.text);
}

const char* KindName(Kind kind) {
  switch (kind) {
#define FLOW_AST_NODE(Name) \
  case Kind::Name:          \
    return #Name;
#include "compiler/ast/ast_kinds.def"
  }
  return "?";
}

/// Writes one node per line; `Open` starts a node, `Close` ends it.
class Printer {
 public:
  Printer(const SourceManager& sources, const DumpOptions& options) : sources_(sources), options_(options) {}

  std::string Take() { return std::move(out_); }

  void Open(const std::string& head, SourceRange range = {}) {
    if (!out_.empty()) out_ += '\n';
    out_.append(static_cast<size_t>(depth_) * 2, ' ');
    out_ += '(';
    out_ += head;
    if (options_.positions && range.valid()) {
      LineCol lc = sources_.ToLineCol(range.file, range.begin);
      out_ += " @" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
    }
    ++depth_;
  }
  void Close() {
    --depth_;
    out_ += ')';
  }
  void Leaf(const std::string& head, SourceRange range = {}) {
    Open(head, range);
    Close();
  }

  void Type(const TypeExpr* type) {
    if (type == nullptr) return Leaf("NoType");
    switch (type->kind) {
      case Kind::NamedType: {
        const auto* t = type->As<NamedType>();
        Open("NamedType " + Qualified(t->module, t->name), t->range);
        for (const TypeExpr* arg : t->args) Type(arg);
        return Close();
      }
      case Kind::OptionalType:
        Open("OptionalType", type->range);
        Type(type->As<OptionalType>()->inner);
        return Close();
      case Kind::RecordType:
        Open("RecordType", type->range);
        for (const auto& field : type->As<RecordType>()->fields) {
          Open("Field " + std::string(field.name.text));
          Type(field.type);
          Close();
        }
        return Close();
      default:
        return Leaf(KindName(type->kind), type->range);
    }
  }

  void Args(const std::vector<Argument>& args) {
    for (const Argument& arg : args) {
      Open(arg.name.text.empty() ? std::string("Arg") : "Arg " + std::string(arg.name.text));
      Expr(arg.value);
      Close();
    }
  }

  void Expr(const ast::Expr* expr) {
    if (expr == nullptr) return Leaf("NoExpr");
    SourceRange r = expr->range;
    switch (expr->kind) {
      case Kind::IntLit: return Leaf("IntLit " + std::to_string(expr->As<IntLit>()->value), r);
      case Kind::FloatLit: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", expr->As<FloatLit>()->value);
        return Leaf(std::string("FloatLit ") + buf, r);
      }
      case Kind::BoolLit: return Leaf(expr->As<BoolLit>()->value ? "BoolLit true" : "BoolLit false", r);
      case Kind::NoneLit: return Leaf("NoneLit", r);
      case Kind::DurationLit: return Leaf("DurationLit " + std::to_string(expr->As<DurationLit>()->millis) + "ms", r);
      case Kind::SizeLit: {
        const auto* s = expr->As<SizeLit>();
        return Leaf("SizeLit " + std::to_string(s->bytes) + " " + s->text, r);
      }
      case Kind::StringLit: {
        const auto* s = expr->As<StringLit>();
        std::string head = s->triple ? "StringLit triple" : "StringLit";
        if (s->IsPlain()) return Leaf(head + " " + Quote(s->PlainText()), r);
        Open(head, r);
        for (const StringPart& part : s->parts) {
          if (part.expr == nullptr) {
            Leaf("Text " + Quote(part.text), part.range);
          } else {
            Open("Interp", part.range);
            Expr(part.expr);
            Close();
          }
        }
        return Close();
      }
      case Kind::NameExpr: return Leaf("NameExpr " + std::string(expr->As<NameExpr>()->name.text), r);
      case Kind::FieldExpr: {
        const auto* f = expr->As<FieldExpr>();
        Open("FieldExpr ." + std::string(f->field.text), r);
        Expr(f->base);
        return Close();
      }
      case Kind::IndexExpr: {
        const auto* i = expr->As<IndexExpr>();
        Open("IndexExpr", r);
        Expr(i->base);
        Expr(i->index);
        return Close();
      }
      case Kind::CallExpr: {
        const auto* c = expr->As<CallExpr>();
        Open("CallExpr", r);
        Expr(c->callee);
        Args(c->args);
        if (c->has_with) {
          Open("With", c->with_range);
          for (const FieldAssign& field : c->with) {
            Open("Set " + std::string(field.name.text));
            Expr(field.value);
            Close();
          }
          Close();
        }
        return Close();
      }
      case Kind::UnaryExpr: {
        const auto* u = expr->As<UnaryExpr>();
        Open(std::string("UnaryExpr ") + Spelling(u->op), r);
        Expr(u->operand);
        return Close();
      }
      case Kind::BinaryExpr: {
        const auto* b = expr->As<BinaryExpr>();
        Open(std::string("BinaryExpr ") + Spelling(b->op), r);
        Expr(b->lhs);
        Expr(b->rhs);
        return Close();
      }
      case Kind::ListExpr:
        Open("ListExpr", r);
        for (const ast::Expr* e : expr->As<ListExpr>()->elements) Expr(e);
        return Close();
      case Kind::MapExpr:
        Open("MapExpr", r);
        for (const auto& entry : expr->As<MapExpr>()->entries) {
          Open("Entry");
          Expr(entry.key);
          Expr(entry.value);
          Close();
        }
        return Close();
      case Kind::RecordExpr:
        Open("RecordExpr", r);
        Fields(expr->As<RecordExpr>()->fields);
        return Close();
      case Kind::StructExpr: {
        const auto* s = expr->As<StructExpr>();
        Open("StructExpr " + Qualified(s->module, s->type_name), r);
        Fields(s->fields);
        return Close();
      }
      case Kind::IfExpr: {
        const auto* i = expr->As<IfExpr>();
        Open("IfExpr", r);
        Expr(i->cond);
        Block(i->then_block);
        if (i->else_block) Block(i->else_block, "Else");
        return Close();
      }
      case Kind::ForExpr: {
        const auto* f = expr->As<ForExpr>();
        std::string head = f->bracketed ? "ForExpr bracketed" : "ForExpr";
        std::string vars;
        for (const Ident& v : f->vars) vars += (vars.empty() ? "" : ", ") + std::string(v.text);
        head += f->tuple_pattern ? " (" + vars + ")" : " " + vars;
        Open(head, r);
        Expr(f->iterable);
        if (f->limit) {
          Open("Limit");
          Expr(f->limit);
          Close();
        }
        Block(f->body);
        return Close();
      }
      case Kind::TryExpr:
        Open("TryExpr", r);
        Expr(expr->As<TryExpr>()->operand);
        return Close();
      case Kind::ParenExpr:
        Open("ParenExpr", r);
        Expr(expr->As<ParenExpr>()->inner);
        return Close();
      default:
        return Leaf(KindName(expr->kind), r);
    }
  }

  void Fields(const std::vector<FieldInit>& fields) {
    for (const FieldInit& field : fields) {
      Open("Field " + std::string(field.name.text));
      Expr(field.value);
      Close();
    }
  }

  void After(const std::vector<Ident>& after) {
    if (after.empty()) return;
    std::string names;
    for (const Ident& a : after) names += " " + std::string(a.text);
    Leaf("After" + names);
  }

  void Stmt(const ast::Stmt* stmt) {
    SourceRange r = stmt->range;
    switch (stmt->kind) {
      case Kind::LetStmt: {
        const auto* s = stmt->As<LetStmt>();
        Open("LetStmt " + std::string(s->name.text), r);
        if (s->type) Type(s->type);
        Expr(s->value);
        After(s->after);
        return Close();
      }
      case Kind::ExprStmt: {
        const auto* s = stmt->As<ExprStmt>();
        Open("ExprStmt", r);
        Expr(s->expr);
        After(s->after);
        return Close();
      }
      case Kind::FieldStmt: {
        const auto* s = stmt->As<FieldStmt>();
        Open("FieldStmt " + std::string(s->field.name.text), r);
        Expr(s->field.value);
        return Close();
      }
      case Kind::FinallyStmt:
        Open("FinallyStmt", r);
        Block(stmt->As<FinallyStmt>()->body);
        return Close();
      case Kind::ReturnStmt:
        Open("ReturnStmt", r);
        Expr(stmt->As<ReturnStmt>()->value);
        return Close();
      default:
        return Leaf(KindName(stmt->kind), r);
    }
  }

  void Block(const ast::Block* block, const char* head = "Block") {
    if (block == nullptr) return Leaf("NoBlock");
    Open(head, block->range);
    for (const ast::Stmt* stmt : block->stmts) Stmt(stmt);
    if (block->result) {
      Open("Result");
      Expr(block->result);
      Close();
    }
    Close();
  }

  void Params(const std::vector<Param>& params, const char* head) {
    for (const Param& p : params) {
      Open(std::string(head) + " " + std::string(p.name.text), p.range);
      if (!p.doc.empty()) Leaf("Doc " + Quote(p.doc));
      Type(p.type);
      if (p.default_value) Expr(p.default_value);
      Close();
    }
  }

  void Decl(const ast::Decl* decl) {
    SourceRange r = decl->range;
    std::string head = std::string(KindName(decl->kind));
    if (!decl->name.text.empty()) head += " " + std::string(decl->name.text);
    switch (decl->kind) {
      case Kind::ImportDecl: {
        const auto* d = decl->As<ImportDecl>();
        Open(head + " " + Quote(d->path) + (d->has_alias ? " alias" : ""), r);
        break;
      }
      default:
        Open(head, r);
    }
    if (!decl->doc.empty()) Leaf("Doc " + Quote(decl->doc));
    switch (decl->kind) {
      case Kind::StructDecl: Params(decl->As<StructDecl>()->fields, "Field"); break;
      case Kind::EnumDecl:
        for (const Ident& m : decl->As<EnumDecl>()->members) Leaf("Member " + std::string(m.text), m.range);
        break;
      case Kind::ConstDecl: {
        const auto* d = decl->As<ConstDecl>();
        if (d->type) Type(d->type);
        Expr(d->value);
        break;
      }
      case Kind::TaskDecl:
      case Kind::WorkflowDecl: {
        const auto* d = static_cast<const CallableDecl*>(decl);
        Params(d->params, "Param");
        if (d->output) {
          Open("Output");
          Type(d->output);
          Close();
        }
        for (const ast::Stmt* stmt : d->body) Stmt(stmt);
        break;
      }
      default:
        break;
    }
    Close();
  }

 private:
  const SourceManager& sources_;
  const DumpOptions& options_;
  std::string out_;
  int depth_ = 0;
};

}  // namespace

std::string DumpAst(const Module& module, const SourceManager& sources) {
  return DumpAst(module, sources, DumpOptions{});
}

std::string DumpAst(const Module& module, const SourceManager& sources, const DumpOptions& options) {
  Printer printer(sources, options);
  for (const ImportDecl* import : module.imports) printer.Decl(import);
  for (const ast::Decl* decl : module.decls) printer.Decl(decl);
  std::string out = printer.Take();
  if (!out.empty()) out += '\n';
  return out;
}

std::string DumpExpr(const Expr* expr, const SourceManager& sources) {
  DumpOptions options;
  Printer printer(sources, options);
  printer.Expr(expr);
  return printer.Take();
}

}  // namespace flow::ast

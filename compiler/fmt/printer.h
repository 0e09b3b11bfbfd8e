// AST → Doc: the canonical layout of every construct (docs/language.md,
// "Formatting"). Internal to compiler/fmt; FormatFile (format.h) is the API.
//
// Comments are not in the AST: the printer walks the tree in source order and,
// before each token it prints, takes every comment that lies before it in the
// source (Tok / Flush). So no comment is dropped or reordered; each lands next
// to the nearest token, trailing or on its own line as it was written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/fmt/doc.h"
#include "compiler/fmt/format.h"
#include "compiler/fmt/source_info.h"

namespace flow::format {

class Printer {
 public:
  Printer(DocStore& docs, const SourceInfo& source, const FormatOptions& options)
      : d_(docs), src_(source), indent_(options.indent_width) {}

  /// The whole module, every comment of the file included.
  DocId Module(const ast::Module& module);

 private:
  /// How the items of a bracketed list are separated.
  enum class Commas : uint8_t {
    Always,    // `a, b` flat; one per line with a trailing comma when broken
    FlatOnly,  // `a, b` flat; one per line without commas when broken (struct fields, `with`)
  };
  struct ListStyle {
    Commas commas = Commas::Always;
    bool spaces = false;       // `{ a, b }` rather than `(a, b)` when flat
    bool force_break = false;  // never flat
  };

  // --- comments and tokens (print_common.cpp) ---
  /// The comments before `offset` not printed yet.
  DocId Flush(uint32_t offset);
  /// A comment that trails the code ending at `end` on its line, if any.
  DocId FlushTrailing(uint32_t end);
  /// `text` for the token at `offset`, after the comments before it.
  DocId Tok(std::string_view text, uint32_t offset);
  DocId Text(std::string text) { return d_.Text(std::move(text)); }
  /// The punctuation token of `kind` last before `before` (the `=` or `:` in
  /// front of a value), so comments before it stay before it.
  DocId Punct(const char* text, parse::TokenKind kind, uint32_t before);
  /// ` = ` in front of `value`.
  DocId Equals(const ast::Expr* value);
  /// `open items close`, flat or one item per line.
  DocId List(DocId open, const std::vector<DocId>& items, DocId inner_comments, DocId close, const ListStyle& style);
  /// Call arguments whose last item may hug the brackets: `f(a, [` ... `])`
  /// when that fits better than one item per line. `last_broken` is the last
  /// item with its outer group forced to break, or -1 when it cannot hug.
  DocId HuggingList(DocId open, const std::vector<DocId>& items, DocId last_broken, DocId inner_comments,
                    DocId close);
  /// The items of a braced body, one per line: comments and blank lines kept,
  /// runs of `name = value` fields aligned on `=`.
  DocId StmtLines(const std::vector<ast::Stmt*>& stmts, bool first_on_new_line);
  /// The width to pad each field name to (runs of consecutive fields share
  /// one); `fields[i]` is null for a statement that is not a field.
  std::vector<int> AlignFields(const std::vector<const ast::FieldAssign*>& fields) const;

  // --- declarations (print_decl.cpp) ---
  DocId Decl(const ast::Node* decl);
  DocId Import(const ast::ImportDecl* decl);
  DocId Struct(const ast::StructDecl* decl);
  DocId Enum(const ast::EnumDecl* decl);
  DocId Const(const ast::ConstDecl* decl);
  DocId Callable(const ast::CallableDecl* decl, const char* keyword);
  DocId Param(const ast::Param& param);
  DocId Body(const std::vector<ast::Stmt*>& body, SourceRange range);

  // --- statements (print_stmt.cpp) ---
  DocId Stmt(const ast::Stmt* stmt, int pad_to);
  DocId Field(const ast::FieldAssign& field, int pad_to);
  DocId After(const std::vector<ast::Ident>& names);
  DocId Block(const ast::Block* block);
  /// `{ ... }` without its group, so an `if` chain breaks all its blocks
  /// together; sets `*expanded` when the block must be broken.
  DocId BlockContent(const ast::Block* block, bool* expanded);

  // --- types and expressions (print_expr.cpp, print_call.cpp) ---
  DocId Type(const ast::TypeExpr* type);
  DocId Expr(const ast::Expr* expr);
  DocId Literal(const ast::Expr* expr);
  DocId Call(const ast::CallExpr* call);
  DocId With(const ast::CallExpr* call);
  DocId If(const ast::IfExpr* expr);
  /// A chain of operators of one precedence, broken after the operators.
  DocId Binary(const ast::BinaryExpr* expr);
  DocId For(const ast::ForExpr* expr);
  DocId Fields(const std::vector<ast::FieldInit>& fields, DocId open, uint32_t close, bool spaces, bool expanded);
  /// True for expressions that end in a bracketed group a call may hug.
  static bool Huggable(const ast::Expr* expr);

  DocStore& d_;
  const SourceInfo& src_;
  int indent_;
  size_t next_comment_ = 0;
};

}  // namespace flow::format

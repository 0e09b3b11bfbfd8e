// Statements and blocks: `let`, fields, expression statements with `after`,
// `finally`, `return`, and the `{ ... }` bodies of `for`, `if` and `finally`.
#include "compiler/fmt/printer.h"

namespace flow::format {

using parse::TokenKind;

DocId Printer::Stmt(const ast::Stmt* stmt, int pad_to) {
  if (const auto* s = stmt->TryAs<ast::LetStmt>()) {
    std::vector<DocId> parts{Tok("let", s->range.begin), Text(" "), Tok(s->name.text, s->name.range.begin)};
    if (s->type != nullptr) {
      parts.push_back(Text(": "));
      parts.push_back(Type(s->type));
    }
    parts.push_back(Equals(s->value));
    parts.push_back(Expr(s->value));
    parts.push_back(After(s->after));
    return d_.Concat(std::move(parts));
  }
  if (const auto* s = stmt->TryAs<ast::ExprStmt>()) return d_.Concat({Expr(s->expr), After(s->after)});
  if (const auto* s = stmt->TryAs<ast::FieldStmt>()) return Field(s->field, pad_to);
  if (const auto* s = stmt->TryAs<ast::FinallyStmt>())
    return d_.Concat({Tok("finally", s->range.begin), Text(" "), Block(s->body)});
  if (const auto* s = stmt->TryAs<ast::ReturnStmt>())
    return d_.Concat({Tok("return", s->range.begin), Text(" "), Expr(s->value)});
  // An ErrorStmt never reaches the printer (see Decl); keep its text.
  return Tok(std::string(src_.Text(stmt->range.begin, stmt->range.end)), stmt->range.begin);
}

DocId Printer::Field(const ast::FieldAssign& field, int pad_to) {
  int pad = pad_to - TextWidth(field.name.text);
  return d_.Concat({Tok(field.name.text, field.name.range.begin),
                    pad > 0 ? Text(std::string(static_cast<size_t>(pad), ' ')) : d_.Empty(), Equals(field.value),
                    Expr(field.value)});
}

DocId Printer::After(const std::vector<ast::Ident>& names) {
  if (names.empty()) return d_.Empty();
  uint32_t keyword = src_.FindBefore(TokenKind::After, names[0].range.begin).value_or(names[0].range.begin);
  std::vector<DocId> parts{Text(" "), Tok("after", keyword), Text(" ")};
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) parts.push_back(Text(", "));
    parts.push_back(Tok(names[i].text, names[i].range.begin));
  }
  return d_.Concat(std::move(parts));
}

DocId Printer::Block(const ast::Block* block) {
  bool expanded = false;
  DocId content = BlockContent(block, &expanded);
  return d_.Group(content, expanded);
}

DocId Printer::BlockContent(const ast::Block* block, bool* expanded) {
  uint32_t lbrace = block->range.begin;
  uint32_t rbrace = block->range.end - 1;
  DocId open = Tok("{", lbrace);
  std::vector<DocId> inner{d_.Line()};
  if (!block->stmts.empty()) inner.push_back(StmtLines(block->stmts, false));
  if (block->result != nullptr) {
    const ast::Expr* result = block->result;
    if (!block->stmts.empty()) inner.push_back(d_.HardLine());
    inner.push_back(Flush(result->range.begin));
    if (!block->stmts.empty() && src_.BlankLineBefore(result->range.begin)) inner.push_back(d_.BlankLine());
    inner.push_back(Expr(result));
    inner.push_back(FlushTrailing(result->range.end));
  }
  DocId comments = Flush(rbrace);
  DocId close = Tok("}", rbrace);
  if (block->stmts.empty() && block->result == nullptr && comments == d_.Empty()) return d_.Concat({open, close});
  inner.push_back(comments);
  if (!block->stmts.empty() || src_.LineEndsAfter(lbrace)) *expanded = true;
  return d_.Concat({open, d_.Nest(indent_, d_.Concat(std::move(inner))), d_.Line(), close});
}

}  // namespace flow::format

// Types and expressions. Literals keep their spelling (numbers, durations,
// sizes, escapes); strings, interpolations and triple-quoted scripts are copied
// byte for byte, because their text is their meaning.
#include "compiler/fmt/printer.h"

namespace flow::format {

using parse::TokenKind;

DocId Printer::Type(const ast::TypeExpr* type) {
  if (const auto* t = type->TryAs<ast::NamedType>()) {
    std::vector<DocId> parts;
    if (!t->module.text.empty()) {
      parts.push_back(Tok(t->module.text, t->module.range.begin));
      parts.push_back(Text("."));
    }
    parts.push_back(Tok(t->name.text, t->name.range.begin));
    if (!t->args.empty()) {
      parts.push_back(Text("["));
      for (size_t i = 0; i < t->args.size(); ++i) {
        if (i > 0) parts.push_back(Text(", "));
        parts.push_back(Type(t->args[i]));
      }
      parts.push_back(Tok("]", t->range.end - 1));
    }
    return d_.Concat(std::move(parts));
  }
  if (const auto* t = type->TryAs<ast::OptionalType>()) return d_.Concat({Type(t->inner), Text("?")});
  if (const auto* t = type->TryAs<ast::RecordType>()) {
    DocId open = Tok("(", t->range.begin);
    std::vector<DocId> items;
    for (const ast::RecordType::Field& field : t->fields)
      items.push_back(d_.Concat({Tok(field.name.text, field.name.range.begin), Text(": "), Type(field.type)}));
    DocId inner = Flush(t->range.end - 1);
    return List(open, items, inner, Tok(")", t->range.end - 1), {});
  }
  // ErrorType: only in files with syntax errors, which are not formatted.
  return Tok(std::string(src_.Text(type->range.begin, type->range.end)), type->range.begin);
}

DocId Printer::Literal(const ast::Expr* expr) {
  std::string text(src_.Text(expr->range.begin, expr->range.end));
  if (expr->Is<ast::IntLit>() && !text.empty() && text[0] == '-') {
    // `-9223372036854775808` is one literal node spanning `-` and the digits.
    std::vector<parse::Token> tokens = src_.TokensIn(expr->range.begin, expr->range.end);
    if (!tokens.empty())
      text = "-" + std::string(src_.Text(tokens.back().range.begin, tokens.back().range.end));
  }
  return Tok(std::move(text), expr->range.begin);
}

DocId Printer::Fields(const std::vector<ast::FieldInit>& fields, DocId open, uint32_t close, bool spaces,
                      bool expanded) {
  std::vector<DocId> items;
  for (const ast::FieldInit& field : fields)
    items.push_back(d_.Concat({Tok(field.name.text, field.name.range.begin),
                               Punct(":", TokenKind::Colon, field.value->range.begin), Text(" "),
                               Expr(field.value)}));
  DocId inner = Flush(close);
  return List(open, items, inner, Tok(spaces ? "}" : ")", close), {Commas::Always, spaces, expanded});
}

bool Printer::Huggable(const ast::Expr* expr) {
  if (const auto* e = expr->TryAs<ast::ListExpr>()) return !e->elements.empty();
  if (const auto* e = expr->TryAs<ast::MapExpr>()) return !e->entries.empty();
  if (const auto* e = expr->TryAs<ast::StructExpr>()) return !e->fields.empty();
  if (const auto* e = expr->TryAs<ast::RecordExpr>()) return !e->fields.empty();
  if (expr->Is<ast::ForExpr>()) return true;
  return false;
}

DocId Printer::If(const ast::IfExpr* expr) {
  std::vector<DocId> parts;
  bool expanded = false;
  for (const ast::IfExpr* link = expr; link != nullptr;) {
    parts.push_back(Tok("if", link->range.begin));
    parts.push_back(Text(" "));
    parts.push_back(Expr(link->cond));
    parts.push_back(Text(" "));
    parts.push_back(BlockContent(link->then_block, &expanded));
    const ast::Block* other = link->else_block;
    link = nullptr;
    if (other == nullptr) break;
    uint32_t keyword = src_.FindBefore(TokenKind::Else, other->range.begin + 1).value_or(other->range.begin);
    parts.push_back(Text(" "));
    parts.push_back(Tok("else", keyword));
    parts.push_back(Text(" "));
    // `else if` is stored as an else block holding only the nested IfExpr; the
    // block then starts at `else`, not at a `{`.
    if (other->stmts.empty() && other->result != nullptr && other->result->Is<ast::IfExpr>() &&
        src_.text()[other->range.begin] != '{') {
      link = other->result->As<ast::IfExpr>();
      continue;
    }
    parts.push_back(BlockContent(other, &expanded));
  }
  // One group: when one branch breaks, every branch does.
  return d_.Group(d_.Concat(std::move(parts)), expanded);
}

DocId Printer::Binary(const ast::BinaryExpr* expr) {
  // The chain's operators in source order: `??` nests to the right, the
  // others to the left.
  int level = Precedence(expr->op);
  auto same_level = [&](const ast::Expr* e) {
    return e->Is<ast::BinaryExpr>() && Precedence(e->As<ast::BinaryExpr>()->op) == level;
  };
  std::vector<const ast::BinaryExpr*> links;
  const ast::Expr* first = nullptr;
  if (expr->op == ast::BinaryOp::Coalesce) {
    first = expr->lhs;
    for (const ast::Expr* e = expr; same_level(e); e = e->As<ast::BinaryExpr>()->rhs)
      links.push_back(e->As<ast::BinaryExpr>());
  } else {
    const ast::Expr* e = expr;
    for (; same_level(e); e = e->As<ast::BinaryExpr>()->lhs) links.insert(links.begin(), e->As<ast::BinaryExpr>());
    first = e;
  }
  DocId head = Expr(first);
  std::vector<DocId> rest;
  for (size_t i = 0; i < links.size(); ++i) {
    const ast::BinaryExpr* link = links[i];
    rest.push_back(Text(" "));
    rest.push_back(Tok(ast::Spelling(link->op), link->op_range.begin));
    rest.push_back(d_.Line());
    bool rhs_continues = link->op == ast::BinaryOp::Coalesce && i + 1 < links.size();
    rest.push_back(Expr(rhs_continues ? links[i + 1]->lhs : link->rhs));
  }
  return d_.Group(d_.Concat({head, d_.Nest(indent_, d_.Concat(std::move(rest)))}));
}

DocId Printer::For(const ast::ForExpr* expr) {
  std::vector<DocId> parts;
  if (expr->bracketed) parts.push_back(Tok("[", expr->range.begin));
  uint32_t keyword = src_.Find(TokenKind::For, expr->range.begin).value_or(expr->range.begin);
  parts.push_back(Tok("for", keyword));
  parts.push_back(Text(" "));
  if (expr->tuple_pattern) parts.push_back(Tok("(", src_.Find(TokenKind::LParen, keyword).value_or(keyword)));
  for (size_t i = 0; i < expr->vars.size(); ++i) {
    if (i > 0) parts.push_back(Text(", "));
    parts.push_back(Tok(expr->vars[i].text, expr->vars[i].range.begin));
  }
  if (expr->tuple_pattern) parts.push_back(Text(")"));
  uint32_t in = src_.FindBefore(TokenKind::In, expr->iterable->range.begin).value_or(expr->iterable->range.begin);
  parts.push_back(Text(" "));
  parts.push_back(Tok("in", in));
  parts.push_back(Text(" "));
  parts.push_back(Expr(expr->iterable));
  if (expr->limit != nullptr) {
    uint32_t limit = src_.FindBefore(TokenKind::Limit, expr->limit->range.begin).value_or(expr->limit->range.begin);
    parts.push_back(Text(" "));
    parts.push_back(Tok("limit", limit));
    parts.push_back(Text(" "));
    parts.push_back(Expr(expr->limit));
  }
  parts.push_back(Text(" "));
  // `[for ...]` keeps its `]` in the body's group, so a call can hug it:
  // `f([for x in xs {` ... `}])`.
  bool expanded = false;
  DocId body = BlockContent(expr->body, &expanded);
  if (expr->bracketed) body = d_.Concat({body, Tok("]", expr->range.end - 1)});
  parts.push_back(d_.Group(body, expanded));
  return d_.Concat(std::move(parts));
}

DocId Printer::Expr(const ast::Expr* expr) {
  switch (expr->kind) {
    case ast::Kind::IntLit:
    case ast::Kind::FloatLit:
    case ast::Kind::DurationLit:
    case ast::Kind::SizeLit:
    case ast::Kind::StringLit:
    case ast::Kind::BoolLit:
    case ast::Kind::NoneLit:
      return Literal(expr);
    case ast::Kind::NameExpr: {
      const auto* e = expr->As<ast::NameExpr>();
      return Tok(e->name.text, e->name.range.begin);
    }
    case ast::Kind::FieldExpr: {
      const auto* e = expr->As<ast::FieldExpr>();
      DocId base = Expr(e->base);
      return d_.Concat({base, Text("."), Tok(e->field.text, e->field.range.begin)});
    }
    case ast::Kind::IndexExpr: {
      const auto* e = expr->As<ast::IndexExpr>();
      DocId base = Expr(e->base);
      DocId index = Expr(e->index);
      return d_.Concat({base, Text("["), index, Tok("]", e->range.end - 1)});
    }
    case ast::Kind::CallExpr:
      return Call(expr->As<ast::CallExpr>());
    case ast::Kind::UnaryExpr: {
      const auto* e = expr->As<ast::UnaryExpr>();
      bool neg = e->op == ast::UnaryOp::Neg;
      DocId op = Tok(neg ? "-" : "not ", e->op_range.begin);
      // `- -x`, not `--x`: the same tokens, but read as one operator.
      bool minus_follows = neg && src_.text()[e->operand->range.begin] == '-';
      return d_.Concat({op, minus_follows ? Text(" ") : d_.Empty(), Expr(e->operand)});
    }
    case ast::Kind::BinaryExpr:
      return Binary(expr->As<ast::BinaryExpr>());
    case ast::Kind::ListExpr: {
      const auto* e = expr->As<ast::ListExpr>();
      DocId open = Tok("[", e->range.begin);
      std::vector<DocId> items;
      for (const ast::Expr* element : e->elements) items.push_back(Expr(element));
      DocId inner = Flush(e->range.end - 1);
      return List(open, items, inner, Tok("]", e->range.end - 1), {});
    }
    case ast::Kind::MapExpr: {
      const auto* e = expr->As<ast::MapExpr>();
      DocId open = Tok("{", e->range.begin);
      std::vector<DocId> items;
      for (const ast::MapExpr::Entry& entry : e->entries) {
        DocId key = Expr(entry.key);
        DocId colon = Punct(":", TokenKind::Colon, entry.value->range.begin);
        items.push_back(d_.Concat({key, colon, Text(" "), Expr(entry.value)}));
      }
      DocId inner = Flush(e->range.end - 1);
      return List(open, items, inner, Tok("}", e->range.end - 1),
                  {Commas::Always, false, src_.LineEndsAfter(e->range.begin)});
    }
    case ast::Kind::RecordExpr: {
      const auto* e = expr->As<ast::RecordExpr>();
      return Fields(e->fields, Tok("(", e->range.begin), e->range.end - 1, false, false);
    }
    case ast::Kind::StructExpr: {
      const auto* e = expr->As<ast::StructExpr>();
      std::vector<DocId> head;
      if (!e->module.text.empty()) {
        head.push_back(Tok(e->module.text, e->module.range.begin));
        head.push_back(Text("."));
      }
      head.push_back(Tok(e->type_name.text, e->type_name.range.begin));
      head.push_back(Text(" "));
      uint32_t lbrace = src_.Find(TokenKind::LBrace, e->type_name.range.end).value_or(e->range.begin);
      head.push_back(Fields(e->fields, Tok("{", lbrace), e->range.end - 1, true, src_.LineEndsAfter(lbrace)));
      return d_.Concat(std::move(head));
    }
    case ast::Kind::IfExpr:
      return If(expr->As<ast::IfExpr>());
    case ast::Kind::ForExpr:
      return For(expr->As<ast::ForExpr>());
    case ast::Kind::TryExpr: {
      const auto* e = expr->As<ast::TryExpr>();
      return d_.Concat({Tok("try", e->range.begin), Text(" "), Expr(e->operand)});
    }
    case ast::Kind::ParenExpr: {
      const auto* e = expr->As<ast::ParenExpr>();
      DocId open = Tok("(", e->range.begin);
      DocId inner = Expr(e->inner);
      return d_.Concat({open, inner, Tok(")", e->range.end - 1)});
    }
    case ast::Kind::ErrorExpr:
    case ast::Kind::NamedType:
    case ast::Kind::OptionalType:
    case ast::Kind::RecordType:
    case ast::Kind::ErrorType:
    case ast::Kind::LetStmt:
    case ast::Kind::ExprStmt:
    case ast::Kind::FieldStmt:
    case ast::Kind::FinallyStmt:
    case ast::Kind::ReturnStmt:
    case ast::Kind::ErrorStmt:
    case ast::Kind::Block:
    case ast::Kind::ImportDecl:
    case ast::Kind::StructDecl:
    case ast::Kind::EnumDecl:
    case ast::Kind::ConstDecl:
    case ast::Kind::TaskDecl:
    case ast::Kind::WorkflowDecl:
    case ast::Kind::ErrorDecl:
      break;
  }
  // ErrorExpr: only in files with syntax errors, which are not formatted.
  return Tok(std::string(src_.Text(expr->range.begin, expr->range.end)), expr->range.begin);
}

}  // namespace flow::format

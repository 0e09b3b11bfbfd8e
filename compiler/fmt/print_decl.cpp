// Declarations: imports, struct, enum, const, task and workflow signatures and
// bodies, and the module as a whole.
#include <algorithm>

#include "compiler/fmt/printer.h"

namespace flow::format {

using parse::TokenKind;

DocId Printer::Module(const ast::Module& module) {
  // Imports may stand between declarations; print everything in source order.
  std::vector<const ast::Node*> items;
  for (const ast::ImportDecl* import : module.imports) items.push_back(import);
  for (const ast::Decl* decl : module.decls) items.push_back(decl);
  std::stable_sort(items.begin(), items.end(),
                   [](const ast::Node* a, const ast::Node* b) { return a->range.begin < b->range.begin; });
  std::vector<DocId> parts;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) parts.push_back(d_.HardLine());
    parts.push_back(Flush(items[i]->range.begin));
    if (src_.BlankLineBefore(items[i]->range.begin)) parts.push_back(d_.BlankLine());
    parts.push_back(Decl(items[i]));
    parts.push_back(FlushTrailing(items[i]->range.end));
  }
  parts.push_back(Flush(UINT32_MAX));  // comments after the last declaration
  return d_.Concat(std::move(parts));
}

DocId Printer::Decl(const ast::Node* decl) {
  if (const auto* d = decl->TryAs<ast::ImportDecl>()) return Import(d);
  if (const auto* d = decl->TryAs<ast::StructDecl>()) return Struct(d);
  if (const auto* d = decl->TryAs<ast::EnumDecl>()) return Enum(d);
  if (const auto* d = decl->TryAs<ast::ConstDecl>()) return Const(d);
  if (const auto* d = decl->TryAs<ast::TaskDecl>()) return Callable(d, "task");
  if (const auto* d = decl->TryAs<ast::WorkflowDecl>()) return Callable(d, "workflow");
  // An ErrorDecl never reaches the printer (a file with syntax errors is not
  // formatted); keep its text as written all the same.
  return Tok(std::string(src_.Text(decl->range.begin, decl->range.end)), decl->range.begin);
}

DocId Printer::Import(const ast::ImportDecl* decl) {
  std::vector<DocId> parts{Tok("import", decl->range.begin), Text(" "),
                           Tok(std::string(src_.Text(decl->path_range.begin, decl->path_range.end)),
                               decl->path_range.begin)};
  if (decl->has_alias) {
    uint32_t as = src_.Find(TokenKind::As, decl->path_range.end).value_or(decl->name.range.begin);
    parts.push_back(Text(" "));
    parts.push_back(Tok("as", as));
    parts.push_back(Text(" "));
    parts.push_back(Tok(decl->name.text, decl->name.range.begin));
  }
  return d_.Concat(std::move(parts));
}

DocId Printer::Param(const ast::Param& param) {
  std::vector<DocId> parts{Tok(param.name.text, param.name.range.begin),
                           Punct(":", TokenKind::Colon, param.type->range.begin), Text(" "), Type(param.type)};
  if (param.default_value != nullptr) {
    parts.push_back(Equals(param.default_value));
    parts.push_back(Expr(param.default_value));
  }
  return d_.Concat(std::move(parts));
}

DocId Printer::Struct(const ast::StructDecl* decl) {
  DocId head = d_.Concat({Tok("struct", decl->range.begin), Text(" "), Tok(decl->name.text, decl->name.range.begin),
                          Text(" ")});
  uint32_t lbrace = src_.Find(TokenKind::LBrace, decl->name.range.end).value_or(decl->range.begin);
  uint32_t rbrace = decl->range.end - 1;
  DocId open = Tok("{", lbrace);
  std::vector<DocId> items;
  for (size_t i = 0; i < decl->fields.size(); ++i) {
    const ast::Param& field = decl->fields[i];
    DocId leading = Flush(field.range.begin);
    DocId blank = i > 0 && src_.BlankLineBefore(field.range.begin) ? d_.BlankLine() : d_.Empty();
    DocId doc = Param(field);
    items.push_back(d_.Concat({leading, blank, doc}));
  }
  DocId inner = Flush(rbrace);
  DocId close = Tok("}", rbrace);
  return d_.Concat({head, List(open, items, inner, close, {Commas::FlatOnly, true, src_.LineEndsAfter(lbrace)})});
}

DocId Printer::Enum(const ast::EnumDecl* decl) {
  DocId head = d_.Concat({Tok("enum", decl->range.begin), Text(" "), Tok(decl->name.text, decl->name.range.begin),
                          Text(" ")});
  uint32_t lbrace = src_.Find(TokenKind::LBrace, decl->name.range.end).value_or(decl->range.begin);
  uint32_t rbrace = decl->range.end - 1;
  DocId open = Tok("{", lbrace);
  std::vector<DocId> items;
  for (size_t i = 0; i < decl->members.size(); ++i) {
    const ast::Ident& member = decl->members[i];
    DocId leading = Flush(member.range.begin);
    DocId blank = i > 0 && src_.BlankLineBefore(member.range.begin) ? d_.BlankLine() : d_.Empty();
    items.push_back(d_.Concat({leading, blank, Tok(member.text, member.range.begin)}));
  }
  DocId inner = Flush(rbrace);
  DocId close = Tok("}", rbrace);
  return d_.Concat({head, List(open, items, inner, close, {Commas::Always, true, src_.LineEndsAfter(lbrace)})});
}

DocId Printer::Const(const ast::ConstDecl* decl) {
  std::vector<DocId> parts{Tok("const", decl->range.begin), Text(" "), Tok(decl->name.text, decl->name.range.begin)};
  if (decl->type != nullptr) {
    parts.push_back(Text(": "));
    parts.push_back(Type(decl->type));
  }
  parts.push_back(Equals(decl->value));
  parts.push_back(Expr(decl->value));
  return d_.Concat(std::move(parts));
}

DocId Printer::Callable(const ast::CallableDecl* decl, const char* keyword) {
  DocId head = d_.Concat({Tok(keyword, decl->range.begin), Text(" "), Tok(decl->name.text, decl->name.range.begin)});
  uint32_t lparen = src_.Find(TokenKind::LParen, decl->name.range.end).value_or(decl->name.range.end);
  uint32_t rparen = decl->output != nullptr
                        ? src_.FindBefore(TokenKind::RParen, decl->output->range.begin).value_or(lparen)
                        : src_.FindBefore(TokenKind::RParen, decl->body_range.begin).value_or(lparen);
  DocId open = Tok("(", lparen);
  std::vector<DocId> params;
  for (const ast::Param& param : decl->params) params.push_back(Param(param));
  DocId inner = Flush(rparen);
  DocId close = Tok(")", rparen);
  DocId output = d_.Empty();
  if (decl->output != nullptr) {
    uint32_t arrow = src_.FindBefore(TokenKind::Arrow, decl->output->range.begin).value_or(rparen);
    output = d_.Concat({Tok("->", arrow), Text(" "), Type(decl->output)});
  }
  DocId brace = d_.Concat({Text(" "), Tok("{", decl->body_range.begin)});
  DocId body = Body(decl->body, decl->body_range);

  // 1. all on one line; 2. the output on a continuation line; 3. one parameter per line.
  DocId flat_params = List(open, params, inner, close, {});
  DocId broken_params = List(open, params, inner, close, {Commas::Always, false, true});
  std::vector<DocId> alternatives;
  DocId arrow_sep = decl->output != nullptr ? Text(" ") : d_.Empty();
  alternatives.push_back(d_.Concat({head, flat_params, arrow_sep, output, brace}));
  if (decl->output != nullptr && !d_.HasHard(flat_params))
    alternatives.push_back(
        d_.Concat({head, flat_params, d_.Nest(2 * indent_, d_.Concat({d_.HardLine(), output})), brace}));
  alternatives.push_back(d_.Concat({head, broken_params, arrow_sep, output, brace}));
  return d_.Concat({d_.Choice(std::move(alternatives)), body});
}

DocId Printer::Body(const std::vector<ast::Stmt*>& body, SourceRange range) {
  uint32_t rbrace = range.end - 1;
  DocId lines = StmtLines(body, true);
  DocId inner = Flush(rbrace);
  DocId close = Tok("}", rbrace);
  if (body.empty() && inner == d_.Empty()) return close;  // `{}`
  return d_.Concat({d_.Nest(indent_, d_.Concat({lines, inner})), d_.HardLine(), close});
}

}  // namespace flow::format

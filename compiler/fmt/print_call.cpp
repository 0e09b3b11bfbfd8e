// Calls: arguments (flat, hugging a last bracketed argument, or one per line)
// and `with { field = value }` overrides, aligned on `=` when broken.
#include "compiler/fmt/printer.h"

namespace flow::format {

using parse::TokenKind;

DocId Printer::Call(const ast::CallExpr* call) {
  DocId callee = Expr(call->callee);
  uint32_t lparen = src_.Find(TokenKind::LParen, call->callee->range.end).value_or(call->callee->range.end);
  uint32_t rparen = call->has_with ? src_.FindBefore(TokenKind::RParen, call->with_range.begin).value_or(lparen)
                                   : call->range.end - 1;
  DocId open = Tok("(", lparen);
  std::vector<DocId> items;
  for (const ast::Argument& arg : call->args) {
    if (arg.name.text.empty()) {
      items.push_back(Expr(arg.value));
      continue;
    }
    DocId name = Tok(arg.name.text, arg.name.range.begin);
    DocId colon = Punct(":", TokenKind::Colon, arg.value->range.begin);
    items.push_back(d_.Concat({name, colon, Text(" "), Expr(arg.value)}));
  }
  DocId inner = Flush(rparen);
  DocId close = Tok(")", rparen);
  DocId args = d_.Empty();
  if (items.empty()) {
    args = List(open, items, inner, close, {});
  } else {
    DocId last_broken = Huggable(call->args.back().value) ? d_.Broken(items.back()) : -1;
    args = HuggingList(open, items, last_broken, inner, close);
  }
  if (!call->has_with) return d_.Concat({callee, args});
  return d_.Concat({callee, args, Text(" "), With(call)});
}

DocId Printer::With(const ast::CallExpr* call) {
  DocId keyword = Tok("with", call->with_range.begin);
  uint32_t lbrace = src_.Find(TokenKind::LBrace, call->with_range.begin).value_or(call->with_range.begin);
  uint32_t rbrace = call->with_range.end - 1;
  DocId open = Tok("{", lbrace);
  std::vector<const ast::FieldAssign*> fields;
  for (const ast::FieldAssign& field : call->with) fields.push_back(&field);
  std::vector<int> pad = AlignFields(fields);
  std::vector<DocId> items;
  for (size_t i = 0; i < fields.size(); ++i) {
    const ast::FieldAssign& field = *fields[i];
    DocId leading = Flush(field.range.begin);
    DocId blank = i > 0 && src_.BlankLineBefore(field.range.begin) ? d_.BlankLine() : d_.Empty();
    DocId name = Tok(field.name.text, field.name.range.begin);
    int spaces = pad[i] - TextWidth(field.name.text);
    // Aligned only when one field per line; `with { a = 1, bb = 2 }` stays tight.
    DocId padding = spaces > 0 ? d_.IfBreak(Text(std::string(static_cast<size_t>(spaces), ' ')), d_.Empty())
                               : d_.Empty();
    DocId equals = Equals(field.value);
    items.push_back(d_.Concat({leading, blank, name, padding, equals, Expr(field.value)}));
  }
  DocId inner = Flush(rbrace);
  DocId close = Tok("}", rbrace);
  return d_.Concat(
      {keyword, Text(" "), List(open, items, inner, close, {Commas::FlatOnly, true, src_.LineEndsAfter(lbrace)})});
}

}  // namespace flow::format

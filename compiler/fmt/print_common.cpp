// Comment placement, bracketed lists and statement lines: the pieces every
// construct of the printer shares.
#include <algorithm>

#include "compiler/fmt/printer.h"

namespace flow::format {

DocId Printer::Flush(uint32_t offset) {
  const std::vector<SourceComment>& comments = src_.comments();
  std::vector<DocId> parts;
  while (next_comment_ < comments.size() && comments[next_comment_].begin < offset) {
    const SourceComment& c = comments[next_comment_++];
    if (!c.trailing && c.blank_before) parts.push_back(d_.BlankLine());
    parts.push_back(d_.Comment(c.text, c.trailing));
  }
  return d_.Concat(std::move(parts));
}

DocId Printer::FlushTrailing(uint32_t end) {
  const std::vector<SourceComment>& comments = src_.comments();
  if (next_comment_ >= comments.size()) return d_.Empty();
  const SourceComment& c = comments[next_comment_];
  // Only when nothing but spaces separates it from `end`: a comment after a
  // later `}` on the same line belongs to that `}`.
  if (!c.trailing || c.begin < end || src_.Text(end, c.begin).find('\n') != std::string_view::npos ||
      !src_.TokensIn(end, c.begin).empty())
    return d_.Empty();
  ++next_comment_;
  return d_.Comment(c.text, true);
}

DocId Printer::Tok(std::string_view text, uint32_t offset) {
  DocId comments = Flush(offset);
  return d_.Concat({comments, d_.Text(std::string(text))});
}

DocId Printer::Punct(const char* text, parse::TokenKind kind, uint32_t before) {
  return Tok(text, src_.FindBefore(kind, before).value_or(before));
}

DocId Printer::Equals(const ast::Expr* value) {
  DocId equals = Punct("=", parse::TokenKind::Assign, value->range.begin);
  return d_.Concat({Text(" "), equals, Text(" ")});
}

namespace {

/// The items joined by their separators, as they go inside the brackets.
std::vector<DocId> Joined(DocStore& d, const std::vector<DocId>& items, bool commas_when_broken, bool trailing) {
  std::vector<DocId> parts;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      parts.push_back(commas_when_broken ? d.Text(",") : d.IfBreak(d.Empty(), d.Text(",")));
      parts.push_back(d.Line());
    }
    parts.push_back(items[i]);
  }
  if (trailing && !items.empty()) parts.push_back(d.IfBreak(d.Text(","), d.Empty()));
  return parts;
}

}  // namespace

DocId Printer::List(DocId open, const std::vector<DocId>& items, DocId inner_comments, DocId close,
                    const ListStyle& style) {
  if (items.empty() && inner_comments == d_.Empty()) return d_.Concat({open, close});
  bool always = style.commas == Commas::Always;
  std::vector<DocId> inner;
  inner.push_back(style.spaces ? d_.Line() : d_.SoftLine());
  for (DocId part : Joined(d_, items, always, always)) inner.push_back(part);
  inner.push_back(inner_comments);
  DocId body = d_.Concat({open, d_.Nest(indent_, d_.Concat(std::move(inner))),
                          style.spaces ? d_.Line() : d_.SoftLine(), close});
  return d_.Group(body, style.force_break);
}

DocId Printer::HuggingList(DocId open, const std::vector<DocId>& items, DocId last_broken, DocId inner_comments,
                           DocId close) {
  DocId flat = List(open, items, inner_comments, close, {});
  DocId broken = List(open, items, inner_comments, close, {Commas::Always, false, true});
  bool others_flat = std::none_of(items.begin(), items.end() - 1, [&](DocId item) { return d_.HasHard(item); });
  if (last_broken < 0 || !others_flat || inner_comments != d_.Empty()) return d_.Choice({flat, broken});
  std::vector<DocId> hug{open};
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    hug.push_back(items[i]);
    hug.push_back(d_.Text(", "));
  }
  hug.push_back(last_broken);
  hug.push_back(close);
  return d_.Choice({flat, d_.Concat(std::move(hug)), broken});
}

std::vector<int> Printer::AlignFields(const std::vector<const ast::FieldAssign*>& fields) const {
  std::vector<int> pad(fields.size(), 0);
  size_t start = 0;
  while (start < fields.size()) {
    if (fields[start] == nullptr) {
      ++start;
      continue;
    }
    // A run: consecutive fields with no blank line or own-line comment between.
    size_t end = start + 1;
    while (end < fields.size() && fields[end] != nullptr && !src_.BlankLineBefore(fields[end]->range.begin) &&
           !src_.OwnLineCommentIn(fields[end - 1]->range.end, fields[end]->range.begin))
      ++end;
    int widest = 0;
    for (size_t i = start; i < end; ++i) widest = std::max(widest, TextWidth(fields[i]->name.text));
    for (size_t i = start; i < end; ++i) pad[i] = widest;
    start = end;
  }
  return pad;
}

DocId Printer::StmtLines(const std::vector<ast::Stmt*>& stmts, bool first_on_new_line) {
  std::vector<const ast::FieldAssign*> fields;
  for (const ast::Stmt* stmt : stmts)
    fields.push_back(stmt->Is<ast::FieldStmt>() ? &stmt->As<ast::FieldStmt>()->field : nullptr);
  std::vector<int> pad = AlignFields(fields);
  std::vector<DocId> lines;
  std::vector<DocId> run;  // the current run of aligned fields, wrapped to align their comments
  auto end_run = [&] {
    if (run.empty()) return;
    lines.push_back(d_.AlignComments(d_.Concat(std::move(run))));
    run.clear();
  };
  for (size_t i = 0; i < stmts.size(); ++i) {
    const ast::Stmt* stmt = stmts[i];
    bool continues_run = i > 0 && fields[i] != nullptr && fields[i - 1] != nullptr && pad[i] == pad[i - 1] &&
                         !src_.BlankLineBefore(stmt->range.begin) &&
                         !src_.OwnLineCommentIn(stmts[i - 1]->range.end, stmt->range.begin);
    if (!continues_run) end_run();
    std::vector<DocId> line;
    if (i > 0 || first_on_new_line) line.push_back(d_.HardLine());
    line.push_back(Flush(stmt->range.begin));
    if (src_.BlankLineBefore(stmt->range.begin)) line.push_back(d_.BlankLine());
    line.push_back(Stmt(stmt, pad[i]));
    line.push_back(FlushTrailing(stmt->range.end));
    DocId doc = d_.Concat(std::move(line));
    if (fields[i] != nullptr)
      run.push_back(doc);
    else
      lines.push_back(doc);
  }
  end_run();
  return d_.Concat(std::move(lines));
}

}  // namespace flow::format

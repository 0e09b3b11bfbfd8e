#include "compiler/fmt/doc.h"

#include <utility>

namespace flow::format {

int TextWidth(std::string_view text) {
  int width = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // count lead bytes only
  return width;
}

DocStore::DocStore() {
  DocNode empty;
  empty.kind = DocKind::Concat;
  empty_ = Add(std::move(empty));
}

DocId DocStore::Add(DocNode node) {
  nodes_.push_back(std::move(node));
  return static_cast<DocId>(nodes_.size() - 1);
}

DocId DocStore::Text(std::string text) {
  DocNode n;
  n.kind = DocKind::Text;
  n.text = std::move(text);
  return Add(std::move(n));
}

DocId DocStore::Line() {
  DocNode n;
  n.kind = DocKind::Line;
  return Add(std::move(n));
}

DocId DocStore::SoftLine() {
  DocNode n;
  n.kind = DocKind::Line;
  n.soft = true;
  return Add(std::move(n));
}

DocId DocStore::HardLine() {
  DocNode n;
  n.kind = DocKind::HardLine;
  n.has_hard = true;
  return Add(std::move(n));
}

DocId DocStore::Concat(std::vector<DocId> parts) {
  DocNode n;
  n.kind = DocKind::Concat;
  for (DocId part : parts) {
    if (part == empty_) continue;
    n.has_hard = n.has_hard || HasHard(part);
    n.children.push_back(part);
  }
  if (n.children.empty()) return empty_;
  if (n.children.size() == 1) return n.children[0];
  return Add(std::move(n));
}

DocId DocStore::Nest(int indent, DocId doc) {
  DocNode n;
  n.kind = DocKind::Nest;
  n.indent = indent;
  n.has_hard = HasHard(doc);
  n.children = {doc};
  return Add(std::move(n));
}

DocId DocStore::Group(DocId doc, bool force_break) {
  DocNode n;
  n.kind = DocKind::Group;
  n.force_break = force_break;
  n.has_hard = force_break || HasHard(doc);
  n.children = {doc};
  return Add(std::move(n));
}

DocId DocStore::IfBreak(DocId broken, DocId flat) {
  DocNode n;
  n.kind = DocKind::IfBreak;
  n.has_hard = HasHard(flat);  // a flat parent renders `flat`; a broken one breaks anyway
  n.children = {broken, flat};
  return Add(std::move(n));
}

DocId DocStore::Comment(std::string text, bool trailing) {
  DocNode n;
  n.kind = DocKind::Comment;
  n.text = std::move(text);
  n.trailing = trailing;
  n.has_hard = true;  // a comment runs to the end of its line
  return Add(std::move(n));
}

DocId DocStore::BlankLine() {
  DocNode n;
  n.kind = DocKind::BlankLine;
  return Add(std::move(n));
}

DocId DocStore::Choice(std::vector<DocId> alternatives) {
  if (alternatives.size() == 1) return alternatives[0];
  DocNode n;
  n.kind = DocKind::Choice;
  n.has_hard = HasHard(alternatives[0]);
  n.children = std::move(alternatives);
  return Add(std::move(n));
}

DocId DocStore::AlignComments(DocId doc) {
  DocNode n;
  n.kind = DocKind::AlignComments;
  n.has_hard = HasHard(doc);
  n.children = {doc};
  return Add(std::move(n));
}

DocId DocStore::Broken(DocId doc) {
  const DocNode& n = node(doc);
  switch (n.kind) {
    case DocKind::Group: {
      DocNode copy = n;
      copy.force_break = true;
      copy.has_hard = true;
      return Add(std::move(copy));
    }
    case DocKind::Choice:
      return n.children.back();
    case DocKind::Concat: {
      if (n.children.empty()) return -1;
      DocId last = Broken(n.children.back());
      if (last < 0) return -1;
      std::vector<DocId> parts = node(doc).children;  // `n` may dangle after Add
      parts.back() = last;
      return Concat(std::move(parts));
    }
    case DocKind::Text:
    case DocKind::Line:
    case DocKind::HardLine:
    case DocKind::Nest:
    case DocKind::IfBreak:
    case DocKind::Comment:
    case DocKind::BlankLine:
    case DocKind::AlignComments:
      return -1;
  }
  return -1;
}

}  // namespace flow::format

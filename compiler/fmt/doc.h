// The formatter's layout language: a tree of documents in the style of
// Wadler's "prettier printer" (as prettier and jsonnetfmt use it). The printer
// (printer.h) turns the AST into a Doc; the renderer (render.h) decides where
// lines break so that the text fits in the maximum width.
//
// Docs live in a DocStore and are addressed by DocId; they are immutable once
// made, so one sub-document may appear in several alternatives of a Choice.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flow::format {

using DocId = int32_t;

enum class DocKind : uint8_t {
  Text,           // literal text; may hold newlines (a triple-quoted string), reproduced as is
  Line,           // flat: a space (nothing when `soft`); broken: a newline at the current indent
  HardLine,       // always a newline; every enclosing group breaks
  Concat,         // the children, one after the other
  Nest,           // the child, with lines inside it indented `indent` more
  Group,          // the child flat when it fits on the rest of the line, else broken
  IfBreak,        // children[0] when the enclosing group is broken, else children[1]
  Comment,        // a source comment; `trailing`: after code on its line, else on a line of its own
  BlankLine,      // one empty line here, when the enclosing group is broken (collapses with others)
  Choice,         // children[0] flat if it fits, else the first later child whose first line fits
  AlignComments,  // trailing comments written inside, at this indent, line up in one column
};

struct DocNode {
  DocKind kind = DocKind::Text;
  bool soft = false;         // Line: nothing instead of a space in flat mode
  bool force_break = false;  // Group: never flat
  bool trailing = false;     // Comment
  bool has_hard = false;     // contains a hard break (HardLine, Comment, forced Group): never flat
  int indent = 0;            // Nest
  std::string text;          // Text, Comment
  std::vector<DocId> children;
};

/// Owns docs. Constructors compute `has_hard` bottom-up, so the renderer can
/// tell in O(1) that a group can never be flat.
class DocStore {
 public:
  DocStore();
  DocId Empty() const { return empty_; }
  DocId Text(std::string text);
  DocId Line();
  DocId SoftLine();
  DocId HardLine();
  DocId Concat(std::vector<DocId> parts);
  DocId Nest(int indent, DocId doc);
  DocId Group(DocId doc, bool force_break = false);
  DocId IfBreak(DocId broken, DocId flat);
  DocId Comment(std::string text, bool trailing);
  DocId BlankLine();
  /// `alternatives[0]` is tried flat; the others broken, in order; the last is the fallback.
  DocId Choice(std::vector<DocId> alternatives);
  DocId AlignComments(DocId doc);

  /// The same document with its outermost group forced to break: the group at
  /// the end of a Concat chain, or the last alternative of a Choice. Returns
  /// -1 when there is no group to break.
  DocId Broken(DocId doc);

  const DocNode& node(DocId id) const { return nodes_[static_cast<size_t>(id)]; }
  bool HasHard(DocId id) const { return node(id).has_hard; }

 private:
  DocId Add(DocNode node);
  std::vector<DocNode> nodes_;
  DocId empty_ = 0;
};

/// Columns `text` occupies: UTF-8 code points, a tab counted as one.
int TextWidth(std::string_view text);

}  // namespace flow::format

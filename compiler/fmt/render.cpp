#include "compiler/fmt/render.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <vector>

namespace flow::format {
namespace {

enum class Mode : uint8_t { Flat, Break };

/// One unit of pending work. `doc < 0` marks the end of align region `-doc - 1`.
struct Cmd {
  int indent;
  Mode mode;
  DocId doc;
};

/// An AlignComments region being rendered: where its trailing comments went.
struct AlignRegion {
  int indent;
  size_t start;  // `out_` offset where the region began: comments on earlier lines are not its own
  std::vector<size_t> comment_offsets;  // in `out_`, where the code of the line ends
};

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

class Renderer {
 public:
  Renderer(const DocStore& docs, int max_width, int continuation)
      : docs_(docs), max_width_(max_width), continuation_(continuation) {}

  std::string Run(DocId root) {
    cmds_.push_back({0, Mode::Break, root});
    while (!cmds_.empty()) {
      Cmd cmd = cmds_.back();
      cmds_.pop_back();
      Process(cmd);
    }
    TrimTrailingSpaces();
    if (!out_.empty()) out_ += '\n';
    return std::move(out_);
  }

 private:
  void Process(const Cmd& cmd) {
    if (cmd.doc < 0) {
      EndRegion(static_cast<size_t>(-cmd.doc - 1));
      return;
    }
    const DocNode& n = docs_.node(cmd.doc);
    switch (n.kind) {
      case DocKind::Text:
        WriteText(n.text);
        return;
      case DocKind::Line:
        if (cmd.mode == Mode::Flat) {
          if (!n.soft) WriteText(" ");
        } else {
          Newline(1, cmd.indent);
        }
        return;
      case DocKind::HardLine:
        Newline(1, cmd.indent);
        return;
      case DocKind::Concat:
        for (size_t i = n.children.size(); i-- > 0;) cmds_.push_back({cmd.indent, cmd.mode, n.children[i]});
        return;
      case DocKind::Nest:
        cmds_.push_back({cmd.indent + n.indent, cmd.mode, n.children[0]});
        return;
      case DocKind::Group: {
        Mode mode = Mode::Break;
        if (!n.has_hard) mode = cmd.mode == Mode::Flat || Fits(n.children[0], Mode::Flat) ? Mode::Flat : Mode::Break;
        cmds_.push_back({cmd.indent, mode, n.children[0]});
        return;
      }
      case DocKind::IfBreak:
        cmds_.push_back({cmd.indent, cmd.mode, cmd.mode == Mode::Break ? n.children[0] : n.children[1]});
        return;
      case DocKind::Comment:
        WriteComment(n, cmd.indent);
        return;
      case DocKind::BlankLine:
        if (cmd.mode == Mode::Break) Newline(2, cmd.indent);
        return;
      case DocKind::Choice:
        ProcessChoice(n, cmd);
        return;
      case DocKind::AlignComments:
        regions_.push_back({cmd.indent, out_.size(), {}});
        cmds_.push_back({cmd.indent, cmd.mode, -static_cast<DocId>(regions_.size())});
        cmds_.push_back({cmd.indent, cmd.mode, n.children[0]});
        return;
    }
  }

  void ProcessChoice(const DocNode& n, const Cmd& cmd) {
    if (!docs_.HasHard(n.children[0]) && (cmd.mode == Mode::Flat || Fits(n.children[0], Mode::Flat))) {
      cmds_.push_back({cmd.indent, Mode::Flat, n.children[0]});
      return;
    }
    for (size_t i = 1; i < n.children.size(); ++i) {
      if (i + 1 == n.children.size() || Fits(n.children[i], Mode::Break)) {
        cmds_.push_back({cmd.indent, Mode::Break, n.children[i]});
        return;
      }
    }
  }

  /// Whether `doc` in `mode`, followed by the pending commands, fits on the
  /// current line up to the first break. Inside `doc`, groups not forced to
  /// break are measured flat; in the pending commands they keep their mode.
  bool Fits(DocId doc, Mode mode) const {
    int remaining = max_width_ - (pending_ > 0 ? pending_indent_ : col_);
    struct Item {
      Mode mode;
      DocId doc;
      bool rest;
    };
    std::vector<Item> stack{{mode, doc, false}};
    size_t rest_index = cmds_.size();
    while (remaining >= 0) {
      if (stack.empty()) {
        do {
          if (rest_index == 0) return true;
          --rest_index;
        } while (cmds_[rest_index].doc < 0);
        stack.push_back({cmds_[rest_index].mode, cmds_[rest_index].doc, true});
      }
      Item item = stack.back();
      stack.pop_back();
      const DocNode& n = docs_.node(item.doc);
      switch (n.kind) {
        case DocKind::Text: {
          size_t newline = n.text.find('\n');
          if (newline != std::string::npos) return remaining - TextWidth(n.text.substr(0, newline)) >= 0;
          remaining -= TextWidth(n.text);
          break;
        }
        case DocKind::Line:
          if (item.mode == Mode::Break) return true;
          if (!n.soft) remaining -= 1;
          break;
        case DocKind::HardLine:
        case DocKind::Comment:
          return true;  // the line ends here
        case DocKind::BlankLine:
          if (item.mode == Mode::Break) return true;
          break;
        case DocKind::Concat:
          for (size_t i = n.children.size(); i-- > 0;) stack.push_back({item.mode, n.children[i], item.rest});
          break;
        case DocKind::Nest:
        case DocKind::AlignComments:
          stack.push_back({item.mode, n.children[0], item.rest});
          break;
        case DocKind::Group: {
          Mode m = n.has_hard ? Mode::Break : item.rest ? item.mode : Mode::Flat;
          stack.push_back({m, n.children[0], item.rest});
          break;
        }
        case DocKind::IfBreak:
          stack.push_back({item.mode, item.mode == Mode::Break ? n.children[0] : n.children[1], item.rest});
          break;
        case DocKind::Choice:
          if (!docs_.HasHard(n.children[0]))
            stack.push_back({Mode::Flat, n.children[0], item.rest});
          else
            stack.push_back({Mode::Break, n.children.back(), item.rest});
          break;
      }
    }
    return false;
  }

  // --- output ---------------------------------------------------------------------

  void Newline(int count, int indent) {
    if (pending_ < count) pending_ = count;
    pending_indent_ = indent;
  }

  void FlushNewlines() {
    if (pending_ == 0) return;
    TrimTrailingSpaces();
    int count = pending_;
    if (out_.empty()) count = 0;                  // no blank lines at the top of the file
    else if (count > 1 && after_open_) count = 1;  // nor right after `{`, `(` or `[`
    out_.append(static_cast<size_t>(count), '\n');
    if (!out_.empty()) out_.append(static_cast<size_t>(pending_indent_), ' ');
    col_ = out_.empty() ? 0 : pending_indent_;
    line_has_content_ = false;
    line_ends_in_comment_ = false;
    pending_ = 0;
  }

  void WriteText(std::string_view text) {
    if (text.empty()) return;
    if (IsBlank(text)) {
      if (pending_ > 0) return;  // spaces before a newline are dropped
      out_ += text;
      col_ += TextWidth(text);
      return;
    }
    FlushNewlines();
    out_ += text;
    size_t newline = text.rfind('\n');
    col_ = newline == std::string_view::npos ? col_ + TextWidth(text) : TextWidth(text.substr(newline + 1));
    line_has_content_ = true;
    char last = text.back();
    after_open_ = last == '{' || last == '(' || last == '[';
  }

  void WriteComment(const DocNode& n, int indent) {
    if (n.trailing && line_has_content_ && !line_ends_in_comment_) {
      // After the code it followed, even when a newline is already pending.
      TrimTrailingSpaces();
      if (!regions_.empty() && regions_.back().indent == indent && LineStart(out_.size()) >= regions_.back().start)
        regions_.back().comment_offsets.push_back(out_.size());
      out_ += "  ";
      out_ += n.text;
      col_ = CurrentColumn();
      // Code that continues after it (no line break was due) is indented one
      // more level, as a continuation line.
      if (pending_ == 0) Newline(1, indent + continuation_);
      after_open_ = false;
      line_ends_in_comment_ = true;
      return;
    }
    if (pending_ == 0 && line_has_content_) pending_ = 1;
    if (pending_ > 0) pending_indent_ = indent;
    FlushNewlines();
    out_ += n.text;
    col_ += TextWidth(n.text);
    line_has_content_ = true;
    line_ends_in_comment_ = true;
    after_open_ = false;
    Newline(1, indent);
  }

  void TrimTrailingSpaces() {
    size_t end = out_.size();
    while (end > 0 && (out_[end - 1] == ' ' || out_[end - 1] == '\t')) --end;
    col_ -= TextWidth(std::string_view(out_).substr(end));
    out_.resize(end);
  }

  /// The offset where the output line holding `offset` starts.
  size_t LineStart(size_t offset) const {
    size_t newline = offset == 0 ? std::string::npos : out_.rfind('\n', offset - 1);
    return newline == std::string::npos ? 0 : newline + 1;
  }

  int CurrentColumn() const {
    size_t start = out_.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    return TextWidth(std::string_view(out_).substr(start));
  }

  /// Pads the trailing comments of region `index` to one column: two spaces
  /// after the longest line of code among them.
  void EndRegion([[maybe_unused]] size_t index) {
    assert(index + 1 == regions_.size());
    AlignRegion region = std::move(regions_.back());
    regions_.pop_back();
    if (region.comment_offsets.size() < 2) return;
    std::vector<int> columns;
    int widest = 0;
    for (size_t offset : region.comment_offsets) {
      size_t start = LineStart(offset);
      int column = TextWidth(std::string_view(out_).substr(start, offset - start));
      columns.push_back(column);
      widest = std::max(widest, column);
    }
    for (size_t i = region.comment_offsets.size(); i-- > 0;)
      out_.insert(region.comment_offsets[i], static_cast<size_t>(widest - columns[i]), ' ');
    col_ = CurrentColumn();
  }

  const DocStore& docs_;
  int max_width_;
  int continuation_;  // extra indent of code that continues after a trailing comment
  std::vector<Cmd> cmds_;
  std::vector<AlignRegion> regions_;
  std::string out_;
  int col_ = 0;
  int pending_ = 0;         // newlines owed before the next text
  int pending_indent_ = 0;  // the indent of the line after them
  bool line_has_content_ = false;
  bool line_ends_in_comment_ = false;  // a second trailing comment must not join the first
  bool after_open_ = false;  // the last code written ends with an opening bracket
};

}  // namespace

std::string Render(const DocStore& docs, DocId root, int max_width, int continuation_indent) {
  return Renderer(docs, max_width, continuation_indent).Run(root);
}

}  // namespace flow::format

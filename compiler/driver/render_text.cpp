#include "compiler/driver/render_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <vector>

namespace flow::driver {
namespace {

// ANSI styles; empty strings when color is off so the code paths are shared.
struct Palette {
  const char* bold = "";
  const char* error = "";
  const char* warning = "";
  const char* note = "";
  const char* help = "";
  const char* caret = "";
  const char* label = "";
  const char* gutter = "";
  const char* reset = "";
};

Palette MakePalette(bool color) {
  Palette p;
  if (!color) return p;
  p.bold = "\x1b[1m";
  p.error = "\x1b[1;31m";
  p.warning = "\x1b[1;33m";
  p.note = "\x1b[1;36m";
  p.help = "\x1b[1;32m";
  p.caret = "\x1b[1;32m";
  p.label = "\x1b[1;34m";
  p.gutter = "\x1b[1;34m";
  p.reset = "\x1b[0m";
  return p;
}

const char* SeverityStyle(const Palette& p, diag::Severity severity) {
  switch (severity) {
    case diag::Severity::Error:
      return p.error;
    case diag::Severity::Warning:
      return p.warning;
    case diag::Severity::Note:
      return p.note;
  }
  return p.error;
}

/// Decodes one UTF-8 sequence at text[i]. Returns its length, or 0 when the
/// bytes there are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF).
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len = 0;
  uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, *cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, *cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, *cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (byte(i + k) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

/// Terminal cells of a code point: 0 for combining marks, 2 for East Asian
/// wide/fullwidth ranges and emoji, else 1 (a compact wcwidth).
int CodePointWidth(uint32_t cp) {
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F))
    return 0;
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
      (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
      (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

// Longest source line shown in full; longer lines are cut to a window around
// the marked range so a one-line 100 MB file never floods the terminal.
constexpr size_t kMaxShownBytes = 240;
constexpr size_t kContextBefore = 80;
constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD for bytes a terminal must not see

/// One source line as displayed: sanitized text and the display column of
/// every byte offset in [0, line.size()] (offsets outside the shown window
/// clamp to its edges).
struct ShownLine {
  std::string text;
  std::vector<int> column;  // size line.size() + 1
};

bool IsContinuation(std::string_view line, size_t i) {
  return i < line.size() && (static_cast<uint8_t>(line[i]) & 0xC0) == 0x80;
}

ShownLine ShowLine(std::string_view line, uint32_t focus) {
  ShownLine shown;
  shown.column.assign(line.size() + 1, 0);
  size_t from = 0, to = line.size();
  if (line.size() > kMaxShownBytes) {
    from = focus > kContextBefore ? focus - kContextBefore : 0;
    to = std::min(line.size(), from + kMaxShownBytes);
    while (from > 0 && IsContinuation(line, from)) --from;
    while (to < line.size() && IsContinuation(line, to)) ++to;
  }
  int col = 0;
  if (from > 0) {
    shown.text += "...";
    col = 3;
  }
  size_t i = from;
  while (i < to) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(line, i, &cp);
    for (size_t k = 0; k < std::max<size_t>(len, 1); ++k) shown.column[i + k] = col;
    if (len == 0) {  // invalid byte
      shown.text += kReplacement;
      col += 1;
      i += 1;
      continue;
    }
    if (cp == '\t') {
      shown.text.append(kTabWidth, ' ');
      col += kTabWidth;
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      shown.text += kReplacement;
      col += 1;
    } else {
      shown.text.append(line.substr(i, len));
      col += CodePointWidth(cp);
    }
    i += len;
  }
  for (size_t k = to; k <= line.size(); ++k) shown.column[k] = col;
  if (to < line.size()) shown.text += "...";
  return shown;
}

/// The line's text without a trailing CR (CRLF files).
std::string_view LineOf(const SourceManager& sources, FileId file, uint32_t line) {
  std::string_view text = sources.LineText(file, line);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

/// A mark under a source line: `^~~~` for the primary range, `----` for labels.
struct Mark {
  uint32_t line;
  uint32_t begin_byte;  // within the line
  uint32_t end_byte;    // within the line; == begin_byte for a point
  bool primary;
  std::string text;
};

uint32_t ClampOffset(const SourceManager& sources, FileId file, uint32_t offset) {
  return std::min<uint32_t>(offset, static_cast<uint32_t>(sources.Text(file).size()));
}

/// Builds the mark of `range` on its first line (multi-line ranges are marked
/// to the end of that line).
Mark MakeMark(const SourceManager& sources, SourceRange range, bool primary, std::string text) {
  uint32_t begin = ClampOffset(sources, range.file, range.begin);
  uint32_t end = std::max(begin, ClampOffset(sources, range.file, range.end));
  LineCol b = sources.ToLineCol(range.file, begin);
  LineCol e = sources.ToLineCol(range.file, end);
  uint32_t line_len = static_cast<uint32_t>(LineOf(sources, range.file, b.line).size());
  uint32_t begin_byte = std::min(b.column - 1, line_len);
  uint32_t end_byte = e.line == b.line ? std::min(e.column - 1, line_len) : line_len;
  return Mark{b.line, begin_byte, std::max(begin_byte, end_byte), primary, std::move(text)};
}

int Digits(uint32_t n) {
  int d = 1;
  while (n >= 10) n /= 10, ++d;
  return d;
}

/// Prints the lines holding `marks` (all in `file`) with a gutter, and the marks below them.
void PrintSnippet(const SourceManager& sources, FileId file, std::vector<Mark> marks, const Palette& p,
                  std::ostream& out) {
  if (marks.empty()) return;
  std::stable_sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) { return a.line < b.line; });
  int width = Digits(marks.back().line);
  std::string blank_gutter = fmt::format("{}{} |{}", p.gutter, std::string(width + 1, ' '), p.reset);
  uint32_t previous = 0;
  for (size_t i = 0; i < marks.size();) {
    uint32_t line = marks[i].line;
    size_t j = i;
    while (j < marks.size() && marks[j].line == line) ++j;
    if (previous != 0 && line > previous + 1) out << p.gutter << std::string(width + 2, ' ') << "...\n" << p.reset;
    std::string_view raw = LineOf(sources, file, line);
    // Focus the window on the primary mark of this line, else its first mark.
    uint32_t focus = marks[i].begin_byte;
    for (size_t k = i; k < j; ++k)
      if (marks[k].primary) focus = marks[k].begin_byte;
    ShownLine shown = ShowLine(raw, focus);
    out << p.gutter << fmt::format(" {:>{}} |", line, width) << p.reset << (shown.text.empty() ? "" : " ")
        << shown.text << "\n";
    for (size_t k = i; k < j; ++k) {
      const Mark& m = marks[k];
      int from = shown.column[std::min<size_t>(m.begin_byte, raw.size())];
      int to = shown.column[std::min<size_t>(m.end_byte, raw.size())];
      int length = std::max(1, to - from);
      std::string marker(1, m.primary ? '^' : '-');
      marker.append(length - 1, m.primary ? '~' : '-');
      out << blank_gutter << " " << std::string(from, ' ') << (m.primary ? p.caret : p.label) << marker;
      if (!m.text.empty()) out << " " << m.text;
      out << p.reset << "\n";
    }
    previous = line;
    i = j;
  }
}

std::string Location(const SourceManager& sources, SourceRange range) {
  uint32_t begin = ClampOffset(sources, range.file, range.begin);
  LineCol lc = sources.ToLineCol(range.file, begin);
  return fmt::format("{}:{}:{}", sources.Path(range.file), lc.line, lc.column);
}

void PrintFixIt(const SourceManager& sources, const diag::FixIt& fix, const Palette& p, std::ostream& out) {
  std::string_view old_text;
  if (fix.range.valid()) {
    uint32_t begin = ClampOffset(sources, fix.range.file, fix.range.begin);
    uint32_t end = std::max(begin, ClampOffset(sources, fix.range.file, fix.range.end));
    old_text = sources.Text(fix.range.file).substr(begin, end - begin);
  }
  out << p.help << "help" << p.reset << p.bold << ": ";
  if (old_text.empty())
    out << fmt::format("insert `{}`", fix.replacement);
  else if (fix.replacement.empty())
    out << fmt::format("remove `{}`", old_text.size() > 80 ? std::string(old_text.substr(0, 80)) + "..." : std::string(old_text));
  else
    out << fmt::format("replace `{}` with `{}`", old_text.size() > 80 ? std::string(old_text.substr(0, 80)) + "..." : std::string(old_text),
                       fix.replacement);
  out << p.reset << "\n";
  if (!fix.range.valid()) return;
  // Show the line as it reads once fixed, when the edit stays on one line.
  uint32_t begin = ClampOffset(sources, fix.range.file, fix.range.begin);
  uint32_t end = std::max(begin, ClampOffset(sources, fix.range.file, fix.range.end));
  LineCol b = sources.ToLineCol(fix.range.file, begin);
  LineCol e = sources.ToLineCol(fix.range.file, end);
  if (b.line != e.line || fix.replacement.find('\n') != std::string::npos) return;
  std::string_view raw = LineOf(sources, fix.range.file, b.line);
  if (raw.size() > kMaxShownBytes || e.column - 1 > raw.size()) return;
  std::string fixed(raw.substr(0, b.column - 1));
  fixed += fix.replacement;
  fixed += raw.substr(e.column - 1);
  ShownLine shown = ShowLine(fixed, 0);
  out << p.gutter << fmt::format(" {} |", b.line) << p.reset << " " << shown.text << "\n";
}

}  // namespace

int DisplayWidth(std::string_view text) {
  int width = 0;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      width += 1, i += 1;
      continue;
    }
    width += cp == '\t' ? kTabWidth : (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) ? 1 : CodePointWidth(cp);
    i += len;
  }
  return width;
}

std::string SummaryLine(int errors, int warnings) {
  auto plural = [](int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
  if (errors > 0 && warnings > 0) return plural(errors, "error") + ", " + plural(warnings, "warning") + " emitted";
  if (errors > 0) return plural(errors, "error") + " emitted";
  if (warnings > 0) return plural(warnings, "warning") + " emitted";
  return "";
}

void RenderText(const SourceManager& sources, const diag::Diagnostic& d, const TextRenderOptions& options,
                std::ostream& out) {
  Palette p = MakePalette(options.color);
  const diag::KindInfo& info = diag::Info(d.kind);
  bool located = d.range.valid() && d.range.file.index < static_cast<int32_t>(sources.file_count());
  if (located) out << p.bold << Location(sources, d.range) << ": " << p.reset;
  out << SeverityStyle(p, d.severity) << diag::SeverityName(d.severity) << "[" << info.code << "]" << p.reset
      << p.bold << ": " << d.message << p.reset << "\n";

  std::vector<Mark> marks;
  std::vector<const diag::Label*> elsewhere;  // labels in another file
  if (located) marks.push_back(MakeMark(sources, d.range, /*primary=*/true, ""));
  for (const diag::Label& label : d.labels) {
    if (!label.range.valid() || label.range.file.index >= static_cast<int32_t>(sources.file_count())) continue;
    if (located && label.range.file == d.range.file)
      marks.push_back(MakeMark(sources, label.range, /*primary=*/false, label.text));
    else
      elsewhere.push_back(&label);
  }
  if (located) PrintSnippet(sources, d.range.file, std::move(marks), p, out);
  for (const diag::Label* label : elsewhere) {
    out << p.bold << Location(sources, label->range) << ": " << p.reset << p.note << "note" << p.reset << p.bold
        << ": " << label->text << p.reset << "\n";
    PrintSnippet(sources, label->range.file, {MakeMark(sources, label->range, false, "")}, p, out);
  }
  for (const diag::Note& note : d.notes) {
    bool note_located = note.range.valid() && note.range.file.index < static_cast<int32_t>(sources.file_count());
    if (note_located) out << p.bold << Location(sources, note.range) << ": " << p.reset;
    out << p.note << "note" << p.reset << p.bold << ": " << note.message << p.reset << "\n";
    if (note_located) PrintSnippet(sources, note.range.file, {MakeMark(sources, note.range, true, "")}, p, out);
  }
  for (const diag::FixIt& fix : d.fixits) PrintFixIt(sources, fix, p, out);
}

}  // namespace flow::driver

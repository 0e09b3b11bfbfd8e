#include "compiler/parse/literals.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace flow::parse {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/// Parses digits with `_` separators starting at `*pos`; advances `*pos`.
/// Returns nullopt on overflow of uint64 or when no digit is present.
std::optional<uint64_t> ParseDigits(std::string_view text, size_t* pos) {
  uint64_t value = 0;
  bool any = false;
  size_t i = *pos;
  for (; i < text.size() && (IsDigit(text[i]) || text[i] == '_'); ++i) {
    if (text[i] == '_') continue;
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
    any = true;
  }
  *pos = i;
  if (!any) return std::nullopt;
  return value;
}

/// a * b into *out, false on overflow of int64.
bool MulChecked(uint64_t a, uint64_t b, int64_t* out) {
  uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (a != 0 && b > limit / a) return false;
  *out = static_cast<int64_t>(a * b);
  return true;
}

}  // namespace

std::optional<int64_t> DecodeInt(std::string_view text, bool negated) {
  size_t pos = 0;
  auto value = ParseDigits(text, &pos);
  if (!value || pos != text.size()) return std::nullopt;
  uint64_t max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (*value <= max) return static_cast<int64_t>(*value);
  if (negated && *value == max + 1) return std::numeric_limits<int64_t>::min();
  return std::nullopt;
}

std::optional<double> DecodeFloat(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != '_') clean.push_back(c);
  if (clean.empty() || !IsDigit(clean[0])) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
  if (ec != std::errc() || ptr != clean.data() + clean.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<int64_t> DecodeDuration(std::string_view text) {
  // Units from largest to smallest; `rank` enforces descending order.
  struct Unit { std::string_view name; int64_t millis; };
  static constexpr Unit kUnits[] = {
      {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}};
  size_t pos = 0;
  int next_rank = 0;  // the smallest rank still allowed
  int64_t total = 0;
  bool any = false;
  while (pos < text.size()) {
    auto amount = ParseDigits(text, &pos);
    if (!amount) return std::nullopt;
    int rank = -1;
    if (text.substr(pos, 2) == "ms") rank = 4;
    else if (pos < text.size()) {
      switch (text[pos]) {
        case 'd': rank = 0; break;
        case 'h': rank = 1; break;
        case 'm': rank = 2; break;
        case 's': rank = 3; break;
      }
    }
    if (rank < next_rank) return std::nullopt;
    pos += kUnits[rank].name.size();
    int64_t part = 0;
    if (!MulChecked(*amount, static_cast<uint64_t>(kUnits[rank].millis), &part)) return std::nullopt;
    if (total > std::numeric_limits<int64_t>::max() - part) return std::nullopt;
    total += part;
    next_rank = rank + 1;
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

std::optional<int64_t> DecodeSize(std::string_view text) {
  size_t pos = 0;
  auto amount = ParseDigits(text, &pos);
  if (!amount) return std::nullopt;
  std::string_view unit = text.substr(pos);
  static constexpr std::string_view kLetters = "KMGTP";
  if (unit.empty() || unit.size() > 2) return std::nullopt;
  size_t power = kLetters.find(unit[0]);
  if (power == std::string_view::npos) return std::nullopt;
  bool binary = unit.size() == 2;
  if (binary && unit[1] != 'i') return std::nullopt;
  uint64_t factor = 1;
  for (size_t i = 0; i <= power; ++i) factor *= binary ? 1024 : 1000;
  int64_t bytes = 0;
  if (!MulChecked(*amount, factor, &bytes)) return std::nullopt;
  return bytes;
}

BadNumberKind ClassifyBadNumber(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size() && (IsDigit(text[pos]) || text[pos] == '_' || text[pos] == '.')) ++pos;
  if (pos >= text.size()) return BadNumberKind::Other;
  char c = text[pos];
  if (c == 'e' || c == 'E') return BadNumberKind::Float;
  if (c == 'm' || c == 's' || c == 'h' || c == 'd') return BadNumberKind::Duration;
  if (c == 'K' || c == 'M' || c == 'G' || c == 'T' || c == 'P') return BadNumberKind::Size;
  return BadNumberKind::Other;
}

std::optional<std::string> DecodeEscape(std::string_view escape) {
  if (escape == "\\{{") return std::string("{{");
  if (escape.size() != 2 || escape[0] != '\\') return std::nullopt;
  switch (escape[1]) {
    case '"': return std::string("\"");
    case '\\': return std::string("\\");
    case 'n': return std::string("\n");
    case 't': return std::string("\t");
    case 'r': return std::string("\r");
  }
  return std::nullopt;
}

std::string DecodeTripleEscape(std::string_view escape) {
  if (escape == "\\{{") return "{{";
  if (escape == "\\\"\"\"") return "\"\"\"";
  return std::string(escape);
}

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool AllBlank(std::string_view s) {
  for (char c : s)
    if (!IsBlank(c)) return false;
  return true;
}

/// Leading indentation of every line with content, in order. A line's content
/// may be an interpolation, and a line may span several pieces.
std::optional<std::string> CommonIndent(const std::vector<StringPiece>& pieces) {
  std::optional<std::string> common;
  std::string indent;      // indentation of the current line so far
  bool at_start = true;    // still inside the current line's leading blanks
  auto content = [&] {
    if (!at_start) return;
    at_start = false;
    if (!common) common = indent;
    else {
      size_t n = 0;
      while (n < common->size() && n < indent.size() && (*common)[n] == indent[n]) ++n;
      common->resize(n);
    }
  };
  for (const StringPiece& piece : pieces) {
    if (piece.is_interpolation) { content(); continue; }
    for (char c : piece.text) {
      if (c == '\n') { indent.clear(); at_start = true; continue; }
      if (at_start && IsBlank(c)) { indent.push_back(c); continue; }
      content();
    }
  }
  return common;
}

}  // namespace

void DedentTripleString(std::vector<StringPiece>& pieces) {
  // CRLF → LF, and merge adjacent text pieces so lines are easy to follow.
  std::vector<StringPiece> merged;
  for (StringPiece& piece : pieces) {
    if (!piece.is_interpolation) {
      std::string text;
      for (size_t i = 0; i < piece.text.size(); ++i)
        if (!(piece.text[i] == '\r' && i + 1 < piece.text.size() && piece.text[i + 1] == '\n'))
          text.push_back(piece.text[i]);
      if (!merged.empty() && !merged.back().is_interpolation) {
        merged.back().text += text;
        continue;
      }
      piece.text = std::move(text);
    }
    merged.push_back(std::move(piece));
  }
  pieces = std::move(merged);
  if (pieces.empty()) return;

  // Drop the opening line when it is blank.
  if (!pieces.front().is_interpolation) {
    std::string& first = pieces.front().text;
    size_t nl = first.find('\n');
    if (nl != std::string::npos && AllBlank(std::string_view(first).substr(0, nl)))
      first.erase(0, nl + 1);
  }
  // Drop the indentation of the closing `"""`.
  if (!pieces.back().is_interpolation) {
    std::string& last = pieces.back().text;
    size_t nl = last.rfind('\n');
    if (nl != std::string::npos && AllBlank(std::string_view(last).substr(nl + 1)))
      last.erase(nl + 1);
  }

  std::optional<std::string> common = CommonIndent(pieces);
  if (!common || common->empty()) return;
  // Remove up to `common` blanks at the start of every line.
  bool at_start = true;
  size_t removed = 0;  // blanks removed on the current line so far
  for (StringPiece& piece : pieces) {
    if (piece.is_interpolation) { at_start = false; continue; }
    std::string out;
    out.reserve(piece.text.size());
    for (char c : piece.text) {
      if (c == '\n') { out.push_back(c); at_start = true; removed = 0; continue; }
      if (at_start && IsBlank(c) && removed < common->size()) { ++removed; continue; }
      at_start = false;
      out.push_back(c);
    }
    piece.text = std::move(out);
  }
}

}  // namespace flow::parse

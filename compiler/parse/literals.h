// Pure decoding of literal spellings: numbers, durations, sizes, string escapes
// and the dedent of triple-quoted strings. No ANTLR, no diagnostics: callers
// turn a failed decode into the matching E00xx code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flow::parse {

/// `1_000` → 1000. `negated` accepts the magnitude 2^63 (for `-9223372036854775808`).
/// nullopt when the value does not fit in int64 (E0004) or the text is not digits.
std::optional<int64_t> DecodeInt(std::string_view text, bool negated = false);

/// `3.5`, `1e-3`, `2.5e+10`, `1_000.5`. nullopt if malformed or not finite (E0013).
std::optional<double> DecodeFloat(std::string_view text);

/// `90s`, `250ms`, `1h30m`, `1d` → milliseconds. Units ms s m h d, each at most
/// once and in descending order. nullopt when invalid or overflowing (E0005).
std::optional<int64_t> DecodeDuration(std::string_view text);

/// `512Mi`, `1G`, `100K` → bytes. Binary Ki Mi Gi Ti Pi, decimal K M G T P.
/// nullopt when invalid or overflowing (E0006).
std::optional<int64_t> DecodeSize(std::string_view text);

/// What a malformed number glued to letters (`2min`, `1.5h`, `3x`, `1e`) was
/// most likely meant to be, so the right code can be reported.
enum class BadNumberKind { Duration, Size, Float, Other };
BadNumberKind ClassifyBadNumber(std::string_view text);

/// Decodes one escape sequence of a regular string (`\"`, `\\`, `\n`, `\t`, `\r`,
/// `\{{`). nullopt for an unknown escape (E0010).
std::optional<std::string> DecodeEscape(std::string_view escape);

/// Decodes an escape of a triple-quoted string: only `\{{` and `\"""` are escapes
/// there; anything else is kept as written.
std::string DecodeTripleEscape(std::string_view escape);

/// One piece of a string literal for dedenting: literal text, or an
/// interpolation (which counts as content and is never changed).
struct StringPiece {
  std::string text;
  bool is_interpolation = false;
};

/// The layout rules of `"""` strings, applied to decoded pieces in place:
/// CRLF becomes LF; when the text before the first newline is blank, it and the
/// newline are dropped; blank text after the last newline (the indentation of
/// the closing `"""`) is dropped; the longest common leading whitespace of all
/// lines with content (text or an interpolation) is removed from every line.
void DedentTripleString(std::vector<StringPiece>& pieces);

}  // namespace flow::parse

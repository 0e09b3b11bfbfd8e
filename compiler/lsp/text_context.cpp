#include "compiler/lsp/text_context.h"

#include <cctype>

namespace flow::lsp {

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

TextContext ScanTo(std::string_view text, uint32_t offset) {
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  TextContext ctx;
  enum class Mode { Code, String, Triple, Comment };
  Mode mode = Mode::Code;
  // String modes suspended by open interpolations, innermost last.
  std::vector<Mode> suspended;
  for (uint32_t i = 0; i < offset; ++i) {
    char c = text[i];
    switch (mode) {
      case Mode::Comment:
        if (c == '\n') mode = Mode::Code;
        continue;
      case Mode::String:
      case Mode::Triple: {
        if (c == '\\') {
          ++i;  // an escape: `\"`, `\{{`
          continue;
        }
        if (c == '{' && i + 1 < offset && text[i + 1] == '{') {
          suspended.push_back(mode);
          ctx.frames.push_back({'I', i, {i + 2}});
          mode = Mode::Code;
          ++i;
          continue;
        }
        if (mode == Mode::String && (c == '"' || c == '\n')) mode = Mode::Code;
        if (mode == Mode::Triple && text.compare(i, 3, "\"\"\"") == 0 && i + 3 <= offset) {
          mode = Mode::Code;
          i += 2;
        }
        continue;
      }
      case Mode::Code:
        break;
    }
    if (c == '#') {
      mode = Mode::Comment;
    } else if (c == '"') {
      if (text.compare(i, 3, "\"\"\"") == 0 && i + 3 <= offset) {
        mode = Mode::Triple;
        i += 2;
      } else {
        mode = Mode::String;
      }
    } else if (c == '(' || c == '[' || c == '{') {
      ctx.frames.push_back({c, i, {i + 1}});
    } else if (c == '}' && !ctx.frames.empty() && ctx.frames.back().open == 'I') {
      if (i + 1 < text.size() && text[i + 1] == '}') ++i;
      ctx.frames.pop_back();
      mode = suspended.empty() ? Mode::Code : suspended.back();
      if (!suspended.empty()) suspended.pop_back();
    } else if (c == ')' || c == ']' || c == '}') {
      // Pop to the matching bracket; a stray closer is ignored.
      char want = c == ')' ? '(' : c == ']' ? '[' : '{';
      for (size_t k = ctx.frames.size(); k > 0; --k) {
        if (ctx.frames[k - 1].open == 'I') break;
        if (ctx.frames[k - 1].open == want) {
          ctx.frames.resize(k - 1);
          break;
        }
      }
    } else if (c == ',' && !ctx.frames.empty()) {
      ctx.frames.back().items.push_back(i + 1);
    }
  }
  ctx.in_string = mode == Mode::String || mode == Mode::Triple;
  ctx.in_comment = mode == Mode::Comment;
  return ctx;
}

std::string_view WordBefore(std::string_view text, uint32_t offset) {
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  uint32_t start = offset;
  while (start > 0 && IsIdentChar(text[start - 1])) --start;
  return text.substr(start, offset - start);
}

int64_t PrevNonSpace(std::string_view text, uint32_t offset) {
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  int64_t i = static_cast<int64_t>(offset) - 1;
  while (i >= 0 && std::isspace(static_cast<unsigned char>(text[i]))) --i;
  return i;
}

std::string IdentBefore(std::string_view text, uint32_t offset, uint32_t* start) {
  int64_t end = PrevNonSpace(text, offset);
  if (end < 0 || !IsIdentChar(text[end])) return "";
  uint32_t word_end = static_cast<uint32_t>(end + 1);
  std::string_view word = WordBefore(text, word_end);
  if (start) *start = word_end - static_cast<uint32_t>(word.size());
  return std::string(word);
}

std::vector<std::string> ChainBefore(std::string_view text, uint32_t offset) {
  std::vector<std::string> chain;
  uint32_t start = 0;
  std::string name = IdentBefore(text, offset, &start);
  while (!name.empty()) {
    chain.insert(chain.begin(), name);
    int64_t dot = PrevNonSpace(text, start);
    if (dot < 0 || text[dot] != '.') break;
    name = IdentBefore(text, static_cast<uint32_t>(dot), &start);
  }
  return chain;
}

}  // namespace flow::lsp

#include "compiler/parse/utf8.h"

namespace flow::parse {

DecodedText DecodeUtf8(std::string_view text) {
  DecodedText out;
  bool ascii = true;
  for (unsigned char c : text)
    if (c >= 0x80) { ascii = false; break; }
  out.code_points.reserve(text.size());
  if (ascii) {
    for (unsigned char c : text) out.code_points.push_back(c);
    out.count = out.code_points.size();
    return out;
  }
  out.byte_offsets.reserve(text.size() + 1);
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t start = static_cast<uint32_t>(i);
    char32_t cp = 0;
    size_t len = 0;
    char32_t min = 0;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; len = 4; min = 0x10000; }
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    out.byte_offsets.push_back(start);
    if (!ok) {
      if (!out.first_invalid) out.first_invalid = start;
      out.invalid_offsets.push_back(start);
      out.code_points.push_back(0xFFFD);
      i += 1;
      continue;
    }
    out.code_points.push_back(cp);
    i += len;
  }
  out.byte_offsets.push_back(static_cast<uint32_t>(text.size()));
  out.count = out.code_points.size();
  return out;
}

}  // namespace flow::parse

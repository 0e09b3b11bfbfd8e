#include "compiler/lsp/text_position.h"

#include <algorithm>

namespace flow::lsp {
namespace {

/// Bytes of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
uint32_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

/// UTF-16 units of the character starting with `lead`: surrogate pairs for 4-byte sequences.
uint32_t Utf16Units(unsigned char lead) { return SequenceLength(lead) == 4 ? 2 : 1; }

}  // namespace

uint32_t Utf16Length(std::string_view utf8) {
  uint32_t units = 0;
  for (size_t i = 0; i < utf8.size();) {
    auto lead = static_cast<unsigned char>(utf8[i]);
    units += Utf16Units(lead);
    i += std::min<size_t>(SequenceLength(lead), utf8.size() - i);
  }
  return units;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(static_cast<uint32_t>(i + 1));
}

Position LineIndex::ToPosition(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts_.begin()) - 1;
  uint32_t units = 0;
  for (uint32_t i = starts_[line]; i < offset;) {
    auto lead = static_cast<unsigned char>(text_[i]);
    uint32_t len = SequenceLength(lead);
    if (i + len > offset) break;  // offset inside this character: count from its start
    units += Utf16Units(lead);
    i += len;
  }
  return {line, units};
}

uint32_t LineIndex::ToOffset(Position pos) const {
  if (pos.line >= starts_.size()) return static_cast<uint32_t>(text_.size());
  uint32_t i = starts_[pos.line];
  uint32_t line_end = pos.line + 1 < starts_.size() ? starts_[pos.line + 1] - 1 : static_cast<uint32_t>(text_.size());
  if (line_end > i && text_[line_end - 1] == '\r') --line_end;
  uint32_t units = 0;
  while (i < line_end) {
    auto lead = static_cast<unsigned char>(text_[i]);
    uint32_t next_units = units + Utf16Units(lead);
    if (next_units > pos.character) break;
    units = next_units;
    i += std::min(SequenceLength(lead), line_end - i);
  }
  return i;
}

}  // namespace flow::lsp

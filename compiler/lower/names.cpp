#include "compiler/lower/names.h"

#include <cctype>
#include <cstdint>

namespace flow::lower {

namespace {

/// FNV-1a: a stable, platform-independent hash for name suffixes.
uint32_t Fnv1a(const std::string& text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string Hex6(uint32_t h) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 6; ++i) {
    out += kDigits[h & 0xf];
    h >>= 4;
  }
  return out;
}

std::string TrimDashes(std::string s) {
  while (!s.empty() && s.back() == '-') s.pop_back();
  size_t start = 0;
  while (start < s.size() && s[start] == '-') ++start;
  return s.substr(start);
}

}  // namespace

std::string DnsLabel(const std::string& text, size_t max_len) {
  std::string out;
  bool pending_dash = false;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 && c < 0x80) {
      if (pending_dash && !out.empty()) out += '-';
      pending_dash = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      pending_dash = true;
    }
  }
  out = TrimDashes(out);
  if (out.empty()) out = "x";
  if (out.size() > max_len) {
    std::string suffix = "-" + Hex6(Fnv1a(text));
    out = TrimDashes(out.substr(0, max_len - suffix.size())) + suffix;
  }
  return out;
}

std::string NameScope::Unique(const std::string& wanted) {
  std::string base = DnsLabel(wanted, max_len_);
  if (used_.insert(base).second) return base;
  for (int n = 2;; ++n) {
    std::string suffix = "-" + std::to_string(n);
    std::string head = base.size() + suffix.size() > max_len_
                           ? TrimDashes(base.substr(0, max_len_ - suffix.size()))
                           : base;
    std::string candidate = head + suffix;
    if (used_.insert(candidate).second) return candidate;
  }
}

std::string ParamName(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    out += (std::isalnum(c) != 0 && c < 0x80) || c == '_' || c == '-' ? static_cast<char>(c) : '-';
  }
  if (out.empty()) out = "p";
  return out;
}

}  // namespace flow::lower

#include "compiler/lower/yaml_tree.h"

#include <yaml-cpp/yaml.h>

#include <cctype>

namespace flow::lower {

YNode YNode::Str(std::string s) {
  YNode n;
  n.kind_ = Kind::String;
  n.s_ = std::move(s);
  return n;
}

YNode YNode::Int(int64_t i) {
  YNode n;
  n.kind_ = Kind::Int;
  n.i_ = i;
  return n;
}

YNode YNode::Bool(bool b) {
  YNode n;
  n.kind_ = Kind::Bool;
  n.b_ = b;
  return n;
}

YNode& YNode::Set(const std::string& key, YNode value) {
  kind_ = Kind::Map;
  entries_.emplace_back(key, std::move(value));
  return entries_.back().second;
}

YNode* YNode::Find(const std::string& key) {
  for (auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

const YNode* YNode::Find(const std::string& key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

YNode& YNode::Push(YNode value) {
  if (kind_ != Kind::Seq) kind_ = Kind::Seq;
  items_.push_back(std::move(value));
  return items_.back();
}

namespace {

bool LooksLikeNumber(const std::string& s) {
  // Anything starting like a number (digits, sign, dot) may be an int, float,
  // octal, sexagesimal (YAML 1.1: 1:30) or a date; quote it.
  char c = s[0];
  if (std::isdigit(static_cast<unsigned char>(c))) return true;
  if ((c == '-' || c == '+' || c == '.') && s.size() > 1) {
    char d = s[1];
    return std::isdigit(static_cast<unsigned char>(d)) || d == '.' || d == 'i' || d == 'I' ||
           d == 'n' || d == 'N';
  }
  return false;
}

bool IsReservedWord(const std::string& s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const kWords[] = {"y",   "n",     "yes", "no",   "on",    "off",  "true",
                                       "false", "null", "~",   ".inf", ".nan", "-.inf", "=",
                                       "<<"};
  for (const char* w : kWords) {
    if (lower == w) return true;
  }
  return false;
}

}  // namespace

bool IsSafePlainScalar(const std::string& s) {
  if (s.empty() || IsReservedWord(s) || LooksLikeNumber(s)) return false;
  static const std::string kBadFirst = "-?:,[]{}#&*!|>'\"%@` \t";
  if (kBadFirst.find(s[0]) != std::string::npos) return false;
  if (s.back() == ' ' || s.back() == '\t' || s.back() == ':') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == '#' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t')) return false;
    if (c == ':' && i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '\t')) return false;
    // Flow indicators would break flow-style sequences; quote them everywhere for simplicity.
    if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') return false;
    if (c >= 0x80) return false;
  }
  return true;
}

namespace {

void EmitString(YAML::Emitter& out, const std::string& s, bool in_flow) {
  bool multiline = s.find('\n') != std::string::npos;
  if (multiline && !in_flow) {
    // A literal block keeps the text readable; yaml-cpp falls back to quoting
    // when the text cannot be a literal block (e.g. trailing spaces on a line).
    bool literal_ok = true;
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if ((c < 0x20 && c != '\n') || c == 0x7f) literal_ok = false;
      if ((c == ' ' || c == '\t') && (i + 1 == s.size() || s[i + 1] == '\n')) literal_ok = false;
    }
    if (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n')) literal_ok = false;
    // A plain `|` block keeps exactly one final newline (clip chomping); other
    // endings are quoted so the value reads back byte for byte.
    if (s.back() != '\n' || (s.size() > 1 && s[s.size() - 2] == '\n')) literal_ok = false;
    if (literal_ok) {
      out << YAML::Literal << s;
      return;
    }
  }
  if (IsSafePlainScalar(s)) {
    out << s;
    return;
  }
  out << YAML::DoubleQuoted << s;
}

void Emit(YAML::Emitter& out, const YNode& node, bool in_flow) {
  switch (node.kind()) {
    case YNode::Kind::Null:
      out << YAML::Null;
      return;
    case YNode::Kind::String:
      EmitString(out, node.str(), in_flow);
      return;
    case YNode::Kind::Int:
      out << node.int_value();
      return;
    case YNode::Kind::Bool:
      out << node.bool_value();
      return;
    case YNode::Kind::Map:
      if (node.entries().empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, value] : node.entries()) {
        out << YAML::Key;
        EmitString(out, key, in_flow);
        out << YAML::Value;
        Emit(out, value, in_flow);
      }
      out << YAML::EndMap;
      return;
    case YNode::Kind::Seq:
      if (node.flow() || node.items().empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const YNode& item : node.items()) Emit(out, item, in_flow || node.flow());
      out << YAML::EndSeq;
      return;
  }
}

}  // namespace

std::string EmitYaml(const YNode& node) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetSeqFormat(YAML::Block);
  Emit(out, node, false);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace flow::lower

// A small ordered YAML document model for the Argo and Tekton backends, emitted through
// yaml-cpp's Emitter. Maps keep insertion order, so the same IR always gives
// byte-identical YAML. Strings that YAML would read as anything but a string
// (`3`, `true`, `on`, `null`, `0777`, ...) are double-quoted, so Kubernetes'
// go-yaml v2 reader keeps them strings; multi-line strings use literal blocks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace flow::lower {

class YNode {
 public:
  enum class Kind : uint8_t { Null, String, Int, Bool, Map, Seq };

  YNode() = default;
  static YNode Str(std::string s);
  static YNode Int(int64_t i);
  static YNode Bool(bool b);
  static YNode Map() { YNode n; n.kind_ = Kind::Map; return n; }
  static YNode Seq() { YNode n; n.kind_ = Kind::Seq; return n; }
  /// A sequence emitted in flow style (`[a, b]`), as humans write short argv lists.
  static YNode FlowSeq() { YNode n = Seq(); n.flow_ = true; return n; }

  Kind kind() const { return kind_; }
  bool empty() const { return entries_.empty() && items_.empty(); }

  /// Map: appends `key: value` (keys must be unique; callers guarantee it) and
  /// returns the stored value.
  YNode& Set(const std::string& key, YNode value);
  /// Map: the value of `key`, or null.
  YNode* Find(const std::string& key);
  const YNode* Find(const std::string& key) const;
  /// Seq: appends an item and returns it.
  YNode& Push(YNode value);

  const std::string& str() const { return s_; }
  int64_t int_value() const { return i_; }
  bool bool_value() const { return b_; }
  const std::vector<std::pair<std::string, YNode>>& entries() const { return entries_; }
  std::vector<std::pair<std::string, YNode>>& entries() { return entries_; }
  const std::vector<YNode>& items() const { return items_; }
  std::vector<YNode>& items() { return items_; }
  bool flow() const { return flow_; }

 private:
  Kind kind_ = Kind::Null;
  std::string s_;
  int64_t i_ = 0;
  bool b_ = false;
  bool flow_ = false;
  std::vector<std::pair<std::string, YNode>> entries_;
  std::vector<YNode> items_;
};

/// The YAML text of `node` (a document, no `---`), ending in a newline.
std::string EmitYaml(const YNode& node);

/// True if a plain (unquoted) YAML scalar `s` would be read back as the string `s`
/// by YAML 1.1 and 1.2 readers.
bool IsSafePlainScalar(const std::string& s);

}  // namespace flow::lower

// Kubernetes names (Argo and Tekton): DNS-1123 labels (lowercase letters, digits and `-`,
// starting and ending with an alphanumeric, at most 63 characters), readable
// and unique within their scope (templates of a Workflow, tasks of a DAG).
#pragma once

#include <set>
#include <string>

namespace flow::lower {

/// Turns `text` into a DNS-1123 label of at most `max_len` characters: lowercase,
/// runs of other characters become one `-`, trimmed. Never empty ("x" if
/// nothing is left). Long names keep their head and get a short hash suffix so
/// two long names that share a prefix stay distinct.
std::string DnsLabel(const std::string& text, size_t max_len = 63);

/// Hands out unique DNS-1123 labels: the second `call-train` becomes `call-train-2`.
class NameScope {
 public:
  explicit NameScope(size_t max_len = 63) : max_len_(max_len) {}
  /// A fresh label for `wanted` (sanitized), never returned before by this scope.
  std::string Unique(const std::string& wanted);
  /// Marks `name` taken without returning it.
  void Reserve(const std::string& name) { used_.insert(name); }

 private:
  size_t max_len_;
  std::set<std::string> used_;
};

/// Parameter and result names: Argo and Tekton accept `[a-zA-Z0-9_-]`; other characters become `-`.
std::string ParamName(const std::string& text);

}  // namespace flow::lower

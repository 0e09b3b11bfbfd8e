// A side table keyed by AST node, stored in arrays indexed by the node's dense
// id (ast.h) instead of a hash map: 4 bytes per node of the program for the
// index, plus the entries themselves, packed in insertion order.
//
// For 100,000 calls the checker's tables went from ~70 MB of DenseMap buckets
// (88-byte buckets at most 3/4 full, doubled on growth) to ~20 MB, and
// iteration is in insertion order, so it is deterministic.
#pragma once

#include <cassert>
#include <cstdint>
#include <utility>
#include <vector>

#include "compiler/ast/ast.h"

namespace flow::ast {

template <typename V>
class NodeMap {
 public:
  using value_type = std::pair<const Node*, V>;
  using iterator = value_type*;
  using const_iterator = const value_type*;

  /// Sizes the index for ids below `id_end` (LoadedProgram::node_id_end), so
  /// it never grows while checking. Ids beyond it still work (the index grows).
  void ReserveIds(uint32_t id_end) { index_.resize(std::max<size_t>(index_.size(), id_end), 0); }
  /// Reserves room for `n` entries.
  void reserve(size_t n) { entries_.reserve(n); }

  iterator find(const Node* node) {
    uint32_t slot = Slot(node);
    return slot ? &entries_[slot - 1] : end();
  }
  const_iterator find(const Node* node) const {
    uint32_t slot = Slot(node);
    return slot ? &entries_[slot - 1] : end();
  }
  size_t count(const Node* node) const { return Slot(node) ? 1 : 0; }
  /// The value for `node`, or a default-constructed one.
  V lookup(const Node* node) const {
    uint32_t slot = Slot(node);
    return slot ? entries_[slot - 1].second : V{};
  }
  /// The value for `node`, default-constructed first if absent.
  V& operator[](const Node* node) {
    assert(node != nullptr);
    if (node->id >= index_.size()) index_.resize(std::max<size_t>(node->id + 1, index_.size() * 2), 0);
    uint32_t& slot = index_[node->id];
    if (slot == 0) {
      entries_.emplace_back(node, V{});
      slot = static_cast<uint32_t>(entries_.size());
    }
    assert(entries_[slot - 1].first == node && "two nodes with one id: ids come from one loaded program");
    return entries_[slot - 1].second;
  }

  iterator begin() { return entries_.data(); }
  iterator end() { return entries_.data() + entries_.size(); }
  const_iterator begin() const { return entries_.data(); }
  const_iterator end() const { return entries_.data() + entries_.size(); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  uint32_t Slot(const Node* node) const {
    if (node == nullptr || node->id >= index_.size()) return 0;
    uint32_t slot = index_[node->id];
    return slot != 0 && entries_[slot - 1].first == node ? slot : 0;
  }

  std::vector<uint32_t> index_;         // node id → 1 + position in entries_; 0: absent
  std::vector<value_type> entries_;     // in insertion order
};

}  // namespace flow::ast

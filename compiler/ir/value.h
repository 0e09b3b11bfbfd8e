// Runtime values of Flow expressions: what the local runtime computes, what
// constants fold to, and what `-p`/`-i` parameters parse into. JSON-shaped, with
// the Flow type kept alongside where it matters (a File is a path string; a
// Duration is milliseconds; a Size is bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace flow::ir {

class Value {
 public:
  enum class Kind : uint8_t { None, Bool, Int, Float, String, List, Map, Record };

  Value() = default;  // none
  static Value None() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Float(double d);
  static Value String(std::string s);
  static Value List(std::vector<Value> elems);
  /// Map with keys in insertion order (keys are String or Int values).
  static Value Map(std::vector<std::pair<Value, Value>> entries);
  /// Record or struct value: fields in declaration order.
  static Value Record(std::vector<std::pair<std::string, Value>> fields);

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::None; }
  bool as_bool() const { return b_; }
  int64_t as_int() const { return i_; }
  double as_float() const { return kind_ == Kind::Int ? static_cast<double>(i_) : d_; }
  const std::string& as_string() const { return s_; }
  const std::vector<Value>& list() const { return list_; }
  const std::vector<std::pair<Value, Value>>& map() const { return map_; }
  const std::vector<std::pair<std::string, Value>>& record() const { return record_; }
  /// Record field by name; null if absent.
  const Value* field(const std::string& name) const;

  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }
  /// Total order used by min/max/sorting: numbers, then strings, element-wise.
  friend bool operator<(const Value& a, const Value& b);

 private:
  Kind kind_ = Kind::None;
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
  std::vector<Value> list_;
  std::vector<std::pair<Value, Value>> map_;
  std::vector<std::pair<std::string, Value>> record_;
};

}  // namespace flow::ir

// Runtime values of Flow expressions: what the local runtime computes, what
// constants fold to, and what `-p`/`-i` parameters parse into. JSON-shaped, with
// the Flow type kept alongside where it matters (a File is a path string; a
// Duration is milliseconds; a Size is bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
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

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_none() const { return data_.index() == 0; }
  bool as_bool() const {
    const bool* b = std::get_if<bool>(&data_);
    return b != nullptr && *b;
  }
  int64_t as_int() const {
    const int64_t* i = std::get_if<int64_t>(&data_);
    return i != nullptr ? *i : 0;
  }
  double as_float() const {
    if (const double* d = std::get_if<double>(&data_)) return *d;
    return static_cast<double>(as_int());
  }
  /// The payload of a String; for any other kind an empty string (and likewise
  /// for list/map/record below), so callers that checked kind() pay nothing.
  const std::string& as_string() const;
  const std::vector<Value>& list() const;
  const std::vector<std::pair<Value, Value>>& map() const;
  const std::vector<std::pair<std::string, Value>>& record() const;
  /// Record field by name; null if absent.
  const Value* field(const std::string& name) const;

  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }
  /// Total order used by min/max/sorting: numbers, then strings, element-wise.
  friend bool operator<(const Value& a, const Value& b);

 private:
  // One alternative per Kind, in Kind's order: kind() is the index. 40 bytes,
  // where separate members for every kind took 128 (literals in the IR and
  // every value the runtime holds pay for this).
  std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<Value>,
               std::vector<std::pair<Value, Value>>, std::vector<std::pair<std::string, Value>>>
      data_;
};

}  // namespace flow::ir

#include "compiler/ir/value.h"

#include <algorithm>

namespace flow::ir {

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.b_ = b;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::Int;
  v.i_ = i;
  return v;
}

Value Value::Float(double d) {
  Value v;
  v.kind_ = Kind::Float;
  v.d_ = d;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::String;
  v.s_ = std::move(s);
  return v;
}

Value Value::List(std::vector<Value> elems) {
  Value v;
  v.kind_ = Kind::List;
  v.list_ = std::move(elems);
  return v;
}

Value Value::Map(std::vector<std::pair<Value, Value>> entries) {
  Value v;
  v.kind_ = Kind::Map;
  v.map_ = std::move(entries);
  return v;
}

Value Value::Record(std::vector<std::pair<std::string, Value>> fields) {
  Value v;
  v.kind_ = Kind::Record;
  v.record_ = std::move(fields);
  return v;
}

const Value* Value::field(const std::string& name) const {
  for (const auto& [n, v] : record_) {
    if (n == name) return &v;
  }
  return nullptr;
}

namespace {
bool IsNumber(Value::Kind k) { return k == Value::Kind::Int || k == Value::Kind::Float; }

// Rank of a kind in the total order: none < bool < numbers < strings < lists < maps < records.
int Rank(Value::Kind k) {
  switch (k) {
    case Value::Kind::None: return 0;
    case Value::Kind::Bool: return 1;
    case Value::Kind::Int:
    case Value::Kind::Float: return 2;
    case Value::Kind::String: return 3;
    case Value::Kind::List: return 4;
    case Value::Kind::Map: return 5;
    case Value::Kind::Record: return 6;
  }
  return 7;
}
}  // namespace

bool operator==(const Value& a, const Value& b) {
  // Int and Float compare by numeric value (an Int widened to Float stays equal).
  if (IsNumber(a.kind_) && IsNumber(b.kind_)) {
    if (a.kind_ == Value::Kind::Int && b.kind_ == Value::Kind::Int) return a.i_ == b.i_;
    return a.as_float() == b.as_float();
  }
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::None: return true;
    case Value::Kind::Bool: return a.b_ == b.b_;
    case Value::Kind::Int:
    case Value::Kind::Float: return true;  // handled above
    case Value::Kind::String: return a.s_ == b.s_;
    case Value::Kind::List: return a.list_ == b.list_;
    case Value::Kind::Map: return a.map_ == b.map_;
    case Value::Kind::Record: return a.record_ == b.record_;
  }
  return false;
}

bool operator<(const Value& a, const Value& b) {
  int ra = Rank(a.kind_), rb = Rank(b.kind_);
  if (ra != rb) return ra < rb;
  switch (a.kind_) {
    case Value::Kind::None: return false;
    case Value::Kind::Bool: return a.b_ < b.b_;
    case Value::Kind::Int:
    case Value::Kind::Float:
      if (a.kind_ == Value::Kind::Int && b.kind_ == Value::Kind::Int) return a.i_ < b.i_;
      return a.as_float() < b.as_float();
    case Value::Kind::String: return a.s_ < b.s_;
    case Value::Kind::List:
      return std::lexicographical_compare(a.list_.begin(), a.list_.end(), b.list_.begin(),
                                          b.list_.end());
    case Value::Kind::Map:
      return std::lexicographical_compare(a.map_.begin(), a.map_.end(), b.map_.begin(),
                                          b.map_.end());
    case Value::Kind::Record:
      return std::lexicographical_compare(a.record_.begin(), a.record_.end(),
                                          b.record_.begin(), b.record_.end());
  }
  return false;
}

}  // namespace flow::ir

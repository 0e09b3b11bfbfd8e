#include "compiler/ir/value.h"

#include <algorithm>

namespace flow::ir {

Value Value::Bool(bool b) {
  Value v;
  v.data_ = b;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.data_ = i;
  return v;
}

Value Value::Float(double d) {
  Value v;
  v.data_ = d;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.data_ = std::move(s);
  return v;
}

Value Value::List(std::vector<Value> elems) {
  Value v;
  v.data_ = std::move(elems);
  return v;
}

Value Value::Map(std::vector<std::pair<Value, Value>> entries) {
  Value v;
  v.data_ = std::move(entries);
  return v;
}

Value Value::Record(std::vector<std::pair<std::string, Value>> fields) {
  Value v;
  v.data_ = std::move(fields);
  return v;
}

const std::string& Value::as_string() const {
  static const std::string kEmpty;
  const std::string* s = std::get_if<std::string>(&data_);
  return s != nullptr ? *s : kEmpty;
}

const std::vector<Value>& Value::list() const {
  static const std::vector<Value> kEmpty;
  const auto* l = std::get_if<std::vector<Value>>(&data_);
  return l != nullptr ? *l : kEmpty;
}

const std::vector<std::pair<Value, Value>>& Value::map() const {
  static const std::vector<std::pair<Value, Value>> kEmpty;
  const auto* m = std::get_if<std::vector<std::pair<Value, Value>>>(&data_);
  return m != nullptr ? *m : kEmpty;
}

const std::vector<std::pair<std::string, Value>>& Value::record() const {
  static const std::vector<std::pair<std::string, Value>> kEmpty;
  const auto* r = std::get_if<std::vector<std::pair<std::string, Value>>>(&data_);
  return r != nullptr ? *r : kEmpty;
}

const Value* Value::field(const std::string& name) const {
  for (const auto& [n, v] : record()) {
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
  Value::Kind ka = a.kind(), kb = b.kind();
  // Int and Float compare by numeric value (an Int widened to Float stays equal).
  if (IsNumber(ka) && IsNumber(kb)) {
    if (ka == Value::Kind::Int && kb == Value::Kind::Int) return a.as_int() == b.as_int();
    return a.as_float() == b.as_float();
  }
  if (ka != kb) return false;
  switch (ka) {
    case Value::Kind::None: return true;
    case Value::Kind::Bool: return a.as_bool() == b.as_bool();
    case Value::Kind::Int:
    case Value::Kind::Float: return true;  // handled above
    case Value::Kind::String: return a.as_string() == b.as_string();
    case Value::Kind::List: return a.list() == b.list();
    case Value::Kind::Map: return a.map() == b.map();
    case Value::Kind::Record: return a.record() == b.record();
  }
  return false;
}

bool operator<(const Value& a, const Value& b) {
  Value::Kind ka = a.kind(), kb = b.kind();
  int ra = Rank(ka), rb = Rank(kb);
  if (ra != rb) return ra < rb;
  switch (ka) {
    case Value::Kind::None: return false;
    case Value::Kind::Bool: return a.as_bool() < b.as_bool();
    case Value::Kind::Int:
    case Value::Kind::Float:
      if (ka == Value::Kind::Int && kb == Value::Kind::Int) return a.as_int() < b.as_int();
      return a.as_float() < b.as_float();
    case Value::Kind::String: return a.as_string() < b.as_string();
    case Value::Kind::List:
      return std::lexicographical_compare(a.list().begin(), a.list().end(), b.list().begin(), b.list().end());
    case Value::Kind::Map:
      return std::lexicographical_compare(a.map().begin(), a.map().end(), b.map().begin(), b.map().end());
    case Value::Kind::Record:
      return std::lexicographical_compare(a.record().begin(), a.record().end(), b.record().begin(),
                                          b.record().end());
  }
  return false;
}

}  // namespace flow::ir

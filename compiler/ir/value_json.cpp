#include "compiler/ir/value_json.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace flow::ir {

using types::TypeId;
using types::TypeKind;
using types::TypeStore;

namespace {

struct DurationUnit {
  const char* suffix;
  int64_t millis;
};
// Longest suffix first so "ms" wins over "m" when parsing.
constexpr DurationUnit kDurationUnits[] = {
    {"ms", 1}, {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}};

struct SizeUnit {
  const char* suffix;
  int64_t bytes;
  bool binary;
};
constexpr SizeUnit kSizeUnits[] = {
    {"Pi", int64_t{1} << 50, true}, {"Ti", int64_t{1} << 40, true}, {"Gi", int64_t{1} << 30, true},
    {"Mi", int64_t{1} << 20, true}, {"Ki", int64_t{1} << 10, true}, {"P", 1'000'000'000'000'000, false},
    {"T", 1'000'000'000'000, false}, {"G", 1'000'000'000, false},   {"M", 1'000'000, false},
    {"K", 1'000, false},             {"k", 1'000, false},
};

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Shorten(std::string_view text) {
  if (text.size() <= 60) return std::string(text);
  return std::string(text.substr(0, 57)) + "...";
}

}  // namespace

std::string DumpJson(const Json& json, int indent) {
  return json.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

std::string FormatDuration(int64_t millis) {
  if (millis == 0) return "0s";
  std::string out;
  uint64_t rest;
  if (millis < 0) {
    out = "-";
    rest = static_cast<uint64_t>(-(millis + 1)) + 1;  // no overflow for INT64_MIN
  } else {
    rest = static_cast<uint64_t>(millis);
  }
  constexpr DurationUnit kOrder[] = {
      {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}};
  for (const auto& unit : kOrder) {
    uint64_t n = rest / static_cast<uint64_t>(unit.millis);
    if (n == 0) continue;
    out += fmt::format("{}{}", n, unit.suffix);
    rest -= n * static_cast<uint64_t>(unit.millis);
  }
  return out;
}

bool ParseDuration(std::string_view text, int64_t* millis) {
  text = Trim(text);
  if (text.empty()) return false;
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) return false;
    int64_t n = 0;
    while (i < text.size() && (IsDigit(text[i]) || text[i] == '_')) {
      if (text[i] != '_') {
        if (__builtin_mul_overflow(n, int64_t{10}, &n) ||
            __builtin_add_overflow(n, int64_t{text[i] - '0'}, &n)) {
          return false;
        }
      }
      ++i;
    }
    const DurationUnit* found = nullptr;
    for (const auto& unit : kDurationUnits) {
      std::string_view suffix(unit.suffix);
      if (text.substr(i, suffix.size()) == suffix) {
        found = &unit;
        break;
      }
    }
    if (!found) return false;
    i += std::string_view(found->suffix).size();
    int64_t part;
    if (__builtin_mul_overflow(n, found->millis, &part) || __builtin_add_overflow(total, part, &total)) {
      return false;
    }
  }
  *millis = total;
  return true;
}

std::string FormatSize(int64_t bytes) {
  if (bytes == 0) return "0";
  if (bytes < 0) return std::to_string(bytes);
  const SizeUnit* best = nullptr;
  int64_t best_n = bytes;
  for (const auto& unit : kSizeUnits) {
    if (std::string_view(unit.suffix) == "k") continue;
    if (bytes % unit.bytes != 0) continue;
    int64_t n = bytes / unit.bytes;
    if (n < best_n || (n == best_n && best && unit.binary && !best->binary)) {
      best = &unit;
      best_n = n;
    }
  }
  if (!best) return std::to_string(bytes);
  return fmt::format("{}{}", best_n, best->suffix);
}

bool ParseSize(std::string_view text, int64_t* bytes) {
  text = Trim(text);
  size_t i = 0;
  std::string digits;
  while (i < text.size() && (IsDigit(text[i]) || text[i] == '_')) {
    if (text[i] != '_') digits += text[i];
    ++i;
  }
  std::string fraction;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) fraction += text[i++];
    if (fraction.empty()) return false;
  }
  if (digits.empty()) return false;
  std::string_view suffix = text.substr(i);
  int64_t multiplier = 1;
  if (!suffix.empty()) {
    const SizeUnit* found = nullptr;
    for (const auto& unit : kSizeUnits) {
      if (suffix == unit.suffix) found = &unit;
    }
    if (!found) return false;
    multiplier = found->bytes;
  }
  int64_t whole;
  if (!ParseIntText(digits, &whole)) return false;
  int64_t total;
  if (__builtin_mul_overflow(whole, multiplier, &total)) return false;
  if (!fraction.empty()) {
    // fraction * multiplier must be whole: compute with integers, digit by digit.
    if (fraction.size() > 18) return false;
    int64_t num = 0, den = 1;
    for (char c : fraction) {
      num = num * 10 + (c - '0');
      den *= 10;
    }
    __int128 scaled = static_cast<__int128>(num) * multiplier;
    if (scaled % den != 0) return false;
    __int128 sum = static_cast<__int128>(total) + scaled / den;
    if (sum > std::numeric_limits<int64_t>::max()) return false;
    total = static_cast<int64_t>(sum);
  }
  *bytes = total;
  return true;
}

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  std::string s = fmt::format("{}", d);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

bool ParseIntText(std::string_view text, int64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  if (i >= text.size() || !IsDigit(text[i])) return false;
  int64_t n = 0;
  bool last_underscore = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') {
      if (last_underscore) return false;
      last_underscore = true;
      continue;
    }
    if (!IsDigit(c)) return false;
    last_underscore = false;
    // Accumulate negatively so INT64_MIN parses.
    if (__builtin_mul_overflow(n, int64_t{10}, &n) || __builtin_sub_overflow(n, int64_t{c - '0'}, &n)) {
      return false;
    }
  }
  if (last_underscore) return false;
  if (!negative) {
    if (n == std::numeric_limits<int64_t>::min()) return false;
    n = -n;
  }
  *out = n;
  return true;
}

bool ParseFloatText(std::string_view text, double* out) {
  if (text.empty()) return false;
  std::string s;
  for (char c : text) {
    if (c == '_') continue;
    // strtod accepts hex, inf and nan spellings; Flow does not.
    if (!(IsDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
    s += c;
  }
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(d)) return false;
  *out = d;
  return true;
}

std::string FormatValueText(const Value& value, TypeId type, const TypeStore& types) {
  TypeKind kind = type.valid() ? types.KindOf(type) : TypeKind::Error;
  if (value.is_none()) return "";
  switch (kind) {
    case TypeKind::Optional: return FormatValueText(value, types.Get(type).elem, types);
    case TypeKind::Duration: return FormatDuration(value.as_int());
    case TypeKind::Size: return FormatSize(value.as_int());
    case TypeKind::Float: return FormatFloat(value.as_float());
    case TypeKind::List: {
      std::string out;
      for (size_t i = 0; i < value.list().size(); ++i) {
        if (i) out += ' ';
        out += FormatValueText(value.list()[i], types.Get(type).elem, types);
      }
      return out;
    }
    case TypeKind::Map:
    case TypeKind::Record:
    case TypeKind::Struct: return DumpJson(ValueToJson(value, type, types));
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Enum: break;
  }
  // Untyped (or a scalar whose kind matches its value): by the value's kind.
  switch (value.kind()) {
    case Value::Kind::None: return "";
    case Value::Kind::Bool: return value.as_bool() ? "true" : "false";
    case Value::Kind::Int: return std::to_string(value.as_int());
    case Value::Kind::Float: return FormatFloat(value.as_float());
    case Value::Kind::String: return value.as_string();
    case Value::Kind::List: {
      std::string out;
      for (size_t i = 0; i < value.list().size(); ++i) {
        if (i) out += ' ';
        out += FormatValueText(value.list()[i], TypeId{}, types);
      }
      return out;
    }
    case Value::Kind::Map:
    case Value::Kind::Record: return DumpJson(ValueToJson(value, TypeId{}, types));
  }
  return "";
}

Json ValueToJson(const Value& value, TypeId type, const TypeStore& types) {
  if (value.is_none()) return nullptr;
  TypeKind kind = type.valid() ? types.KindOf(type) : TypeKind::Error;
  switch (kind) {
    case TypeKind::Optional: return ValueToJson(value, types.Get(type).elem, types);
    case TypeKind::Duration: return FormatDuration(value.as_int());
    case TypeKind::Size: return FormatSize(value.as_int());
    case TypeKind::Float: {
      double d = value.as_float();
      if (!std::isfinite(d)) return nullptr;
      return d;
    }
    case TypeKind::List: {
      Json arr = Json::array();
      for (const Value& e : value.list()) arr.push_back(ValueToJson(e, types.Get(type).elem, types));
      return arr;
    }
    case TypeKind::Map: {
      Json obj = Json::object();
      for (const auto& [k, v] : value.map()) {
        std::string key = k.kind() == Value::Kind::Int ? std::to_string(k.as_int()) : k.as_string();
        obj[key] = ValueToJson(v, types.Get(type).value, types);
      }
      return obj;
    }
    case TypeKind::Record:
    case TypeKind::Struct: {
      Json obj = Json::object();
      const auto& fields = types.Get(type).fields;
      for (const auto& [name, v] : value.record()) {
        TypeId field_type;
        for (const auto& f : fields) {
          if (f.name == name) field_type = f.type;
        }
        obj[name] = ValueToJson(v, field_type, types);
      }
      return obj;
    }
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Enum: break;
  }
  switch (value.kind()) {
    case Value::Kind::None: return nullptr;
    case Value::Kind::Bool: return value.as_bool();
    case Value::Kind::Int: return value.as_int();
    case Value::Kind::Float: {
      double d = value.as_float();
      if (!std::isfinite(d)) return nullptr;
      return d;
    }
    case Value::Kind::String: return value.as_string();
    case Value::Kind::List: {
      Json arr = Json::array();
      for (const Value& e : value.list()) arr.push_back(ValueToJson(e, TypeId{}, types));
      return arr;
    }
    case Value::Kind::Map: {
      Json obj = Json::object();
      for (const auto& [k, v] : value.map()) {
        std::string key = k.kind() == Value::Kind::Int ? std::to_string(k.as_int()) : k.as_string();
        obj[key] = ValueToJson(v, TypeId{}, types);
      }
      return obj;
    }
    case Value::Kind::Record: {
      Json obj = Json::object();
      for (const auto& [name, v] : value.record()) obj[name] = ValueToJson(v, TypeId{}, types);
      return obj;
    }
  }
  return nullptr;
}

namespace {

class JsonReader {
 public:
  JsonReader(const TypeStore& types, const ReadOptions& options) : types_(types), options_(options) {}

  bool Read(const Json& json, TypeId type, std::string path, Value* out, std::string* error) {
    auto fail = [&](std::string message) {
      *error = path.empty() ? std::move(message) : fmt::format("at `{}`: {}", path, message);
      return false;
    };
    auto mismatch = [&]() {
      return fail(fmt::format("expected `{}`, found `{}`", types_.ToString(type), Shorten(DumpJson(json))));
    };
    if (++depth_ > 200) return fail("value nests too deeply");
    struct DepthGuard {
      int* d;
      ~DepthGuard() { --*d; }
    } guard{&depth_};
    const bool is_text = json.is_string() && options_.scalars_from_strings;
    switch (types_.KindOf(type)) {
      case TypeKind::Error: return fail("value of an unknown type");
      case TypeKind::None:
        if (!json.is_null()) return mismatch();
        *out = Value::None();
        return true;
      case TypeKind::Optional:
        if (json.is_null()) {
          *out = Value::None();
          return true;
        }
        return Read(json, types_.Get(type).elem, std::move(path), out, error);
      case TypeKind::Int:
        if (json.is_number_integer()) {
          if (json.is_number_unsigned() && json.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
            return mismatch();
          }
          *out = Value::Int(json.get<int64_t>());
          return true;
        }
        if (is_text) return ReadText(json.get<std::string>(), type, path, out, error);
        return mismatch();
      case TypeKind::Float:
        if (json.is_number()) {
          *out = Value::Float(json.get<double>());
          return true;
        }
        if (is_text) return ReadText(json.get<std::string>(), type, path, out, error);
        return mismatch();
      case TypeKind::Bool:
        if (json.is_boolean()) {
          *out = Value::Bool(json.get<bool>());
          return true;
        }
        if (is_text) return ReadText(json.get<std::string>(), type, path, out, error);
        return mismatch();
      case TypeKind::String:
      case TypeKind::File:
      case TypeKind::Dir:
        if (!json.is_string()) return mismatch();
        *out = Value::String(json.get<std::string>());
        return true;
      case TypeKind::Duration:
      case TypeKind::Size:
      case TypeKind::Enum:
        if (types_.KindOf(type) == TypeKind::Size && json.is_number_integer() &&
            (!json.is_number_unsigned() || json.get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()))) {
          *out = Value::Int(json.get<int64_t>());
          return true;
        }
        if (!json.is_string()) return mismatch();
        return ReadText(json.get<std::string>(), type, path, out, error);
      case TypeKind::List: {
        if (!json.is_array()) return mismatch();
        std::vector<Value> elems;
        elems.reserve(json.size());
        for (size_t i = 0; i < json.size(); ++i) {
          Value v;
          if (!Read(json[i], types_.Get(type).elem, fmt::format("{}[{}]", path, i), &v, error)) return false;
          elems.push_back(std::move(v));
        }
        *out = Value::List(std::move(elems));
        return true;
      }
      case TypeKind::Map: {
        if (!json.is_object()) return mismatch();
        const types::Type& t = types_.Get(type);
        std::vector<std::pair<Value, Value>> entries;
        for (auto it = json.begin(); it != json.end(); ++it) {
          Value key;
          if (types_.KindOf(t.key) == TypeKind::Int) {
            int64_t k;
            if (!ParseIntText(it.key(), &k)) {
              return fail(fmt::format("map key `{}` is not an `Int`", Shorten(it.key())));
            }
            key = Value::Int(k);
          } else {
            key = Value::String(it.key());
          }
          Value v;
          if (!Read(it.value(), t.value, fmt::format("{}[{}]", path, DumpJson(Json(it.key()))), &v, error)) {
            return false;
          }
          entries.emplace_back(std::move(key), std::move(v));
        }
        *out = Value::Map(std::move(entries));
        return true;
      }
      case TypeKind::Record:
      case TypeKind::Struct: {
        if (!json.is_object()) return mismatch();
        const types::Type& t = types_.Get(type);
        for (auto it = json.begin(); it != json.end(); ++it) {
          bool known = false;
          for (const auto& f : t.fields) known = known || f.name == it.key();
          if (!known) {
            return fail(fmt::format("`{}` has no field `{}`", types_.ToString(type), Shorten(it.key())));
          }
        }
        std::vector<std::pair<std::string, Value>> fields;
        for (size_t i = 0; i < t.fields.size(); ++i) {
          const types::Field& f = t.fields[i];
          std::string field_path = path.empty() ? f.name : path + "." + f.name;
          auto it = json.find(f.name);
          Value v;
          if (it == json.end()) {
            std::optional<Value> def;
            if (f.has_default && options_.struct_default) def = options_.struct_default(type, i);
            if (def) {
              v = std::move(*def);
            } else if (types_.IsOptional(f.type)) {
              v = Value::None();
            } else {
              return fail(fmt::format("missing field `{}` of `{}`", f.name, types_.ToString(type)));
            }
          } else if (!Read(*it, f.type, field_path, &v, error)) {
            return false;
          }
          fields.emplace_back(f.name, std::move(v));
        }
        *out = Value::Record(std::move(fields));
        return true;
      }
    }
    return mismatch();
  }

  bool ReadText(std::string_view raw, TypeId type, const std::string& path, Value* out, std::string* error) {
    auto fail = [&](std::string message) {
      *error = path.empty() ? std::move(message) : fmt::format("at `{}`: {}", path, message);
      return false;
    };
    auto mismatch = [&]() {
      return fail(fmt::format("expected `{}`, found `{}`", types_.ToString(type), Shorten(raw)));
    };
    std::string_view text = Trim(raw);
    switch (types_.KindOf(type)) {
      case TypeKind::Error: return fail("value of an unknown type");
      case TypeKind::None:
        if (text == "none" || text == "null") {
          *out = Value::None();
          return true;
        }
        return mismatch();
      case TypeKind::Optional:
        if (text == "none" || text == "null") {
          *out = Value::None();
          return true;
        }
        return ReadText(raw, types_.Get(type).elem, path, out, error);
      case TypeKind::Int: {
        int64_t i;
        if (!ParseIntText(text, &i)) return mismatch();
        *out = Value::Int(i);
        return true;
      }
      case TypeKind::Float: {
        double d;
        if (!ParseFloatText(text, &d)) return mismatch();
        *out = Value::Float(d);
        return true;
      }
      case TypeKind::Bool:
        if (text == "true" || text == "false") {
          *out = Value::Bool(text == "true");
          return true;
        }
        return mismatch();
      case TypeKind::String:
      case TypeKind::File:
      case TypeKind::Dir: *out = Value::String(std::string(raw)); return true;
      case TypeKind::Duration: {
        int64_t ms;
        if (!ParseDuration(text, &ms)) return mismatch();
        *out = Value::Int(ms);
        return true;
      }
      case TypeKind::Size: {
        int64_t bytes;
        if (!ParseSize(text, &bytes)) return mismatch();
        *out = Value::Int(bytes);
        return true;
      }
      case TypeKind::Enum: {
        const auto& members = types_.Get(type).members;
        for (const auto& m : members) {
          if (m == text) {
            *out = Value::String(m);
            return true;
          }
        }
        std::string list;
        for (const auto& m : members) list += (list.empty() ? "`" : ", `") + m + "`";
        return fail(fmt::format("expected `{}` (one of {}), found `{}`", types_.ToString(type), list,
                                Shorten(raw)));
      }
      case TypeKind::List:
      case TypeKind::Map:
      case TypeKind::Record:
      case TypeKind::Struct: {
        Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (json.is_discarded()) {
          return fail(fmt::format("expected `{}` as JSON, found `{}`", types_.ToString(type), Shorten(raw)));
        }
        return Read(json, type, path, out, error);
      }
    }
    return mismatch();
  }

 private:
  const TypeStore& types_;
  const ReadOptions& options_;
  int depth_ = 0;
};

}  // namespace

bool ValueFromJson(const Json& json, TypeId type, const TypeStore& types, const ReadOptions& options,
                   Value* out, std::string* error) {
  JsonReader reader(types, options);
  return reader.Read(json, type, "", out, error);
}

bool ValueFromText(std::string_view text, TypeId type, const TypeStore& types, const ReadOptions& options,
                   Value* out, std::string* error) {
  JsonReader reader(types, options);
  return reader.ReadText(text, type, "", out, error);
}

}  // namespace flow::ir

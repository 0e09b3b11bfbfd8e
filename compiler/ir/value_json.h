// Values as JSON and as text, guided by their Flow type.
//
// One place decides how a value is spelled outside the compiler: `flowc run`'s
// result document, `-p`/`-i` parameters, task outputs read back from files, and
// the text an interpolation inserts into a script or argv. The runtime and the
// backends reuse these functions so every target agrees.
//
//   JSON:  Int/Float/Bool as numbers/booleans; String/File/Dir/enum as strings;
//          Duration/Size as strings in literal syntax ("1h30m", "512Mi"); List as
//          an array; Map as an object (Int keys in decimal); record/struct as an
//          object in field order; none as null.
//   Text:  Int decimal; Float shortest round-trip ("0.001", "3.0"); Bool
//          true/false; Duration "1h30m"; Size "512Mi"; a List's elements joined
//          by one space; Map/record as compact JSON; none as "".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ir/value.h"
#include "compiler/types/type_store.h"

namespace flow::ir {

/// JSON objects keep their insertion order (record fields, map entries).
using Json = nlohmann::ordered_json;

/// Serializes JSON without ever throwing: invalid UTF-8 in strings is replaced
/// by U+FFFD. `indent` < 0: compact.
std::string DumpJson(const Json& json, int indent = -1);

/// "1h30m", "90ms", "0s"; negative values get a leading '-'.
std::string FormatDuration(int64_t millis);
/// Parses `1d2h3m4s5ms`-style text (components in any order, at least one,
/// each an unsigned integer followed by d, h, m, s or ms). False on bad text or overflow.
bool ParseDuration(std::string_view text, int64_t* millis);
/// The shortest exact spelling: "512Mi", "1G", "1500" (bytes); ties prefer binary units.
std::string FormatSize(int64_t bytes);
/// Parses "512Mi", "2Gi", "1G", "100K", "1.5Gi", "1024" (bytes). Units: Ki Mi Gi Ti Pi
/// (binary), K/k M G T P (decimal). The result must be a whole number of bytes.
bool ParseSize(std::string_view text, int64_t* bytes);
/// Shortest text that reads back as the same double; always has a '.' or an
/// exponent so it still reads as a Float ("3.0", "0.001", "1e+20").
std::string FormatFloat(double d);

/// The text a scalar interpolates as (see the file comment). `type` may be
/// invalid, in which case the value's own kind decides.
std::string FormatValueText(const Value& value, types::TypeId type, const types::TypeStore& types);

/// JSON form of `value` of Flow type `type` (invalid type: from the value's kind).
Json ValueToJson(const Value& value, types::TypeId type, const types::TypeStore& types);

/// Options for reading values.
struct ReadOptions {
  /// Supplies the default of field `field` of struct `type` when an object omits
  /// it; returns nullopt when there is none. Unset: missing fields are errors.
  std::function<std::optional<Value>(types::TypeId type, size_t field)> struct_default;
  /// Accept strings where a number/bool is expected and parse them as text
  /// (YAML input, where every scalar arrives as text).
  bool scalars_from_strings = false;
};

/// Reads a JSON value as Flow type `type`. On failure returns false and sets
/// `*error` to "expected `Int`, found `\"x\"`" (prefixed with the path inside
/// the value, e.g. "at `[2].name`: ...").
bool ValueFromJson(const Json& json, types::TypeId type, const types::TypeStore& types,
                   const ReadOptions& options, Value* out, std::string* error);

/// Reads text as Flow type `type`: scalars from their text (numbers, booleans,
/// durations, sizes and enum members may be surrounded by whitespace), String/
/// File/Dir verbatim, List/Map/record/struct as JSON, `null`/`none` for an
/// optional's none. Errors as ValueFromJson.
bool ValueFromText(std::string_view text, types::TypeId type, const types::TypeStore& types,
                   const ReadOptions& options, Value* out, std::string* error);

/// Parses a whole decimal integer ("-12", "1_000"); false on junk or overflow.
bool ParseIntText(std::string_view text, int64_t* out);
/// Parses a whole finite float ("1e-3", "2", "-0.5"); false on junk, inf or nan.
bool ParseFloatText(std::string_view text, double* out);

}  // namespace flow::ir

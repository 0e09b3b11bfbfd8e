#include "compiler/lsp/protocol.h"

#include <limits>

namespace flow::lsp {

const json* Member(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::optional<std::string> StringMember(const json& obj, std::string_view key) {
  const json* value = Member(obj, key);
  if (!value || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

std::optional<int64_t> IntMember(const json& obj, std::string_view key) {
  const json* value = Member(obj, key);
  if (!value || !value->is_number_integer()) return std::nullopt;
  return value->get<int64_t>();
}

std::optional<bool> BoolMember(const json& obj, std::string_view key) {
  const json* value = Member(obj, key);
  if (!value || !value->is_boolean()) return std::nullopt;
  return value->get<bool>();
}

std::optional<Position> ToPosition(const json& value) {
  auto line = IntMember(value, "line");
  auto character = IntMember(value, "character");
  constexpr int64_t kMax = std::numeric_limits<uint32_t>::max();
  if (!line || !character || *line < 0 || *character < 0 || *line > kMax || *character > kMax) return std::nullopt;
  return Position{static_cast<uint32_t>(*line), static_cast<uint32_t>(*character)};
}

std::optional<Range> ToRange(const json& value) {
  const json* start = Member(value, "start");
  const json* end = Member(value, "end");
  if (!start || !end) return std::nullopt;
  auto s = ToPosition(*start);
  auto e = ToPosition(*end);
  if (!s || !e) return std::nullopt;
  return Range{*s, *e};
}

json ToJson(Position pos) { return json{{"line", pos.line}, {"character", pos.character}}; }

json ToJson(Range range) { return json{{"start", ToJson(range.start)}, {"end", ToJson(range.end)}}; }

std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace flow::lsp

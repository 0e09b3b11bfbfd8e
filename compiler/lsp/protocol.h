// JSON-RPC and LSP vocabulary shared by the server and its features: error
// codes, and reading params without ever throwing (a malformed request gets an
// InvalidParams error, never a crash).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "compiler/base/source.h"
#include "compiler/lsp/text_position.h"

namespace flow::lsp {

using json = nlohmann::json;

/// JSON-RPC and LSP error codes.
enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
  RequestCancelled = -32800,
};

/// An error response's payload.
struct Error {
  ErrorCode code;
  std::string message;
};

/// `obj[key]` when `obj` is an object holding `key`, else null.
const json* Member(const json& obj, std::string_view key);
std::optional<std::string> StringMember(const json& obj, std::string_view key);
std::optional<int64_t> IntMember(const json& obj, std::string_view key);
std::optional<bool> BoolMember(const json& obj, std::string_view key);
/// An LSP Position object (non-negative line and character).
std::optional<Position> ToPosition(const json& value);
std::optional<Range> ToRange(const json& value);

json ToJson(Position pos);
json ToJson(Range range);

/// Serializes without throwing: invalid UTF-8 in user text is replaced.
std::string Dump(const json& value);

}  // namespace flow::lsp

// `file://` URIs ↔ filesystem paths (RFC 3986 percent-encoding), as LSP clients send them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flow::lsp {

/// The path of a `file://` URI (`file:///a%20b/x.flow` → `/a b/x.flow`), or
/// nullopt for another scheme or a malformed escape.
std::optional<std::string> UriToPath(std::string_view uri);

/// The `file://` URI of an absolute path, percent-encoding what RFC 3986 requires.
std::string PathToUri(std::string_view path);

}  // namespace flow::lsp

// The LSP base protocol: messages framed by `Content-Length: N\r\n\r\n` headers
// over a byte stream (stdin/stdout for `flowc lsp`).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

namespace flow::lsp {

enum class ReadStatus {
  Ok,         // `*body` holds one message's content
  Eof,        // the stream ended cleanly between messages
  BadHeader,  // headers without a usable Content-Length; the header block was skipped
};

/// Reads one framed message. Header names are case-insensitive; headers other
/// than Content-Length (e.g. Content-Type) are ignored. A truncated body at the
/// end of the stream reads as Eof. Lengths above `max_length` are BadHeader and
/// the body is skipped, so a hostile length never allocates gigabytes.
ReadStatus ReadMessage(std::istream& in, std::string* body, size_t max_length = 64u << 20);

/// Writes `body` with its Content-Length header and flushes.
void WriteMessage(std::ostream& out, std::string_view body);

}  // namespace flow::lsp

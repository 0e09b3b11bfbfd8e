#include "compiler/lsp/framing.h"

#include <cctype>
#include <istream>
#include <ostream>

namespace flow::lsp {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

/// Parses a decimal length; false on anything else (signs, junk, overflow).
bool ParseLength(std::string_view text, size_t* out) {
  text = Trim(text);
  if (text.empty() || text.size() > 18) return false;
  size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  *out = value;
  return true;
}

/// Reads one header line (without its `\n`). A line longer than any real
/// header is cut short and the rest of it skipped, so garbage without
/// newlines never grows memory. False at the end of the stream.
bool ReadHeaderLine(std::istream& in, std::string* line) {
  constexpr size_t kMaxHeaderLine = 8192;
  line->clear();
  char c;
  bool any = false;
  while (in.get(c)) {
    any = true;
    if (c == '\n') return true;
    if (line->size() < kMaxHeaderLine) line->push_back(c);
  }
  return any;
}

}  // namespace

ReadStatus ReadMessage(std::istream& in, std::string* body, size_t max_length) {
  std::string line;
  bool have_length = false, any_header = false;
  size_t length = 0;
  while (true) {
    if (!ReadHeaderLine(in, &line)) return ReadStatus::Eof;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!any_header) continue;  // stray blank lines between messages
      break;
    }
    any_header = true;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;  // not a header: ignored, as unknown headers are
    if (Lower(Trim(std::string_view(line).substr(0, colon))) == "content-length") {
      have_length = ParseLength(std::string_view(line).substr(colon + 1), &length);
    }
  }
  if (!have_length) return ReadStatus::BadHeader;
  if (length > max_length) {
    in.ignore(static_cast<std::streamsize>(length));
    return in ? ReadStatus::BadHeader : ReadStatus::Eof;
  }
  body->assign(length, '\0');
  in.read(body->data(), static_cast<std::streamsize>(length));
  if (static_cast<size_t>(in.gcount()) != length) return ReadStatus::Eof;
  return ReadStatus::Ok;
}

void WriteMessage(std::ostream& out, std::string_view body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace flow::lsp

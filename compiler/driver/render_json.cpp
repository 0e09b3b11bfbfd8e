#include "compiler/driver/render_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace flow::driver {
namespace {

using Json = nlohmann::ordered_json;

bool Located(const SourceManager& sources, SourceRange range) {
  return range.valid() && range.file.index < static_cast<int32_t>(sources.file_count());
}

/// Adds file/line/column/end_line/end_column for `range` to `object`.
void AddLocation(const SourceManager& sources, SourceRange range, Json& object) {
  if (!Located(sources, range)) {
    object["file"] = nullptr;
    object["line"] = 0;
    object["column"] = 0;
    object["end_line"] = 0;
    object["end_column"] = 0;
    return;
  }
  uint32_t size = static_cast<uint32_t>(sources.Text(range.file).size());
  uint32_t begin = std::min(range.begin, size);
  uint32_t end = std::clamp(range.end, begin, size);
  LineCol b = sources.ToLineCol(range.file, begin);
  LineCol e = sources.ToLineCol(range.file, end);
  object["file"] = std::string(sources.Path(range.file));
  object["line"] = b.line;
  object["column"] = b.column;
  object["end_line"] = e.line;
  object["end_column"] = e.column;
}

}  // namespace

std::string RenderJson(const SourceManager& sources, const diag::Diagnostic& d) {
  Json object = Json::object();
  AddLocation(sources, d.range, object);
  object["severity"] = std::string(diag::SeverityName(d.severity));
  object["code"] = std::string(diag::Info(d.kind).code);
  object["message"] = d.message;
  Json labels = Json::array();
  for (const diag::Label& label : d.labels) {
    Json l = Json::object();
    AddLocation(sources, label.range, l);
    l["message"] = label.text;
    labels.push_back(std::move(l));
  }
  object["labels"] = std::move(labels);
  Json notes = Json::array();
  for (const diag::Note& note : d.notes) {
    Json n = Json::object();
    if (Located(sources, note.range)) AddLocation(sources, note.range, n);
    n["message"] = note.message;
    notes.push_back(std::move(n));
  }
  object["notes"] = std::move(notes);
  Json fixits = Json::array();
  for (const diag::FixIt& fix : d.fixits) {
    Json f = Json::object();
    AddLocation(sources, fix.range, f);
    f["replacement"] = fix.replacement;
    fixits.push_back(std::move(f));
  }
  object["fixits"] = std::move(fixits);
  // Invalid UTF-8 in messages (e.g. a quoted stray byte) must not abort the
  // dump: replace it with U+FFFD.
  return object.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace flow::driver

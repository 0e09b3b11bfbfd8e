// Compiler diagnostics as LSP `Diagnostic`s: the same codes, messages and
// ranges as `flowc check`; labels and notes become relatedInformation.
#include "compiler/lsp/features.h"

namespace flow::lsp {
namespace {

int SeverityOf(diag::Severity severity) {
  switch (severity) {
    case diag::Severity::Error:
      return 1;
    case diag::Severity::Warning:
      return 2;
    case diag::Severity::Note:
      return 3;
  }
  return 1;
}

}  // namespace

json DiagnosticsFor(const Analysis& a, FileId file) {
  json list = json::array();
  for (const diag::Diagnostic& d : a.diagnostics) {
    if (d.range.file != file) continue;
    json item{{"range", ToJson(a.ToRange(d.range))},
              {"severity", SeverityOf(d.severity)},
              {"code", std::string(diag::Info(d.kind).code)},
              {"source", "flowc"},
              {"message", d.message}};
    json related = json::array();
    // A label or note without a location points at the diagnostic itself
    // (relatedInformation needs one); notes without a range are also appended
    // to the message, where every client shows them.
    for (const diag::Label& label : d.labels) {
      SourceRange where = label.range.valid() ? label.range : d.range;
      related.push_back({{"location", LocationJson(a, where)}, {"message", label.text}});
    }
    for (const diag::Note& note : d.notes) {
      SourceRange where = note.range.valid() ? note.range : d.range;
      related.push_back({{"location", LocationJson(a, where)}, {"message", "note: " + note.message}});
      if (!note.range.valid()) item["message"] = item["message"].get<std::string>() + "\nnote: " + note.message;
    }
    if (!related.empty()) item["relatedInformation"] = std::move(related);
    if (d.severity == diag::Severity::Warning && diag::Info(d.kind).name.find("Unused") != std::string_view::npos)
      item["tags"] = json::array({1});  // Unnecessary: editors fade unused bindings
    list.push_back(std::move(item));
  }
  return json{{"uri", a.UriOf(file)}, {"diagnostics", std::move(list)}};
}

}  // namespace flow::lsp

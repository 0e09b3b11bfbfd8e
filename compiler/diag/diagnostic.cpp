#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <tuple>

#include "compiler/diag/emitter.h"

namespace flow::diag {

namespace {
const KindInfo kInfos[] = {
#define FLOW_DIAG(code, name, severity, format) {#code, #name, Severity::severity, format},
#include "compiler/diag/kinds.def"
};
}  // namespace

const KindInfo& Info(Kind kind) { return kInfos[static_cast<size_t>(kind)]; }

const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> result;
    for (size_t i = 0; i < std::size(kInfos); ++i) result.push_back(static_cast<Kind>(i));
    return result;
  }();
  return kinds;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

int CollectingConsumer::error_count() const {
  return static_cast<int>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
                                        [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

int CollectingConsumer::warning_count() const {
  return static_cast<int>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
                                        [](const Diagnostic& d) { return d.severity == Severity::Warning; }));
}

void SortDiagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(a.range.file.index, a.range.begin) < std::tuple(b.range.file.index, b.range.begin);
  });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.kind == b.kind && a.range.file == b.range.file && a.range.begin == b.range.begin &&
           a.range.end == b.range.end && a.message == b.message;
  };
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end(), same), diagnostics.end());
}

void DiagnosticBuilder::Emit() { emitter_->Handle(std::move(diagnostic_)); }

void DiagnosticEmitter::Handle(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::Error) ++errors_;
  if (diagnostic.severity == Severity::Warning) ++warnings_;
  consumer_->Handle(std::move(diagnostic));
}

}  // namespace flow::diag

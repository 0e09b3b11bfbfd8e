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

void DropRecoveryNoise(std::vector<Diagnostic>& diagnostics, const SourceManager& sources) {
  // (file, line) of every syntax error: few, so a sorted vector will do.
  std::vector<std::pair<int32_t, uint32_t>> broken;
  auto line_of = [&](const Diagnostic& d) {
    return std::pair(d.range.file.index, sources.ToLineCol(d.range.file, d.range.begin).line);
  };
  auto valid = [&](const Diagnostic& d) {
    return d.range.file.valid() && static_cast<size_t>(d.range.file.index) < sources.file_count();
  };
  for (const Diagnostic& d : diagnostics)
    if (d.kind == Kind::SyntaxError && valid(d)) broken.push_back(line_of(d));
  if (broken.empty()) return;
  std::sort(broken.begin(), broken.end());
  std::vector<std::pair<int32_t, uint32_t>> reported;  // lines whose first E0001 was kept
  auto later_phase = [](Kind kind) { return Info(kind).code.substr(0, 3) != "E00"; };
  std::vector<Diagnostic> kept;
  kept.reserve(diagnostics.size());
  for (Diagnostic& d : diagnostics) {
    if (valid(d)) {
      auto line = line_of(d);
      bool on_broken_line = std::binary_search(broken.begin(), broken.end(), line);
      if (on_broken_line && later_phase(d.kind)) continue;
      if (d.kind == Kind::SyntaxError) {
        if (std::find(reported.begin(), reported.end(), line) != reported.end()) continue;
        reported.push_back(line);
      }
    }
    kept.push_back(std::move(d));
  }
  diagnostics = std::move(kept);
}

void DiagnosticBuilder::Emit() { emitter_->Handle(std::move(diagnostic_)); }

void DiagnosticEmitter::Handle(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::Error) ++errors_;
  if (diagnostic.severity == Severity::Warning) ++warnings_;
  consumer_->Handle(std::move(diagnostic));
}

}  // namespace flow::diag

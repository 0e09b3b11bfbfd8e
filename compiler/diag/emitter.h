// The one way phases report problems:
//   diags.Emit(range, diag::Kind::UnknownName, name);
//   diags.Build(range, diag::Kind::TypeMismatch, want, got)
//       .Label(other, "expected because of this").Note("did you mean `x`?").Emit();
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>

#include "compiler/diag/diagnostic.h"

namespace flow::diag {

class DiagnosticEmitter;

/// Accumulates one diagnostic; nothing is reported until Emit().
class [[nodiscard]] DiagnosticBuilder {
 public:
  DiagnosticBuilder(DiagnosticEmitter* emitter, Diagnostic diagnostic)
      : emitter_(emitter), diagnostic_(std::move(diagnostic)) {}
  DiagnosticBuilder& Label(SourceRange range, std::string text) {
    diagnostic_.labels.push_back({range, std::move(text)});
    return *this;
  }
  DiagnosticBuilder& Note(std::string message, SourceRange range = {}) {
    diagnostic_.notes.push_back({range, std::move(message)});
    return *this;
  }
  DiagnosticBuilder& FixIt(SourceRange range, std::string replacement) {
    diagnostic_.fixits.push_back({range, std::move(replacement)});
    return *this;
  }
  void Emit();

 private:
  DiagnosticEmitter* emitter_;
  Diagnostic diagnostic_;
};

class DiagnosticEmitter {
 public:
  explicit DiagnosticEmitter(DiagnosticConsumer& consumer) : consumer_(&consumer) {}

  template <typename... Args>
  DiagnosticBuilder Build(SourceRange range, Kind kind, Args&&... args) {
    const KindInfo& info = Info(kind);
    Diagnostic d{kind, info.severity, range,
                 fmt::format(fmt::runtime(info.format), std::forward<Args>(args)...),
                 {}, {}, {}};
    return DiagnosticBuilder(this, std::move(d));
  }

  template <typename... Args>
  void Emit(SourceRange range, Kind kind, Args&&... args) {
    Build(range, kind, std::forward<Args>(args)...).Emit();
  }

  void Handle(Diagnostic diagnostic);
  int error_count() const { return errors_; }
  int warning_count() const { return warnings_; }
  bool has_errors() const { return errors_ > 0; }

 private:
  DiagnosticConsumer* consumer_;
  int errors_ = 0;
  int warnings_ = 0;
};

}  // namespace flow::diag

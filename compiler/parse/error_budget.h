// A per-file cap on syntax diagnostics: after kMaxSyntaxErrors, one E0011 is
// reported and everything else about the file's syntax is dropped, so binary
// junk produces a short, useful report instead of thousands of lines.
#pragma once

#include "compiler/base/source.h"
#include "compiler/diag/emitter.h"

namespace flow::parse {

inline constexpr int kMaxSyntaxErrors = 50;

class ErrorBudget {
 public:
  explicit ErrorBudget(diag::DiagnosticEmitter& diags) : diags_(diags) {}

  /// True if one more syntax diagnostic may be emitted at `range`. The first
  /// refusal emits E0011 there.
  bool Take(SourceRange range) {
    if (count_ < kMaxSyntaxErrors) { ++count_; return true; }
    if (!exhausted_) {
      exhausted_ = true;
      diags_.Emit(range, diag::Kind::TooManyErrors);
    }
    return false;
  }
  /// Emits `kind` at `range` if the budget allows.
  template <typename... Args>
  void Emit(SourceRange range, diag::Kind kind, Args&&... args) {
    if (Take(range)) diags_.Emit(range, kind, std::forward<Args>(args)...);
  }
  int count() const { return count_; }
  bool exhausted() const { return exhausted_; }
  diag::DiagnosticEmitter& diags() { return diags_; }

 private:
  diag::DiagnosticEmitter& diags_;
  int count_ = 0;
  bool exhausted_ = false;
};

}  // namespace flow::parse

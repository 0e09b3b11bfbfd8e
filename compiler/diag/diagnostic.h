// Diagnostics as plain data. Phases never print: they hand Diagnostics to a
// DiagnosticConsumer through a DiagnosticEmitter (emitter.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source.h"

namespace flow::diag {

enum class Severity : uint8_t { Error, Warning, Note };

/// Every diagnostic kind, from kinds.def.
enum class Kind : uint16_t {
#define FLOW_DIAG(code, name, severity, format) name,
#include "compiler/diag/kinds.def"
};

struct KindInfo {
  std::string_view code;    // "E0102"
  std::string_view name;    // "UnknownName"
  Severity severity;
  std::string_view format;  // fmt format string
};

/// The registry entry for `kind`.
const KindInfo& Info(Kind kind);
/// All kinds, in kinds.def order.
const std::vector<Kind>& AllKinds();
std::string_view SeverityName(Severity severity);

/// A secondary range with a short text, drawn under the primary one.
struct Label {
  SourceRange range;
  std::string text;
};

/// A note: "note: did you mean `name`?". `range` may be invalid (no location).
struct Note {
  SourceRange range;
  std::string message;
};

/// A suggested edit: replace `range` with `replacement`.
struct FixIt {
  SourceRange range;
  std::string replacement;
};

struct Diagnostic {
  Kind kind;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<Label> labels;
  std::vector<Note> notes;
  std::vector<FixIt> fixits;
};

/// Receives diagnostics. Implementations: collecting, sorting, rendering.
class DiagnosticConsumer {
 public:
  virtual ~DiagnosticConsumer() = default;
  virtual void Handle(Diagnostic diagnostic) = 0;
  /// Called once all diagnostics of a command have been handed over.
  virtual void Flush() {}
};

/// Keeps every diagnostic, in emission order. Used by tests and by the driver
/// (which sorts them before rendering).
class CollectingConsumer : public DiagnosticConsumer {
 public:
  void Handle(Diagnostic diagnostic) override { diagnostics_.push_back(std::move(diagnostic)); }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  std::vector<Diagnostic>& mutable_diagnostics() { return diagnostics_; }
  int error_count() const;
  int warning_count() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Sorts diagnostics by file, then offset (stable), and drops exact duplicates.
void SortDiagnostics(std::vector<Diagnostic>& diagnostics);

/// Keeps one syntax error (E0001) per line, and drops what later phases said
/// about a line the parser could not read: a name/type/call/graph error or a
/// warning whose range starts on a line with a syntax error. ANTLR's recovery
/// makes `return t(x 2)` into `return t`, `x` and `2`; checking those only
/// buries the one real error under "not a value", "`return` must be last" and
/// "never used". The AST keeps the recovered statements (the language server
/// completes and hovers over them); only their diagnostics go. Expects
/// `diagnostics` sorted (SortDiagnostics).
void DropRecoveryNoise(std::vector<Diagnostic>& diagnostics, const SourceManager& sources);

}  // namespace flow::diag

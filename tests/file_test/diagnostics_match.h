// Reading diagnostics back from a command's stderr (text headers or JSON
// lines) and matching them against a test's inline expectations.
#pragma once

#include <string>
#include <vector>

#include "tests/file_test/test_file.h"

namespace flow::file_test {

struct SeenNote {
  std::string path;  // empty when the note has no location
  int line = 0;
  std::string message;
};

struct SeenDiagnostic {
  ExpectKind kind = ExpectKind::Error;  // Error or Warning
  std::string code;
  std::string path;  // empty when the diagnostic has no location
  int line = 0;
  std::string message;
  std::vector<SeenNote> notes;
};

/// Extracts every diagnostic from `stderr_text`: text headers
/// (`path:L:C: error[E0102]: msg`, `note: ...`) and JSON lines alike.
std::vector<SeenDiagnostic> ParseDiagnostics(const std::string& stderr_text);

/// Compares; returns one human-readable line per unmet expectation or
/// unexpected diagnostic (empty: all good). `require_all` makes every seen
/// error/warning need an expectation.
std::vector<std::string> MatchExpectations(const TestFile& file, const std::vector<SeenDiagnostic>& seen,
                                           bool require_all);

/// The part of `file` a diagnostic path names, or -1.
int PartIndexOf(const TestFile& file, const std::string& path);

/// Removes ANSI escape sequences.
std::string StripAnsi(const std::string& text);

}  // namespace flow::file_test

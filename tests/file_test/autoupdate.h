// FLOW_AUTOUPDATE=1: rewriting a test file's expectations from what flowc did.
// Stable: rewriting a file that already matches changes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/file_test/diagnostics_match.h"
#include "tests/file_test/test_file.h"

namespace flow::file_test {

struct UpdateRequest {
  /// Replace inline ERROR/WARNING expectations by one `# KIND@+N CODE message`
  /// line above each diagnostic in `diagnostics`.
  bool regenerate_inline = false;
  std::vector<SeenDiagnostic> diagnostics;
  /// When set, the CHECK:STDOUT / CHECK:STDERR block is regenerated from it
  /// (and placed at the end of the main part); when unset, dropped.
  std::optional<std::string> stdout_text;
  std::optional<std::string> stderr_text;
};

/// The new text of the whole test file.
std::string RewriteTestFile(const TestFile& file, const UpdateRequest& request);

}  // namespace flow::file_test

// Suite-wide checks that run with the file tests: every diagnostic code is
// tested and documented, every example checks clean, every ```flow block of
// docs/*.md parses.
#pragma once

namespace flow::file_test {

/// Registers the suite-wide tests (call before RUN_ALL_TESTS).
void RegisterSuiteChecks();

}  // namespace flow::file_test

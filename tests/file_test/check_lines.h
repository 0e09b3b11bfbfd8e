// `# CHECK:STDOUT:` / `# CHECK:STDERR:` blocks: matching output against them
// and generating them (autoupdate).
#pragma once

#include <string>
#include <vector>

#include "tests/file_test/test_file.h"

namespace flow::file_test {

/// Splits output into lines (a final newline does not start an empty line).
std::vector<std::string> OutputLines(const std::string& text);

/// True when `line` matches `pattern`: literal text with `{{regex}}` holes.
bool MatchCheckLine(const std::string& pattern, const std::string& line);

/// Compares `output` with the block; returns a readable diff, empty when equal.
std::string CompareBlock(const std::vector<CheckLine>& block, const std::string& output);

/// Compares two texts line by line, literally (side-car goldens); returns a
/// readable diff of the differing lines, empty when equal.
std::string CompareLiteral(const std::string& expected, const std::string& actual);

/// The directive text that pins `line` literally (a literal `{{` becomes a regex hole).
std::string EscapeForCheck(const std::string& line);

}  // namespace flow::file_test

// A golden test file (tests/{check,build,run,fmt,cli}/**/*.flow) parsed into
// its parts and directives. See tests/file_test/README.md for the format.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace flow::file_test {

/// One in-memory file of a test: the main part, or a `# --- path` split.
struct Part {
  std::string path;  // as written after `# --- `; the main part's is its file name
  std::vector<std::string> lines;  // without newlines
  int first_line = 1;              // 1-based line in the test file where this part starts
};

enum class ExpectKind { Error, Warning, Note };

/// An inline expectation: `# ERROR@+1 E0102 unknown name`.
struct Expectation {
  ExpectKind kind;
  size_t part = 0;       // index into TestFile::parts
  int line = 0;          // 1-based target line within the part
  std::string code;      // "E0102"; may be empty for notes
  std::string text;      // substring the message must contain
  int source_line = 0;   // line of the directive within the part
};

/// A `# CHECK:STDOUT:` / `# CHECK:STDERR:` line.
struct CheckLine {
  std::string pattern;  // text after the directive, with `[[@LINE+N]]` resolved
  int source_line = 0;  // line within the main part
};

struct TestFile {
  std::string name;             // file name, e.g. fail_unknown_name.flow
  std::vector<Part> parts;      // parts[0] is the main file
  std::optional<std::string> args;  // `# ARGS:` (raw, before `%s` substitution)
  std::optional<int> exit_code;     // `# EXIT:`
  std::vector<Expectation> expectations;
  std::vector<CheckLine> check_stdout;
  std::vector<CheckLine> check_stderr;
  std::vector<std::string> setup;   // `# SETUP:` shell commands (tests/run)
  bool has_stdout_block = false;
  bool has_stderr_block = false;
};

/// Parses `text` (the whole test file named `name`). Never fails: malformed
/// directives are reported in `*errors` (one message per problem).
TestFile ParseTestFile(const std::string& name, const std::string& text, std::vector<std::string>* errors);

/// The text of one part (lines joined with '\n', ending in '\n').
std::string PartText(const Part& part);

/// True when `line` (of a part) is only an inline expectation comment.
bool IsExpectationLine(const std::string& line);
/// `line` without a trailing `# ERROR ...` expectation (and trailing spaces).
std::string StripTrailingExpectation(const std::string& line);
/// True when `line` is a `# CHECK:STDOUT:` or `# CHECK:STDERR:` line.
bool IsCheckLine(const std::string& line);

}  // namespace flow::file_test

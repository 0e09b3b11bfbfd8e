// Running flowc for a test: in process (driver::Run with an in-memory file
// system over the test's parts) or as a real process in a directory (tests/run).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace flow::file_test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `flowc args...` in process. `files` maps relative paths to contents;
/// absolute paths (the stdlib, examples) are read from disk.
CommandResult RunInProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& files,
                           const std::string& stdin_text, const std::string& stdlib_dir);

/// Runs `program args...` as a process with `cwd` as its directory, killing it
/// after `timeout_seconds`.
CommandResult RunProcess(const std::string& program, const std::vector<std::string>& args, const std::string& cwd,
                         int timeout_seconds);

/// Runs `sh -c command` in `cwd`; returns its exit code.
int RunShell(const std::string& command, const std::string& cwd);

/// Splits on whitespace (no quoting), replacing `%s` with `file`.
std::vector<std::string> SplitArgs(const std::string& args, const std::string& file);

/// A fresh empty directory under $TMPDIR (or /tmp).
std::string MakeTempDir();

}  // namespace flow::file_test

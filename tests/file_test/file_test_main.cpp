// The golden file-test runner: one GoogleTest test per tests/<area>/**/*.flow
// (see README.md here for the format), plus the suite-wide checks of
// suite_checks.cpp. `FLOW_AUTOUPDATE=1` or `--autoupdate` rewrites expectations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/file_test/autoupdate.h"
#include "tests/file_test/check_lines.h"
#include "tests/file_test/diagnostics_match.h"
#include "tests/file_test/run_command.h"
#include "tests/file_test/suite_checks.h"
#include "tests/file_test/test_file.h"

namespace flow::file_test {
namespace {

namespace fs = std::filesystem;

bool g_autoupdate = false;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// The area a test lives in: check, build, run, fmt or cli.
std::string AreaOf(const std::string& relative) { return relative.substr(0, relative.find('/')); }

std::string DefaultArgs(const std::string& area) {
  if (area == "run") return "run %s";
  if (area == "fmt") return "fmt %s";
  return "check --ir %s";  // the corpus also exercises lowering to the IR
}

/// Why the exit code is wrong, or "". `fail_*.flow` ⇔ non-zero exit, except
/// in tests/run where an explicit `# EXIT:` may name any code (tests/run/README.md).
std::string ExitProblem(const TestFile& file, int exit_code, bool explicit_exit_wins) {
  bool fail_name = file.name.rfind("fail_", 0) == 0;
  if (explicit_exit_wins && file.exit_code && exit_code == *file.exit_code) return "";
  if (file.exit_code) {
    if (exit_code != *file.exit_code)
      return "exit code " + std::to_string(exit_code) + ", expected " + std::to_string(*file.exit_code);
  } else if (fail_name && exit_code == 0) {
    return "exit code 0, but a `fail_` test must exit non-zero";
  }
  if (!fail_name && exit_code != 0 && !file.exit_code)
    return "exit code " + std::to_string(exit_code) + ", but only `fail_` tests may exit non-zero";
  if (!fail_name && file.exit_code && *file.exit_code != 0)
    return "`# EXIT: " + std::to_string(*file.exit_code) + "` needs a `fail_` file name";
  return "";
}

class FileTest : public testing::Test {
 public:
  FileTest(fs::path path, std::string relative) : path_(std::move(path)), relative_(std::move(relative)) {}
  void TestBody() override;

 private:
  /// Runs `flowc args` for `file` (in process, or as a process for tests/run).
  CommandResult Execute(const TestFile& file, const std::string& args);
  fs::path path_;
  std::string relative_;
};

CommandResult FileTest::Execute(const TestFile& file, const std::string& args) {
  std::string area = AreaOf(relative_);
  if (area == "run") {
    std::string dir = MakeTempDir();
    std::string main_path = path_.string();
    if (file.parts.size() > 1) {  // split files are written next to a copy of the main part
      for (const Part& part : file.parts) {
        fs::path p = fs::path(dir) / part.path;
        fs::create_directories(p.parent_path());
        WriteFile(p, PartText(part));
      }
      main_path = (fs::path(dir) / file.parts[0].path).string();
    }
    for (const std::string& setup : file.setup) {
      int code = RunShell(setup, dir);
      if (code != 0) ADD_FAILURE() << "`# SETUP: " << setup << "` exited " << code;
    }
    CommandResult r = RunProcess(FLOWC_PATH, SplitArgs(args, main_path), dir, 300);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return r;
  }
  std::map<std::string, std::string> files;
  for (const Part& part : file.parts) files[part.path] = PartText(part);
  return RunInProcess(SplitArgs(args, file.parts[0].path), files, "", FLOW_SOURCE_DIR "/stdlib");
}

void FileTest::TestBody() {
  std::vector<std::string> parse_errors;
  TestFile file = ParseTestFile(path_.filename().string(), ReadFile(path_), &parse_errors);
  for (const std::string& e : parse_errors) ADD_FAILURE() << e;
  std::string area = AreaOf(relative_);
  std::string args = file.args.value_or(DefaultArgs(area));
  CommandResult result = Execute(file, args);
  std::string context = "while running `flowc " + args + "` on " + relative_ + "\n--- stdout:\n" +
                        result.out.substr(0, 8000) + "--- stderr:\n" + result.err.substr(0, 8000);

  std::vector<SeenDiagnostic> seen = ParseDiagnostics(result.err);
  bool compare_stderr = area != "run";
  bool require_all = compare_stderr && !file.has_stderr_block;

  // Build side-cars: NAME.argo.yaml / NAME.tekton.yaml pin `build --target T -o -`.
  std::vector<std::pair<std::string, fs::path>> sidecars;
  if (area == "build") {
    for (const char* target : {"argo", "tekton"}) {
      fs::path sidecar = path_.parent_path() / (path_.stem().string() + "." + target + ".yaml");
      bool create = g_autoupdate && result.exit_code == 0 && !file.args &&
                    !fs::exists(path_.parent_path() / (path_.stem().string() + ".argo.yaml")) &&
                    !fs::exists(path_.parent_path() / (path_.stem().string() + ".tekton.yaml"));
      if (fs::exists(sidecar) || create) sidecars.push_back({target, sidecar});
    }
  }

  if (g_autoupdate && area != "run") {
    UpdateRequest request;
    request.regenerate_inline = !file.has_stderr_block;
    request.diagnostics = seen;
    if (file.has_stdout_block || !result.out.empty()) request.stdout_text = result.out;
    if (file.has_stderr_block) request.stderr_text = result.err;
    std::string updated = RewriteTestFile(file, request);
    if (updated != ReadFile(path_)) WriteFile(path_, updated);
    for (const auto& [target, sidecar] : sidecars) {
      std::string build_args = "build %s --target " + std::string(target) + " -o -";
      CommandResult built = Execute(file, build_args);
      if (built.exit_code == 0 && ReadFile(sidecar) != built.out) WriteFile(sidecar, built.out);
    }
    std::string exit = ExitProblem(file, result.exit_code, area == "run");
    if (!exit.empty()) ADD_FAILURE() << exit << " (autoupdate does not rename files)\n" << context;
    return;
  }

  std::string exit = ExitProblem(file, result.exit_code, area == "run");
  if (!exit.empty()) ADD_FAILURE() << exit << "\n" << context;
  if (file.has_stdout_block) {
    std::string diff = CompareBlock(file.check_stdout, result.out);
    if (!diff.empty()) ADD_FAILURE() << "stdout differs from CHECK:STDOUT:\n" << diff << context;
  }
  if (compare_stderr && file.has_stderr_block) {
    std::string diff = CompareBlock(file.check_stderr, result.err);
    if (!diff.empty()) ADD_FAILURE() << "stderr differs from CHECK:STDERR:\n" << diff << context;
  }
  if (compare_stderr) {
    std::vector<std::string> problems = MatchExpectations(file, seen, require_all);
    if (!problems.empty()) {
      std::string all;
      for (const std::string& p : problems) all += "  " + p + "\n";
      ADD_FAILURE() << "diagnostics differ from the inline expectations:\n" << all << context;
    }
  }
  for (const auto& [target, sidecar] : sidecars) {
    std::string build_args = "build %s --target " + std::string(target) + " -o -";
    CommandResult built = Execute(file, build_args);
    if (built.exit_code != 0) {
      ADD_FAILURE() << "`flowc " << build_args << "` exited " << built.exit_code << ":\n" << built.err;
      continue;
    }
    std::string diff = CompareLiteral(ReadFile(sidecar), built.out);
    if (!diff.empty())
      ADD_FAILURE() << sidecar.filename().string() << " differs from `flowc " << build_args << "`:\n" << diff;
  }
}

/// Registers one test per .flow file under tests/<area>/, in path order.
void RegisterFileTests() {
  fs::path root = fs::path(FLOW_SOURCE_DIR) / "tests";
  std::vector<fs::path> found;
  for (const char* area : {"check", "build", "run", "fmt", "cli"}) {
    std::error_code ec;
    if (!fs::exists(root / area, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root / area, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->is_regular_file() && it->path().extension() == ".flow") found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  for (const fs::path& path : found) {
    std::string relative = fs::relative(path, root).string();
    std::string suite = fs::path(relative).parent_path().string();
    std::string name = path.stem().string();
    testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, path.string().c_str(), 1,
                          [path, relative]() -> testing::Test* { return new FileTest(path, relative); });
  }
}

}  // namespace
}  // namespace flow::file_test

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const char* env = std::getenv("FLOW_AUTOUPDATE");
  flow::file_test::g_autoupdate = env != nullptr && *env != '\0' && std::strcmp(env, "0") != 0;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--autoupdate") == 0) flow::file_test::g_autoupdate = true;
  flow::file_test::RegisterFileTests();
  flow::file_test::RegisterSuiteChecks();
  return RUN_ALL_TESTS();
}

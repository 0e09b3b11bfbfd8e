#include "tests/file_test/run_command.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "compiler/base/file_system.h"
#include "compiler/driver/commands.h"

namespace flow::file_test {
namespace {

// The in-process current directory. Paths under it map to the test's
// relative in-memory files, whichever way a command spells them.
constexpr const char* kVirtualCwd = "/flow-test";

/// The test's parts in memory; absolute paths elsewhere fall through to disk
/// (the stdlib, examples).
class TestFileSystem : public FileSystem {
 public:
  explicit TestFileSystem(const std::map<std::string, std::string>& files) {
    for (const auto& [path, text] : files) memory_.Add(NormalizePath(path), text);
  }
  std::optional<std::string> Read(const std::string& path, std::string* error) const override {
    std::string p = Relative(path);
    if (!p.empty() && p[0] == '/') return disk_.Read(p, error);
    return memory_.Read(p, error);
  }
  bool Exists(const std::string& path) const override {
    std::string p = Relative(path);
    if (!p.empty() && p[0] == '/') return disk_.Exists(p);
    return memory_.Exists(p);
  }

 private:
  static std::string Relative(const std::string& path) {
    std::string p = NormalizePath(path);
    std::string prefix = std::string(kVirtualCwd) + "/";
    if (p.rfind(prefix, 0) == 0) return p.substr(prefix.size());
    return p;
  }
  MemoryFileSystem memory_;
  RealFileSystem disk_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

CommandResult RunInProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& files,
                           const std::string& stdin_text, const std::string& stdlib_dir) {
  TestFileSystem fs(files);
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  driver::Context ctx;
  ctx.fs = &fs;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  ctx.err_is_tty = false;
  ctx.stdlib_dir = stdlib_dir;
  ctx.cwd = kVirtualCwd;
  CommandResult result;
  result.exit_code = driver::Run(args, ctx);
  result.out = out.str();
  result.err = err.str();
  return result;
}

CommandResult RunProcess(const std::string& program, const std::vector<std::string>& args, const std::string& cwd,
                         int timeout_seconds) {
  CommandResult result;
  std::string out_path = cwd + "/.file_test_stdout", err_path = cwd + "/.file_test_stderr";
  pid_t pid = fork();
  if (pid < 0) {
    result.err = "fork failed";
    return result;
  }
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null_fd = open("/dev/null", O_RDONLY);
    if (out_fd < 0 || err_fd < 0 || null_fd < 0) _exit(127);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    setpgid(0, 0);  // its own group, so a timeout kills its tasks too
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.err = "timed out after " + std::to_string(timeout_seconds) + "s\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  result.out = ReadAll(out_path);
  result.err += ReadAll(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return result;
}

int RunShell(const std::string& command, const std::string& cwd) {
  CommandResult r = RunProcess("/bin/sh", {"-c", command}, cwd, 60);
  return r.exit_code;
}

std::vector<std::string> SplitArgs(const std::string& args, const std::string& file) {
  std::vector<std::string> result;
  std::istringstream in(args);
  std::string word;
  while (in >> word) {
    size_t pos;
    while ((pos = word.find("%s")) != std::string::npos) word.replace(pos, 2, file);
    result.push_back(word);
  }
  return result;
}

std::string MakeTempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/flow-file-test-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) return "";
  return std::string(buf.data());
}

}  // namespace flow::file_test

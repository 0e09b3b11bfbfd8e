// `flowc fmt` as users run it, against the real binary in a temporary
// directory: stdout for one file, `-` (stdin → stdout), --check (lists files
// that would change, exit 1), --write (in place, only when changed), and files
// with syntax errors (diagnostics as `flowc check` prints them, left untouched).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out, err;
};

const char kMessy[] = "task greet(name:String)->File{\nimage=\"alpine:3.20\"  # the image\nscript=\"echo {{name}} > {{out}}\"\n}\n";
const char kClean[] =
    "task greet(name: String) -> File {\n  image  = \"alpine:3.20\"  # the image\n"
    "  script = \"echo {{name}} > {{out}}\"\n}\n";
const char kBroken[] = "task t( {\n  image = \n}\n";

class FmtCliTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "flow-fmt-test-XXXXXX").string();
    dir_ = mkdtemp(templ.data());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  Result Run(const std::string& args, const std::string& stdin_file = "/dev/null") {
    std::string command = "cd '" + dir_.string() + "' && NO_COLOR=1 '" FLOWC_PATH "' " + args + " <" + stdin_file +
                          " >.out 2>.err";
    int status = std::system(command.c_str());
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = Read(".out");
    r.err = Read(".err");
    return r;
  }
  fs::path dir_;
};

TEST_F(FmtCliTest, PrintsOneFileToStdout) {
  Write("a.flow", kMessy);
  Result r = Run("fmt a.flow");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kClean);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(Read("a.flow"), kMessy) << "without --write the file is left alone";
}

TEST_F(FmtCliTest, SeveralFilesPrintOneAfterAnother) {
  Write("a.flow", kMessy);
  Write("b.flow", "const  X=1\n");
  Result r = Run("fmt a.flow b.flow");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kClean) + "const X = 1\n");
  EXPECT_EQ(Read("a.flow"), kMessy);
}

TEST_F(FmtCliTest, StdinToStdout) {
  Write("in.txt", kMessy);
  Result r = Run("fmt -", "in.txt");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kClean);
}

TEST_F(FmtCliTest, CheckListsFilesThatWouldChange) {
  Write("messy.flow", kMessy);
  Write("clean.flow", kClean);
  Result r = Run("fmt --check clean.flow messy.flow");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "messy.flow\n");
  EXPECT_EQ(Read("messy.flow"), kMessy) << "--check never writes";
  Result ok = Run("fmt --check clean.flow");
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.out, "");
}

TEST_F(FmtCliTest, CheckOnStdin) {
  Write("in.txt", kMessy);
  Result r = Run("fmt --check -", "in.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "<stdin>\n");
}

TEST_F(FmtCliTest, WriteRewritesOnlyChangedFilesKeepingPermissions) {
  Write("messy.flow", kMessy);
  Write("clean.flow", kClean);
  ::chmod((dir_ / "messy.flow").c_str(), 0600);
  auto clean_time = fs::last_write_time(dir_ / "clean.flow");
  Result r = Run("fmt -w messy.flow clean.flow");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Read("messy.flow"), kClean);
  EXPECT_EQ(Read("clean.flow"), kClean);
  EXPECT_EQ(fs::last_write_time(dir_ / "clean.flow"), clean_time) << "an unchanged file is not rewritten";
  EXPECT_EQ(fs::status(dir_ / "messy.flow").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".fmt-"), std::string::npos) << "temporary file left behind";
  EXPECT_EQ(Run("fmt --write messy.flow").exit_code, 0);
  EXPECT_EQ(Run("fmt --check messy.flow").exit_code, 0);
}

TEST_F(FmtCliTest, SyntaxErrorsAreReportedAndTheFileIsUntouched) {
  Write("bad.flow", kBroken);
  Write("good.flow", kMessy);
  Result r = Run("fmt -w bad.flow good.flow");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.flow:1:9: error[E0001]"), std::string::npos) << r.err;
  EXPECT_EQ(Read("bad.flow"), kBroken);
  EXPECT_EQ(Read("good.flow"), kClean) << "the other files are still formatted";
  Result one = Run("fmt bad.flow");
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(one.out, "");
}

TEST_F(FmtCliTest, SyntaxErrorsAsJson) {
  Write("bad.flow", kBroken);
  Result r = Run("fmt --format json bad.flow");
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err[0], '{') << r.err;
  EXPECT_NE(r.err.find("\"E0001\""), std::string::npos) << r.err;
}

TEST_F(FmtCliTest, MissingFile) {
  Result r = Run("fmt nope.flow");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("E0012"), std::string::npos) << r.err;
}

TEST_F(FmtCliTest, UsageErrors) {
  Write("a.flow", kClean);
  Write("b.flow", kClean);
  EXPECT_EQ(Run("fmt --check --write a.flow").exit_code, 2);
  EXPECT_EQ(Run("fmt").exit_code, 2);
  Result help = Run("fmt --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--check"), std::string::npos);
}

TEST_F(FmtCliTest, WriteThenCheckOverTheExamples) {
  // A copy of every example: after --write, --check finds nothing to change.
  std::string files;
  for (const auto& entry : fs::directory_iterator(fs::path(FLOW_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".flow") continue;
    fs::copy_file(entry.path(), dir_ / entry.path().filename());
    files += " " + entry.path().filename().string();
  }
  ASSERT_FALSE(files.empty());
  Result write = Run("fmt -w" + files);
  EXPECT_EQ(write.exit_code, 0) << write.err;
  Result check = Run("fmt --check" + files);
  EXPECT_EQ(check.exit_code, 0) << "still not canonical:\n" << check.out << check.err;
  EXPECT_EQ(check.out, "");
}

}  // namespace

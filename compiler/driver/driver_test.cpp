// driver::Run in process: the command registry, usage errors, exit codes and
// diagnostics on an in-memory file system.
#include <gtest/gtest.h>

#include <sstream>

#include "compiler/base/file_system.h"
#include "compiler/driver/commands.h"

namespace flow::driver {
namespace {

struct Outcome {
  int code;
  std::string out, err;
};

Outcome RunWith(const std::vector<std::string>& args, const MemoryFileSystem& fs, const std::string& in = "") {
  std::istringstream stdin_stream(in);
  std::ostringstream out, err;
  Context ctx;
  ctx.fs = &fs;
  ctx.in = &stdin_stream;
  ctx.out = &out;
  ctx.err = &err;
  ctx.cwd = "/";
  ctx.stdlib_dir = "/nonexistent";
  int code = Run(args, ctx);
  return {code, out.str(), err.str()};
}

TEST(DriverTest, RegistryIsOrderedAndHasCheck) {
  std::vector<RegisteredCommand> commands = RegisteredCommands();
  ASSERT_FALSE(commands.empty());
  for (size_t i = 1; i < commands.size(); ++i) EXPECT_LE(commands[i - 1].order, commands[i].order);
}

TEST(DriverTest, UsageErrorsExit2) {
  MemoryFileSystem fs;
  Outcome none = RunWith({}, fs);
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no command given"), std::string::npos);
  EXPECT_EQ(RunWith({"nope"}, fs).code, 2);
  EXPECT_EQ(RunWith({"check"}, fs).code, 2);
  EXPECT_EQ(RunWith({"check", "a.flow", "--format", "xml"}, fs).code, 2);
}

TEST(DriverTest, HelpAndVersionExit0) {
  MemoryFileSystem fs;
  Outcome help = RunWith({"--help"}, fs);
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("check"), std::string::npos);
  Outcome version = RunWith({"--version"}, fs);
  EXPECT_EQ(version.code, 0);
  EXPECT_NE(version.out.find("flowc 0."), std::string::npos);
  EXPECT_EQ(RunWith({"check", "--help"}, fs).code, 0);
}

TEST(DriverTest, CheckExitCodesAndFormats) {
  MemoryFileSystem fs;
  fs.Add("ok.flow", "workflow main() {\n}\n");
  fs.Add("bad.flow", "workflow main() -> Int {\n  return nmae\n}\n");
  Outcome ok = RunWith({"check", "ok.flow"}, fs);
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.err, "");
  Outcome bad = RunWith({"check", "bad.flow"}, fs);
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err.rfind("bad.flow:2:10: error[E0102]: unknown name `nmae`\n", 0), 0u) << bad.err;
  EXPECT_NE(bad.err.find("1 error emitted\n"), std::string::npos) << bad.err;
  Outcome json = RunWith({"check", "bad.flow", "--format", "json"}, fs);
  EXPECT_EQ(json.code, 1);
  EXPECT_EQ(json.err.rfind("{\"file\":\"bad.flow\",\"line\":2,\"column\":10,", 0), 0u) << json.err;
  EXPECT_EQ(json.err.find("emitted"), std::string::npos);  // no summary in JSON mode
  Outcome missing = RunWith({"check", "missing.flow"}, fs);
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("E0012"), std::string::npos) << missing.err;
}

TEST(DriverTest, StdinAndColor) {
  MemoryFileSystem fs;
  Outcome in = RunWith({"check", "-", "--color", "always"}, fs, "workflow main() -> Int {\n  return nmae\n}\n");
  EXPECT_EQ(in.code, 1);
  EXPECT_NE(in.err.find("<stdin>:2:10"), std::string::npos) << in.err;
  EXPECT_NE(in.err.find("\x1b[1;31merror[E0102]"), std::string::npos) << in.err;
}

}  // namespace
}  // namespace flow::driver

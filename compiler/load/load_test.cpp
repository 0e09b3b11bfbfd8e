#include "compiler/load/load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace flow::load {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Result {
  bool ok = false;
  LoadedProgram program;
  std::vector<std::string> diags;  // "CODE message | note | note"
};

Result Load(const MemoryFileSystem& fs, const std::string& entry) {
  Result result;
  SourceManager sources;
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  LoadOptions options;
  options.stdlib_dir = "/lib/flow";
  result.ok = LoadProgram(fs, entry, options, sources, emitter, &result.program);
  for (const diag::Diagnostic& d : consumer.diagnostics()) {
    std::string line = std::string(diag::Info(d.kind).code) + " " + d.message;
    for (const diag::Note& note : d.notes) line += " | " + note.message;
    result.diags.push_back(line);
  }
  return result;
}

std::vector<std::string> Paths(const LoadedProgram& program) {
  std::vector<std::string> paths;
  for (const LoadedModule& m : program.modules) paths.push_back(m.path + "=" + m.name);
  return paths;
}

TEST(LoadTest, RelativeAndStdImports) {
  MemoryFileSystem fs;
  fs.Add("app/main.flow", "import \"./lib/train.flow\"\nimport \"std/shell\" as sh\n");
  fs.Add("app/lib/train.flow", "import \"../util.flow\"\nconst A = 1\n");
  fs.Add("app/util.flow", "const U = 1\n");
  fs.Add("/lib/flow/std/shell.flow", "const S = 1\n");
  Result r = Load(fs, "app/main.flow");
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.diags.empty());
  EXPECT_THAT(Paths(r.program), ElementsAre("app/main.flow=", "app/lib/train.flow=train", "app/util.flow=util",
                                            "/lib/flow/std/shell.flow=sh"));
  EXPECT_THAT(r.program.modules[0].imports, ElementsAre(1, 3));
  EXPECT_THAT(r.program.modules[1].imports, ElementsAre(2));
}

TEST(LoadTest, DiamondLoadsOnce) {
  MemoryFileSystem fs;
  fs.Add("main.flow", "import \"./a.flow\"\nimport \"./b.flow\"\n");
  fs.Add("a.flow", "import \"./c.flow\"\n");
  fs.Add("b.flow", "import \"./c.flow\"\n");
  fs.Add("c.flow", "const C = 1\n");
  Result r = Load(fs, "main.flow");
  EXPECT_TRUE(r.diags.empty());
  ASSERT_EQ(r.program.modules.size(), 4u);
  EXPECT_EQ(r.program.modules[1].imports[0], 2);
  EXPECT_EQ(r.program.modules[3].imports.size(), 1u);
  EXPECT_EQ(r.program.modules[3].imports[0], 2);
}

TEST(LoadTest, ImportCycle) {
  MemoryFileSystem fs;
  fs.Add("main.flow", "import \"./a.flow\"\n");
  fs.Add("a.flow", "import \"./b.flow\"\n");
  fs.Add("b.flow", "import \"./a.flow\"\n");
  Result r = Load(fs, "main.flow");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_THAT(r.diags[0], HasSubstr("E0106 import cycle: a.flow → b.flow → a.flow"));
  EXPECT_EQ(r.program.modules.size(), 3u);
  EXPECT_EQ(r.program.modules[2].imports[0], -1);
}

TEST(LoadTest, SelfImportIsACycle) {
  MemoryFileSystem fs;
  fs.Add("main.flow", "import \"./main.flow\" as me\n");
  Result r = Load(fs, "main.flow");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_THAT(r.diags[0], HasSubstr("E0106 import cycle: main.flow → main.flow"));
}

TEST(LoadTest, MissingModuleSuggestsSibling) {
  MemoryFileSystem fs;
  fs.Add("main.flow", "import \"./trian.flow\"\n");
  fs.Add("train.flow", "const A = 1\n");
  Result r = Load(fs, "main.flow");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_THAT(r.diags[0], HasSubstr("E0101 cannot find module `./trian.flow`"));
  EXPECT_THAT(r.diags[0], HasSubstr("did you mean `./train.flow`?"));
  EXPECT_THAT(r.program.modules[0].imports, ElementsAre(-1));
}

TEST(LoadTest, MissingStdModuleSuggestsStdModule) {
  MemoryFileSystem fs;
  fs.Add("main.flow", "import \"std/shel\"\n");
  fs.Add("/lib/flow/std/shell.flow", "const S = 1\n");
  fs.Add("/lib/flow/std/files.flow", "const F = 1\n");
  Result r = Load(fs, "main.flow");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_THAT(r.diags[0], HasSubstr("E0101 cannot find module `std/shel`"));
  EXPECT_THAT(r.diags[0], HasSubstr("did you mean `std/shell`?"));
}

TEST(LoadTest, DuplicateImportName) {
  MemoryFileSystem fs;
  fs.Add("main.flow", "import \"./a/util.flow\"\nimport \"./b/util.flow\"\n");
  fs.Add("a/util.flow", "");
  fs.Add("b/util.flow", "");
  Result r = Load(fs, "main.flow");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_THAT(r.diags[0], HasSubstr("E0113 module name `util` is imported more than once"));
  EXPECT_THAT(r.program.modules[0].imports, ElementsAre(1, -1));
}

TEST(LoadTest, UnreadableEntry) {
  MemoryFileSystem fs;
  Result r = Load(fs, "nope.flow");
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.diags, ElementsAre("E0012 cannot read `nope.flow`: no such file"));
}

TEST(LoadTest, ParseErrorsInImportedModulesAreReported) {
  MemoryFileSystem fs;
  fs.Add("main.flow", "import \"./a.flow\"\n");
  fs.Add("a.flow", "const = 1\n");
  Result r = Load(fs, "main.flow");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_THAT(r.diags[0], HasSubstr("E0001"));
  EXPECT_EQ(r.program.modules.size(), 2u);
}

TEST(LoadTest, FromText) {
  MemoryFileSystem fs;
  fs.Add("lib.flow", "const L = 1\n");
  SourceManager sources;
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  LoadedProgram program;
  ASSERT_TRUE(LoadProgramFromText(fs, "./main.flow", "import \"./lib.flow\"\n", LoadOptions{}, sources, emitter,
                                  &program));
  EXPECT_TRUE(consumer.diagnostics().empty());
  EXPECT_EQ(program.modules.size(), 2u);
  EXPECT_EQ(program.modules[0].path, "main.flow");
}

TEST(LoadTest, DefaultStdlibDirHonoursEnvironment) {
  setenv("FLOW_STDLIB", "/custom/stdlib", 1);
  EXPECT_EQ(DefaultStdlibDir(), "/custom/stdlib");
  unsetenv("FLOW_STDLIB");
  EXPECT_FALSE(DefaultStdlibDir().empty());
}

}  // namespace
}  // namespace flow::load

// Every feature at many positions of every .flow file in the repository
// (examples and the checker's test corpus, including files that are wrong on
// purpose): nothing may crash, and every result must serialize.
#include <dirent.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/features.h"

namespace flow::lsp {
namespace {

void Collect(const std::string& dir, std::vector<std::string>* out) {
  DIR* handle = opendir(dir.c_str());
  if (!handle) return;
  while (const dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".flow") == 0) {
      out->push_back(path);
    } else if (entry->d_type == DT_DIR) {
      Collect(path, out);
    }
  }
  closedir(handle);
}

TEST(CorpusTest, EveryFeatureAtManyPositionsOfEveryFile) {
  std::vector<std::string> files;
  Collect(std::string(FLOW_SOURCE_DIR) + "/examples", &files);
  Collect(std::string(FLOW_SOURCE_DIR) + "/tests/check", &files);
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 10u);
  RealFileSystem disk;
  std::string stdlib = std::string(FLOW_SOURCE_DIR) + "/stdlib";
  size_t calls = 0;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::unique_ptr<Analysis> a = Analyze(disk, path, text.str(), stdlib);
    if (a->loaded.modules.empty()) continue;
    std::string body = text.str();
    // About 20 positions per file, starting at the first byte.
    uint32_t step = std::max<uint32_t>(1, static_cast<uint32_t>(body.size() / 20));
    for (uint32_t offset = 0; offset <= body.size(); offset += step) {
      Cursor cursor{*a, 0, offset};
      Error error{ErrorCode::InternalError, ""};
      std::string all = Dump(Hover(cursor)) + Dump(Definition(cursor)) + Dump(References(cursor, true)) +
                        Dump(SignatureHelp(cursor)) + Dump(Completion(cursor, nullptr)) +
                        Dump(PrepareRename(cursor, stdlib, &error).value_or(json())) +
                        Dump(Rename(cursor, "renamed", stdlib, &error).value_or(json()));
      EXPECT_FALSE(all.empty());
      ++calls;
    }
    Dump(Formatting(*a, 0));
    for (size_t m = 0; m < a->loaded.modules.size(); ++m) {
      Dump(DocumentSymbols(*a, static_cast<int>(m)));
      Dump(DiagnosticsFor(*a, a->loaded.modules[m].module.file));
    }
  }
  EXPECT_GT(calls, files.size());
}

}  // namespace
}  // namespace flow::lsp

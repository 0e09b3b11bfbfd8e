// The formatter's properties over every .flow file of the repository
// (examples/, stdlib/, tests/{check,run,build,cli,fmt}/, editors/), one test
// per file. For each file that parses without syntax errors:
//   1. fmt(fmt(x)) == fmt(x);
//   2. the syntax tree (ast::DumpAst, positions left out) is unchanged, and when
//      the file checks, so is its IR (`flowc ir` JSON without source locations);
//   3. the comments, as a multiset of texts, are unchanged.
// The same checks (but the IR) run on three scrambled copies of each file: a
// comment after every token, one token per line, everything on one line.
// Files with syntax errors are skipped (they are never formatted). Split test
// files (`# --- lib/x.flow`) are formatted whole: the markers are comments.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "compiler/ast/ast_dump.h"
#include "compiler/base/file_system.h"
#include "compiler/check/checked_program.h"
#include "compiler/diag/emitter.h"
#include "compiler/fmt/format.h"
#include "compiler/ir/build_ir.h"
#include "compiler/ir/ir_json.h"
#include "compiler/load/load.h"
#include "compiler/parse/parse.h"

namespace flow::format {
namespace {

namespace fs = std::filesystem;

struct Counts {
  int files = 0;
  int formatted = 0;
  int ir_compared = 0;
  int skipped = 0;
  int unchanged = 0;
};
Counts g_counts;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<std::string> Format(const std::string& path, const std::string& text) {
  SourceManager sources;
  FileId file = sources.Add(path, text);
  diag::CollectingConsumer collected;
  diag::DiagnosticEmitter diags(collected);
  return FormatFile(sources, file, diags);
}

std::string AstDump(const std::string& text) {
  SourceManager sources;
  FileId file = sources.Add("x.flow", text);
  diag::CollectingConsumer collected;
  diag::DiagnosticEmitter diags(collected);
  ast::Module module = parse::ParseModule(sources, file, diags);
  return ast::DumpAst(module, sources);
}

std::vector<std::string> Comments(const std::string& text) {
  SourceManager sources;
  FileId file = sources.Add("x.flow", text);
  std::vector<std::string> comments;
  for (const parse::Token& token : parse::Tokenize(sources, file)) {
    if (token.kind != parse::TokenKind::Comment && token.kind != parse::TokenKind::DocComment) continue;
    std::string body(sources.Text(token.range));
    while (!body.empty() && (body.back() == ' ' || body.back() == '\t' || body.back() == '\r')) body.pop_back();
    comments.push_back(body);
  }
  std::sort(comments.begin(), comments.end());
  return comments;
}

/// Removes what depends on where things stand in the text: `loc` fields and
/// the line (and column) suffixes of generated step names (`for-check-l24`).
void StripLocations(nlohmann::json& j) {
  if (j.is_object()) {
    j.erase("loc");
    for (auto& item : j.items()) StripLocations(item.value());
  } else if (j.is_array()) {
    for (auto& value : j) StripLocations(value);
  } else if (j.is_string()) {
    static const std::regex line_col("-l[0-9]+(c[0-9]+)?\\b");
    j = std::regex_replace(j.get<std::string>(), line_col, "-l_");
  }
}

/// The IR of `text` standing at `path`, as normalized JSON; nullopt when it
/// does not check (imports resolve on disk, relative to `path`).
std::optional<nlohmann::json> IrJson(const std::string& path, const std::string& text) {
  RealFileSystem disk;
  SourceManager sources;
  diag::CollectingConsumer collected;
  diag::DiagnosticEmitter diags(collected);
  load::LoadOptions options;
  options.stdlib_dir = std::string(FLOW_SOURCE_DIR) + "/stdlib";
  load::LoadedProgram loaded;
  if (!load::LoadProgramFromText(disk, path, text, options, sources, diags, &loaded) || diags.has_errors() ||
      loaded.modules.empty())
    return std::nullopt;
  check::CheckedProgram checked = check::Check(loaded, check::CheckOptions{}, sources, diags);
  if (diags.has_errors()) return std::nullopt;
  ir::Program program = ir::BuildIR(std::move(checked), sources);
  nlohmann::json j = nlohmann::json::parse(ir::ProgramToJson(program), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  StripLocations(j);
  return j;
}

/// How Scramble rearranges a file.
enum class Scrambling {
  CommentEverywhere,  // a `# cN` comment after every code token
  TokenPerLine,       // every space between two tokens becomes a line break
  OneLine,            // every space between two tokens becomes one space
};

/// The file with its layout scrambled while its tokens stay the same. Text
/// inside strings is left alone; a comment still ends its line.
std::string Scramble(const std::string& text, Scrambling how) {
  bool comments = how == Scrambling::CommentEverywhere;
  SourceManager sources;
  FileId file = sources.Add("x.flow", text);
  std::vector<parse::Token> tokens = parse::Tokenize(sources, file);
  std::string out;
  int depth = 0;  // inside a string or an interpolation: spaces are content there
  uint32_t copied = 0;
  int counter = 0;
  bool after_comment = false;
  for (const parse::Token& token : tokens) {
    if (token.kind == parse::TokenKind::EndOfFile) break;
    if (depth == 0 && token.range.begin > copied) {
      if (comments)
        out += text.substr(copied, token.range.begin - copied);
      else
        out += how == Scrambling::OneLine && !after_comment ? " " : "\n";
      copied = token.range.begin;
    }
    out += text.substr(copied, token.range.end - copied);
    copied = token.range.end;
    parse::TokenKind kind = token.kind;
    if (kind == parse::TokenKind::StringOpen || kind == parse::TokenKind::TripleOpen ||
        kind == parse::TokenKind::InterpOpen)
      ++depth;
    if (kind == parse::TokenKind::StringClose || kind == parse::TokenKind::TripleClose ||
        kind == parse::TokenKind::StringUnterminated || kind == parse::TokenKind::InterpClose)
      --depth;
    bool is_comment = token.kind == parse::TokenKind::Comment || token.kind == parse::TokenKind::DocComment;
    after_comment = is_comment;
    if (comments && depth == 0 && !is_comment) out += "  # c" + std::to_string(++counter) + "\n";
  }
  out += text.substr(copied);
  return out;
}

/// Formatting `text` succeeds, is idempotent and keeps the syntax tree and the
/// comments (failures are recorded, not returned).
void ExpectFormatsSafely(const std::string& what, const std::string& text) {
  std::optional<std::string> once = Format("x.flow", text);
  ASSERT_TRUE(once.has_value()) << what << ": does not parse:\n" << text;
  std::optional<std::string> twice = Format("x.flow", *once);
  ASSERT_TRUE(twice.has_value()) << what << ": the formatted text does not parse:\n" << *once;
  EXPECT_EQ(*twice, *once) << what << ": not idempotent; input:\n" << text;
  EXPECT_EQ(AstDump(*once), AstDump(text)) << what << ": the syntax tree changed; formatted:\n" << *once;
  EXPECT_EQ(Comments(*once), Comments(text)) << what << ": comments changed; formatted:\n" << *once;
}

class CorpusFile : public testing::Test {
 public:
  explicit CorpusFile(fs::path path) : path_(std::move(path)) {}
  void TestBody() override {
    ++g_counts.files;
    std::string text = ReadFile(path_);
    std::optional<std::string> once = Format(path_.string(), text);
    if (!once) {
      ++g_counts.skipped;
      GTEST_SKIP() << "syntax errors: never formatted";
    }
    ++g_counts.formatted;
    if (*once == text) ++g_counts.unchanged;
    std::optional<std::string> twice = Format(path_.string(), *once);
    ASSERT_TRUE(twice.has_value()) << "the formatted text does not parse:\n" << *once;
    EXPECT_EQ(*twice, *once) << "not idempotent";
    EXPECT_EQ(AstDump(*once), AstDump(text)) << "the syntax tree changed; formatted text:\n" << *once;
    EXPECT_EQ(Comments(*once), Comments(text)) << "comments changed";
    ExpectFormatsSafely("with a comment after every token", Scramble(text, Scrambling::CommentEverywhere));
    ExpectFormatsSafely("with one token per line", Scramble(text, Scrambling::TokenPerLine));
    ExpectFormatsSafely("on as few lines as comments allow", Scramble(text, Scrambling::OneLine));
    std::optional<nlohmann::json> before = IrJson(path_.string(), text);
    if (!before) return;
    ++g_counts.ir_compared;
    std::optional<nlohmann::json> after = IrJson(path_.string(), *once);
    ASSERT_TRUE(after.has_value()) << "the formatted file no longer checks";
    EXPECT_EQ(after->dump(1), before->dump(1)) << "the IR changed";
  }

 private:
  fs::path path_;
};

class ReportCounts : public testing::Environment {
 public:
  void TearDown() override {
    std::cout << "fmt corpus: " << g_counts.files << " files, " << g_counts.formatted << " formatted ("
              << g_counts.unchanged << " already canonical), " << g_counts.ir_compared << " with IR compared, "
              << g_counts.skipped << " skipped for syntax errors\n";
  }
};

void RegisterCorpus() {
  fs::path root(FLOW_SOURCE_DIR);
  std::vector<fs::path> found;
  for (const char* dir : {"examples", "stdlib", "tests/check", "tests/run", "tests/build", "tests/cli", "tests/fmt",
                          "editors"}) {
    std::error_code ec;
    if (!fs::exists(root / dir, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root / dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->path().filename() == "node_modules") it.disable_recursion_pending();
      if (it->is_regular_file() && it->path().extension() == ".flow") found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  for (const fs::path& path : found) {
    std::string relative = fs::relative(path, root).string();
    std::string name;
    for (char c : relative) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    testing::RegisterTest("FmtCorpus", name.c_str(), nullptr, nullptr, path.string().c_str(), 1,
                          [path]() -> testing::Test* { return new CorpusFile(path); });
  }
}

}  // namespace
}  // namespace flow::format

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  flow::format::RegisterCorpus();
  testing::AddGlobalTestEnvironment(new flow::format::ReportCounts);
  return RUN_ALL_TESTS();
}

// Unit tests of the checker on in-memory programs: the tables of
// CheckedProgram (what the IR builder reads) and the trickier rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/check/checked_program.h"
#include "compiler/diag/emitter.h"

namespace flow::check {
namespace {

class CheckTest : public ::testing::Test {
 protected:
  /// Loads `main.flow` (plus `extra` files) and checks it.
  void Run(const std::string& text, const std::vector<std::pair<std::string, std::string>>& extra = {},
           const std::string& entry = "") {
    for (const auto& [path, body] : extra) fs_.Add(path, body);
    diag::DiagnosticEmitter emitter(consumer_);
    load::LoadOptions load_options;
    load::LoadProgramFromText(fs_, "main.flow", text, load_options, sources_, emitter, &loaded_);
    CheckOptions options;
    options.entry = entry;
    checked_ = Check(loaded_, options, sources_, emitter);
  }

  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const diag::Diagnostic& d : consumer_.diagnostics()) codes.emplace_back(diag::Info(d.kind).code);
    return codes;
  }

  std::string Messages() const {
    std::string all;
    for (const diag::Diagnostic& d : consumer_.diagnostics()) {
      all += std::string(diag::Info(d.kind).code) + ": " + d.message + "\n";
      for (const diag::Note& n : d.notes) all += "  note: " + n.message + "\n";
    }
    return all;
  }

  const ast::Module& Main() const { return loaded_.modules[0].module; }

  template <typename T>
  const T* FindDecl(const std::string& name) const {
    for (const ast::Decl* d : Main().decls)
      if (d->name.text == name && d->Is<T>()) return d->As<T>();
    return nullptr;
  }

  /// The type recorded for the first node whose source text is `text`.
  std::string TypeOfText(const std::string& text) const {
    std::vector<std::pair<uint32_t, std::string>> found;
    for (const auto& [node, type] : checked_.expr_types) {
      if (sources_.Text(node->range) == text) found.push_back({node->range.begin, checked_.types.ToString(type)});
    }
    if (found.empty()) return "<none>";
    std::sort(found.begin(), found.end());
    return found.front().second;
  }

  MemoryFileSystem fs_;
  SourceManager sources_;
  diag::CollectingConsumer consumer_;
  load::LoadedProgram loaded_;
  CheckedProgram checked_;
};

constexpr const char* kTask = R"(
task train(data: File, epochs: Int = 10, lr: Float = 0.1) -> (model: File, score: Float) {
  image  = "alpine:3.20"
  retries = 2
  script = "train {{data}} {{epochs}} {{lr}} {{out.model}} {{out.score}}"
}
)";

TEST_F(CheckTest, CleanProgramHasNoDiagnostics) {
  Run(std::string(kTask) + R"(
workflow main(d: File) -> Float {
  let r = train(d, lr: 0.5)
  return r.score
}
)");
  EXPECT_EQ(Messages(), "");
  ASSERT_NE(checked_.entry, nullptr);
  EXPECT_EQ(checked_.entry->name.text, "main");
}

TEST_F(CheckTest, CallBindingIsInParameterOrderWithDefaultsNull) {
  Run(std::string(kTask) + R"(
workflow main(d: File) -> Float {
  let r = train(lr: 0.5, data: d)
  return r.score
}
)");
  ASSERT_EQ(Messages(), "");
  const ast::CallExpr* call = nullptr;
  for (const auto& [node, binding] : checked_.calls)
    if (binding.callee.kind == RefKind::Task) call = node->As<ast::CallExpr>();
  ASSERT_NE(call, nullptr);
  const CallBinding& binding = checked_.calls.find(call)->second;
  ASSERT_EQ(binding.args.size(), 3u);
  EXPECT_EQ(sources_.Text(binding.args[0]->range), "d");
  EXPECT_EQ(binding.args[1], nullptr);
  EXPECT_EQ(sources_.Text(binding.args[2]->range), "0.5");
  EXPECT_EQ(binding.callee.node, FindDecl<ast::TaskDecl>("train"));
}

TEST_F(CheckTest, BuiltinOverloadsBindByArity) {
  Run(R"(
workflow main() -> Int {
  let a = range(3)
  let b = range(1, 4)
  let c = join(["x"])
  return len(a) + len(b) + len(c)
}
)");
  ASSERT_EQ(Messages(), "");
  std::vector<size_t> range_arity;
  size_t join_arity = 0;
  for (const auto& [node, binding] : checked_.calls) {
    if (binding.callee.kind != RefKind::Builtin) continue;
    if (binding.callee.builtin == ir::BuiltinId::Range) range_arity.push_back(binding.args.size());
    if (binding.callee.builtin == ir::BuiltinId::Join) {
      join_arity = binding.args.size();
      EXPECT_EQ(binding.args[1], nullptr);  // `sep` defaults
    }
  }
  std::sort(range_arity.begin(), range_arity.end());
  EXPECT_EQ(range_arity, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(join_arity, 2u);
  EXPECT_EQ(TypeOfText("range(3)"), "List[Int]");
}

TEST_F(CheckTest, TypesOfInterpolationsAndTaskFieldsAreRecorded) {
  Run(std::string(kTask) + R"(
workflow main(d: File) -> Float {
  return train(d).score
}
)");
  ASSERT_EQ(Messages(), "");
  EXPECT_EQ(TypeOfText("epochs"), "Int");
  EXPECT_EQ(TypeOfText("out.model"), "File");
  EXPECT_EQ(TypeOfText("train(d)"), "(model: File, score: Float)");
  const ast::TaskDecl* task = FindDecl<ast::TaskDecl>("train");
  ASSERT_NE(task, nullptr);
  int fields = 0;
  for (const ast::Stmt* stmt : task->body) {
    auto it = checked_.task_fields.find(stmt);
    if (it == checked_.task_fields.end()) continue;
    ++fields;
    EXPECT_TRUE(it->second == ir::TaskField::Image || it->second == ir::TaskField::Retries);
  }
  EXPECT_EQ(fields, 2);
}

TEST_F(CheckTest, RefsForOutputsEnumMembersAndConsts) {
  Run(R"(
enum Split { train, test }
const N = 2
task t(s: Split) -> (a: File, b: File) {
  image  = "alpine:3.20"
  script = "echo {{s}} {{N}} > {{out.a}}; echo > {{out.b}}"
}
workflow main() -> File {
  return t(Split.test).b
}
)");
  ASSERT_EQ(Messages(), "");
  bool saw_output_b = false, saw_member = false, saw_const = false;
  for (const auto& [node, ref] : checked_.refs) {
    std::string_view text = sources_.Text(node->range);
    if (text == "out.b") saw_output_b = ref.kind == RefKind::Output && ref.index == 1;
    if (text == "Split.test") saw_member = ref.kind == RefKind::EnumMember && ref.index == 1;
    if (text == "N") saw_const = ref.kind == RefKind::Const;
  }
  EXPECT_TRUE(saw_output_b);
  EXPECT_TRUE(saw_member);
  EXPECT_TRUE(saw_const);
  const ast::ConstDecl* n = FindDecl<ast::ConstDecl>("N");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(checked_.types.ToString(checked_.decl_types.lookup(n)), "Int");
}

TEST_F(CheckTest, EnumStringLiteralTakesTheEnumType) {
  Run(R"(
enum Split { train, test }
workflow main() -> Split {
  let s: Split = "test"
  return s
}
)");
  ASSERT_EQ(Messages(), "");
  EXPECT_EQ(TypeOfText("\"test\""), "Split");
}

TEST_F(CheckTest, CyclesAreReportedOnceWithThePath) {
  Run(R"(
workflow main(n: Int) -> Int {
  let a = b + n
  let b = c + a
  let c = a * 2
  return a
}
)");
  EXPECT_EQ(Codes(), (std::vector<std::string>{"E0401"}));
  EXPECT_NE(Messages().find("`a` -> `b` -> `c` -> `a`"), std::string::npos) << Messages();
}

TEST_F(CheckTest, UnknownNameReportedOncePerDeclaration) {
  Run(R"(
workflow main() -> Int {
  let a = nope + 1
  let b = nope + a
  return b
}
)");
  EXPECT_EQ(Codes(), (std::vector<std::string>{"E0102"}));
}

TEST_F(CheckTest, PoisonStaysSilent) {
  Run(R"(
workflow main() -> Int {
  let a = [1, "x"]
  let b = a[0] + "y"
  let c = b.field
  return c
}
)");
  EXPECT_EQ(Codes(), (std::vector<std::string>{"E0209"}));
}

TEST_F(CheckTest, BlockLetsDoNotLeak) {
  Run(R"(
workflow main(xs: List[Int]) -> Int {
  let ys = for x in xs {
    let y = x + 1
    y * 2
  }
  return y
}
)");
  EXPECT_EQ(Codes(), (std::vector<std::string>{"E0102"}));
}

TEST_F(CheckTest, IfWithoutElseIsOptional) {
  Run(R"(
workflow main(c: Bool) -> Int? {
  let v = if c { 1 }
  return v
}
)");
  ASSERT_EQ(Messages(), "");
  EXPECT_EQ(TypeOfText("if c { 1 }"), "Int?");
}

TEST_F(CheckTest, TryIsOptionalOfTheCall) {
  Run(std::string(kTask) + R"(
workflow main(d: File) -> Float {
  let r = try train(d)
  return (r ?? train(d)).score
}
)");
  ASSERT_EQ(Messages(), "");
  EXPECT_EQ(TypeOfText("try train(d)"), "(model: File, score: Float)?");
}

TEST_F(CheckTest, FinallyCannotUseBodyBindings) {
  Run(std::string(kTask) + R"(
task note(msg: String) {
  image  = "alpine:3.20"
  script = "echo {{msg}}"
}
workflow main(d: File) -> Float {
  let r = train(d)
  finally { note(string(r.score)) }
  return r.score
}
)");
  EXPECT_EQ(Codes(), (std::vector<std::string>{"E0408"}));
}

TEST_F(CheckTest, EntrySelection) {
  Run(R"(
workflow a() -> Int { return 1 }
workflow b() -> Int { return 2 }
)");
  EXPECT_EQ(checked_.entry, nullptr);
  EXPECT_EQ(Messages(), "");
}

TEST_F(CheckTest, EntryOnlyWorkflow) {
  Run("workflow only() -> Int { return 1 }\n");
  ASSERT_NE(checked_.entry, nullptr);
  EXPECT_EQ(checked_.entry->name.text, "only");
}

TEST_F(CheckTest, EntryByOptionWithSuggestion) {
  Run("workflow build() -> Int { return 1 }\nworkflow test() -> Int { return 2 }\n", {}, "biuld");
  EXPECT_EQ(Codes(), (std::vector<std::string>{"E0111"}));
  EXPECT_NE(Messages().find("did you mean `build`?"), std::string::npos);
}

TEST_F(CheckTest, ModulesAndQualifiedTypes) {
  Run(R"(
import "./lib/m.flow"
workflow main() -> m.P {
  return m.P { x: m.K }
}
)",
      {{"lib/m.flow", "struct P { x: Int }\nconst K = 1\n"}});
  ASSERT_EQ(Messages(), "");
  EXPECT_EQ(TypeOfText("m.P { x: m.K }"), "m.P");
}

TEST_F(CheckTest, CronValidation) {
  Run(R"(
workflow main() -> Int {
  schedule = "*/15 0-6,22 1 jan-mar mon"
  return 1
}
)");
  EXPECT_EQ(Messages(), "");
}

}  // namespace
}  // namespace flow::check

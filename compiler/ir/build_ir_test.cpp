// BuildIR on in-memory programs (load → check → BuildIR, no driver): step
// kinds, ids, deps, regions, conversions, templates and digests.
#include "compiler/ir/build_ir.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "compiler/check/checked_program.h"
#include "compiler/diag/emitter.h"
#include "compiler/ir/ir_json.h"
#include "compiler/ir/verify_ir.h"

namespace flow::ir {
namespace {

using types::TypeStore;

/// Compiles programs and looks things up in the result.
class IrHarness {
 public:
  /// Compiles `main.flow` (plus `extra` files); fails the test on any error.
  const Program& Build(const std::string& text, const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    for (const auto& [path, body] : extra) fs_.Add(path, body);
    diag::CollectingConsumer consumer;
    diag::DiagnosticEmitter emitter(consumer);
    // The checked program points into the loaded one: keep it where it is.
    loaded_.push_back(std::make_unique<load::LoadedProgram>());
    load::LoadedProgram& loaded = *loaded_.back();
    load::LoadOptions load_options;
    load::LoadProgramFromText(fs_, "main.flow", text, load_options, sources_, emitter, &loaded);
    check::CheckedProgram checked = check::Check(loaded, check::CheckOptions{}, sources_, emitter);
    std::string messages;
    for (const diag::Diagnostic& d : consumer.diagnostics()) {
      if (d.severity == diag::Severity::Error) messages += d.message + "\n";
    }
    EXPECT_EQ(emitter.error_count(), 0) << messages;
    program_ = BuildIR(std::move(checked), sources_);
    std::string error;
    EXPECT_TRUE(VerifyProgram(program_, &error)) << error;
    return program_;
  }

  const Workflow& Wf(const std::string& name = "main") {
    for (const Workflow& wf : program_.workflows) {
      if (wf.qualified_name == name) return wf;
    }
    ADD_FAILURE() << "no workflow " << name;
    return program_.workflows.at(0);
  }
  const Task& TaskNamed(const std::string& name) {
    for (const Task& t : program_.tasks) {
      if (t.qualified_name == name) return t;
    }
    ADD_FAILURE() << "no task " << name;
    return program_.tasks.at(0);
  }
  const Step& S(StepId id) { return program_.step(id); }
  std::vector<std::string> Ids(const Region& region) {
    std::vector<std::string> ids;
    for (StepId id : region.steps) ids.push_back(S(id).id);
    return ids;
  }
  std::vector<std::string> DepIds(const Step& s) {
    std::vector<std::string> ids;
    for (StepId id : s.deps) ids.push_back(S(id).id);
    return ids;
  }
  const Step& StepById(const Region& region, const std::string& id) {
    for (StepId s : region.steps) {
      if (S(s).id == id) return S(s);
    }
    ADD_FAILURE() << "no step " << id;
    return S(region.steps.at(0));
  }
  std::string Type(TypeId t) { return program_.types.ToString(t); }

  MemoryFileSystem fs_;
  SourceManager sources_;
  std::vector<std::unique_ptr<load::LoadedProgram>> loaded_;
  Program program_;
};

class BuildIrTest : public ::testing::Test, public IrHarness {};

constexpr const char* kTasks = R"(
task prep(raw: File) -> (train: File, stats: File) {
  image = "alpine:3.20"
  script = "cp {{raw}} {{out.train}}; wc -l {{raw}} > {{out.stats}}"
}
task fit(data: File, epochs: Int = 10, lr: Float = 0.001) -> File {
  image = "alpine:3.20"
  script = "echo {{epochs}} {{lr}} > {{out}}"
}
task pick(models: List[File]) -> File {
  image = "alpine:3.20"
  command = ["cp", "{{models}}", "{{out}}"]
}
task note(msg: String) {
  image = "alpine:3.20"
  script = "echo {{msg}}"
}
)";

TEST_F(BuildIrTest, ChainOfCalls) {
  Build(std::string(kTasks) + R"(
workflow main(raw: File) -> File {
  let best = fit(data: clean.train)
  let clean = prep(raw)
  return best
}
)");
  const Workflow& wf = Wf();
  EXPECT_EQ(Ids(wf.body), (std::vector<std::string>{"call-prep", "call-fit"}));
  const Step& fit = StepById(wf.body, "call-fit");
  EXPECT_EQ(fit.kind, StepKind::Call);
  EXPECT_EQ(fit.binding, "best");
  EXPECT_EQ(DepIds(fit), (std::vector<std::string>{"call-prep"}));
  ASSERT_EQ(fit.args.size(), 3u);
  EXPECT_TRUE(fit.args[0].valid());
  EXPECT_FALSE(fit.args[1].valid());  // default
  EXPECT_EQ(program_.tasks[fit.callee].qualified_name, "fit");
  ASSERT_TRUE(wf.result.valid());
  EXPECT_EQ(program_.expr(wf.result).kind, ExprKind::StepValue);
  EXPECT_EQ(program_.entry, 0);
}

TEST_F(BuildIrTest, ScatterGatherAndIds) {
  Build(std::string(kTasks) + R"(
workflow main(raw: File, epochs: List[Int] = [5, 10]) -> File {
  let clean = prep(raw)
  let runs = for e in epochs {
    fit(data: clean.train, epochs: e)
  }
  let again = fit(data: clean.train)
  return pick(models: runs)
}
)");
  const Workflow& wf = Wf();
  EXPECT_EQ(Ids(wf.body), (std::vector<std::string>{"call-prep", "for-fit-l21", "call-fit-2", "call-pick"}));
  const Step& scatter = StepById(wf.body, "for-fit-l21");
  EXPECT_EQ(scatter.kind, StepKind::Scatter);
  EXPECT_EQ(scatter.binding, "runs");
  EXPECT_EQ(Type(scatter.type), "List[File]");
  ASSERT_EQ(scatter.vars.size(), 1u);
  EXPECT_EQ(program_.var(scatter.vars[0]).name, "e");
  EXPECT_EQ(Type(program_.var(scatter.vars[0]).type), "Int");
  // The body's call uses `clean` from outside: the scatter itself depends on it.
  EXPECT_EQ(DepIds(scatter), (std::vector<std::string>{"call-prep"}));
  ASSERT_EQ(scatter.body.steps.size(), 1u);
  const Step& body_call = S(scatter.body.steps[0]);
  EXPECT_EQ(body_call.id, "call-fit");
  EXPECT_TRUE(body_call.deps.empty());
  ASSERT_TRUE(scatter.body_value.valid());
  EXPECT_EQ(program_.expr(scatter.body_value).step, scatter.body.steps[0]);
  EXPECT_EQ(DepIds(StepById(wf.body, "call-pick")), (std::vector<std::string>{"for-fit-l21"}));
  // Default parameter values are folded literals.
  ASSERT_TRUE(wf.params[1].default_value.valid());
  EXPECT_EQ(program_.expr(wf.params[1].default_value).kind, ExprKind::Literal);
}

TEST_F(BuildIrTest, NestedScatterAndPureComprehension) {
  Build(std::string(kTasks) + R"(
workflow main(raw: File, grid: List[List[Int]]) -> List[List[File]] {
  let clean = prep(raw)
  let models = for row in grid {
    for e in row { fit(data: clean.train, epochs: e) }
  }
  let sizes = [for row in grid { len(row) }]
  return models
}
)");
  const Workflow& wf = Wf();
  const Step& outer = StepById(wf.body, "for-fit-l21");
  ASSERT_EQ(outer.body.steps.size(), 1u);
  const Step& inner = S(outer.body.steps[0]);
  EXPECT_EQ(inner.kind, StepKind::Scatter);
  EXPECT_EQ(inner.id, "for-fit-l22");
  EXPECT_EQ(Type(inner.type), "List[File]");
  EXPECT_EQ(DepIds(outer), (std::vector<std::string>{"call-prep"}));
  EXPECT_TRUE(inner.deps.empty());
  const Step& sizes = StepById(wf.body, "let-sizes");
  EXPECT_EQ(sizes.kind, StepKind::Value);
  EXPECT_EQ(program_.expr(sizes.value).kind, ExprKind::Comprehension);
}

TEST_F(BuildIrTest, ConditionalsTryAfterFinally) {
  Build(std::string(kTasks) + R"(
workflow main(raw: File, fast: Bool, url: String? = none) -> File? {
  let clean = prep(raw)
  let model = if fast { fit(data: clean.train, epochs: 1) } else { fit(data: clean.train) }
  let maybe = try fit(data: clean.stats)
  if defined(url) { note(msg: url ?? "") }
  note(msg: "done") after model, maybe
  finally { note(msg: "cleanup") }
  return maybe
}
)");
  const Workflow& wf = Wf();
  const Step& cond = StepById(wf.body, "if-l21");
  EXPECT_EQ(cond.kind, StepKind::Cond);
  EXPECT_TRUE(cond.has_else);
  EXPECT_EQ(Type(cond.type), "File");
  EXPECT_EQ(cond.then_body.steps.size(), 1u);
  EXPECT_EQ(cond.else_body.steps.size(), 1u);
  EXPECT_EQ(DepIds(cond), (std::vector<std::string>{"call-prep"}));
  const Step& maybe = StepById(wf.body, "call-fit-3");
  EXPECT_TRUE(maybe.is_try);
  EXPECT_EQ(Type(maybe.type), "File?");
  const Step& gate = StepById(wf.body, "if-l23");
  EXPECT_FALSE(gate.has_else);
  EXPECT_EQ(Type(gate.type), "()?");
  const Step& done = StepById(wf.body, "call-note-2");
  EXPECT_EQ(DepIds(done), (std::vector<std::string>{"if-l21", "call-fit-3"}));
  EXPECT_EQ(done.after_deps, done.deps);
  EXPECT_EQ(Ids(wf.finally_body), (std::vector<std::string>{"call-note-3"}));
}

TEST_F(BuildIrTest, PureLetsConstsAndConversions) {
  Build(std::string(kTasks) + R"(
const BASE = 2
const FACTOR = BASE * 3
workflow main(raw: File, n: Int) -> File {
  let total = n + FACTOR
  let clean = prep(raw)
  return fit(data: clean.train, lr: n, epochs: total)
}
)");
  const Workflow& wf = Wf();
  const Step& total = StepById(wf.body, "let-total");
  EXPECT_EQ(total.kind, StepKind::Value);
  const Expr& sum = program_.expr(total.value);
  ASSERT_EQ(sum.kind, ExprKind::Binary);
  const Expr& factor = program_.expr(sum.operands[1]);
  EXPECT_EQ(factor.kind, ExprKind::Literal);
  EXPECT_EQ(factor.literal, Value::Int(6));
  const Step& fit = StepById(wf.body, "call-fit");
  EXPECT_EQ(DepIds(fit), (std::vector<std::string>{"let-total", "call-prep"}));
  // `lr: n` passes an Int where a Float is expected: an explicit Convert.
  const Expr& lr = program_.expr(fit.args[2]);
  EXPECT_EQ(lr.kind, ExprKind::Convert);
  EXPECT_EQ(Type(lr.type), "Float");
  // The task's own Float default is folded to a Float literal.
  const Task& task = TaskNamed("fit");
  EXPECT_EQ(program_.expr(task.params[2].default_value).literal.kind(), Value::Kind::Float);
}

TEST_F(BuildIrTest, TaskTemplatesFieldsAndDigest) {
  const char* src = R"(
task t(xs: List[String], n: Int = 3, tag: String = "x") -> (a: File, b: File) {
  let m = n * 2
  image = "alpine:3.20"
  cpu = 2
  memory = 512Mi
  retries = m
  env = {"K": tag}
  script = """
    echo {{xs}} {{m}} > {{out.a}}
    echo {{raw(tag)}} > {{out.b}}
  """
}
task c(xs: List[String]) -> File {
  command = ["tool", "--in", "{{xs}}", "--out={{out}}"]
}
workflow main() {
  t(xs: ["a"])
  c(xs: ["b"])
}
)";
  Build(src);
  const Task& t = TaskNamed("t");
  EXPECT_FALSE(t.single_output);
  ASSERT_EQ(t.outputs.size(), 2u);
  EXPECT_EQ(t.outputs[1].name, "b");
  ASSERT_EQ(t.locals.size(), 1u);
  EXPECT_EQ(program_.var(t.locals[0].var).name, "m");
  const Expr& cpu = program_.expr(t.fields[static_cast<size_t>(TaskField::Cpu)]);
  EXPECT_EQ(cpu.literal, Value::Float(2.0));
  EXPECT_EQ(cpu.literal.kind(), Value::Kind::Float);
  EXPECT_EQ(program_.expr(t.fields[static_cast<size_t>(TaskField::Memory)]).literal, Value::Int(512LL << 20));
  EXPECT_TRUE(t.fields[static_cast<size_t>(TaskField::Retries)].valid());
  EXPECT_FALSE(t.fields[static_cast<size_t>(TaskField::Timeout)].valid());
  ASSERT_TRUE(t.has_script);
  std::vector<std::string> texts;
  int raws = 0;
  for (const TemplatePart& part : t.script.parts) {
    if (!part.expr.valid()) texts.push_back(part.text);
    if (part.raw) ++raws;
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"echo ", " ", " > ", "\necho ", " > ", "\n"}));
  EXPECT_EQ(raws, 1);
  const Task& c = TaskNamed("c");
  ASSERT_EQ(c.command.size(), 4u);
  EXPECT_FALSE(c.command[0].splice);
  EXPECT_TRUE(c.command[2].splice);
  EXPECT_FALSE(c.command[3].splice);
  EXPECT_EQ(c.command[3].tmpl.parts.size(), 2u);
  EXPECT_EQ(t.digest.size(), 16u);
  std::string first_digest = t.digest;

  // Comments and layout do not change the digest; the script does.
  std::string reformatted = src;
  reformatted.insert(0, "# a comment\n\n");
  IrHarness other;
  other.Build(reformatted);
  EXPECT_EQ(other.TaskNamed("t").digest, first_digest);
  std::string changed = src;
  changed.replace(changed.find("echo {{xs}}"), 4, "printf");
  IrHarness third;
  third.Build(changed);
  EXPECT_NE(third.TaskNamed("t").digest, first_digest);
}

TEST_F(BuildIrTest, SubWorkflowsWithAndModules) {
  Build(std::string(kTasks) + R"(
import "./lib/util.flow"
workflow sub(raw: File) -> File {
  let clean = prep(raw)
  return fit(data: clean.train) with { memory = 2Gi, retries = 3 }
}
workflow main(raw: File) -> File {
  util.hello()
  return sub(raw)
}
)",
        {{"lib/util.flow", "task hello() {\n  image = \"alpine\"\n  script = \"echo hi\"\n}\n"}});
  const Workflow& main = Wf("main");
  const Step& sub = StepById(main.body, "call-sub");
  EXPECT_EQ(sub.callee_kind, CalleeKind::Workflow);
  EXPECT_EQ(program_.workflows[sub.callee].qualified_name, "sub");
  const Step& hello = StepById(main.body, "call-util-hello");
  EXPECT_EQ(program_.tasks[hello.callee].qualified_name, "util.hello");
  EXPECT_EQ(program_.tasks[hello.callee].module, "util");
  const Step& fit = StepById(Wf("sub").body, "call-fit");
  ASSERT_EQ(fit.overrides.size(), 2u);
  EXPECT_EQ(fit.overrides[0].field, TaskField::Memory);
  EXPECT_EQ(program_.expr(fit.overrides[0].value).literal, Value::Int(2LL << 30));
}

TEST_F(BuildIrTest, CallsInsideExpressionsAreHoisted) {
  Build(std::string(kTasks) + R"(
workflow main(raw: File) -> List[File] {
  let both = [prep(raw).train, prep(raw).stats]
  return both
}
)");
  const Workflow& wf = Wf();
  EXPECT_EQ(Ids(wf.body), (std::vector<std::string>{"call-prep", "call-prep-2", "let-both"}));
  EXPECT_EQ(DepIds(StepById(wf.body, "let-both")), (std::vector<std::string>{"call-prep", "call-prep-2"}));
}

TEST_F(BuildIrTest, JsonIsStable) {
  const char* src = R"(
task greet(name: String) -> File {
  image = "alpine:3.20"
  script = "echo {{name}} > {{out}}"
}
workflow main(names: List[String] = ["ada"]) -> List[File] {
  let files = for n in names { greet(name: n) }
  return files
}
)";
  Build(src);
  std::string json = ProgramToJson(program_);
  EXPECT_NE(json.find("\"id\": \"for-greet-l7\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"kind\": \"scatter\""), std::string::npos) << json;
  IrHarness again;
  again.Build(src);
  EXPECT_EQ(ProgramToJson(again.program_), json);
}

}  // namespace
}  // namespace flow::ir

// The Python evaluator of Tekton expression steps (compiler/lower/tekton/
// eval_script.cpp) computes what compiler/ir/eval.cpp computes: every case is a
// Flow expression over workflow inputs, evaluated by the IR evaluator and by the
// generated program run with the host's python3 (inputs in their Tekton text
// encoding through FLOW_S<n>, or as argument segments for arrays). Both must
// agree on the value's Tekton text, or both must fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "compiler/base/file_system.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/eval.h"
#include "compiler/lower/tekton/eval_program.h"
#include "compiler/lower/tekton/lower_tekton.h"
#include "compiler/lower/tekton/task_scripts.h"
#include "compiler/lower/tekton/programs_for_test.h"
#include "compiler/lower/tekton/task_runner_for_test.h"
#include "compiler/lower/tekton/tekton_sim_for_test.h"
#include "compiler/diag/diagnostic.h"
#include "runtime/local_run.h"
#include "runtime/workflow_engine.h"
#include "tests/build/engine_for_test.h"

namespace flow {
namespace {

using lower::tekton::EvalProgram;
using lower::tekton::Leaf;
using namespace lower::tekton::testing;  // the test programs (kConditional, ...)

struct Outcome {
  bool ok = false;
  std::string text;   // the output's Tekton text
  std::string error;  // stderr when it failed
};

class PythonEval {
 public:
  PythonEval() {
    char dir_template[] = "/tmp/flow-tekton-eval-XXXXXX";
    dir_ = mkdtemp(dir_template);
    std::ofstream(dir_ + "/flow_eval.py") << lower::tekton::EvalScript();
  }
  ~PythonEval() { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string LastError() const {
    std::ifstream in(dir_ + "/stderr");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  /// Runs a generated expression step (`flow-eval-*` Task) as Tekton would: its
  /// env and args with params, workspace and result paths substituted.
  bool RunStep(const YAML::Node& step, const lower::tekton::testing::SimRun& run, const std::string& workspace,
               std::string* value) {
    std::string result = dir_ + "/result";
    std::remove(result.c_str());
    auto subst = [&](std::string text) {
      auto replace = [&](const std::string& from, const std::string& to) {
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
          text.replace(at, from.size(), to);
        }
      };
      replace("$(workspaces.flow-data.path)", workspace);
      replace("$(results.value.path)", result);
      for (const auto& [k, v] : run.params) replace("$(params." + k + ")", v);
      return text;
    };
    for (const YAML::Node& e : step["env"]) {
      setenv(e["name"].as<std::string>().c_str(), subst(e["value"].as<std::string>()).c_str(), 1);
    }
    std::string cmd = Python() + " '" + dir_ + "/flow_eval.py'";
    if (step["args"]) {
      for (const YAML::Node& a : step["args"]) {
        std::string arg = a.as<std::string>();
        if (arg.size() > 12 && arg.rfind("$(params.", 0) == 0 && arg.substr(arg.size() - 4) == "[*])") {
          for (const std::string& item : run.array_params.at(arg.substr(9, arg.size() - 13))) cmd += " '" + Quote(item) + "'";
        } else {
          cmd += " '" + Quote(arg) + "'";
        }
      }
    }
    cmd += " 2>'" + dir_ + "/stderr'";
    if (std::system(cmd.c_str()) != 0) return false;
    std::ifstream in(result);
    std::stringstream ss;
    ss << in.rdbuf();
    *value = ss.str();
    return true;
  }

  /// Runs `program` with string sources `env` and array sources `arrays`.
  Outcome Run(const EvalProgram& program, const std::vector<std::string>& env,
              const std::vector<std::vector<std::string>>& arrays) {
    std::string result = dir_ + "/result";
    std::remove(result.c_str());
    setenv("FLOW_PROGRAM", program.Json().c_str(), 1);
    setenv("FLOW_R1", result.c_str(), 1);
    for (size_t i = 0; i < env.size(); ++i) setenv(("FLOW_S" + std::to_string(i + 1)).c_str(), env[i].c_str(), 1);
    std::string cmd = Python() + " '" + dir_ + "/flow_eval.py'";
    for (const auto& array : arrays) {
      for (const std::string& item : array) cmd += " '" + Quote(item) + "'";
      cmd += std::string(" ") + lower::tekton::kListEnd;
    }
    cmd += " 2>'" + dir_ + "/stderr'";
    int rc = std::system(cmd.c_str());
    Outcome out;
    out.ok = rc == 0;
    std::ifstream in(out.ok ? result : dir_ + "/stderr");
    std::stringstream ss;
    ss << in.rdbuf();
    (out.ok ? out.text : out.error) = ss.str();
    return out;
  }

 private:
  /// The system python3 when there is one (a pyenv shim costs a second per start).
  static std::string Python() { return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3"; }
  static std::string Quote(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out;
  }
  std::string dir_;
};

using testing::Compiled;
using testing::CompileSource;

// Every input of the workflow, with a default that is its test value.
constexpr const char* kInputs = R"(
struct Pt { x: Int, label: String = "p" }
enum Color { red, green }
workflow main(
  i: Int = 7, neg: Int = -7, zero: Int = 0, big: Int = 9223372036854775807, small: Int = -9223372036854775808,
  f: Float = 2.5, third: Float = 0.1, huge: Float = 1e300, tiny: Float = 0.00001234,
  s: String = " Héllo, World ", csv: String = "a,,b", path: String = "/data/in/report.tar.gz/",
  num: String = " 1_000 ", bad: String = "12x", fl: String = "1e3",
  d: Duration = 90m, z: Size = 1536Mi, b: Bool = true, c: Color = Color.green,
  xs: List[Int] = [3, 1, 2], fs: List[Float] = [1.5, 2.0], ws: List[String] = ["b", "a", "B"],
  m: Map[String, Int] = {"a": 1, "b": 2}, mi: Map[Int, String] = {2: "two", 1: "one"},
  p: Pt = Pt { x: 3 }, opt: String? = none, oi: Int? = 4, nested: List[List[Int]] = [[1], [2, 3]],
  maybe: List[Int?] = [none, 5],
)
)";

const std::vector<std::string> kCases = {
    // Integer arithmetic: C++ truncating division and remainder, overflow checks.
    "i / -2", "neg / 2", "neg % 2", "i % -2", "neg % -2", "i * i - 3", "big + 1", "small / -1", "small % -1",
    "i / zero", "i % zero", "-small", "big * 2", "small - 1",
    // Floats: shortest round-trip text, fmod, overflow.
    "f / 3.0", "third + 0.2", "huge * 1e10", "f % 1.0", "-f", "tiny * 1.0", "1e16 * f", "float(i) / 7.0",
    "f * 4.0", "i + f", "third * 3.0",
    // Comparisons and logic.
    "s < csv", "i == 7.0", "b and i > 3", "not b or zero == 0", "m == {\"a\": 1, \"b\": 2}",
    "p == Pt { x: 3 }", "ws[0] >= ws[2]", "xs[1]", "xs[5]", "m[\"b\"]", "m[\"q\"]", "mi[2]",
    // Builtins.
    "len(s)", "len(xs)", "len(m)", "range(3)", "range(2, 5)", "range(5, 2)", "enumerate(ws)", "zip(xs, ws)",
    "flatten(nested)", "keys(mi)", "values(m)", "contains(xs, 2)", "contains(m, \"q\")", "contains(s, \"llo\")",
    "join(xs, \", \")", "join(fs, \"/\")", "join(ws)", "split(csv, \",\")", "split(csv, \"\")",
    "replace(s, \"l\", \"L\")", "replace(s, \"\", \"x\")", "basename(path)", "dirname(path)", "stem(path)",
    "basename(\"/\")", "dirname(\"file\")", "stem(\".bashrc\")", "string(p)", "string(f)", "string(xs)",
    "string(d)", "string(opt)", "string(z)", "int(num)", "int(bad)", "int(-2.7)", "int(b)", "int(huge)",
    "float(fl)", "float(bad)", "float(i)", "min(xs)", "max(ws)", "min(3, i)", "max(f, 1.0)", "sum(xs)",
    "sum(fs)", "sum([big, 1])", "round(f)", "round(-2.5)", "round(0.49999999999999994)", "round(huge)",
    "select_first(maybe)", "select_first([opt])", "defined(opt)", "defined(oi)", "sort(ws)", "sort(xs)",
    "lower(s)", "upper(s)", "trim(s)", "starts_with(s, \" H\")", "ends_with(path, \"/\")", "abs(neg)",
    "abs(-f)", "abs(small)",
    // Strings, interpolation (Duration, Size, Float texts), records, lists, maps, optionals.
    "\"{{d}}|{{z}}|{{f}}|{{join(xs, \" \")}}|{{string(p)}}|{{b}}|{{c}}|{{opt ?? \"\"}}|{{oi ?? 0}}\"", "s + csv", "xs + [4]",
    "(a: i, b: s)", "p.label", "Pt { x: i, label: s }.x + 1",
    "[for x in xs { x * 2 }]", "[for (k, v) in m { k + string(v) }]", "[for (n, w) in enumerate(ws) { n }]",
    "[for (k, v) in mi { v + string(k) }]", "opt ?? \"fallback\"", "oi ?? 0", "if i > 3 { \"big\" } else { \"small\" }",
    "d + 30s", "z * 2", "d + d", "c == Color.green", "sort([f, 1.0, 3.5])", "[z, z]",
};

/// True when python3 >= 3.8 (the generated evaluator's interpreter) is here.
bool HasPython3() {
  return std::system("python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' 2>/dev/null") == 0;
}

/// The Tekton documents of `source` lowered with default options, or nothing
/// (with the reason added as a test failure) when it does not compile or lower.
std::optional<lower::tekton::testing::Docs> LowerToDocs(const std::string& source) {
  Compiled c = CompileSource(source);
  if (!c.program) {
    ADD_FAILURE() << c.diagnostics;
    return std::nullopt;
  }
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  if (!lower::tekton::Lower(*c.program, lower::BuildOptions{}, emitter, &docs)) {
    ADD_FAILURE() << "lowering to Tekton failed";
    return std::nullopt;
  }
  return lower::tekton::testing::Parse(docs);
}

TEST(TektonEval, PythonEvaluatorMatchesIrEvaluator) {
  if (!HasPython3()) GTEST_SKIP() << "python3 is not available";
  PythonEval python;
  int compared = 0;
  for (const std::string& expr : kCases) {
    SCOPED_TRACE(expr);
    // The case's type is whatever the checker infers: a `let` binds it.
    std::string source = std::string(kInputs) + "{\n  let v = " + expr +
             "\n  t(x: string(v))\n}\ntask t(x: String) {\n  image = \"alpine\"\n  command = [\"true\"]\n}\n";
    Compiled c = CompileSource(source);
    if (!c.program) {
      // An expression the checker rejects (or folds into an error) is not a run-time case.
      ADD_FAILURE() << "does not compile:\n" << c.diagnostics.substr(c.diagnostics.find("error["));
      continue;
    }
    const ir::Program& p = *c.program;
    const ir::Workflow& wf = p.workflows[p.entry];
    ir::ExprId target;
    for (ir::StepId s : wf.body.steps) {
      if (p.step(s).kind == ir::StepKind::Value) target = p.step(s).value;
    }
    ASSERT_TRUE(target.valid());
    std::vector<ir::Value> inputs;
    for (const ir::Param& param : wf.params) inputs.push_back(ir::Eval(p, param.default_value, ir::EvalEnv{}).value);
    ir::EvalEnv env;
    env.input = [&](int32_t index) -> const ir::Value* {
      return index >= 0 && index < static_cast<int32_t>(inputs.size()) ? &inputs[index] : nullptr;
    };
    ir::EvalResult expected = ir::Eval(p, target, env);

    // Twice: lists as JSON strings, then lists as Tekton arrays.
    bool has_lists = false;
    for (bool arrays : {false, true}) {
      if (arrays && !has_lists) break;
      EvalProgram program(p);
      std::vector<std::string> strings;
      std::vector<std::vector<std::string>> segments;
      std::map<int32_t, int> source_of;
      auto leaf = [&](ir::ExprId id) {
        const ir::Expr& e = p.expr(id);
        if (e.kind != ir::ExprKind::Input) return Leaf{};
        auto it = source_of.find(e.index);
        if (it == source_of.end()) {
          const ir::Param& param = wf.params[e.index];
          bool list = p.types.KindOf(param.type) == types::TypeKind::List;
          has_lists = has_lists || list;
          if (arrays && list) {
            std::vector<std::string> items;
            for (const ir::Value& item : inputs[e.index].list()) {
              items.push_back(lower::tekton::TektonText(item, p.types.Get(param.type).elem, p.types));
            }
            segments.push_back(items);
            int n = program.AddSource(true, param.type, static_cast<int>(segments.size()) - 1);
            strings.push_back("");
            it = source_of.emplace(e.index, n).first;
          } else {
            strings.push_back(lower::tekton::TektonText(inputs[e.index], param.type, p.types));
            it = source_of.emplace(e.index, program.AddSource(false, param.type, -1)).first;
          }
        }
        Leaf l;
        l.kind = Leaf::Kind::Source;
        l.source = it->second;
        return l;
      };
      ir::ExprId failed;
      int node = program.AddExpr(target, leaf, &failed);
      ASSERT_GE(node, 0);
      program.AddOutput(node, "text");
      Outcome got = python.Run(program, strings, segments);
      if (expected.ok) {
        ASSERT_TRUE(got.ok) << got.error;
        EXPECT_EQ(got.text, lower::tekton::TektonText(expected.value, p.expr(target).type, p.types));
      } else {
        EXPECT_FALSE(got.ok) << "python gave `" << got.text << "`, the IR evaluator failed: " << expected.error;
        EXPECT_NE(got.error.find(expected.error), std::string::npos)
            << "python: " << got.error << "IR: " << expected.error;
      }
      ++compared;
    }
  }
  EXPECT_GE(compared, static_cast<int>(kCases.size()));
}

// ---------------------------------------------------------------------------
// The emitted Pipeline, interpreted by the Tekton simulator (expression tasks run
// by the real evaluator), ends with the same result as `flowc run`'s workflow
// engine on the same fake task behaviour.

/// Fake task behaviour over input texts, shared by both sides.
std::map<std::string, std::string> FakeOutputs(const std::string& task, const std::map<std::string, std::string>& in) {
  if (task == "measure") return {{"out", std::to_string(std::stoll(in.at("n")) * 7)}};
  if (task == "describe") return {{"out", in.at("label") + "=" + in.at("value")}};
  if (task == "flaky") return {{"out", in.at("n")}};
  if (task == "pair") return {{"left", in.at("a")}, {"right", in.at("b")}};
  if (task == "build") {
    ir::Json target = ir::Json::parse(in.at("target"));
    std::string cc = target["cc"].get<std::string>();
    return {{"bin", target["os"].get<std::string>() + "/" + cc}, {"size", std::to_string(cc.size() * 10 + std::stoll(in.at("opt")))}};
  }
  if (task == "tag") {
    std::string out = in.at("label") + ":" + in.at("x");
    for (const ir::Json& e : ir::Json::parse(in.at("extra"))) out += "|" + e.get<std::string>();
    return {{"out", out}};
  }
  if (task == "square") return {{"out", std::to_string(std::stoll(in.at("n")) * std::stoll(in.at("n")))}};
  if (task == "total") {
    int64_t sum = 0;
    for (const ir::Json& x : ir::Json::parse(in.at("xs"))) sum += x.is_string() ? std::stoll(x.get<std::string>()) : x.get<int64_t>();
    return {{"out", std::to_string(sum)}};
  }
  return {};
}

ir::Value EngineValue(const ir::Program& p, const ir::Task& task, const std::map<std::string, std::string>& out) {
  auto read = [&](const std::string& text, types::TypeId type) {
    ir::Value v;
    std::string error;
    EXPECT_TRUE(ir::ValueFromText(text, type, p.types, ir::ReadOptions{}, &v, &error)) << error;
    return v;
  };
  if (task.single_output) return read(out.at("out"), task.output_type);
  std::vector<std::pair<std::string, ir::Value>> fields;
  for (const ir::Output& o : task.outputs) fields.emplace_back(o.name, read(out.at(o.name), o.type));
  return ir::Value::Record(std::move(fields));
}

/// The result of the entry workflow on the workflow engine, as one Tekton text per field.
/// One task call: the task's name and its inputs' Tekton texts.
using Call = std::pair<std::string, std::map<std::string, std::string>>;

std::map<std::string, std::string> RunEngine(const ir::Program& p, const std::map<std::string, ir::Value>& given,
                                             std::vector<Call>* calls = nullptr) {
  const ir::Workflow& wf = p.workflows[p.entry];
  testing::EngineOutcome outcome =
      testing::DriveEngine(p, given, [&](const ir::Task& task, const runtime::TaskRequest& r) -> std::optional<ir::Value> {
        std::map<std::string, std::string> text;
        for (size_t i = 0; i < task.params.size(); ++i) {
          text[task.params[i].name] = lower::tekton::TektonText(r.call.inputs[i], task.params[i].type, p.types);
        }
        if (calls != nullptr) calls->emplace_back(task.name, text);
        return EngineValue(p, task, FakeOutputs(task.name, text));
      });
  std::map<std::string, std::string> out;
  EXPECT_FALSE(outcome.failed);
  const ir::Value& result = outcome.result;
  const ir::Expr& result_expr = p.expr(wf.result);
  if (result.kind() == ir::Value::Kind::Record && wf.record_output) {
    const types::Type& t = p.types.Get(result_expr.type);
    for (const auto& [name, v] : result.record()) {
      types::TypeId ft;
      for (const types::Field& f : t.fields) {
        if (f.name == name) ft = f.type;
      }
      if (p.types.KindOf(ft) == types::TypeKind::List) {
        std::string joined;
        for (size_t i = 0; i < v.list().size(); ++i) {
          joined += (i > 0 ? "," : "") + lower::tekton::TektonText(v.list()[i], p.types.Get(ft).elem, p.types);
        }
        out[name] = "[" + joined + "]";
      } else {
        out[name] = lower::tekton::TektonText(v, ft, p.types);
      }
    }
  } else {
    out["value"] = lower::tekton::TektonText(result, result_expr.type, p.types);
  }
  return out;
}

/// `runs`: every TaskRun the simulation started, in order.
std::map<std::string, std::string> RunTekton(const ir::Program& p, PythonEval& python,
                                             const std::map<std::string, std::string>& args,
                                             std::vector<lower::tekton::testing::SimRun>* runs = nullptr) {
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  lower::BuildOptions options;
  EXPECT_TRUE(lower::tekton::Lower(p, options, emitter, &docs));
  for (const diag::Diagnostic& d : consumer.diagnostics()) ADD_FAILURE() << d.message;
  namespace sim = lower::tekton::testing;
  sim::Docs d = sim::Parse(docs);
  EXPECT_EQ(sim::StructuralProblems(d), std::vector<std::string>{});
  char ws_template[] = "/tmp/flow-tekton-ws-XXXXXX";
  std::string workspace = mkdtemp(ws_template);
  sim::SimOutcome outcome = sim::Simulate(d, args, {}, [&](const sim::SimRun& run,
                                                           std::map<std::string, std::string>* results) {
    const YAML::Node task = d.tasks.at(run.task);
    if (run.task.rfind("flow-eval", 0) == 0) {
      std::string value;
      if (!python.RunStep(task["spec"]["steps"][0], run, workspace, &value)) return false;
      if (task["spec"]["results"]) (*results)["value"] = value;
      return true;
    }
    std::map<std::string, std::string> in = run.params;
    for (const auto& [k, items] : run.array_params) {
      ir::Json list = ir::Json::array();
      for (const std::string& item : items) list.push_back(item);
      in[k] = ir::DumpJson(list);
    }
    std::string task_name = run.task;
    const std::string kGuarded = "-guarded";
    bool guarded = task_name.size() > kGuarded.size() &&
                   task_name.compare(task_name.size() - kGuarded.size(), kGuarded.size(), kGuarded) == 0;
    if (guarded) task_name.resize(task_name.size() - kGuarded.size());
    const std::string kTry = "-try";  // the `try` variant (the fake never fails)
    if (task_name.size() > kTry.size() && task_name.compare(task_name.size() - kTry.size(), kTry.size(), kTry) == 0) {
      task_name.resize(task_name.size() - kTry.size());
    }
    if (in.count("flow-iter")) {
      // A call fed per iteration: its inputs are the fields of one JSON object.
      ir::Json fields = ir::Json::parse(in.at("flow-iter"));
      for (auto it = fields.begin(); it != fields.end(); ++it) {
        in[it.key()] = it.value().is_string() ? it.value().get<std::string>() : ir::DumpJson(it.value());
      }
    }
    if (guarded) {
      // The Task's guard step: an iteration whose `if` is false does nothing and
      // its results step writes none (the scripts themselves are run by
      // GuardedTaskScriptsSkipAndWriteNone).
      EXPECT_TRUE(in.count("flow-guard")) << run.pipeline_task;
      if (in["flow-guard"] != "true") {
        for (const ir::Task& t : p.tasks) {
          if (t.name != task_name) continue;
          for (const ir::Output& o : t.outputs) {
            types::TypeKind k = p.types.KindOf(p.types.StripOptional(o.type));
            bool json = k == types::TypeKind::List || k == types::TypeKind::Map || k == types::TypeKind::Record ||
                        k == types::TypeKind::Struct;
            (*results)[o.name.empty() ? "out" : o.name] = json ? "null" : "";
          }
        }
        return true;
      }
    }
    for (const auto& [k, v] : FakeOutputs(task_name, in)) (*results)[k] = v;
    return true;
  });
  std::system(("rm -rf '" + workspace + "'").c_str());
  for (const std::string& f : outcome.failed) ADD_FAILURE() << "failed: " << f << " " << python.LastError();
  if (runs != nullptr) *runs = outcome.runs;
  return outcome.results;
}

TEST(TektonSimulation, MatchesTheWorkflowEngine) {
  if (!HasPython3()) GTEST_SKIP() << "python3 is not available";
  PythonEval python;
  struct Run {
    const char* source;
    std::map<std::string, std::string> args;
  };
  for (const Run& run : {Run{kConditional, {}}, Run{kConditional, {{"n", "8"}, {"verbose", "true"}}},
                         Run{kConditional, {{"n", "1"}}}, Run{kLoops, {}}, Run{kNested, {}}, Run{kGuardedIf, {}},
                         Run{kGuardedIf, {{"verbose", "true"}, {"cut", "30"}}}, Run{kFlattened, {}}, Run{kCombined, {}},
                         Run{kGuardedForeign, {}}, Run{kGuardedForeign, {{"cut", "0"}, {"label", "it's"}}}}) {
    SCOPED_TRACE(run.source);
    Compiled c = CompileSource(run.source);
    ASSERT_TRUE(c.program) << c.diagnostics;
    const ir::Program& p = *c.program;
    std::map<std::string, ir::Value> given;
    for (const ir::Param& param : p.workflows[p.entry].params) {
      auto it = run.args.find(param.name);
      if (it == run.args.end()) continue;
      ir::Value v;
      std::string error;
      ASSERT_TRUE(ir::ValueFromText(it->second, param.type, p.types, ir::ReadOptions{}, &v, &error)) << error;
      given[param.name] = v;
    }
    std::map<std::string, std::string> expected = RunEngine(p, given);
    std::map<std::string, std::string> got = RunTekton(p, python, run.args);
    EXPECT_EQ(got, expected);
  }
}

TEST(TektonSimulation, FinallyValuesMatchTheWorkflowEngine) {
  if (!HasPython3()) GTEST_SKIP() << "python3 is not available";
  PythonEval python;
  Compiled c = CompileSource(kFinallyValues);
  ASSERT_TRUE(c.program) << c.diagnostics;
  const ir::Program& p = *c.program;
  std::vector<Call> engine_calls;
  std::map<std::string, std::string> expected = RunEngine(p, {}, &engine_calls);
  std::vector<lower::tekton::testing::SimRun> runs;
  std::map<std::string, std::string> got = RunTekton(p, python, {}, &runs);
  EXPECT_EQ(got, expected);
  // The same calls of `describe` (all in `finally`), each after every other TaskRun.
  std::multiset<std::string> want, have;
  for (const Call& call : engine_calls) {
    if (call.first == "describe") want.insert(call.second.at("label") + "=" + call.second.at("value"));
  }
  bool finally_started = false;
  for (const lower::tekton::testing::SimRun& run : runs) {
    if (run.task.rfind("describe", 0) == 0) {
      std::map<std::string, std::string> in = run.params;
      if (in.count("flow-iter")) {
        ir::Json fields = ir::Json::parse(in.at("flow-iter"));
        for (auto it = fields.begin(); it != fields.end(); ++it) {
          in[it.key()] = it.value().is_string() ? it.value().get<std::string>() : ir::DumpJson(it.value());
        }
      }
      have.insert(in.at("label") + "=" + in.at("value"));
      finally_started = true;
    } else {
      EXPECT_FALSE(finally_started) << run.pipeline_task << " ran after a finally task";
    }
  }
  EXPECT_EQ(have, want);
  EXPECT_EQ(want.size(), 4u);
}

TEST(TektonScripts, TwoBareListsKeepEveryElementOneWord) {
  std::optional<lower::tekton::testing::Docs> lowered = LowerToDocs(kTwoLists);
  ASSERT_TRUE(lowered);
  const lower::tekton::testing::Docs& d = *lowered;
  const YAML::Node task = d.tasks.at("copy");
  char dir_template[] = "/tmp/flow-tekton-lists-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  std::string pwned = dir + "/pwned";
  std::vector<std::string> srcs = {"a b", "it's", "$(touch " + pwned + ")", "`touch " + pwned + "`", "*",
                                   "x&y\\z", "", "@@FLOW_LIST_FLOW_V4@@", "line\nbreak", "\"q\"; touch " + pwned};
  std::vector<std::string> dsts = {"/tmp/o 1", "--flow-list-end-"};
  for (const auto& [s1, s2] : {std::pair{srcs, dsts}, std::pair{std::vector<std::string>{}, dsts},
                               std::pair{srcs, std::vector<std::string>{}}}) {
    auto ran = RunTaskLocally(task, {{"tag", "t'q"}}, dir + "/t", {{"srcs", s1}, {"dsts", s2}});
    ASSERT_TRUE(ran);
    std::string want;
    for (const std::string& x : s1) want += "[" + x + "]";
    want += " |";
    for (const std::string& x : s2) want += " <" + x + ">";
    want += " <t'q>";
    for (const std::string& x : s1) want += " <" + x + ">";
    // (the results step trims a String output)
    want = want.substr(want.find_first_not_of(' '));
    EXPECT_EQ(ran->at("out"), want);
  }
  EXPECT_NE(access(pwned.c_str(), F_OK), 0) << "a list element was run";
  std::system(("rm -rf '" + dir + "'").c_str());
}

TEST(TektonGuardedIf, GuardedTaskScriptsSkipAndWriteNone) {
  if (!HasPython3()) GTEST_SKIP() << "python3 is not available";
  std::optional<lower::tekton::testing::Docs> lowered = LowerToDocs(kGuardedIf);
  ASSERT_TRUE(lowered);
  const lower::tekton::testing::Docs& d = *lowered;
  ASSERT_TRUE(d.tasks.count("describe-guarded"));
  const YAML::Node task = d.tasks.at("describe-guarded");
  EXPECT_EQ(task["spec"]["steps"][0]["name"].as<std::string>(), "guard");
  char dir_template[] = "/tmp/flow-tekton-task-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  // A hostile label: reaches the script through env vars only.
  std::string label = "big'$(touch " + dir + "/pwned)\"; `id`";
  // The branch runs: the program's output is the result.
  auto ran = RunTaskLocally(task, {{"label", label}, {"flow-iter", R"({"value":28,"flow-guard":"true"})"}},
                            dir + "/t");
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->at("out"), label + "=28");
  // The branch is skipped (false, or none where an enclosing guard was false):
  // nothing runs and the result is none; a value that would not validate is never read.
  for (const char* iter : {R"({"value":"x","flow-guard":"false"})", R"({"value":null,"flow-guard":""})", "garbage"}) {
    SCOPED_TRACE(iter);
    auto skipped = RunTaskLocally(task, {{"label", label}, {"flow-iter", iter}}, dir + "/t");
    ASSERT_TRUE(skipped);
    EXPECT_EQ(skipped->at("out"), "");
    EXPECT_NE(access((dir + "/t/ws/run-1/out").c_str(), F_OK), 0) << "the main step ran";
  }
  EXPECT_NE(access((dir + "/pwned").c_str(), F_OK), 0);
  std::system(("rm -rf '" + dir + "'").c_str());
}

TEST(TektonGuardedIf, GuardedCommandAndForeignShellTasksRunOnTheHost) {
  if (!HasPython3()) GTEST_SKIP() << "python3 is not available";
  std::optional<lower::tekton::testing::Docs> lowered = LowerToDocs(kGuardedForeign);
  ASSERT_TRUE(lowered);
  const lower::tekton::testing::Docs& d = *lowered;
  EXPECT_EQ(lower::tekton::testing::StructuralProblems(d), std::vector<std::string>{});
  ASSERT_TRUE(d.tasks.count("tag-guarded"));
  ASSERT_TRUE(d.tasks.count("square-guarded"));
  char dir_template[] = "/tmp/flow-tekton-foreign-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  // A hostile label reaches the argv through an env var: one argument, never parsed.
  std::string label = "big'$(touch " + dir + "/pwned)\"; `touch " + dir + "/pwned` *";
  const YAML::Node tag = d.tasks.at("tag-guarded");
  // A spliced list param: one argument per element, through the step's args ("$@").
  std::vector<std::string> extra = {"a b", "$(touch " + dir + "/pwned)", "", "*"};
  auto ran = RunTaskLocally(tag, {{"label", label}, {"flow-iter", R"({"x":5,"flow-guard":"true"})"}}, dir + "/t",
                            {{"extra", extra}});
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->at("out"), label + ":5|a b|$(touch " + dir + "/pwned)||*");
  // The python script, rendered with its values (a list, a number, an output path).
  const YAML::Node square = d.tasks.at("square-guarded");
  ran = RunTaskLocally(square, {{"flow-iter", R"({"n":12,"flow-guard":"true"})"}}, dir + "/t", {{"sizes", {"1", "4"}}});
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->at("out"), "144");
  // Skipped iterations: nothing runs, the results are none.
  for (const YAML::Node& task : {tag, square}) {
    for (const char* iter : {R"({"x":"5","n":"12","flow-guard":"false"})", R"({"x":null,"n":null,"flow-guard":""})",
                             "garbage"}) {
      SCOPED_TRACE(iter);
      auto skipped = RunTaskLocally(task, {{"label", label}, {"flow-iter", iter}}, dir + "/t",
                                    {{"sizes", {"1"}}, {"extra", extra}});
      ASSERT_TRUE(skipped);
      EXPECT_EQ(skipped->at("out"), "");
      EXPECT_NE(access((dir + "/t/ws/run-1/out").c_str(), F_OK), 0) << "the main step ran";
      EXPECT_NE(access((dir + "/t/ws/run-1/.flow-script").c_str(), F_OK), 0) << "the render step ran";
    }
  }
  EXPECT_NE(access((dir + "/pwned").c_str(), F_OK), 0);
  std::system(("rm -rf '" + dir + "'").c_str());
}

// `shell = "bash -eu"`: a shebang cannot carry two words, so the main step is
// `#!/bin/sh` plus a line that re-executes the file once under `bash -eu`. The
// step script runs here the way Tekton runs it (the file executed, its shebang
// honoured): bash runs the body (array syntax, $BASH_VERSION), once, with the
// marker gone; -e and -u take effect, where the same body under the one-word
// `bash` shrugs off the unset variable and the failed command.
constexpr const char* kShellFlags = R"(
task strict(words: List[String], name: String, mode: String) -> String {
  image  = "bash:5.2"
  shell  = "bash -eu"
  script = """
    echo started >> {{out}}.runs
    case {{mode}} in
      unset) echo "$FLOW_NOT_SET_ANYWHERE" ;;
      fail) false ;;
    esac
    arr=({{words}})
    printf '%s|%s|%s|%s\n' "${BASH_VERSION:+bash}" "${#arr[@]}" {{name}} "${FLOW_SHELL_STARTED-gone}" > {{out}}
  """
}

task lax(words: List[String], name: String, mode: String) -> String {
  image  = "bash:5.2"
  shell  = "bash"
  script = """
    echo started >> {{out}}.runs
    case {{mode}} in
      unset) echo "$FLOW_NOT_SET_ANYWHERE" ;;
      fail) false ;;
    esac
    arr=({{words}})
    printf '%s|%s|%s|%s\n' "${BASH_VERSION:+bash}" "${#arr[@]}" {{name}} "${FLOW_SHELL_STARTED-gone}" > {{out}}
  """
}

workflow main(words: List[String] = ["a"], name: String = "n", mode: String = "ok") -> (a: String, b: String) {
  return (a: strict(words: words, name: name, mode: mode), b: lax(words: words, name: name, mode: mode))
}
)";

TEST(TektonScripts, MultiWordPosixShellRunsTheScriptUnderItOnce) {
  if (std::system("bash -c true 2>/dev/null") != 0 || std::system("timeout 5 true 2>/dev/null") != 0) {
    GTEST_SKIP() << "bash or timeout is not available";
  }
  std::optional<lower::tekton::testing::Docs> lowered = LowerToDocs(kShellFlags);
  ASSERT_TRUE(lowered);
  const lower::tekton::testing::Docs& d = *lowered;
  ASSERT_TRUE(d.tasks.count("strict"));
  ASSERT_TRUE(d.tasks.count("lax"));
  char dir_template[] = "/tmp/flow-tekton-shell-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  // A hostile name: an env var, never source.
  std::string name = "n'$(touch " + dir + "/pwned)\"`id`";
  std::vector<std::string> words = {"a b", "", "$(touch " + dir + "/pwned)"};
  const std::string want = "bash|3|" + name + "|gone";

  // The whole Task (prepare, main, results) through the shared runner (`sh FILE`).
  auto ran = RunTaskLocally(d.tasks.at("strict"), {{"name", name}, {"mode", "ok"}}, dir + "/t", {{"words", words}});
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->at("out"), want);

  auto quote = [](const std::string& value) {
    std::string quoted;
    for (char ch : value) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return "'" + quoted + "'";
  };
  // Runs the main step of `task` as an executable file (as Tekton's entrypoint
  // does); returns the exit status (124: killed by the timeout, i.e. looping).
  auto run_main = [&](const std::string& task, const std::string& mode) {
    std::system(("rm -rf '" + dir + "/ws' && mkdir -p '" + dir + "/ws/run-1'").c_str());
    YAML::Node main;
    for (const YAML::Node& step : d.tasks.at(task)["spec"]["steps"]) {
      if (step["name"].as<std::string>() == "main") main = step;
    }
    EXPECT_TRUE(main["script"]) << task;
    if (!main["script"]) return -1;
    std::map<std::string, std::string> vars = {{"$(workspaces.flow-data.path)", dir + "/ws"},
                                               {"$(context.taskRun.name)", "run-1"},
                                               {"$(params.name)", name},
                                               {"$(params.mode)", mode}};
    auto subst = [&](std::string text) {
      for (const auto& [from, to] : vars) {
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
          text.replace(at, from.size(), to);
        }
      }
      return text;
    };
    std::string file = dir + "/script-" + task;
    std::ofstream(file) << main["script"].as<std::string>();
    std::string cmd = "chmod 755 '" + file + "' && env";
    for (const YAML::Node& e : main["env"]) {
      cmd += " " + e["name"].as<std::string>() + "=" + quote(subst(e["value"].as<std::string>()));
    }
    cmd += " timeout 20 '" + file + "'";
    for (const YAML::Node& a : main["args"]) {
      if (a.as<std::string>() == "$(params.words[*])") {
        for (const std::string& w : words) cmd += " " + quote(w);
      } else {
        cmd += " " + quote(subst(a.as<std::string>()));
      }
    }
    cmd += " >/dev/null 2>'" + dir + "/stderr'";
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  auto read = [&](const std::string& path) {
    std::ifstream in(dir + "/ws/run-1/" + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };

  const std::string script = d.tasks.at("strict")["spec"]["steps"][1]["script"].as<std::string>();
  EXPECT_EQ(script.rfind("#!/bin/sh\n", 0), 0u) << script;
  // bash runs the body once; the marker does not reach it.
  EXPECT_EQ(run_main("strict", "ok"), 0) << read("../../stderr");
  EXPECT_EQ(read("out"), want + "\n");
  EXPECT_EQ(read("out.runs"), "started\n");
  // -u: an unset variable fails the step; -e: so does a failed command.
  for (const char* mode : {"unset", "fail"}) {
    SCOPED_TRACE(mode);
    int status = run_main("strict", mode);
    EXPECT_NE(status, 0);
    EXPECT_NE(status, 124) << "the step did not end";
    EXPECT_EQ(read("out"), "") << "the step went on after the error";
    EXPECT_EQ(read("out.runs"), "started\n");
  }
  // The same body under the one-word `bash` (no flags) goes on.
  EXPECT_EQ(d.tasks.at("lax")["spec"]["steps"][1]["script"].as<std::string>().rfind("#!/usr/bin/env bash\n", 0), 0u);
  for (const char* mode : {"ok", "unset", "fail"}) {
    SCOPED_TRACE(mode);
    EXPECT_EQ(run_main("lax", mode), 0) << read("../../stderr");
    EXPECT_EQ(read("out"), want + "\n");
    EXPECT_EQ(read("out.runs"), "started\n");
  }
  EXPECT_NE(access((dir + "/pwned").c_str(), F_OK), 0);
  std::system(("rm -rf '" + dir + "'").c_str());
}

// A `for` over a list computed at run time: the expression task producing the
// loop's iterations fails with the loop's location and Tekton's matrix limit
// before Tekton would refuse the matrix (with its generic message) when the
// PipelineRun reaches it.
TEST(TektonSimulation, RuntimeListOverTheMatrixLimitFailsAtItsLoop) {
  if (!HasPython3()) GTEST_SKIP() << "python3 is not available";
  PythonEval python;
  Compiled c = CompileSource(R"(task measure(n: Int) -> Int {
  image  = "alpine:3.20"
  script = "echo $(( {{n}} * 7 )) > {{out}}"
}
workflow main(n: Int = 3) -> List[Int] {
  return for i in range(n) { measure(n: i) }
}
)");
  ASSERT_TRUE(c.program) << c.diagnostics;
  const ir::Program& p = *c.program;
  // Tekton's default limit, and a cluster that raised it (`--tekton-max-matrix 300`).
  for (auto [limit, n] : {std::pair<size_t, int>{0, 256}, {0, 257}, {300, 300}, {300, 301}}) {
    SCOPED_TRACE(n);
    size_t max = limit > 0 ? limit : 256;
    {
      diag::CollectingConsumer consumer;
      diag::DiagnosticEmitter emitter(consumer);
      std::vector<lower::Document> docs;
      lower::BuildOptions options;
      options.tekton_max_matrix = limit;
      ASSERT_TRUE(lower::tekton::Lower(p, options, emitter, &docs));
      namespace sim = lower::tekton::testing;
      sim::Docs d = sim::Parse(docs);
      char ws_template[] = "/tmp/flow-tekton-ws-XXXXXX";
      std::string workspace = mkdtemp(ws_template);
      sim::SimOutcome outcome = sim::Simulate(d, {{"n", std::to_string(n)}}, {}, [&](const sim::SimRun& run, auto* results) {
        const YAML::Node task = d.tasks.at(run.task);
        if (run.task.rfind("flow-eval", 0) == 0) {
          std::string value;
          if (!python.RunStep(task["spec"]["steps"][0], run, workspace, &value)) return false;
          if (task["spec"]["results"]) (*results)["value"] = value;
          return true;
        }
        (*results)["out"] = std::to_string(std::stoll(run.params.at("n")) * 7);
        return true;
      });
      std::system(("rm -rf '" + workspace + "'").c_str());
      if (static_cast<size_t>(n) == max) {
        EXPECT_EQ(outcome.failed, std::set<std::string>{});
        ASSERT_GE(outcome.runs.size(), max + 1);  // the loop's list, then one TaskRun per element
        EXPECT_EQ(outcome.results.at("value").substr(0, 8), "[0,7,14,");
      } else {
        ASSERT_EQ(outcome.failed.size(), 1u);
        for (const sim::SimRun& run : outcome.runs) EXPECT_NE(run.task, "measure") << "a TaskRun of the loop started";
        std::string error = python.LastError();
        std::string want = limit > 0 ? "error: /t/main.flow:6:10: this `for` runs over 301 elements, more than the "
                                       "300 combinations the cluster's matrix allows (`--tekton-max-matrix`"
                                     : "error: /t/main.flow:6:10: this `for` runs over 257 elements, more than the "
                                       "256 combinations Tekton's matrix allows by default";
        EXPECT_NE(error.find(want), std::string::npos) << error;
        EXPECT_NE(error.find("default-max-matrix-combinations-count"), std::string::npos) << error;
      }
    }
  }
}

// --- `finally` calls reading each other's results: one merged finally Task ----

// Every task appends to the log (a workflow input): the merged Task, run step by
// step on this host, must run the same calls with the same values as `flowc run`
// (in an order the dependencies allow), honour `try` (none, later calls run),
// `retries` with `backoff` (the wrapper loop), and fail when a call without
// `try` fails, skipping what needs it but still running independent calls.
constexpr const char* kFinallyChain = R"(
task measure(n: Int, log: String) -> Int {
  image  = "alpine:3.20"
  script = """
    echo "measure {{n}}" >> {{log}}
    echo $(( {{n}} * 7 )) > {{out}}
  """
}
task flaky(attempt: Int, log: String, marker: String) -> String {
  image   = "alpine:3.20"
  retries = 2
  backoff = 10ms
  script  = """
    echo "flaky {{attempt}}" >> {{log}}
    if [ ! -f {{marker}} ]; then : > {{marker}}; exit 1; fi
    echo "ok-{{attempt}}" > {{out}}
  """
}
task broken(log: String, code: Int) -> Int {
  image  = "alpine:3.20"
  script = """
    echo "broken {{code}}" >> {{log}}
    exit {{code}}
  """
}
task stats(n: Int, log: String, fail: Bool) -> (total: Int, label: String) {
  image  = "alpine:3.20"
  script = """
    echo "stats {{n}}" >> {{log}}
    if {{fail}}; then exit 1; fi
    echo $(( {{n}} + 1 )) > {{out.total}}
    echo "n={{n}}" > {{out.label}}
  """
}
task tag(x: Int, label: String, log: String) {
  image   = "alpine:3.20"
  command = ["sh", "-c", "echo tag $0 $1 >> $2", "{{x}}", "{{label}}", "{{log}}"]
}
workflow main(n: Int = 3, log: String = "/dev/null", marker: String = "/dev/null", fail: Bool = false) -> Int {
  let m = measure(n: n, log: log)
  finally {
    let f = measure(n: n + 1, log: log)
    let r = try flaky(attempt: f, log: log, marker: marker)
    let b = try broken(log: log, code: 3)
    let s = stats(n: f * 2, log: log, fail: fail)
    tag(x: s.total, label: s.label, log: log)
    tag(x: b ?? -1, label: r ?? "none", log: log)
    tag(x: 0, label: "ordered", log: log) after s
  }
  return m
}
)";

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(TektonFinallyChain, MergedTaskRunsLikeFlowcRun) {
  if (!HasPython3()) GTEST_SKIP() << "python3 is not available";
  Compiled c = CompileSource(kFinallyChain);
  ASSERT_TRUE(c.program) << c.diagnostics;
  const ir::Program& p = *c.program;
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  ASSERT_TRUE(lower::tekton::Lower(p, lower::BuildOptions{}, emitter, &docs));
  for (const diag::Diagnostic& d : consumer.diagnostics()) ADD_FAILURE() << d.message;
  Docs d = Parse(docs);
  EXPECT_EQ(StructuralProblems(d), std::vector<std::string>{});
  // One finally task: the whole chain (every call reads another or is ordered after one).
  ASSERT_TRUE(d.pipeline["spec"]["finally"]);
  ASSERT_EQ(d.pipeline["spec"]["finally"].size(), 1u);
  const YAML::Node pt = d.pipeline["spec"]["finally"][0];
  EXPECT_FALSE(pt["runAfter"]);
  const YAML::Node task = d.tasks.at(pt["taskRef"]["name"].as<std::string>());
  // Values reach the steps through env vars and files, never a script's source.
  for (const YAML::Node& step : task["spec"]["steps"]) {
    EXPECT_EQ(Variables(step["script"].as<std::string>()), std::vector<std::string>{}) << step["name"];
  }

  char dir_template[] = "/tmp/flow-tekton-chain-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  for (bool fail : {false, true}) {
    SCOPED_TRACE(fail ? "a call without try fails" : "every call succeeds or is caught by try");
    std::string tag = fail ? "f" : "s";
    // flowc run (the local runtime, real processes).
    std::string run_dir = dir + "/run-" + tag;
    std::system(("mkdir -p '" + run_dir + "'").c_str());
    std::vector<ir::Value> inputs = {ir::Value::Int(3), ir::Value::String(run_dir + "/log"),
                                     ir::Value::String(run_dir + "/marker"), ir::Value::Bool(fail)};
    runtime::LocalRunOptions options;
    options.cwd = run_dir;
    options.file = "main.flow";
    options.jobs = 1;
    options.verbosity = 0;
    options.use_cache = false;
    std::stringstream out, err;
    int code = runtime::RunLocally(p, p.entry, inputs, options, out, err);
    EXPECT_EQ(code, fail ? 1 : 0) << err.str();
    std::vector<std::string> want = ReadLines(run_dir + "/log");
    // The body's own call is not part of the finally Task.
    auto body = std::find(want.begin(), want.end(), "measure 3");
    ASSERT_NE(body, want.end());
    want.erase(body);

    // The merged Task, step by step (its params as the pipeline task binds them).
    std::string tk_dir = dir + "/tekton-" + tag;
    std::system(("mkdir -p '" + tk_dir + "'").c_str());
    std::map<std::string, std::string> pipeline_args = {
        {"n", "3"}, {"log", tk_dir + "/log"}, {"marker", tk_dir + "/marker"}, {"fail", fail ? "true" : "false"}};
    std::map<std::string, std::string> params;
    for (const YAML::Node& param : pt["params"]) {
      std::string value = param["value"].as<std::string>();
      for (const auto& [k, v] : pipeline_args) {
        std::string ref = "$(params." + k + ")";
        for (size_t at = value.find(ref); at != std::string::npos; at = value.find(ref)) {
          value.replace(at, ref.size(), v);
        }
      }
      params[param["name"].as<std::string>()] = value;
    }
    bool failed = false;
    RunTaskLocally(task, params, tk_dir + "/t", {}, &failed);
    EXPECT_EQ(failed, fail);
    std::vector<std::string> got = ReadLines(tk_dir + "/log");
    // Dependencies first: each line after the lines of the calls it reads.
    auto at = [&](const std::string& line) {
      return std::find(got.begin(), got.end(), line) - got.begin();
    };
    EXPECT_LT(at("measure 4"), at("flaky 28"));
    EXPECT_LT(at("measure 4"), at("stats 56"));
    if (!fail) {
      EXPECT_LT(at("stats 56"), at("tag 57 n=56"));
      EXPECT_LT(at("stats 56"), at("tag 0 ordered"));
    }
    EXPECT_LT(at("broken 3"), at("tag -1 ok-28"));
    // The same calls with the same values (retries included: flaky runs twice).
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want);
  }
  std::system(("rm -rf '" + dir + "'").c_str());
}

}  // namespace
}  // namespace flow

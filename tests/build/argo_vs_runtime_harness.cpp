// The Argo-vs-runtime harness (argo_vs_runtime_harness.h).
#include "tests/build/argo_vs_runtime_harness.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/base/file_system.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/emitter.h"
#include "compiler/driver/compile.h"
#include "compiler/ir/eval.h"
#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/argo_sim_for_test.h"
#include "compiler/lower/argo/lower_argo.h"
#include "compiler/lower/names.h"
#include "runtime/workflow_engine.h"
#include "tests/build/engine_for_test.h"

namespace flow::argo_vs_runtime {
namespace {

using lower::argo::testing::ArgoSimulator;
using lower::argo::testing::PodCall;
using lower::argo::testing::PodResult;

std::string InputText(const ir::Program& p, const ir::Value& v, types::TypeId t) {
  return p.types.IsScalar(t) ? ir::FormatValueText(v, t, p.types) : ir::ValueToJson(v, t, p.types).dump();
}

bool IsFile(const ir::Program& p, types::TypeId t) {
  types::TypeKind k = p.types.KindOf(t);
  return k == types::TypeKind::File || k == types::TypeKind::Dir;
}

/// The identity of the file output `output` of a call of `task` with `inputs`
/// (texts, files by their identity): both sides name a made file this way, so a
/// call's file inputs compare equal exactly when they are the same file.
std::string FileIdentity(const std::string& task, const std::vector<std::string>& inputs,
                         const std::string& output) {
  std::string out = task + "(";
  for (size_t i = 0; i < inputs.size(); ++i) out += (i > 0 ? ", " : "") + inputs[i];
  return out + ")#" + output;
}

/// `value` (what the fake returned) with its file outputs replaced by their identities.
ir::Value WithFileIdentities(const ir::Program& p, const ir::Task& task, const ir::Value& value,
                             const std::vector<std::string>& inputs) {
  if (task.single_output) {
    return IsFile(p, task.outputs[0].type) ? ir::Value::String(FileIdentity(task.name, inputs, "value")) : value;
  }
  std::vector<std::pair<std::string, ir::Value>> fields;
  for (const ir::Output& out : task.outputs) {
    ir::Value field;
    if (IsFile(p, out.type)) {
      field = ir::Value::String(FileIdentity(task.name, inputs, out.name));
    } else if (value.kind() == ir::Value::Kind::Record) {
      for (const auto& [name, v] : value.record()) {
        if (name == out.name) field = v;
      }
    }
    fields.emplace_back(out.name, field);
  }
  return task.outputs.empty() ? value : ir::Value::Record(std::move(fields));
}

/// Runs the synthesized `flow-map-items` helper's real script (sh + awk) with
/// its output directory moved to a private temporary one.
PodResult RunMapItemsHelper(const PodCall& call) {
  PodResult r;
  char dir_template[] = "/tmp/flow-argo-test-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    r.ok = false;
    return r;
  }
  std::string script = call.args.back();
  for (size_t at = script.find("/tmp/flow/out"); at != std::string::npos; at = script.find("/tmp/flow/out", at)) {
    script.replace(at, 13, dir);
  }
  std::string script_file = std::string(dir) + "/script.sh";
  std::ofstream(script_file) << script;
  setenv("FLOW_MAP", call.env.at("FLOW_MAP").c_str(), 1);
  int rc = std::system(("/bin/sh -eu " + script_file + " 2>/dev/null").c_str());
  unsetenv("FLOW_MAP");
  std::ifstream in(std::string(dir) + "/value");
  std::stringstream value;
  value << in.rdbuf();
  r.ok = rc == 0;
  r.outputs["value"] = value.str();
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace

void ExpectSameCalls(std::vector<Invocation> a, std::vector<Invocation> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].task, b[i].task);
    EXPECT_EQ(a[i].inputs, b[i].inputs) << a[i].task;
  }
}

void ExpectSameSuccessfulRun(const EngineRun& local, const ArgoRun& argo) {
  for (const std::string& e : argo.errors) ADD_FAILURE() << e;
  EXPECT_FALSE(local.failed);
  EXPECT_EQ(argo.status, "Succeeded");
  ExpectSameCalls(local.calls, argo.calls);
}

// --- Running a program on both sides ----------------------------------------

/// Compiles `source` with the real front end; the test fails on any error.
std::optional<ir::Program> CompileFlow(const std::string& source) {
  testing::Compiled c = testing::CompileSource(source);
  EXPECT_TRUE(c.program.has_value()) << c.diagnostics;
  return std::move(c.program);
}

std::optional<ir::Program> CompileSourceTreeFile(const std::string& path) {
  std::ifstream in(std::string(FLOW_SOURCE_DIR) + "/" + path);
  std::stringstream source;
  source << in.rdbuf();
  EXPECT_FALSE(source.str().empty()) << path;
  return CompileFlow(source.str());
}

EngineRun RunEngineWith(const ir::Program& p, const FakeFn& fake, const std::map<std::string, ir::Value>& given) {
  EngineRun run;
  testing::EngineOutcome outcome =
      testing::DriveEngine(p, given, [&](const ir::Task& task, const runtime::TaskRequest& r) -> std::optional<ir::Value> {
        Invocation inv{task.name, {}};
        std::map<std::string, std::string> text;
        for (size_t i = 0; i < task.params.size(); ++i) {
          std::string t = InputText(p, r.call.inputs[i], task.params[i].type);
          inv.inputs.push_back(t);
          text[task.params[i].name] = t;
        }
        run.calls.push_back(inv);
        std::optional<ir::Value> value = fake(task.name, text);
        if (!value) return std::nullopt;
        return WithFileIdentities(p, task, *value, inv.inputs);
      });
  run.failed = outcome.failed;
  run.result = outcome.result;
  return run;
}

ArgoRun RunArgoWith(const ir::Program& p, const std::map<std::string, std::string>& args, const FakeFn& fake,
                    lower::BuildOptions options) {
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  bool lowered = lower::argo::Lower(p, options, emitter, &docs);
  EXPECT_TRUE(lowered) << (consumer.diagnostics().empty() ? "" : consumer.diagnostics()[0].message);
  ArgoRun run;
  if (docs.empty()) return run;
  std::map<std::string, const ir::Task*> by_template;
  for (const ir::Task& t : p.tasks) by_template[t.name] = &t;
  std::map<std::string, std::string> identity;  // repository key → identity of the file made there
  ArgoSimulator sim(YAML::Load(docs[0].yaml), [&](const PodCall& call) {
    if (call.tmpl == "flow-map-items") return RunMapItemsHelper(call);
    PodResult r;
    if (call.tmpl == "flow-noop") return r;
    const ir::Task& task = *by_template.at(call.tmpl);
    Invocation inv{task.name, {}};
    std::map<std::string, std::string> text;
    for (const ir::Param& param : task.params) {
      std::string t = call.inputs.at(param.name);
      if (IsFile(p, param.type)) {
        // The file the pod downloads (its input artifact) must be the one the
        // program means (the key it is given): compare by what made it.
        auto art = call.artifacts.find(lower::ParamName(param.name));
        if (art == call.artifacts.end()) {
          run.errors.push_back(call.pod + ": no input artifact for " + param.name);
        } else if (art->second != t) {
          run.errors.push_back(call.pod + ": artifact " + art->second + " is not the file " + t);
        }
        if (identity.count(t)) t = identity.at(t);
      } else if (p.types.ContainsPath(param.type)) {
        // A gathered `List[File]`: its keys, each named by what made it.
        ir::Json keys = ir::Json::parse(t, nullptr, false);
        if (keys.is_array()) {
          for (ir::Json& key : keys) {
            if (key.is_string() && identity.count(key.get<std::string>())) key = identity.at(key.get<std::string>());
          }
          t = keys.dump();
        }
      }
      inv.inputs.push_back(t);
      text[param.name] = t;
    }
    run.calls.push_back(inv);
    std::optional<ir::Value> value = fake(task.name, text);
    r.ok = value.has_value();
    if (!value) return r;
    for (const ir::Output& out : task.outputs) {
      std::string oname = out.name.empty() ? "value" : lower::ParamName(out.name);
      if (IsFile(p, out.type)) {
        // What the script prelude writes: the key of the output artifact.
        std::string key = call.env.at("FLOW_KEY") + "/" + oname;
        identity[key] = FileIdentity(task.name, inv.inputs, out.name.empty() ? "value" : out.name);
        r.outputs[oname] = key;
      } else if (task.single_output) {
        r.outputs[oname] = InputText(p, *value, out.type);
      } else if (value->kind() == ir::Value::Kind::Record) {
        for (const auto& [name, v] : value->record()) {
          if (name == out.name) r.outputs[oname] = InputText(p, v, out.type);
        }
      }
    }
    return r;
  });
  lower::argo::testing::NodeResult result = sim.Run(args);
  run.status = result.status;
  if (result.outputs.count("value")) run.result = result.outputs.at("value");
  run.errors.insert(run.errors.end(), sim.errors().begin(), sim.errors().end());
  return run;
}

}  // namespace flow::argo_vs_runtime

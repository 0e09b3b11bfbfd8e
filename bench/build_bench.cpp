// Benchmark of `flowc build --target argo` on a large workflow (not a test).
//
//   build_bench [CALLS]   (default 10000)
//
// Builds the IR of a workflow with CALLS task calls (a chain of CALLS/10
// stages, each fanning out to 10 independent calls of one task that reads the
// previous stage's value), lowers it to Argo, and reports the time, the output
// size per call, and the ratio to a careful hand-written Argo DAG of the same
// shape (one template, one DAG task per call: name, template, depends, one
// argument), as a human would write from ../shared/k8s-corpus/argo/dag-diamond.yaml.
// Goal (issue 4): under 1 s, at most 1.5x the hand-written size.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/lower/argo/ir_builder_for_test.h"
#include "compiler/lower/argo/lower_argo.h"

using namespace flow;
using lower::argo::testing::IrBuilder;
using types::TypeStore;

namespace {

IrBuilder BigWorkflow(int calls) {
  IrBuilder b;
  ir::Task step;
  step.name = "step";
  step.params = {IrBuilder::Param("n", TypeStore::Int())};
  step.outputs = {ir::Output{"", TypeStore::Int()}};
  step.single_output = true;
  step.output_type = TypeStore::Int();
  step.has_script = true;
  int32_t task = b.AddTask(step);
  b.p.tasks[task].script =
      b.Script({{"echo $(( ", b.Input(0, TypeStore::Int())}, {" + 1 )) > ", b.Out(0, TypeStore::String())}});
  b.SetField(task, ir::TaskField::Image, b.Str("alpine:3.20"));
  ir::Workflow wf;
  wf.name = "main";
  std::vector<ir::StepId> previous;
  for (int i = 0; i < calls; ++i) {
    ir::ExprId arg = previous.empty() ? b.Int(i)
                                      : b.StepRef(previous[static_cast<size_t>(i) % previous.size()], TypeStore::Int());
    std::vector<ir::StepId> deps;
    if (!previous.empty()) deps.push_back(previous[static_cast<size_t>(i) % previous.size()]);
    ir::StepId s = b.Call("call-step-" + std::to_string(i + 1), task, {arg}, deps);
    wf.body.steps.push_back(s);
    if ((i + 1) % 10 == 0) {
      previous.assign(wf.body.steps.end() - 10, wf.body.steps.end());
    }
  }
  b.p.entry = b.AddWorkflow(wf);
  return b;
}

/// What a careful human writes for the same DAG.
size_t HandWrittenSize(int calls) {
  std::string yaml =
      "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: main-\nspec:\n"
      "  entrypoint: main\n  templates:\n  - name: step\n    inputs:\n      parameters:\n      - name: n\n"
      "    outputs:\n      parameters:\n      - name: value\n        valueFrom:\n          path: /tmp/out\n"
      "    script:\n      image: alpine:3.20\n      command: [sh]\n      source: echo $(( {{inputs.parameters.n}} + 1 )) > /tmp/out\n"
      "  - name: main\n    dag:\n      tasks:\n";
  for (int i = 0; i < calls; ++i) {
    std::string name = "step-" + std::to_string(i + 1);
    yaml += "      - name: " + name + "\n        template: step\n";
    if (i >= 10) {
      std::string dep = "step-" + std::to_string((i / 10 - 1) * 10 + (i % 10) + 1);
      yaml += "        depends: " + dep + "\n";
      yaml += "        arguments: {parameters: [{name: n, value: \"{{tasks." + dep + ".outputs.parameters.value}}\"}]}\n";
    } else {
      yaml += "        arguments: {parameters: [{name: n, value: \"" + std::to_string(i) + "\"}]}\n";
    }
  }
  return yaml.size();
}

}  // namespace

int main(int argc, char** argv) {
  int calls = argc > 1 ? std::atoi(argv[1]) : 10000;
  if (calls < 10) calls = 10;
  IrBuilder b = BigWorkflow(calls);
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  std::vector<lower::Document> docs;
  auto start = std::chrono::steady_clock::now();
  bool ok = lower::argo::Lower(b.p, {}, emitter, &docs);
  auto end = std::chrono::steady_clock::now();
  if (!ok || docs.empty()) {
    std::fprintf(stderr, "lowering failed\n");
    return 1;
  }
  double ms = std::chrono::duration<double, std::milli>(end - start).count();
  size_t size = docs[0].yaml.size();
  size_t human = HandWrittenSize(calls);
  std::printf("calls: %d\nlower time: %.1f ms\noutput: %zu bytes (%.1f bytes/call)\n", calls, ms, size,
              static_cast<double>(size) / calls);
  std::printf("hand-written equivalent: %zu bytes (%.1f bytes/call)\nratio: %.2fx\n", human,
              static_cast<double>(human) / calls, static_cast<double>(size) / static_cast<double>(human));
  for (const diag::Diagnostic& d : consumer.diagnostics()) std::printf("diagnostic: %s\n", d.message.c_str());
  return ms < 1000 ? 0 : 2;
}

// `finally` calls that read each other's results (or are ordered by `after`):
// Tekton finally tasks can neither `runAfter` each other nor read each other's
// results, so each connected group ("chain") of such calls becomes ONE finally
// Task whose steps run the calls one after the other, in dependency order
// (steps of a Task run sequentially). Per call C (label P), the steps are:
//
//   P-inputs   the evaluator: skips C (guard "false") unless every call it needs
//              has status ok/none; else computes C's inputs that read chain
//              values (result files of earlier calls) into `P/.flow-iter`
//   P-validate, P-prepare, P-values, P-render, P-main, P-results
//              C's own steps as TaskFor builds them for a guarded call whose
//              chain-fed params are fields of `flow-iter`, every path moved
//              under the call's directory `$(context.taskRun.name)/P`, results
//              written to `P/.flow-result-<name>` instead of Task results;
//              `onError: continue` so later calls still run; `main` carries the
//              call's image, env, computeResources, `timeout` (step timeout) and
//              `retries`/`backoff` (a wrapper loop, RetryWrapperScript)
//   P-status   ok / none (`try` caught a failure: results removed, read as none)
//              / failed / skipped, to `P/.flow-status`
//
// and a last `status` step fails the TaskRun when a call failed or was
// skipped, so the PipelineRun fails as `flowc run` does. What stays E0502: a
// step of the `finally` block other than a task call (an `if`, a `for`, a
// sub-workflow call) that reads a chain call's result.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <numeric>

#include "compiler/lower/tekton/context.h"

namespace flow::lower::tekton {

using ir::StepKind;

std::set<int32_t> Lowering::LowerFinallyChains(const ir::Region& region, Scope& scope, YNode* tasks) {
  std::set<int32_t> handled;
  std::map<int32_t, size_t> position;  // region step → its place (the region is topologically ordered)
  for (size_t i = 0; i < region.steps.size(); ++i) position[region.steps[i].index] = i;
  // The non-`let` region steps each step waits for (pure `let`s are looked through).
  std::map<int32_t, std::set<int32_t>> waits;
  for (ir::StepId id : region.steps) {
    std::set<int32_t>& out = waits[id.index];
    for (ir::StepId d : program_.step(id).deps) {
      if (!position.count(d.index)) continue;
      if (program_.step(d).kind == StepKind::Value) {
        const std::set<int32_t>& through = waits[d.index];  // earlier in the region: computed already
        out.insert(through.begin(), through.end());
      } else {
        out.insert(d.index);
      }
    }
  }
  auto is_task_call = [&](int32_t s) {
    const ir::Step& st = program_.step(ir::StepId{s});
    return st.kind == StepKind::Call && st.callee_kind == ir::CalleeKind::Task;
  };
  // Candidates: task calls waiting only for candidates (task calls), in region order.
  std::set<int32_t> candidates;
  for (ir::StepId id : region.steps) {
    if (!is_task_call(id.index)) continue;
    bool ok = true;
    for (int32_t w : waits[id.index]) ok = ok && candidates.count(w);
    if (ok) candidates.insert(id.index);
  }
  // Connected groups (union-find by region position).
  std::vector<size_t> parent(region.steps.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::function<size_t(size_t)> root = [&](size_t i) { return parent[i] == i ? i : parent[i] = root(parent[i]); };
  for (int32_t c : candidates) {
    for (int32_t w : waits[c]) parent[root(position[c])] = root(position[w]);
  }
  std::map<size_t, std::vector<int32_t>> groups;
  for (ir::StepId id : region.steps) {
    if (candidates.count(id.index)) groups[root(position[id.index])].push_back(id.index);
  }
  std::set<int32_t> members;
  std::vector<std::vector<int32_t>> chains;
  for (auto& [r, g] : groups) {
    if (g.size() < 2) continue;
    members.insert(g.begin(), g.end());
    chains.push_back(g);
  }
  std::sort(chains.begin(), chains.end(),
            [&](const auto& a, const auto& b) { return position[a.front()] < position[b.front()]; });
  for (const std::vector<int32_t>& chain : chains) {
    LowerChain(chain, waits, scope, tasks);
    handled.insert(chain.begin(), chain.end());
  }
  // Other steps reading a merged call's result: no task could give it to them.
  for (ir::StepId id : region.steps) {
    if (members.count(id.index) || program_.step(id).kind == StepKind::Value) continue;
    bool reads = false;
    for (int32_t w : waits[id.index]) reads = reads || members.count(w);
    if (!reads) continue;
    const ir::Step& st = program_.step(id);
    const char* what = st.kind == StepKind::Cond       ? "an `if` in `finally` that depends on a `finally` call"
                       : st.kind == StepKind::Scatter ? "a `for` in `finally` that depends on a `finally` call"
                       : st.kind == StepKind::Call && st.callee_kind == ir::CalleeKind::Workflow
                           ? "a sub-workflow call in `finally` that depends on a `finally` call"
                           : "a call in `finally` that depends on a `finally` call";
    Unsupported(st.loc, what,
                "Tekton `finally` tasks cannot read each other's results or run after each other, and only task "
                "calls are merged into one `finally` Task whose steps run in order",
                "move the dependent logic into a task called in the `finally` block");
    handled.insert(id.index);
  }
  return handled;
}

}  // namespace flow::lower::tekton

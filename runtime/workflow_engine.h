// The workflow state machine: executes the DAG of an ir::Workflow — calls,
// scatters (expanded at run time, nested, `limit`), conditionals, `try`,
// `finally`, sub-workflows — without any OS access. It hands out task calls
// that became ready (TakeReady) and is told how they ended (TaskSucceeded /
// TaskFailed); the scheduler owns processes, retries, timeouts and the cache.
// Model: miniwdl's runtime StateMachine, "agnostic to how/where the driver
// actually executes each call".
//
// Semantics (LANGUAGE.md §5):
//  - a step starts once every step it depends on (data and `after`) has ended;
//  - a failed step makes every step that depends on it `skipped` (also failed);
//    independent steps go on; the region (and so the workflow) ends failed;
//  - `try` turns its call's failure into the value none;
//  - a workflow's `finally` region starts once its body has ended, whether it
//    failed or not; a failure there fails the workflow too;
//  - a scatter starts at most `limit` bodies at once, in element order.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/eval.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/value.h"
#include "runtime/task_call.h"

namespace flow::runtime {

enum class NodeState : uint8_t {
  Waiting,   // dependencies not yet ended
  Active,    // running (a task dispatched, or a body in progress)
  Done,      // ended with a value
  Failed,    // ended with an error (`message`)
  Skipped,   // not run: a dependency failed
  Cancelled, // not finished: the run was cancelled
};
const char* NodeStateName(NodeState state);

/// One instance of a step (a step inside a scatter body has one per element).
struct NodeInfo {
  ir::StepId step;
  int32_t workflow = -1;  // the workflow the step belongs to
  std::string path;       // unique in the run: "for-greet-l7/2/call-greet"
  NodeState state = NodeState::Waiting;
  bool tolerated = false; // a `try` call that failed: Done with none
  std::string message;    // why it failed or was skipped
};

/// A task call the scheduler must run.
struct TaskRequest {
  int32_t node = -1;
  std::string path;
  ResolvedTask call;
};

class WorkflowEngine {
 public:
  explicit WorkflowEngine(const ir::Program& program);

  /// Relative File/Dir paths passed to calls are resolved against `dir`
  /// (tasks run in their own directories). Empty: kept as they are.
  void set_base_dir(std::string dir) { base_dir_ = std::move(dir); }

  /// Starts workflow `workflow` with its inputs (defaults already filled).
  void Start(int32_t workflow, std::vector<ir::Value> inputs);

  /// Task calls that became ready since the last call, in a deterministic order.
  std::vector<TaskRequest> TakeReady();
  /// The same, appended to `*out` (no vector growth: a 10k scatter makes 10k
  /// requests ready at once, and relocating them was a tenth of a no-op rerun).
  void TakeReady(std::deque<TaskRequest>* out);

  void TaskSucceeded(int32_t node, ir::Value value);
  void TaskFailed(int32_t node, std::string message);

  /// Marks every unfinished node cancelled and ends the run.
  void Cancel();

  bool finished() const { return finished_; }
  bool failed() const { return failed_; }
  /// The entry workflow's return value (none without outputs); valid when
  /// finished() && !failed().
  const ir::Value& result() const { return result_; }
  /// Errors that ended the run (failed steps in order), for the user.
  const std::vector<std::string>& errors() const { return errors_; }

  const std::deque<NodeInfo>& nodes() const { return infos_; }

 private:
  enum class ScopeKind : uint8_t { Body, Iteration, Branch, Finally };

  // One per step instance: small, since a 10k scatter makes 10k of them (the
  // state of a scatter step lives apart, in Scatter).
  struct Node {
    int32_t scope = -1;
    int32_t deps_left = 0;
    int32_t scatter = -1;  // index into scatters_ (scatter steps, once active)
    bool upstream_failed = false;
    std::vector<int32_t> dependents;
    ir::Value value;
  };

  struct Scatter {
    std::vector<std::vector<std::pair<ir::VarId, ir::Value>>> items;  // bindings per element
    size_t next_item = 0;
    int64_t limit = -1;
    size_t ended_items = 0;
    std::vector<ir::Value> gathered;
    bool any_failed = false;
  };

  struct Scope {
    ScopeKind kind = ScopeKind::Body;
    int32_t parent = -1;
    int32_t frame = -1;
    int32_t owner = -1;       // the node waiting for this scope (-1: the entry frame)
    size_t item = 0;          // Iteration: the element index
    bool then_branch = true;  // Branch: which one
    const ir::Region* region = nullptr;
    std::string path;         // prefix of node paths
    std::vector<std::pair<ir::VarId, ir::Value>> vars;
    // The node of region->steps[i] is first_node + i (NewScope makes them in
    // one run), so finding a step's node is O(1) and a scope has no map.
    int32_t first_node = 0;
    int32_t left = 0;
    bool failed = false;
  };

  struct Frame {
    int32_t workflow = -1;
    std::vector<ir::Value> inputs;
    int32_t owner = -1;  // the call node (-1: entry)
    int32_t body_scope = -1;
    bool body_failed = false;
    std::string path;
  };

  int32_t NewScope(Scope scope);
  void StartFrame(int32_t workflow, std::vector<ir::Value> inputs, int32_t owner, std::string path);
  void Drain();
  void Activate(int32_t node);
  void ActivateCall(int32_t node, const ir::Step& step);
  void ActivateScatter(int32_t node, const ir::Step& step);
  void StartIterations(int32_t node);
  void Complete(int32_t node, ir::Value value);
  void Fail(int32_t node, std::string message, NodeState state = NodeState::Failed);
  void Ended(int32_t node);
  void ScopeEnded(int32_t scope);
  void FrameEnded(int32_t frame, bool failed);
  ir::EvalEnv EnvFor(int32_t scope) const;
  const ir::Value* LookupStep(int32_t scope, ir::StepId step) const;
  const ir::Value* LookupVar(int32_t scope, ir::VarId var) const;
  bool EvalIn(int32_t scope, ir::ExprId expr, ir::Value* out, std::string* error) const;

  /// The node of step `step` in scope `scope` itself (not its parents), or -1.
  int32_t NodeOf(int32_t scope, ir::StepId step) const;

  const ir::Program& program_;
  // Per program step (by StepId::index): the region listing it and its
  // position there. Built once; a chain of 10k steps otherwise scanned its
  // scope for every dependency and every value it read (O(N^2)).
  std::vector<const ir::Region*> step_region_;
  std::vector<int32_t> step_pos_;
  std::string base_dir_;
  // Deques: growing them never moves the (large) elements already there.
  std::deque<Node> nodes_;
  std::deque<Scatter> scatters_;
  std::deque<NodeInfo> infos_;  // parallel to nodes_
  std::deque<Scope> scopes_;
  std::deque<Frame> frames_;
  std::deque<int32_t> work_;        // nodes whose dependencies have ended
  std::deque<TaskRequest> ready_;
  bool finished_ = false;
  bool failed_ = false;
  ir::Value result_;
  std::vector<std::string> errors_;
};

}  // namespace flow::runtime

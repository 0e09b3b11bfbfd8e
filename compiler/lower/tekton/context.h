// Internal state of one Tekton lowering, shared by the lower_*.cpp files.
//
// Value encoding (docs/targets/tekton.md): every Flow value that crosses a task
// boundary is a Tekton `string` param or result. Scalars (Int, Float, Bool,
// String, File, Dir, Duration, Size, enums) are their text; Lists, Maps,
// records and structs are compact JSON; an optional's none is "" (scalars) or
// `null` (JSON types). A `for` over a list fans out with `matrix`, which needs
// Tekton `array` values: a list iterated by a `for` is an array param, and the
// gathered results of a matrixed task are the array `$(tasks.T.results.R[*])`.
// A Task param receiving such an array is declared `type: array` and reaches
// the step through its `args` (never through the script's source).
//
// Tekton has no expression language: a value is a literal, a `$(...)`
// reference, or a string concatenation of those. Anything needing evaluation
// at run time is computed by a generated expression task (lower_computed.cpp)
// or by a Task's own `values` step (task_values.cpp), both running the
// evaluator of eval_program.h; what no task can compute is E0502 at its location.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/diag/emitter.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/backend.h"
#include "compiler/lower/shell_quote.h"
#include "compiler/lower/tekton/eval_program.h"
#include "compiler/lower/names.h"
#include "compiler/lower/yaml_tree.h"

namespace flow::lower::tekton {

/// The name of the shared workspace every Task mounts (File/Dir values live there).
inline constexpr const char* kWorkspace = "flow-data";
/// Tekton's default matrix limit (default-max-matrix-combinations-count).
inline constexpr size_t kMatrixLimit = 256;
/// Image of synthesized helper steps when `--helper-image` is not given (sh + awk).
inline constexpr const char* kDefaultHelperImage = "alpine:3.20";
/// Tekton's default result size limit (termination-message results).
inline constexpr size_t kResultLimit = 4096;

/// Variable prefixes Tekton substitutes in strings (`$(params.`, `$(tasks.`, ...):
/// a literal holding one would be rewritten by the controller, so it is refused.
bool HasTektonVariable(const std::string& text);

/// Image of the generated expression steps (the evaluator is Python 3, see eval_program.h).
inline constexpr const char* kEvalImage = "python:3.12-slim";

/// A value a Task computes in its `values` step (in-task evaluation): written to
/// `$FLOW_VALUES/<name>` and read by the main step's prelude.
struct ComputedValue {
  std::string name;   // file name and env var name (FLOW_V<n>, or a user env name)
  ir::ExprId expr;    // over the task's inputs, locals and output paths
  std::string mode;   // evaluator output mode: "plain" (text) or "plainlist" (JSON array of texts)
};

/// A Flow value as Tekton sees it: a string (literal text with `$(...)`
/// references), or an array (a `$(...[*])` reference or a literal list).
struct TValue {
  std::string text;                 // string value, or the array reference
  bool array = false;               // an array value
  bool literal_array = false;       // `items` holds the array's elements
  std::vector<std::string> items;   // literal array elements (texts)
  bool constant = false;            // no `$(...)` reference inside (a literal)
  bool matrix = false;              // one iteration's value: the array a `matrix` fans out over
  /// Computed under a per-iteration `if` guard (see Scope::guard): the text of
  /// an iteration whose guard was false is none ("" or `null`) whatever the type,
  /// so expression tasks read it leniently.
  bool guarded = false;
  /// A per-iteration value (`matrix`): the loop nesting level (1 = outermost
  /// `for`) whose iterations it is aligned with. A `for` inside a `for` runs
  /// over the flattened (outer, inner) iterations, where an outer value is
  /// re-aligned by Lowering::AtLevel.
  int level = 0;
};

/// Whether an expression of `kind` is computed from its operands (a literal, an
/// operator, a constructor, a builtin call, a field access, a comprehension,
/// a conversion or an interpolation), as opposed to one that names a value: a
/// workflow or task input, an output path, a step's value or a variable. Every
/// place that maps an expression to Tekton values (lower_computed.cpp,
/// task_values.cpp, lower_task.cpp) handles the value-naming kinds and the
/// exceptions it knows, and leaves the rest to run-time evaluation.
bool NeedsEvaluation(ir::ExprKind kind);

/// The evaluator's JSON list of the IR variables `vars` (a comprehension's loop variables).
ir::Json VarsJson(const std::vector<ir::VarId>& vars);

/// `[for k in range(len(first source)) { Rec { f: source(f)[k], ... } }]` in
/// `p`: the list of records of type `elem` (a record or struct) from one
/// source array per field, aligned by index; `var` is the generated loop
/// variable. `source(f)` adds field `f`'s array (-1: not available).
/// Returns the list node, or -1 when a source was not available.
int ZipFieldArrays(EvalProgram& p, const types::TypeStore& types, ir::TypeId elem, int var,
                   const std::function<int(const types::Field&)>& source);

/// The names of the pipeline tasks `tasks` holds from index `from` on.
std::vector<std::string> TaskNamesSince(const YNode& tasks, size_t from);

/// A `{name, value}` entry of an `env` list.
YNode EnvEntry(const std::string& name, const std::string& value);
/// A step running the generated evaluator (eval_program.h) with `env` (FLOW_PROGRAM
/// first) and `args` (array sources, each followed by kListEnd).
/// `prologue` (Python lines) runs before the evaluator.
YNode EvalStepNode(const std::string& name, YNode env, YNode args, const std::string& prologue = "");
/// The file a guarded Task's `guard` step writes: "true" when this TaskRun runs.
std::string GuardFile();

/// One expression pipeline task being assembled (Lowering::PushExprTask): its
/// evaluator program, the kinds of its sources (EvalTask letters) and the params
/// that feed them.
struct ExprTask {
  explicit ExprTask(const ir::Program& p) : program(p) {}
  EvalProgram program;
  std::string kinds;
  YNode params = YNode::Seq();
  /// Adds `v` as a source of type table entry `type_index`: an array (argument
  /// segment) when it is an array, a literal list or a per-iteration value, else
  /// a string (env var). Returns the source index.
  int AddSource(const TValue& v, int type_index);
  /// AddSource and a `src` node reading it; returns the node.
  int AddSourceNode(const TValue& v, int type_index);
  /// Adds a source read from workspace file `path` (none when absent).
  int AddFile(const std::string& path, ir::TypeId type);
};

/// What a lowered step of the current scope produced.
struct StepInfo {
  std::vector<std::string> tasks;  // pipeline tasks created for it (for runAfter)
  std::optional<TValue> value;     // its value, when it is one Tekton value
  std::map<std::string, TValue> fields;  // a record value, field by field
  bool conditional = false;        // computed under `if`: not usable outside (Tekton skips consumers)
  bool lowered = false;
  ir::ExprId pure;                 // a pure `let`: its expression, translated where it is used
  std::string unavailable;         // why the value cannot be used ("" = see value/fields)
};

/// How expressions of one (inlined) workflow body reach their values.
struct Scope {
  const ir::Workflow* workflow = nullptr;
  std::string prefix;                  // pipeline task name prefix (inlined sub-workflows)
  std::vector<TValue> inputs;          // one per workflow param
  std::map<int32_t, StepInfo> steps;   // by StepId index
  /// Inside a `for` body: loop variable → the matrix param it iterates, and per-iteration
  /// body steps (their StepValue is one iteration's result).
  std::map<int32_t, TValue> loop_vars;
  /// A loop variable over the gathered records of another `for`: its fields, each matrixed.
  std::map<int32_t, std::map<std::string, TValue>> loop_var_fields;
  bool in_scatter = false;             // lowering a `for` body (tasks are matrixed)
  std::vector<std::string> base_after; // tasks every task of this scope runs after (inlining)
  bool finally = false;                // lowering the `finally` block
  YNode when = YNode::Seq();           // `when` entries gating every task of this region
  YNode* tasks = nullptr;              // where generated tasks (expression tasks) of this region go
  /// Inside an `if` inside a `for`: the per-iteration guard, an array aligned with
  /// the iterations holding "true" where the branch runs ("false" or "" where it
  /// does not). Tekton's `when` tests one value for the whole matrix, so guarded
  /// Tasks get their iteration's guard and skip themselves (writing none results),
  /// and expression tasks compute none for those iterations.
  std::optional<TValue> guard;
  /// Inside a `for` body: one per-iteration value of the loop (its length is the
  /// number of iterations), and the body's value expression.
  std::optional<TValue> iteration_ref;
  ir::ExprId scatter_value;
  /// Computed() must give one value per iteration even when nothing it reads
  /// changes from one iteration to the next (a guard's condition).
  bool per_iteration = false;
  /// The loop nesting level being lowered (0 outside `for`), and per level L > 1
  /// the array aligned with level L's iterations holding the index of the
  /// enclosing level's iteration (`parents[L]`).
  int level = 0;
  std::vector<TValue> parents;
  std::map<std::string, TValue> realigned;  // AtLevel cache: value text and level → realigned value
};

/// One Task param as a call site needs it.
struct TaskParamShape {
  bool matrix = false;  // fed by `matrix` (gets a never-used default so linters see it supplied)
  /// Not a Tekton param: a field of the per-iteration JSON param `flow-iter`
  /// (a call inside `for` whose inputs Tekton cannot pair up; see LowerCall).
  bool virtual_param = false;
};

/// A task whose `shell` is not a POSIX shell, as TaskFor assembled it (see Lowering::ForeignSteps).
struct ForeignScript {
  std::string shell;                  // the `shell` field (interpreter words)
  std::string render;                 // ForeignScriptRender's lines
  std::string prelude;                // sh lines setting the bound variables (lists, `??` fallbacks)
  std::string helper;                 // the helper image (sh + awk)
  std::vector<std::string> bound;     // the bound variables (FLOW_V<n>)
  std::vector<ComputedValue> computed;  // values of the `values` step (bound ones and computed env)
  std::vector<std::string> exported;  // computed `env` entries the program reads
  bool uses_lists = false;            // the prelude decodes list args
  bool guarded = false;               // a per-iteration guarded Task
};

class Lowering {
 public:
  Lowering(const ir::Program& program, const BuildOptions& options, diag::DiagnosticEmitter& diags)
      : program_(program), options_(options), diags_(diags) {}

  /// Builds every document; false on error.
  bool Run(std::vector<Document>* out);

  // --- lower_value.cpp ----------------------------------------------------------
  /// The Tekton value of workflow expression `expr` in `scope`; nullopt after an E0502.
  std::optional<TValue> Value(ir::ExprId expr, Scope& scope);
  /// A constant's value, if `expr` needs no run-time input.
  std::optional<ir::Value> Constant(ir::ExprId expr) const;
  /// The list expression a spliced `{{xs}}` argv element names (`*expr`), and
  /// that expression with conversions stripped (null when there is none).
  const ir::Expr* SplicedSource(const ir::ArgvElement& element, ir::ExprId* expr) const;
  /// Text encoding (see the file comment) of a constant of `type`.
  std::string EncodeConstant(const ir::Value& value, ir::TypeId type) const;
  /// True if values of `type` are JSON text (not scalar text).
  bool IsJsonType(ir::TypeId type) const;
  /// `when` entries that hold exactly when `cond` is true (or false with `negate`).
  bool WhenEntries(ir::ExprId cond, bool negate, Scope& scope, YNode* entries);

  // --- lower_computed.cpp ------------------------------------------------------
  /// Value() without diagnostics (nullopt: not a plain Tekton value).
  std::optional<TValue> Probe(ir::ExprId expr, Scope& scope);
  /// An expression pipeline task computing `expr` (an array result with
  /// `array_result`); its value. nullopt after an E0502.
  /// With `write_target`, the task writes the value to that workspace file
  /// instead (the returned value's text is the pipeline task's name).
  /// `wrap` may build more nodes around the serialized expression (returns the
  /// new root). Inside `for`, an expression reading per-iteration values is
  /// computed for every iteration at once: the value is then an array aligned
  /// with the iterations (`matrix`).
  /// `serialize` adds another expression with the same sources (-1 on failure).
  using WrapFn = std::function<int(EvalProgram&, int root, const std::function<int(ir::ExprId)>& serialize)>;
  std::optional<TValue> Computed(ir::ExprId expr, Scope& scope, bool array_result = false,
                                 const std::string& label = "", const std::string& write_target = "",
                                 const WrapFn& wrap = nullptr);
  /// A per-iteration record `{name: value}` of `values` (each per-iteration or
  /// not), one array element per iteration: the `flow-iter` matrix of a call
  /// whose inputs Tekton's matrix cannot pair up.
  std::optional<TValue> ZipIterations(const std::vector<std::pair<std::string, ir::TypeId>>& fields,
                                      const std::vector<TValue>& values, Scope& scope, ir::Loc loc,
                                      const std::string& label);
  /// The CEL text of `cond` (negated with `negate`) for `--cel-when`, when it
  /// compares validated numbers and booleans; nullopt otherwise.
  std::optional<std::string> Cel(ir::ExprId cond, bool negate, Scope& scope);
  /// The shared Task evaluating a program over `sources` (one letter each: s
  /// string, a array, f workspace file) with `result` s (string), a (array) or
  /// w (written to a workspace file).
  std::string EvalTask(const std::string& sources, char result);
  /// The value of an `if` with a value: a pipeline task reading the file its
  /// branch wrote (`writers`: the writing tasks); returns its name.
  std::string SelectBranchValue(const ir::Step& step, const std::vector<std::string>& writers,
                                const std::string& target, Scope& scope);
  /// Appends to `scope.tasks` the expression pipeline task running `t` (Task
  /// EvalTask(t.kinds, result)), named `scope.prefix + label`, gated by
  /// `scope.when`, running after `after`, writing `write_target` (result 'w').
  /// Returns its name; "" after an E0502 (a constant holding `$(...)`).
  std::string PushExprTask(ExprTask& t, char result, const std::string& label, ir::Loc loc, Scope& scope,
                           const std::vector<std::string>& after, const std::string& write_target = "");
  /// True if `v` reads the result of a pipeline task that is not one of the
  /// Pipeline's regular `tasks` (a finally task's: no other task can read it).
  bool FinallyResult(const TValue& v) const;
  /// Binds the shared workspace to a pipeline task.
  static void BindWorkspace(YNode* pipeline_task);

  // --- lower_task.cpp -----------------------------------------------------------
  /// The Task for a call of task `task_index` with `overrides`, the param shapes
  /// of the call site, `try` semantics and a per-iteration guard (`guarded`: the
  /// field `flow-guard` of `flow-iter` says whether this TaskRun does anything);
  /// created on first use. "" on error.
  std::string TaskFor(int32_t task_index, const std::vector<ir::FieldOverride>& overrides,
                      const std::vector<TaskParamShape>& shapes, bool is_try, bool guarded, ir::Loc call_loc,
                      int64_t* backoff_ms, int64_t* timeout_ms, int64_t* retries);

  // --- foreign_shell.cpp ------------------------------------------------------------
  /// The `render` and `main` steps of a foreign-shell task (`shell = "python3"`):
  /// `render` (helper image) runs the prelude and writes the script with its
  /// values to the TaskRun's `.flow-script`; `main` (the task's image, which
  /// needs /bin/sh) checks the guard, exports the computed `env` and `exec`s the
  /// interpreter on it. Splits `*env` (the main step's env so far) between
  /// them; moves `*args` (list segments) to `render`.
  void ForeignSteps(const ForeignScript& f, YNode* env, YNode* args, YNode* steps, YNode* main);

  // --- guarded_command.cpp ------------------------------------------------------------
  /// The main step of a `command` task called under an `if` inside `for`: a POSIX
  /// sh script that ends the step unless the iteration's guard is "true", then
  /// `exec`s the argv as sh words (literal text single-quoted, values as
  /// "${VAR}" references to env vars: never parsed). Values are Tekton
  /// substitutions in env (`text`) or computed by a `values` step (appended to
  /// `*steps`), e.g. the fields of `flow-iter`. One spliced list param reaches
  /// the script as `args` ("$@"). False after an E0502.
  bool GuardedCommand(const ir::Task& task, const std::vector<bool>& virtual_params, bool is_try,
                      const std::function<std::optional<std::string>(ir::ExprId, int)>& text, YNode* env, YNode* args,
                      YNode* steps, YNode* main);

  // --- task_values.cpp ------------------------------------------------------------
  /// The `values` step of a Task: evaluates `values` from the Task's params
  /// (`virtual_params`: params that are not Tekton params but fields of the JSON
  /// param `flow-iter`, see LowerCall; `guarded`: it does nothing when the
  /// TaskRun's guard is not "true"). False after an E0502.
  bool ValuesStep(const ir::Task& task, const std::vector<ComputedValue>& values,
                  const std::vector<bool>& virtual_params, bool is_try, bool guarded, YNode* step);
  /// Main-step prelude lines reading `values` (and exporting user env entries).
  static std::string ValuesPrelude(const std::vector<ComputedValue>& values, const std::vector<std::string>& exported);

  // --- lower_finally_chain.cpp ----------------------------------------------------
  /// In a `finally` region: every connected group of task calls that read one
  /// another's results (or are ordered by `after`) becomes ONE finally Task
  /// whose steps run the calls in dependency order, values passing through
  /// files (Tekton finally tasks can neither `runAfter` nor read each other).
  /// Appends its pipeline task to `*tasks`; returns the region steps it
  /// handled (lowered, or refused with E0502), which LowerRegion skips.
  std::set<int32_t> LowerFinallyChains(const ir::Region& region, Scope& scope, YNode* tasks);
  /// One chain (region steps in dependency order; `waits`: the chain calls each
  /// waits for) as one finally Task and its pipeline task (lower_finally_task.cpp).
  void LowerChain(const std::vector<int32_t>& chain, const std::map<int32_t, std::set<int32_t>>& waits,
                  Scope& scope, YNode* tasks);

  // --- lower_pipeline.cpp -------------------------------------------------------
  /// Lowers every step of `region` into pipeline tasks appended to `*tasks`.
  void LowerRegion(const ir::Region& region, Scope& scope, YNode* tasks);
  void LowerCall(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  void LowerScatter(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  /// A `for` whose body is one inner `for`: both loops as one matrix over the
  /// flattened iterations (lower_nested_for.cpp). False when it does not apply.
  bool LowerNestedScatter(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  void LowerScatterBody(const ir::Step& step, int32_t index, const TValue& iterable, Scope& scope, YNode* tasks);
  /// A `for` inside a `for` body (lower_flat_for.cpp): one matrix over the
  /// flattened (outer iteration, element) pairs, its value regrouped per outer
  /// iteration.
  void LowerFlattenedScatter(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  /// `v` aligned with the iterations of `scope.level` (an expression task
  /// re-indexes a value of an enclosing loop level through `scope.parents`).
  TValue AtLevel(const TValue& v, Scope& scope);
  void LowerCond(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  /// An `if` inside a `for` body (lower_guarded_if.cpp): its branches are lowered
  /// under per-iteration guards (Scope::guard), its value selected per iteration.
  void LowerGuardedCond(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  /// Whether the value of `if` step `step` is read (bound by `let`, or returned).
  bool ValueIsUsed(const ir::Step& step, int32_t index, const Scope& scope) const;
  void InlineWorkflow(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  /// The pipeline tasks `step` must run after (data and `after` deps, through pure steps).
  std::vector<std::string> RunAfter(const ir::Step& step, const Scope& scope) const;

  // --- helpers --------------------------------------------------------------------
  /// The matrix limit the target cluster enforces: `--tekton-max-matrix`, else Tekton's default.
  size_t MatrixLimit() const { return options_.tekton_max_matrix > 0 ? options_.tekton_max_matrix : kMatrixLimit; }
  /// The reason a matrix over more than MatrixLimit() elements is refused.
  std::string MatrixLimitReason() const;
  /// The end of the run-time message of a loop over more elements (EvalProgram::SetMatrixLimit).
  std::string MatrixLimitNote() const;
  SourceRange Range(ir::Loc loc) const { return SourceRange{FileId{loc.file}, loc.begin, loc.end}; }
  void Unsupported(ir::Loc loc, const std::string& what, const std::string& why);
  void Unsupported(ir::Loc loc, const std::string& what, const std::string& why, const std::string& note);
  const types::TypeStore& types() const { return program_.types; }
  /// Tekton duration text ("1h30m", "90s", "500ms").
  static std::string GoDuration(int64_t millis);
  /// A `tekton.dev/v1` document of `kind` labelled as made by flowc; `name_key`
  /// is "name" or "generateName".
  static YNode Resource(const char* kind, const char* name_key, const std::string& name, YNode spec);

  const ir::Program& program_;
  const BuildOptions& options_;
  diag::DiagnosticEmitter& diags_;
  bool ok_ = true;
  std::vector<YNode> task_docs_;                 // Task documents, in creation order
  NameScope task_names_;                         // Task (document) names
  std::map<std::string, std::string> task_keys_; // variant key → Task name
  NameScope pipeline_task_names_;                // pipeline task names (one namespace)
  std::vector<int32_t> workflow_stack_;          // inlining stack (recursion guard)
  int expr_depth_ = 0;                           // guards deep expressions
  YNode* finally_tasks_ = nullptr;               // the Pipeline's `finally` section (sub-workflows add to it)
  YNode* dag_tasks_ = nullptr;                   // the Pipeline's `tasks` (expression tasks of `finally` values go there)
  bool pip_reported_ = false;                    // `--pipelines-in-pipelines` was refused
  bool cel_noted_ = false;                       // the CEL feature-flag warning was given
  bool quiet_ = false;                           // probing: Unsupported() reports nothing
  std::map<std::string, TValue> computed_;       // expression tasks already created (by scope and expr)
  /// Building the steps of a merged `finally` chain (lower_finally_chain.cpp):
  /// TaskFor keys its variants apart, ValuesStep reads `flow-iter` from a file.
  bool chain_ = false;
  std::map<std::string, YNode> chain_specs_;     // chain variants by Task name (specs, not documents)
};

}  // namespace flow::lower::tekton

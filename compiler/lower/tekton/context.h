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
// at run time is reported as E0502 with the location of the expression.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/emitter.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/backend.h"
#include "compiler/lower/shell_quote.h"
#include "compiler/lower/names.h"
#include "compiler/lower/yaml_tree.h"

namespace flow::lower::tekton {

/// The name of the shared workspace every Task mounts (File/Dir values live there).
inline constexpr const char* kWorkspace = "flow-data";
/// Tekton's default matrix limit (default-max-matrix-combinations-count).
inline constexpr size_t kMatrixLimit = 256;
/// Tekton's default result size limit (termination-message results).
inline constexpr size_t kResultLimit = 4096;

/// A Flow value as Tekton sees it: a string (literal text with `$(...)`
/// references), or an array (a `$(...[*])` reference or a literal list).
struct TValue {
  std::string text;                 // string value, or the array reference
  bool array = false;               // an array value
  bool literal_array = false;       // `items` holds the array's elements
  std::vector<std::string> items;   // literal array elements (texts)
  bool constant = false;            // no `$(...)` reference inside (a literal)
  bool matrix = false;              // one iteration's value: the array a `matrix` fans out over
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
};

/// One Task param as a call site needs it.
struct TaskParamShape {
  bool matrix = false;  // fed by `matrix` (gets a never-used default so linters see it supplied)
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
  /// Text encoding (see the file comment) of a constant of `type`.
  std::string EncodeConstant(const ir::Value& value, ir::TypeId type) const;
  /// True if values of `type` are JSON text (not scalar text).
  bool IsJsonType(ir::TypeId type) const;
  /// `when` entries that hold exactly when `cond` is true (or false with `negate`).
  bool WhenEntries(ir::ExprId cond, bool negate, Scope& scope, YNode* entries);

  // --- lower_task.cpp -----------------------------------------------------------
  /// The Task for a call of task `task_index` with `overrides`, the param shapes
  /// of the call site and `try` semantics; created on first use. "" on error.
  std::string TaskFor(int32_t task_index, const std::vector<ir::FieldOverride>& overrides,
                      const std::vector<TaskParamShape>& shapes, bool is_try, ir::Loc call_loc,
                      int64_t* backoff_ms, int64_t* timeout_ms, int64_t* retries);

  // --- lower_pipeline.cpp -------------------------------------------------------
  /// Lowers every step of `region` into pipeline tasks appended to `*tasks`.
  void LowerRegion(const ir::Region& region, Scope& scope, YNode* tasks);
  void LowerCall(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  void LowerScatter(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  void LowerScatterBody(const ir::Step& step, int32_t index, const TValue& iterable, Scope& scope, YNode* tasks);
  void LowerCond(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  void InlineWorkflow(const ir::Step& step, int32_t index, Scope& scope, YNode* tasks);
  /// The pipeline tasks `step` must run after (data and `after` deps, through pure steps).
  std::vector<std::string> RunAfter(const ir::Step& step, const Scope& scope) const;

  // --- helpers --------------------------------------------------------------------
  SourceRange Range(ir::Loc loc) const { return SourceRange{FileId{loc.file}, loc.begin, loc.end}; }
  void Unsupported(ir::Loc loc, const std::string& what, const std::string& why);
  void Unsupported(ir::Loc loc, const std::string& what, const std::string& why, const std::string& note);
  const types::TypeStore& types() const { return program_.types; }
  /// Tekton duration text ("1h30m", "90s", "500ms").
  static std::string GoDuration(int64_t millis);

  const ir::Program& program_;
  const BuildOptions& options_;
  diag::DiagnosticEmitter& diags_;
  bool ok_ = true;
  std::vector<YNode> task_docs_;                 // Task documents, in creation order
  NameScope task_names_;                         // Task (document) names
  std::map<std::string, std::string> task_keys_; // variant key → Task name
  NameScope pipeline_task_names_;                // pipeline task names (one namespace)
  std::vector<int32_t> workflow_stack_;          // inlining stack (recursion guard)
  std::vector<std::string> all_tasks_;           // every non-finally pipeline task
  int expr_depth_ = 0;                           // guards deep expressions
};

}  // namespace flow::lower::tekton

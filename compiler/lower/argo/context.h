// Internal state of one Argo lowering, shared by the lower_*.cpp files.
//
// Value encoding (docs/targets/argo.md): every Flow value that crosses a step
// boundary is an Argo parameter. Scalars (Int, Float, Bool, String, File, Dir,
// Duration, Size, enums) are their text; Lists, Maps, records, structs and
// optionals are JSON (none is `null`). A File/Dir value is the key of an
// object in the artifact repository. Per-iteration values of a `for` body are
// always JSON wrapped in a one-element list (`[v]`), so Argo's aggregation of a
// fan-out's outputs (JSON only when every value is a list or object) yields a
// typed JSON list of them, which the gather unwraps. JSON text that Argo
// computes is rendered as `flowc run` renders it (lower_json.cpp).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/diag/emitter.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/argo/lower_argo.h"
#include "compiler/lower/names.h"
#include "compiler/lower/yaml_tree.h"
#include "compiler/lower/backend.h"
#include "compiler/lower/shell_quote.h"

namespace flow::lower::argo {

/// A value a nested DAG template receives from the template that invokes it.
struct FreeRef {
  enum class Kind : uint8_t { Input, Var, Step, StepField };
  Kind kind = Kind::Input;
  int32_t index = -1;  // param index, VarId or StepId index
  ir::TypeId type;     // the type as seen where it is referenced
  std::string field;   // StepField: one named output of a task call
  FreeRef() = default;
  FreeRef(Kind k, int32_t i, ir::TypeId t, std::string f = "") : kind(k), index(i), type(t), field(std::move(f)) {}
  friend bool operator<(const FreeRef& a, const FreeRef& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.index != b.index) return a.index < b.index;
    return a.field < b.field;
  }
};

/// How expressions of one DAG template reach their values.
struct Scope {
  const ir::Workflow* workflow = nullptr;
  /// Set in a task's container template: inputs are its own parameters (File
  /// inputs are local paths), `let`s are inlined, output paths are local.
  const ir::Task* task = nullptr;
  /// The workflow's own DAG template: workflow inputs are its own parameters.
  bool top = false;
  /// The entry workflow's templates: artifact keys start at the literal root
  /// instead of a `flow-scope` input.
  bool root = false;
  std::string root_key;  // with `root`: e.g. "flow/{{workflow.uid}}"
  /// DAG task names used in this template.
  NameScope task_names;
  /// Entry workflow's exit handler: inputs are `workflow.parameters.*`.
  bool global_inputs = false;
  /// Steps of this template's region → DAG task name (then-branch name for a Cond).
  std::map<int32_t, std::string> local_steps;
  std::map<int32_t, std::string> local_else;  // Cond steps with an else branch
  /// Loop variables bound by this template's own inputs → parameter name.
  std::map<int32_t, std::string> own_vars;
  /// Values received from the enclosing template (filled on demand), in first-use order.
  std::map<FreeRef, std::string> free;
  std::vector<FreeRef> free_order;
  NameScope param_names;
  /// The artifact-key prefix parameter of this template.
  std::string scope_param = "flow-scope";
  /// The DAG holds a `try` call: its tasks use `dependencies` lists, because Argo
  /// allows `continueOn` (how a tried call's failure lets the DAG go on) only without `depends`.
  bool uses_dependencies = false;
  /// Helper DAG tasks added while lowering the region's steps (appended after them).
  std::vector<YNode> extra_tasks;
  /// `File`/`Dir` values this template receives from its caller as input
  /// artifacts (a workflow input, a task call's file output), with the artifact
  /// name, in first-use order. The key parameter travels alongside (`free`).
  std::vector<std::pair<FreeRef, std::string>> free_artifacts;
  /// Entry exit handler only: entry `File`/`Dir` inputs it declares as input
  /// artifacts, which Argo fills by name from the Workflow's `arguments.artifacts`.
  std::vector<int32_t> global_artifacts;
  NameScope artifact_names;
};

/// A translated expression: expr-lang code producing the *native* value (numbers
/// as numbers, containers as parsed JSON, strings as strings, none as nil).
struct NativeExpr {
  std::string code;
};

/// Rewrites `}}` outside expr-lang string literals as `} }` so code can sit in a `{{=...}}` tag.
std::string SafeTagCode(const std::string& code);

/// An Argo parameter path, in template (`tasks.a.outputs.parameters.value`) and
/// expression (`tasks['a'].outputs.parameters['value']`) spelling.
struct ParamPath {
  std::string dotted;  // empty: only readable through an expression (`code`)
  std::string code;
  /// The parameter value reading it: `{{dotted}}`, else `{{=code}}`.
  std::string Tag() const { return dotted.empty() ? "{{=" + SafeTagCode(code) + " }}" : "{{" + dotted + "}}"; }
};

/// How the gathered value of the loop run by DAG task `task` is read: `[]` when it had no iteration.
ParamPath GatherPath(const std::string& task);

/// Where `ref` is read in `scope`: its own input, a local task's output, or a
/// value received from the enclosing template (registered in `scope.free`).
/// Nullopt for local steps whose value needs an expression (records, `try`, `if`).
std::optional<ParamPath> RefPath(const ir::Program& program, const FreeRef& ref, Scope& scope);

class Lowering {
 public:
  Lowering(const ir::Program& program, const BuildOptions& options, diag::DiagnosticEmitter& diags)
      : program_(program), options_(options), diags_(diags) {}

  /// Builds the whole document; false on error.
  bool Run(YNode* document);

  // --- lower_expr.cpp ---------------------------------------------------------
  /// expr-lang code for `expr` in `scope`; nullopt (after an E0502) if Argo cannot evaluate it.
  std::optional<NativeExpr> Native(ir::ExprId expr, Scope& scope);
  /// An Argo parameter value (text per the value encoding) for `expr`: a literal,
  /// a plain `{{...}}` reference, or a `{{=...}}` expression. `json` forces JSON encoding.
  std::optional<std::string> ParamValue(ir::ExprId expr, Scope& scope, bool json = false);
  /// The parameter value passing `ref` from `scope` (the enclosing template) to a nested one.
  std::optional<std::string> FreeRefValue(const FreeRef& ref, Scope& scope, ir::Loc loc);
  /// expr-lang code for the value of step `step_index` (seen as `type`) from `scope`.
  std::optional<NativeExpr> StepNative(int32_t step_index, ir::TypeId type, Scope& scope, ir::Loc loc);
  // --- lower_json.cpp ---------------------------------------------------------
  /// expr-lang code giving Flow's text of a Float (`1.0`, `1e+20`: ir::FormatFloat).
  static std::string FloatText(const std::string& code);
  /// expr-lang code giving a Float as `flowc run` prints it inside JSON (`2.0`, `1e+15`).
  static std::string JsonFloatText(const std::string& code);
  /// expr-lang code giving the text a scalar of `type` interpolates as.
  std::string ScalarText(const std::string& code, ir::TypeId type) const;
  /// True if Go's `toJson` of a value of `type` can differ from `flowc run`'s JSON
  /// (a Float inside; record/struct field order; map key order).
  bool NeedsJsonText(ir::TypeId type, int depth = 0) const;
  /// expr-lang code giving `flowc run`'s compact JSON text of native `code` of
  /// Flow type `type` (fields in declaration order, Flow's floats; a map read
  /// back from JSON has its keys sorted, as Go left them).
  std::string JsonText(const std::string& code, ir::TypeId type, int depth = 0) const;
  /// `flowc run`'s JSON text of `expr` (list, map and record literals in their
  /// written order, constants exactly); nullopt (after an E0502) if Argo cannot compute it.
  std::optional<std::string> JsonTextOf(ir::ExprId expr, Scope& scope);
  /// True unless `e` is a struct literal whose fields are not in declaration order.
  bool StructInOrder(const ir::Expr& e) const;
  /// expr-lang code for a builtin call.
  std::optional<NativeExpr> BuiltinNative(ir::ExprId expr, Scope& scope);
  /// If `expr` is `s.name` for a task call `s` with named outputs (not `try`), that output.
  std::optional<FreeRef> TaskOutputField(const ir::Expr& expr) const;
  /// A constant's value, if `expr` needs no run-time input.
  std::optional<ir::Value> Constant(ir::ExprId expr) const;

  // --- lower_task.cpp ---------------------------------------------------------
  /// The container template for a call of task `task_index` with `overrides`; created on first use.
  std::string TaskTemplate(int32_t task_index, const std::vector<ir::FieldOverride>& overrides,
                           ir::Loc call_loc);

  /// The env value for one script binding (or argv interpolation) in a task template.
  std::optional<std::string> BindingValue(const EnvBinding& binding, Scope& scope);
  /// One argv element of a command task.
  std::optional<std::string> ArgvValue(const ir::ArgvElement& element, Scope& scope, ir::Loc loc);

  // --- lower_dag.cpp ----------------------------------------------------------
  /// Lowers `region` into a DAG template named `name` (returned), whose free
  /// values are reported in `scope`. `result` (may be invalid) becomes output `value`,
  /// as `[value]` with `wrap_result` (a loop body: see GatherPath).
  std::string RegionTemplate(const std::string& name, const ir::Region& region, ir::ExprId result,
                             bool result_json, Scope& scope, bool wrap_result = false);
  /// The DAG template of workflow `index` (created on first use).
  std::string WorkflowTemplate(int32_t index);
  /// The exit-handler template of workflow `index`'s `finally` (created on first use),
  /// or "" when it has none. `scope_out` receives the values it needs.
  std::string FinallyTemplate(int32_t index, bool entry, Scope** scope_out);
  /// The artifact-key prefix of `scope` as an Argo string.
  static std::string ScopeKey(const Scope& scope);
  void LowerCall(const ir::Step& step, const std::string& name, Scope& scope, YNode& task);
  void LowerScatter(const ir::Step& step, const std::string& name, Scope& scope, YNode& task);
  void LowerCond(const ir::Step& step, const std::string& name, bool else_branch, Scope& scope, YNode& task);
  /// The artifact-key prefix under which every file of a `List[File]` argument lies.
  std::string GatherPrefix(ir::ExprId arg, const Scope& scope, ir::Loc loc);
  /// A template that does nothing (for DAGs with no task of their own).
  std::string NoopTemplate();
  // --- lower_helpers.cpp --------------------------------------------------------
  /// The helper template turning a JSON map (input `map`) into the JSON list of its
  /// `{key, value}` entries in the map's order (output `value`); created on first use.
  std::string MapItemsTemplate();
  /// Passes the free values of `inner` from `outer` as arguments of `task`.
  void PassFreeValues(const Scope& inner, Scope& outer, ir::Loc loc, YNode& params);
  /// `depends` of a step: its non-pure dependencies (through pure `let`s).
  std::string Depends(const ir::Step& step, const Scope& scope);
  /// Sets `depends` (or, in a DAG with a `try`, `dependencies`) of `task` for `step`,
  /// plus the local helper task `extra` when not empty.
  void SetDepends(const ir::Step& step, const Scope& scope, YNode& task, const std::string& extra = "");
  /// The non-pure steps `step` waits for (through pure `let`s), sorted.
  std::vector<int32_t> DepTargets(const ir::Step& step) const;

  // --- lower_artifacts.cpp -------------------------------------------------------
  /// True if workflow input `param` travels as an input artifact (a `File` or `Dir`).
  bool IsArtifactParam(const ir::Param& param) const;
  /// The `from` of the artifact holding the `File`/`Dir` value of `expr` in the
  /// DAG template of `scope` (`{{inputs.artifacts.X}}` or
  /// `{{tasks.T.outputs.artifacts.Y}}`), registering values received from the
  /// enclosing template; nullopt for values no artifact holds (computed ones).
  std::optional<std::string> ArtifactFrom(ir::ExprId expr, Scope& scope);
  /// True if `step` calls a sub-workflow whose DAG template declares output artifact `name`.
  bool WorkflowOutputArtifact(const ir::Step& step, const std::string& name) const;
  /// As ArtifactFrom, for a value named by `ref`.
  std::optional<std::string> RefArtifact(const FreeRef& ref, Scope& scope);
  /// One `arguments.artifacts` entry named `name`: `from` the artifact holding
  /// `expr`, else the key-only repository location `key` (the value's key text).
  void AddArtifactArgument(YNode& artifacts, const std::string& name, ir::ExprId expr, const std::string& key,
                           Scope& scope);
  /// The `inputs.artifacts` a DAG template with `scope` declares.
  YNode ArtifactInputs(const Scope& scope) const;
  /// `arguments.artifacts` handing `inner`'s received artifacts over from `outer`.
  YNode PassFreeArtifacts(const Scope& inner, Scope& outer, ir::Loc loc);
  /// The `outputs.artifacts` of a workflow's DAG template (`scope.top`) for its
  /// result: `value` for a returned `File`/`Dir`, the field's name for one in a
  /// returned record, each `from` the artifact holding it; recorded in
  /// `workflow_output_artifacts_` so callers read them as their tasks' outputs.
  YNode WorkflowOutputArtifacts(ir::ExprId result, Scope& scope);

  // --- helpers -----------------------------------------------------------------
  SourceRange Range(ir::Loc loc) const { return SourceRange{FileId{loc.file}, loc.begin, loc.end}; }
  void Unsupported(ir::Loc loc, const std::string& what, const std::string& why);
  const types::TypeStore& types() const { return program_.types; }
  /// True if values of `type` are JSON-encoded parameters (not scalar text).
  bool IsJsonType(ir::TypeId type) const;
  /// Escapes literal `{{` so Argo does not expand it.
  static std::string EscapeBraces(const std::string& text);
  /// An expr-lang string literal for `text`.
  static std::string ExprString(const std::string& text);
  /// Converts native code of `type` to the parameter text encoding.
  std::string NativeToParam(const std::string& code, ir::TypeId type, bool json) const;
  /// Native code reading parameter reference `ref` (expr-lang path) holding `type`.
  std::string ParamToNative(const std::string& ref, ir::TypeId type) const;
  /// Code checking that parameter `ref` is `true` or `false`: `when_true`/`when_false`
  /// for those, else the step fails with a message before any user code runs.
  static std::string ValidBool(const std::string& ref, const std::string& when_true, const std::string& when_false);

  const ir::Program& program_;
  const BuildOptions& options_;
  diag::DiagnosticEmitter& diags_;
  bool ok_ = true;
  YNode templates_ = YNode::Seq();
  NameScope template_names_;
  std::map<std::string, std::string> task_templates_;  // task index + override key → name
  std::map<int32_t, std::string> workflow_templates_;
  /// Workflow index → the output artifacts its DAG template declares.
  std::map<int32_t, std::set<std::string>> workflow_output_artifacts_;
  std::map<std::pair<int32_t, bool>, std::string> finally_templates_by_kind_;
  std::map<std::pair<int32_t, bool>, Scope> finally_scopes_;
  std::vector<int32_t> workflow_stack_;
  std::string noop_template_;
  std::string map_items_template_;
  /// Variables bound inside the expression being translated (Let, Comprehension) → code.
  std::map<int32_t, std::string> expr_vars_;
  int comprehension_depth_ = 0;  // guards against recursion (already an E0402)
};

}  // namespace flow::lower::argo

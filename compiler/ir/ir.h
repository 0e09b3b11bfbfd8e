// The typed IR: the only thing the runtime, the backends and `flowc graph` read.
//
// A Program holds tasks (typed templates) and workflows (DAGs of steps). All
// entities live in flat vectors of the Program and refer to each other by int32
// ids (ExprId, StepId, VarId), never by pointer. The IR is self-contained: it has
// its own TypeStore and plain source locations, and nothing here points into the
// AST. docs/ir.md describes it for users; `flowc ir FILE` prints it as JSON.
//
// Invariants (checked by VerifyProgram in verify_ir.h):
//  - every ExprId/StepId/VarId is in range; every expression has a valid type;
//  - a Region's steps are listed in a topological order of their deps;
//  - a step's deps are steps of the same Region (a dependency on a step of an
//    enclosing region is lifted to the enclosing step that contains the user);
//  - `after_deps` is a subset of `deps`.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/operators.h"
#include "compiler/ir/value.h"
#include "compiler/types/type_store.h"

namespace flow::ir {

using types::TypeId;

template <typename Tag>
struct Id {
  int32_t index = -1;
  bool valid() const { return index >= 0; }
  friend bool operator==(Id a, Id b) { return a.index == b.index; }
  friend bool operator!=(Id a, Id b) { return a.index != b.index; }
  friend bool operator<(Id a, Id b) { return a.index < b.index; }
};
using ExprId = Id<struct ExprTag>;
using StepId = Id<struct StepTag>;
using VarId = Id<struct VarTag>;

/// A source position for messages at run time ("examples/etl.flow:12:5").
/// `file` indexes Program::files and is also the FileId of the SourceManager the
/// program was compiled with, so a backend can turn a Loc back into a
/// SourceRange{FileId{file}, begin, end} for a diagnostic with a caret.
struct Loc {
  int32_t file = -1;
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t begin = 0;  // byte offsets of the construct
  uint32_t end = 0;
};

// ---------------------------------------------------------------------------
// Expressions (pure)
// ---------------------------------------------------------------------------
enum class BuiltinId : uint8_t {
#define FLOW_BUILTIN(id, name, signature, doc) id,
#include "stdlib/builtins.def"
};

enum class ExprKind : uint8_t {
  Literal,        // `literal`
  Input,          // parameter `index` of the enclosing task or workflow
  Var,            // local variable `var` (for-loop variable, or a task-body `let`)
  StepValue,      // the value of step `step`. Inside that step's own region: the
                  // value of this iteration/branch; outside a scatter: the gathered
                  // list; outside a Cond without else: an optional
  OutputPath,     // task bodies only: the path of output `index` (`{{out}}`, `{{out.NAME}}`)
  Field,          // operands[0].`name` (record or struct field)
  Index,          // operands[0][operands[1]] (list index, or map key); fails at run time if absent
  Unary,          // `unary_op` operands[0]
  Binary,         // operands[0] `binary_op` operands[1] (`and`/`or`/`??` short-circuit)
  List,           // [operands...]
  Map,            // {operands[0]: operands[1], operands[2]: operands[3], ...}
  Record,         // (names[i]: operands[i]); type is a Record or a Struct type
  Cond,           // pure `if`: operands[0] ? operands[1] : operands[2] (operands[2] may be a none literal)
  Comprehension,  // pure `for`: for vars in operands[0] yield operands[1]
  Let,            // `var` = operands[0] in operands[1] (a `let` inside a pure block)
  Builtin,        // `builtin`(operands...), arguments in the builtin's parameter order
  Interpolate,    // string made of parts: text_parts[0] + str(operands[0]) + text_parts[1] + ...
                  // (text_parts.size() == operands.size() + 1)
  Convert,        // implicit conversion of operands[0] to `type` (Int→Float, T→T?, String→File/Dir,
                  // element-wise through containers)
};

using flow::BinaryOp;  // compiler/base/operators.h, shared with the AST
using flow::Precedence;
using flow::Spelling;
using flow::UnaryOp;

// (Small fields first: a large workflow holds tens of thousands of these.)
struct Expr {
  ExprKind kind = ExprKind::Literal;
  UnaryOp unary_op = UnaryOp::Neg;     // Unary
  BinaryOp binary_op = BinaryOp::Add;  // Binary
  BuiltinId builtin = BuiltinId::Len;  // Builtin
  TypeId type;
  Loc loc;
  int32_t index = -1;                  // Input, OutputPath
  VarId var;                           // Var, Let
  StepId step;                         // StepValue
  Value literal;                       // Literal
  std::vector<ExprId> operands;
  std::vector<VarId> vars;             // Comprehension: 1 or 2 loop variables (see Step::vars)
  std::string name;                    // Field
  std::vector<std::string> names;      // Record field names, parallel to operands
  std::vector<std::string> text_parts; // Interpolate
};

/// A local variable: a loop variable or a `let` inside a task body or pure block.
struct Var {
  std::string name;
  TypeId type;
  Loc loc;
};

// ---------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------
enum class TaskField : uint8_t {
#define FLOW_TASK_FIELD(id, name, type) id,
#include "compiler/ir/task_fields.def"
};
inline constexpr size_t kTaskFieldCount = 0
#define FLOW_TASK_FIELD(id, name, type) +1
#include "compiler/ir/task_fields.def"
    ;
const char* TaskFieldName(TaskField field);

struct Param {
  std::string name;
  TypeId type;
  ExprId default_value;  // invalid: required. Over constants only (and earlier params? no: constants only)
  std::string doc;
  Loc loc;
};

/// One piece of a script or argv template: literal text, or an interpolated
/// expression over the task's inputs, locals and outputs. How a value is escaped
/// depends on the text around it (compiler/lower/shell_quote.h decides).
struct TemplatePart {
  std::string text;   // literal text (when `expr` is invalid)
  ExprId expr;        // interpolated value
  bool raw = false;   // `{{raw(x)}}`: pasted unescaped
  Loc loc;
};

struct Template {
  std::vector<TemplatePart> parts;
};

/// One element of a `command` argv list.
struct ArgvElement {
  Template tmpl;        // the argument's text
  bool splice = false;  // the element is exactly `{{xs}}` with xs a List: one argument per element
};

struct Output {
  std::string name;  // "" for the single output of `-> T`
  TypeId type;
};

/// A task-body `let`, evaluated in order before the fields and the program.
struct TaskLocal {
  VarId var;
  ExprId value;
};

struct Task {
  std::string name;            // as declared
  std::string module;          // "" for the entry file, else the import name ("files", "train")
  std::string qualified_name;  // "name" or "module.name"
  std::vector<Param> params;
  std::vector<Output> outputs;   // empty: no outputs
  bool single_output = false;    // declared `-> T` (value is the output itself, not a record)
  TypeId output_type;            // T, or the record type of the named outputs; invalid if none
  std::vector<TaskLocal> locals;
  std::array<ExprId, kTaskFieldCount> fields;  // invalid: not set (runtime/backend default)
  bool has_script = false;       // else `command`
  Template script;               // multi-line strings already dedented
  std::vector<ArgvElement> command;
  std::string doc;
  Loc loc;
  std::string digest;            // hex digest of the task's normalized definition (cache keys)
};

// ---------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------
enum class StepKind : uint8_t {
  Call,     // a task or workflow call
  Scatter,  // `for`: runs `body` once per element, gathering `body_value`
  Cond,     // `if`: runs `then_body` or `else_body`
  Value,    // a pure `let` (kept as a node so graphs and backends can show it)
};

enum class CalleeKind : uint8_t { Task, Workflow };

struct FieldOverride {
  TaskField field;
  ExprId value;
};

/// A set of steps that run together: a workflow body, a scatter body, a branch,
/// or a `finally` block. Listed in a topological order.
struct Region {
  std::vector<StepId> steps;
};

struct Step {
  StepKind kind = StepKind::Call;
  std::string id;       // unique in its workflow, readable and stable: "call-train",
                        // "call-train-2", "for-train-l12", "if-l5", "let-n"
  std::string binding;  // the `let` name bound to this step, if any
  Loc loc;
  TypeId type;          // the step's value (for body steps: of one iteration)
  std::vector<StepId> deps;        // same-region steps this waits for (data and `after`), sorted
  std::vector<StepId> after_deps;  // the subset named by `after` (ordering only)

  // Call
  CalleeKind callee_kind = CalleeKind::Task;
  int32_t callee = -1;                   // index into Program::tasks or Program::workflows
  std::vector<ExprId> args;              // one per callee parameter; invalid: use its default
  std::vector<FieldOverride> overrides;  // `with { ... }`
  bool is_try = false;                   // `try`: failure becomes none; type is optional

  // Scatter
  std::vector<VarId> vars;  // 1 var; or 2: (key, value) over a Map, or the two fields of
                            // a 2-field record element (enumerate/zip) over a List
  ExprId iterable;          // a List or a Map
  ExprId limit;             // invalid: no limit
  Region body;
  ExprId body_value;        // per-iteration value; invalid when the `for` has no value

  // Cond
  ExprId cond;
  Region then_body;
  ExprId then_value;        // invalid when the branch has no value
  bool has_else = false;
  Region else_body;
  ExprId else_value;

  // Value
  ExprId value;
};

struct Workflow {
  std::string name;
  std::string module;
  std::string qualified_name;
  std::vector<Param> params;
  TypeId output_type;           // invalid: no outputs
  bool record_output = false;   // declared `-> (a: T, ...)`
  Region body;
  Region finally_body;          // runs after everything in `body` has ended
  ExprId result;                // the `return` value; invalid without outputs
  std::optional<std::string> schedule;  // cron, from `schedule = "..."`
  std::string doc;
  Loc loc;
};

struct Program {
  types::TypeStore types;
  std::vector<std::string> files;  // source paths, indexed by Loc::file
  std::vector<Expr> exprs;
  std::vector<Step> steps;
  std::vector<Var> vars;
  std::vector<Task> tasks;
  std::vector<Workflow> workflows;
  int32_t entry = -1;              // index of the entry workflow, -1 if none
  /// Struct TypeId index → one default per field, in declaration order (an
  /// invalid ExprId where the field has none). Pure, over constants only; used
  /// to complete struct values read from JSON (`-i`, task outputs).
  std::map<int32_t, std::vector<ExprId>> struct_defaults;

  const Expr& expr(ExprId id) const { return exprs[id.index]; }
  const Step& step(StepId id) const { return steps[id.index]; }
  const Var& var(VarId id) const { return vars[id.index]; }
  /// "file:line:col" for messages.
  std::string Where(Loc loc) const;
};

}  // namespace flow::ir

// The generated evaluator of Tekton "expression" steps.
//
// Tekton has no expression language, so a Flow expression computed at run time
// (arithmetic over task results, builtins, records, `{{rec.field}}` inside a
// script, the per-iteration values of a `for`, ...) is evaluated by a small
// Python program (EvalScript(), run in `python:3.12-slim` by default) that
// mirrors compiler/ir/eval.cpp and eval_builtin.cpp. What it computes is JSON
// data, an EvalProgram: a type table, the expression DAG, the sources (values
// the pipeline supplies: env vars FLOW_S<n> for strings, argument segments for
// arrays) and the outputs (written to the files named by FLOW_R<n>). Values are
// never spliced into the program text; values of the program itself (string
// literals) reach the step as an env var, where Tekton does not substitute
// anything but `$(...)` references (refused in constants by the backend).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/ir/value_json.h"

namespace flow::lower::tekton {

/// The Python source of the evaluator (a fixed text: no program data in it).
const char* EvalScript();

/// The Tekton text of a value (docs/targets/tekton.md): compact JSON for lists,
/// maps, records and structs (`null` for none), else the value's text ("" for none).
std::string TektonText(const ir::Value& value, ir::TypeId type, const types::TypeStore& types);

/// How the serializer treats one sub-expression (asked before it looks inside).
struct Leaf {
  enum class Kind : uint8_t {
    Expand,      // serialize the node and its operands
    Source,      // a value the pipeline supplies: `source`
    Substitute,  // serialize `substitute` in its place (a task-body `let`)
    Node,        // an already added node: `source` (see AddRawNode)
    Fail,        // not available (the caller reports why)
  };
  Kind kind = Kind::Expand;
  int source = -1;
  ir::ExprId substitute;
};

/// Builds the JSON program the evaluator runs.
class EvalProgram {
 public:
  explicit EvalProgram(const ir::Program& program) : program_(program) {}

  /// Adds a source: a Tekton string (`array` false, env FLOW_S<n>) or array
  /// (the `segment`-th argument list) holding a value of `type`. Returns its index.
  int AddSource(bool array, ir::TypeId type, int segment);
  /// Serializes `expr`, asking `leaf` about every node; -1 when a node failed
  /// (`*failed` is that node).
  int AddExpr(ir::ExprId expr, const std::function<Leaf(ir::ExprId)>& leaf, ir::ExprId* failed);
  /// Adds an output written to the file named by FLOW_R<n>, in `mode`: "text"
  /// (the Tekton text), "array" (a Tekton array result: a JSON array of the
  /// list's element texts), "plain" (the interpolation text, as a script sees
  /// it) or "plainlist" (a JSON array of the element interpolation texts).
  void AddOutput(int node, const std::string& mode);
  /// The type table index of `type` (added on first use).
  int TypeIndex(ir::TypeId type) { return Type(type); }
  /// Adds an anonymous record type with `fields` (for generated values).
  int AddRecordType(const std::vector<std::pair<std::string, ir::TypeId>>& fields);
  /// Adds a source whose type is type table entry `type_index` (see AddListType).
  int AddSourceOfIndex(bool array, int type_index, int segment);
  /// Adds the type `List[elem]` to the table (the IR may not have it).
  int AddListType(ir::TypeId elem);
  /// Adds the type `List[T]` for type table entry `elem_index`.
  int AddListOfIndex(int elem_index);
  /// `T?` for type table entry `elem_index` (added, unless it is optional already).
  int AddOptionalOfIndex(int elem_index);
  /// The type table entry of node `node`.
  int NodeType(int node) const { return exprs_[static_cast<size_t>(node)][1].get<int>(); }
  /// Adds a lenient form of type table entry `elem_index` for sources: text that
  /// does not read as that type is none (the results of a task a per-iteration
  /// `if` skipped are none texts even where the type is not optional).
  int AddLaxOfIndex(int elem_index);
  /// Adds an anonymous record type whose fields are type table entries.
  int AddRecordOfIndices(const std::vector<std::pair<std::string, int>>& fields);
  /// Adds a source read from the file named by FLOW_S<n> (none when it does not exist).
  int AddFileSource(ir::TypeId type);
  /// Adds a string source of type table entry `type_index`.
  int AddRawSource(int type_index);
  /// Adds a file source (as AddFileSource) of type table entry `type_index`.
  int AddRawFileSource(int type_index);
  /// Adds a node written directly in the evaluator's form; returns its index.
  int AddRawNode(ir::Json node) { return Node(std::move(node)); }
  /// "file:line:col" printed with a run-time error.
  void SetWhere(std::string where) { where_ = std::move(where); }
  /// The program's array outputs are the iterations of a Tekton `matrix` (a
  /// `for` over a list known only at run time): the step fails, naming the
  /// loop (`loop_where`, "file:line:col") and `limit`, when one has more than
  /// `limit` elements, before Tekton would refuse the matrix with its own
  /// message when the PipelineRun reaches it.
  /// `note` ends the message: who sets the limit and how to raise it.
  void SetMatrixLimit(size_t limit, std::string loop_where, std::string note) {
    matrix_limit_ = limit;
    matrix_where_ = std::move(loop_where);
    matrix_note_ = std::move(note);
  }

  int source_count() const { return static_cast<int>(sources_.size()); }
  int output_count() const { return static_cast<int>(outputs_.size()); }
  /// The program as compact JSON (the value of FLOW_PROGRAM).
  std::string Json() const;

 private:
  int Type(ir::TypeId type);
  int Node(ir::Json node);
  int Serialize(ir::ExprId expr, const std::function<Leaf(ir::ExprId)>& leaf, ir::ExprId* failed, int depth);

  const ir::Program& program_;
  ir::Json types_ = ir::Json::array();
  std::map<int32_t, int> type_index_;
  ir::Json exprs_ = ir::Json::array();
  std::map<int32_t, int> expr_index_;  // ExprId → node, for nodes serialized without substitution context
  ir::Json sources_ = ir::Json::array();
  ir::Json outputs_ = ir::Json::array();
  std::string where_;
  size_t matrix_limit_ = 0;  // 0: no matrix check
  std::string matrix_where_;
  std::string matrix_note_;
};

}  // namespace flow::lower::tekton

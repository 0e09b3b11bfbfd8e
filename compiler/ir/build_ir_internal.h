// The IR builder's internal state, shared by the build_ir_*.cpp files. Not a
// public header: other phases read only ir.h.
//
// Lowering is one pass per declaration. Expressions are lowered by a
// "lowerer" that knows where it stands: in a pure context (constants,
// defaults, task bodies, pure blocks) calls cannot occur; in a region context
// (a workflow body, a scatter body, a branch, `finally`) every task or workflow
// call becomes a Call step appended to the current region and is referenced by
// a StepValue expression. `let`s are lowered on first use (names resolve in any
// textual order), in the region or pure block where they stand.
#pragma once

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/ADT/StringSet.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/check/checked_program.h"
#include "compiler/ir/ir.h"

namespace flow::ir {

/// Which Region of the IR a RegionBuilder fills once sorted.
enum class RegionSlot : uint8_t { WorkflowBody, WorkflowFinally, ScatterBody, Then, Else };

/// A region being built: its steps (in creation order, sorted at the end).
struct RegionBuilder {
  int32_t id = -1;         // index into IrBuilder::regions_
  StepId owner;            // the Scatter/Cond step whose body this is; invalid at top level
  RegionSlot slot = RegionSlot::WorkflowBody;
  std::vector<StepId> steps;
};

/// How a `let` is reachable once lowered.
struct LetBinding {
  enum class State : uint8_t { Unlowered, InProgress, Done } state = State::Unlowered;
  RegionBuilder* region = nullptr;  // region lets: the region it stands in
  bool pure = false;                // a let of a pure block or a task body: a Var
  struct PureBlock* block = nullptr;  // pure lets: the block that binds it
  StepId step;                      // region lets: the step holding its value
  VarId var;                        // pure lets
  ExprId value;                     // pure lets: the lowered value
};

/// One open pure block: its lets in the order they were lowered (dependencies first).
struct PureBlock {
  std::vector<const ast::LetStmt*> order;
};

class IrBuilder {
 public:
  IrBuilder(check::CheckedProgram& checked, const SourceManager& sources, Program& out);
  void Run();

  // --- build_ir.cpp: declarations, locations, helpers ---
  Loc ToLoc(SourceRange range) const;
  TypeId TypeOf(const ast::Node* node) const;
  TypeId TypeOfTypeExpr(const ast::TypeExpr* type) const;
  ExprId AddExpr(Expr expr);
  StepId AddStep(Step step);
  /// True if `stmt` is a `let` or expression statement with an `after` list.
  static bool HasAfter(const ast::Node* stmt);
  VarId AddVar(std::string name, TypeId type, SourceRange range);
  ExprId Literal(Value value, TypeId type, SourceRange range);
  /// `expr` converted to `to` (a Convert node) when its type differs and the
  /// conversion is implicit; `expr` itself otherwise. A `none` literal is retyped.
  ExprId ConvertTo(ExprId expr, TypeId to);
  /// Folds a pure expression to a literal if it evaluates without inputs.
  ExprId Fold(ExprId expr);
  const check::DeclRef* RefOf(const ast::Node* node) const;
  const check::CallBinding* CallOf(const ast::CallExpr* call) const;
  /// True if `node` (an expression, statement or block) contains a task or workflow call.
  bool ContainsCall(const ast::Node* node);

  // --- build_ir_expr.cpp: expressions ---
  ExprId LowerExpr(const ast::Expr* expr);
  /// `expr` lowered and converted to `want`.
  ExprId LowerAs(const ast::Expr* expr, TypeId want);
  ExprId LowerName(const ast::NameExpr* expr);
  ExprId LowerField(const ast::FieldExpr* expr);
  ExprId LowerString(const ast::StringLit* lit);
  ExprId LowerBinary(const ast::BinaryExpr* expr);
  ExprId LowerStruct(const ast::StructExpr* expr);
  ExprId LowerBuiltin(const ast::CallExpr* call, const check::CallBinding& binding);
  ExprId LowerPureIf(const ast::IfExpr* expr);
  ExprId LowerPureFor(const ast::ForExpr* expr);
  /// A block in a pure context: its lets become nested Let expressions.
  ExprId LowerPureBlock(const ast::Block* block, TypeId want);
  ExprId ConstValue(const ast::ConstDecl* decl);
  ExprId StructFieldDefault(TypeId struct_type, size_t field);
  ExprId LetRef(const ast::LetStmt* let, SourceRange use);
  void EnsureLet(const ast::LetStmt* let);
  std::vector<VarId> LoopVars(const ast::ForExpr* expr, TypeId iterable);

  // --- build_ir_workflow.cpp: workflows, steps and regions ---
  void BuildWorkflow(const ast::WorkflowDecl* decl, Workflow& wf);
  ExprId LowerCall(const ast::CallExpr* call, bool is_try, SourceRange range);
  ExprId LowerScatter(const ast::ForExpr* expr);
  ExprId LowerCondStep(const ast::IfExpr* expr);
  /// Lowers the statements of a block into `region` (the current one); returns the
  /// lowered result (invalid when the block has none).
  ExprId LowerRegionBlock(const ast::Block* block, TypeId want);
  void LowerStatements(const std::vector<ast::Stmt*>& stmts);
  void DeclareLets(const std::vector<ast::Stmt*>& stmts, bool pure);
  void LowerRegionLet(const ast::LetStmt* let);
  /// Records that the steps `stmt` created wait for the steps named in `after`.
  void ApplyAfter(const std::vector<ast::Ident>& after, const ast::Node* stmt);
  std::string UniqueStepId(std::string base);
  /// Sorts every region of the current workflow and stores it in its slot.
  void FinishRegions(Workflow& wf);
  void AssignStepIds(size_t first_step);
  void LowerExprStmt(const ast::ExprStmt* stmt);
  RegionBuilder* NewRegion(StepId owner, RegionSlot slot);
  /// The ancestor of `step` (or `step` itself) that stands in region `region`; invalid if none.
  StepId LiftToRegion(StepId step, int32_t region) const;
  void ComputeDeps(StepId step);
  void CollectStepRefs(ExprId expr, std::vector<StepId>* out) const;
  void CollectStepRefsOfStep(StepId step, std::vector<StepId>* out) const;
  std::string FirstCallee(const Region& body) const;

  // --- build_ir_task.cpp: tasks ---
  void BuildTask(const ast::TaskDecl* decl, Task& task);
  Template LowerTemplate(const ast::Expr* expr);
  static TypeId TaskFieldType(TaskField field, types::TypeStore& types);
  std::vector<ArgvElement> LowerCommand(const ast::Expr* expr);

  check::CheckedProgram& checked_;
  const SourceManager& sources_;
  Program& out_;

  // Declarations → indexes.
  llvm::DenseMap<const ast::Node*, int32_t> task_index_;
  llvm::DenseMap<const ast::Node*, int32_t> workflow_index_;
  llvm::DenseMap<const ast::Node*, int32_t> decl_module_;
  std::map<int32_t, const ast::StructDecl*> struct_decls_;  // struct TypeId index → decl
  llvm::DenseMap<const ast::Node*, ExprId> const_values_;
  llvm::DenseMap<const ast::Node*, bool> contains_call_;

  // State of the callable being lowered.
  const ast::CallableDecl* callable_ = nullptr;
  int32_t module_ = 0;
  bool in_workflow_ = false;
  RegionBuilder* region_ = nullptr;                  // null in a pure context
  llvm::DenseMap<const ast::Node*, LetBinding> lets_;
  std::vector<llvm::DenseMap<llvm::StringRef, const ast::LetStmt*>> let_scopes_;  // for `after` names
  std::vector<PureBlock*> pure_blocks_;
  llvm::DenseMap<const ast::Node*, std::vector<VarId>> loop_vars_;  // ForExpr → its vars
  llvm::StringSet<> step_ids_;                       // ids used in this workflow
  llvm::StringMap<int> next_suffix_;                 // id base → next "-N" to try
  // Statement with an `after` → the steps it created (other statements need no list).
  llvm::DenseMap<const ast::Node*, std::vector<StepId>> stmt_steps_;
  std::vector<int32_t> step_region_;                 // per step: the id of its region (-1: none)
  std::map<int32_t, std::vector<StepId>> after_targets_;  // step index → steps named by `after`
  std::vector<std::unique_ptr<RegionBuilder>> regions_;   // of the current workflow
  const ast::Node* current_stmt_ = nullptr;
};

}  // namespace flow::ir

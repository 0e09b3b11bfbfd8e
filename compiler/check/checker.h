// The checker's internal state, shared by the check_*.cpp files. Not a public
// header: other phases read only checked_program.h.
//
// Checking is one pass per declaration with on-demand evaluation of whatever a
// declaration uses: module constants, `let` bindings of a block and signatures
// are computed the first time they are needed, with an "in progress" mark that
// turns a re-entry into a dependency cycle (E0401). This makes names resolve in
// any textual order, as LANGUAGE.md §1 and §5 require.
#pragma once

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringSet.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/check/checked_program.h"
#include "compiler/diag/emitter.h"

namespace flow::check {

using types::TypeId;
using types::TypeStore;

/// Where an expression is checked; decides what it may call.
enum class Context : uint8_t {
  Const,     // a module constant: pure, no task/workflow calls (E0311)
  Default,   // a parameter or struct-field default: pure, constants only
  Task,      // a task body: pure, inputs + lets + `out` (E0310 for calls)
  Workflow,  // a workflow body: calls allowed
};

struct Scope;

/// A name bound inside a callable: parameter, `let`, loop variable or `out`.
struct LocalBinding {
  DeclRef ref;
  TypeId type;                          // invalid until a `let` has been checked
  SourceRange range;                    // the declaring name
  const ast::LetStmt* let = nullptr;    // for lets
  Scope* scope = nullptr;               // the scope the binding lives in
  bool used = false;
  enum class State : uint8_t { Unchecked, InProgress, Done } state = State::Done;
  bool in_cycle = false;                // a reported cycle went through this let
  uint32_t order_index = UINT32_MAX;    // position among its block's lets (let_order.cpp)
};

/// A lexical scope: a callable's parameters, a block, a `for` body.
struct Scope {
  Scope* parent = nullptr;
  bool loop_scope = false;  // holds loop variables (which may shadow outer names)
  llvm::StringMap<LocalBinding> names;
  std::vector<LocalBinding*> order;  // declaration order, for deterministic warnings
};

/// Per-module name tables.
struct ModuleInfo {
  llvm::StringMap<DeclRef> decls;           // struct, enum, const, task, workflow
  std::vector<std::string> decl_names;      // in declaration order (suggestions)
  llvm::StringMap<int> imports;             // bound name → module index (-1: failed)
  llvm::StringMap<const ast::ImportDecl*> import_decls;
  llvm::StringSet<> used_imports;
  std::string prefix;                       // "" or "name." for qualified type names
};

/// The resolved signature of a task or workflow.
struct Signature {
  std::vector<TypeId> params;
  TypeId output;                    // `()` when the callable declares no outputs
  bool has_output = false;
  bool record_output = false;       // `-> (a: T, ...)`
  std::vector<std::string> output_names;  // record outputs; {""} for a single output
  std::vector<TypeId> output_types;
};

/// State of the callable (or constant) being checked.
struct FunctionState {
  Context context = Context::Const;
  int module = 0;
  const ast::CallableDecl* decl = nullptr;   // task or workflow; null for consts/defaults
  const ast::TaskDecl* task = nullptr;
  const ast::WorkflowDecl* workflow = nullptr;
  Scope* scope = nullptr;                    // innermost scope
  Scope* finally_forbidden = nullptr;        // inside `finally`: the body scope (E0408)
  std::vector<std::unique_ptr<Scope>> scopes;  // owned, kept alive for warnings
  llvm::StringSet<> reported_unknown;        // unknown names, reported once
  std::vector<bool> outputs_used;            // W0003 (task script/command only)
  bool in_program = false;                   // checking `script`/`command`
  std::vector<LocalBinding*> let_stack;      // lets being checked (cycle paths)
  /// The body holds a syntax error (ErrorExpr/ErrorStmt): its unused-binding
  /// warnings would be noise caused by the missing text, so they are dropped.
  bool saw_syntax_error = false;
};

class Checker {
 public:
  Checker(const load::LoadedProgram& program, const CheckOptions& options, const SourceManager& sources,
          diag::DiagnosticEmitter& diags, CheckedProgram& out);
  void Run();

  // --- resolve.cpp: module scopes and name lookup ---
  void BuildModuleScopes();
  /// A module-level name of `module` (declarations, then imports, then builtins).
  std::optional<DeclRef> LookupGlobal(int module, llvm::StringRef name);
  /// A module's own declaration named `name`.
  std::optional<DeclRef> LookupMember(int module, llvm::StringRef name);
  LocalBinding* LookupLocal(llvm::StringRef name);
  /// Every name visible here, for did-you-mean.
  std::vector<std::string> VisibleNames();
  void ReportUnknownName(SourceRange range, llvm::StringRef name);
  void ReportUnknownMember(SourceRange range, int module, llvm::StringRef module_name, llvm::StringRef name);
  /// Resolves a NameExpr or `module.member` FieldExpr naming a declaration (not
  /// a value): tasks, workflows, structs, enums, modules, builtins. Returns
  /// nullopt (silently) for anything else, including local bindings.
  std::optional<DeclRef> ResolveDeclPath(const ast::Expr* expr);
  static const char* RefKindName(RefKind kind);
  const ast::Module& ModuleAst(int module) const { return program_.modules[module].module; }

  // --- resolve_types.cpp ---
  void DeclareNominalTypes();
  void ResolveStructFields();
  TypeId ResolveType(const ast::TypeExpr* type, int module);
  void ResolveSignatures();
  const Signature& SignatureOf(const ast::CallableDecl* decl) { return signatures_[decl]; }

  // --- check_expr.cpp ---
  TypeId CheckExpr(const ast::Expr* expr, TypeId expected = TypeId{});
  /// Checks `expr` and that its type is assignable to `want`; reports E0201/E0202
  /// with `why` as a label. Returns the checked (not converted) type.
  TypeId CheckExprAs(const ast::Expr* expr, TypeId want, SourceRange why_range = {}, std::string why = "");
  /// Reports a mismatch between `got` (the type of `expr`) and `want` if any.
  bool Coerce(const ast::Expr* expr, TypeId got, TypeId want, SourceRange why_range, const std::string& why);
  TypeId CheckBlock(const ast::Block* block, TypeId expected);
  TypeId Record(const ast::Node* node, TypeId type);
  TypeId EnsureLet(LocalBinding* binding, SourceRange use);
  TypeId EnsureConst(const ast::ConstDecl* decl, int module);
  Scope* PushScope(bool loop_scope = false);
  void PopScope(Scope* saved);
  /// Declares a binding in the current scope; E0105 on a duplicate.
  LocalBinding* Declare(const ast::Ident& name, DeclRef ref, TypeId type, bool may_shadow);
  /// Registers the `let`s of a statement list (before checking any of them).
  void DeclareLets(const std::vector<ast::Stmt*>& stmts);

  // --- check_operators.cpp ---
  TypeId CheckUnary(const ast::UnaryExpr* expr);
  TypeId CheckBinary(const ast::BinaryExpr* expr, TypeId expected);

  // --- check_collections.cpp ---
  TypeId CheckList(const ast::ListExpr* expr, TypeId expected);
  TypeId CheckMap(const ast::MapExpr* expr, TypeId expected);
  TypeId CheckRecordExpr(const ast::RecordExpr* expr, TypeId expected);
  TypeId CheckStructExpr(const ast::StructExpr* expr);
  TypeId CheckFor(const ast::ForExpr* expr, TypeId expected);
  TypeId CheckIf(const ast::IfExpr* expr, TypeId expected);
  TypeId CheckIndex(const ast::IndexExpr* expr);

  // --- check_call.cpp ---
  TypeId CheckCall(const ast::CallExpr* call, TypeId expected);
  TypeId CheckTry(const ast::TryExpr* expr, TypeId expected);
  struct ParamSpec {
    std::string_view name;  // a builtin's literal or a parameter's name in the AST
    bool has_default = false;
  };
  /// Binds arguments to parameters (E0301–E0305). `bound` gets one entry per
  /// parameter (null: absent). Arguments that bind nowhere are checked for
  /// their own sake so every expression gets a type.
  bool BindArguments(const ast::CallExpr* call, const std::string& callee_name,
                     const std::vector<ParamSpec>& params, std::vector<const ast::Expr*>* bound,
                     bool report_missing = true);
  void CheckWithOverrides(const ast::CallExpr* call, CallBinding* binding);

  // --- check_builtin.cpp ---
  TypeId CheckBuiltinCall(const ast::CallExpr* call, ir::BuiltinId builtin, TypeId expected);

  // --- check_field.cpp ---
  TypeId CheckName(const ast::NameExpr* expr);
  TypeId CheckField(const ast::FieldExpr* expr);

  // --- check_task.cpp / check_interpolation.cpp ---
  void CheckTask(const ast::TaskDecl* task, int module);
  /// E0222 for each interpolation in `script` that a non-POSIX `shell` could
  /// misread (check_shell.cpp).
  void CheckForeignShellScript(const ast::FieldStmt* shell, const ast::FieldStmt* script);
  TypeId CheckTaskFieldValue(ir::TaskField field, const ast::Expr* value, SourceRange name_range);
  static std::optional<ir::TaskField> TaskFieldByName(llvm::StringRef name);
  static std::vector<std::string> TaskFieldNames();
  TypeId TaskFieldType(ir::TaskField field);
  TypeId CheckStringParts(const ast::StringLit* lit, const char* where);
  void CheckInterpolation(const ast::Expr* expr, const char* where, bool allow_list);

  // --- check_workflow.cpp ---
  void CheckWorkflow(const ast::WorkflowDecl* workflow, int module);
  void CheckAfter(const std::vector<ast::Ident>& after);
  void CheckSchedule(const ast::FieldAssign& field);
  void CheckBlockStatements(const std::vector<ast::Stmt*>& stmts, bool top_level);

  // --- let_order.cpp ---
  /// Checks the block's `let`s (declared in the current scope) in dependency
  /// order, so that on-demand checking never recurses deeply.
  void CheckLetsInOrder(const std::vector<ast::Stmt*>& stmts);

  // --- check_decls.cpp ---
  void CheckModuleDecls(int module);
  void BeginFunction(Context context, int module, const ast::CallableDecl* decl);
  void EndFunction();
  void DeclareParams(const ast::CallableDecl* decl, int module);

  // --- cycles.cpp ---
  void ReportLetCycle(LocalBinding* binding, SourceRange use);
  void CheckWorkflowRecursion();

  // --- unused.cpp ---
  void WarnUnusedInScope(Scope* scope);
  void WarnUnusedImports();

  // --- entry.cpp ---
  void SelectEntry();

  TypeStore& types() { return out_.types; }
  std::string Str(TypeId type) const { return out_.types.ToString(type); }
  std::string Text(SourceRange range) const { return std::string(sources_.Text(range)); }
  diag::DiagnosticEmitter& diags() { return diags_; }
  FunctionState& fn() { return *fn_; }

  const load::LoadedProgram& program_;
  const CheckOptions& options_;
  const SourceManager& sources_;
  diag::DiagnosticEmitter& diags_;
  CheckedProgram& out_;

  std::vector<ModuleInfo> modules_;
  llvm::DenseMap<const ast::CallableDecl*, Signature> signatures_;
  llvm::DenseMap<const ast::Node*, int> decl_module_;    // declaration → module index
  llvm::DenseMap<const ast::ConstDecl*, int> const_state_;  // 1 in progress, 2 done
  /// Workflow → workflows it calls (with the call's range), for E0402.
  llvm::DenseMap<const ast::WorkflowDecl*, std::vector<std::pair<const ast::WorkflowDecl*, SourceRange>>>
      workflow_calls_;
  std::unique_ptr<FunctionState> fn_;
  bool had_syntax_errors_ = false;  // loading/parsing reported errors before checking
  std::vector<std::unique_ptr<FunctionState>> saved_fns_;
};

/// The expression with parentheses removed.
const ast::Expr* StripParens(const ast::Expr* expr);

}  // namespace flow::check

// check::Check: the order of the checker's passes.
//
//  1. module scopes (declarations, imports, duplicates)       resolve.cpp
//  2. nominal types, struct fields, signatures                resolve_types.cpp
//  3. every declaration's body, on-demand for consts and lets  check_decls.cpp ...
//  4. whole-program checks: workflow recursion, unused imports, the entry
//
// Decisions where LANGUAGE.md leaves room (the IR builder and docs rely on them):
//  - A call of a task or workflow that declares no outputs has type `()` (the
//    empty record); so has a block without a final expression.
//  - Inside a task body, `out` and `out.NAME` have type `File` (`Dir` for a
//    `Dir` output): they are the paths the program writes.
//  - A task output cannot be optional (E0218): a task writes it or fails.
//  - A record literal whose fields match the expected record in another order
//    takes the expected order (fields are named).
//  - A workflow expression statement that is not a call, `for`, `if` or `try`
//    has no effect: W0007 (a warning, not an error).
//  - `schedule` must be a string literal or a constant (E0217) and a valid cron
//    expression (E0220).
//  - W0001 (unused `let`) is not reported for a workflow `let` bound to a call,
//    `for` or `if`: the call runs anyway. Names starting with `_` are exempt
//    from W0001/W0002/W0005.
//  - Two imports bound to one name are E0113, reported by the loader.
//  - `raw(x)` without `reason:` warns (W0004) wherever it appears.
#include <type_traits>

#include "compiler/check/checker.h"

namespace flow::check {

Checker::Checker(const load::LoadedProgram& program, const CheckOptions& options, const SourceManager& sources,
                 diag::DiagnosticEmitter& diags, CheckedProgram& out)
    : program_(program), options_(options), sources_(sources), diags_(diags), out_(out) {}

void Checker::Run() {
  out_.loaded = &program_;
  had_syntax_errors_ = diags_.has_errors();
  if (program_.modules.empty()) return;
  BuildModuleScopes();
  DeclareNominalTypes();
  ResolveStructFields();
  ResolveSignatures();
  for (size_t m = 0; m < program_.modules.size(); ++m) CheckModuleDecls(static_cast<int>(m));
  CheckWorkflowRecursion();
  WarnUnusedImports();
  SelectEntry();
}

void Checker::BeginFunction(Context context, int module, const ast::CallableDecl* decl) {
  if (fn_) saved_fns_.push_back(std::move(fn_));
  fn_ = std::make_unique<FunctionState>();
  fn_->context = context;
  fn_->module = module;
  fn_->decl = decl;
  if (decl) {
    if (const auto* task = decl->TryAs<ast::TaskDecl>()) fn_->task = task;
    if (const auto* workflow = decl->TryAs<ast::WorkflowDecl>()) fn_->workflow = workflow;
  }
  PushScope();
}

void Checker::EndFunction() {
  fn_.reset();
  if (!saved_fns_.empty()) {
    fn_ = std::move(saved_fns_.back());
    saved_fns_.pop_back();
  }
}

Scope* Checker::PushScope(bool loop_scope) {
  Scope* saved = fn_->scope;
  fn_->scopes.push_back(std::make_unique<Scope>());
  Scope* scope = fn_->scopes.back().get();
  scope->parent = saved;
  scope->loop_scope = loop_scope;
  fn_->scope = scope;
  return saved;
}

void Checker::PopScope(Scope* saved) { fn_->scope = saved; }

LocalBinding* Checker::Declare(const ast::Ident& name, DeclRef ref, TypeId type, bool may_shadow) {
  if (name.text.empty()) return nullptr;
  Scope* scope = fn_->scope;
  auto existing = scope->names.find(name.text);
  if (existing != scope->names.end()) {
    diags_.Build(name.range, diag::Kind::DuplicateDeclaration, name.text)
        .Label(existing->second.range, "first declared here")
        .Emit();
    return nullptr;
  }
  if (!may_shadow) {
    // Only loop variables may shadow a name of an enclosing scope.
    for (Scope* outer = scope->parent; outer; outer = outer->parent) {
      auto it = outer->names.find(name.text);
      if (it == outer->names.end()) continue;
      diags_.Build(name.range, diag::Kind::DuplicateDeclaration, name.text)
          .Label(it->second.range, "also declared here, in an enclosing scope")
          .Note("only loop variables may shadow an outer name")
          .Emit();
      return nullptr;
    }
  }
  LocalBinding& binding = scope->names[name.text];
  binding.ref = ref;
  binding.type = type;
  binding.range = name.range;
  binding.scope = scope;
  scope->order.push_back(&binding);
  return &binding;
}

void Checker::DeclareLets(const std::vector<ast::Stmt*>& stmts) {
  // Room for the whole block at once: no doubling (old and new arrays
  // alive together) in a block of 10,000 lets.
  size_t lets = 0;
  for (const ast::Stmt* stmt : stmts) lets += stmt->Is<ast::LetStmt>() ? 1 : 0;
  fn_->scope->order.reserve(fn_->scope->order.size() + lets);
  for (const ast::Stmt* stmt : stmts) {
    const auto* let = stmt->TryAs<ast::LetStmt>();
    if (!let) continue;
    if (let->name.text == "out" && fn_->task) {
      diags_.Build(let->name.range, diag::Kind::ReservedName, "out")
          .Note("inside a task body, `out` names the task's output paths")
          .Emit();
      continue;
    }
    DeclRef ref;
    ref.kind = RefKind::Let;
    ref.node = let;
    ref.module_index = fn_->module;
    LocalBinding* binding = Declare(let->name, ref, TypeId{}, /*may_shadow=*/false);
    if (!binding) continue;
    binding->let = let;
    binding->state = LocalBinding::State::Unchecked;
  }
}

void Checker::DeclareParams(const ast::CallableDecl* decl, int module) {
  const Signature& sig = SignatureOf(decl);
  for (size_t i = 0; i < decl->params.size(); ++i) {
    const ast::Param& param = decl->params[i];
    if (param.name.text == "out" && decl->Is<ast::TaskDecl>()) {
      diags_.Build(param.name.range, diag::Kind::ReservedName, "out")
          .Note("inside a task body, `out` names the task's output paths")
          .Emit();
      continue;
    }
    DeclRef ref;
    ref.kind = RefKind::Param;
    ref.node = decl;
    ref.index = static_cast<int32_t>(i);
    ref.module_index = module;
    Declare(param.name, ref, i < sig.params.size() ? sig.params[i] : TypeStore::Error(), true);
  }
}

/// Which node kinds are expressions, in Kind order.
constexpr bool kIsExprKind[] = {
#define FLOW_AST_NODE(Name) std::is_base_of_v<ast::Expr, ast::Name>,
#include "compiler/ast/ast_kinds.def"
};

CheckedProgram Check(const load::LoadedProgram& program, const CheckOptions& options, const SourceManager& sources,
                     diag::DiagnosticEmitter& diags) {
  CheckedProgram out;
  // The tables every expression or name fills get their whole index up front
  // (4 bytes per node), so none of them reallocates while checking.
  out.expr_types.ReserveIds(program.node_id_end);
  out.refs.ReserveIds(program.node_id_end);
  out.calls.ReserveIds(program.node_id_end);
  // ...and their entries, counted by kind: growing them by doubling would
  // leave up to half of each unused, and copy it all at every step.
  size_t exprs = 0, names = 0, calls = 0;
  for (const load::LoadedModule& m : program.modules) {
    const ast::Arena& arena = *m.module.arena;
    for (size_t kind = 0; kind < ast::kNumKinds; ++kind)
      if (kIsExprKind[kind]) exprs += arena.count(static_cast<ast::Kind>(kind));
    names += arena.count(ast::Kind::NameExpr) + arena.count(ast::Kind::FieldExpr);
    calls += arena.count(ast::Kind::CallExpr);
  }
  out.expr_types.reserve(exprs);
  out.refs.reserve(names);
  out.calls.reserve(calls);
  Checker checker(program, options, sources, diags, out);
  checker.Run();
  return out;
}

}  // namespace flow::check

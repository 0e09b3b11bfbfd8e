// The order in which a block's `let`s are checked.
//
// Lets may appear in any textual order; checking one on demand checks what it
// uses first. Done naively, a long chain written backwards recurses once per
// link and could exhaust the stack. So before checking a block, its lets are
// put in a dependency order computed here without recursion: a syntactic scan
// of the names each value mentions, then an iterative depth-first postorder.
// Checking in that order, every dependency is already done when it is needed.
// (A name that only looks like a dependency — say, shadowed by a loop variable
// — merely reorders; real cycles are still found by EnsureLet.)
#include "compiler/check/checker.h"

namespace flow::check {

namespace {

// Calls `on_name` with every name mentioned in `root` (NameExprs and `after`
// lists). A callback, not a vector: a `let` over a 100,000-element list would
// otherwise hold 100,000 names at once.
template <typename OnName>
void ForEachName(const ast::Node* root, OnName&& on_name) {
  std::vector<const ast::Node*> stack{root};
  auto push = [&](const ast::Node* n) {
    if (n) stack.push_back(n);
  };
  auto push_stmt = [&](const ast::Stmt* stmt) {
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) {
      push(let->value);
      for (const ast::Ident& a : let->after) on_name(llvm::StringRef(a.text));
    } else if (const auto* e = stmt->TryAs<ast::ExprStmt>()) {
      push(e->expr);
      for (const ast::Ident& a : e->after) on_name(llvm::StringRef(a.text));
    } else if (const auto* f = stmt->TryAs<ast::FieldStmt>()) {
      push(f->field.value);
    } else if (const auto* fin = stmt->TryAs<ast::FinallyStmt>()) {
      push(fin->body);
    } else if (const auto* ret = stmt->TryAs<ast::ReturnStmt>()) {
      push(ret->value);
    }
  };
  while (!stack.empty()) {
    const ast::Node* node = stack.back();
    stack.pop_back();
    switch (node->kind) {
      case ast::Kind::NameExpr:
        on_name(llvm::StringRef(node->As<ast::NameExpr>()->name.text));
        break;
      case ast::Kind::FieldExpr:
        push(node->As<ast::FieldExpr>()->base);
        break;
      case ast::Kind::IndexExpr:
        push(node->As<ast::IndexExpr>()->base);
        push(node->As<ast::IndexExpr>()->index);
        break;
      case ast::Kind::CallExpr: {
        const auto* call = node->As<ast::CallExpr>();
        push(call->callee);
        for (const ast::Argument& arg : call->args) push(arg.value);
        for (const ast::FieldAssign& f : call->with) push(f.value);
        break;
      }
      case ast::Kind::UnaryExpr:
        push(node->As<ast::UnaryExpr>()->operand);
        break;
      case ast::Kind::BinaryExpr:
        push(node->As<ast::BinaryExpr>()->lhs);
        push(node->As<ast::BinaryExpr>()->rhs);
        break;
      case ast::Kind::ListExpr:
        for (const ast::Expr* e : node->As<ast::ListExpr>()->elements) push(e);
        break;
      case ast::Kind::MapExpr:
        for (const auto& entry : node->As<ast::MapExpr>()->entries) {
          push(entry.key);
          push(entry.value);
        }
        break;
      case ast::Kind::RecordExpr:
        for (const ast::FieldInit& f : node->As<ast::RecordExpr>()->fields) push(f.value);
        break;
      case ast::Kind::StructExpr:
        for (const ast::FieldInit& f : node->As<ast::StructExpr>()->fields) push(f.value);
        break;
      case ast::Kind::IfExpr:
        push(node->As<ast::IfExpr>()->cond);
        push(node->As<ast::IfExpr>()->then_block);
        push(node->As<ast::IfExpr>()->else_block);
        break;
      case ast::Kind::ForExpr:
        push(node->As<ast::ForExpr>()->iterable);
        push(node->As<ast::ForExpr>()->limit);
        push(node->As<ast::ForExpr>()->body);
        break;
      case ast::Kind::TryExpr:
        push(node->As<ast::TryExpr>()->operand);
        break;
      case ast::Kind::ParenExpr:
        push(node->As<ast::ParenExpr>()->inner);
        break;
      case ast::Kind::StringLit:
        for (const ast::StringPart& part : node->As<ast::StringLit>()->parts) push(part.expr);
        break;
      case ast::Kind::Block: {
        const auto* block = node->As<ast::Block>();
        for (const ast::Stmt* stmt : block->stmts) push_stmt(stmt);
        push(block->result);
        break;
      }
      case ast::Kind::IntLit:
      case ast::Kind::FloatLit:
      case ast::Kind::BoolLit:
      case ast::Kind::NoneLit:
      case ast::Kind::DurationLit:
      case ast::Kind::SizeLit:
      case ast::Kind::ErrorExpr:
      case ast::Kind::NamedType:
      case ast::Kind::OptionalType:
      case ast::Kind::RecordType:
      case ast::Kind::ErrorType:
      case ast::Kind::LetStmt:
      case ast::Kind::ExprStmt:
      case ast::Kind::FieldStmt:
      case ast::Kind::FinallyStmt:
      case ast::Kind::ReturnStmt:
      case ast::Kind::ErrorStmt:
      case ast::Kind::ImportDecl:
      case ast::Kind::StructDecl:
      case ast::Kind::EnumDecl:
      case ast::Kind::ConstDecl:
      case ast::Kind::TaskDecl:
      case ast::Kind::WorkflowDecl:
      case ast::Kind::ErrorDecl:
        break;
    }
  }
}

}  // namespace

void Checker::CheckLetsInOrder(const std::vector<ast::Stmt*>& stmts) {
  // The lets of this block that are declared in the current scope; each
  // binding records its position (LocalBinding::order_index), so the name →
  // let lookup below goes through the scope's own map.
  std::vector<LocalBinding*> lets;
  for (const ast::Stmt* stmt : stmts) {
    const auto* let = stmt->TryAs<ast::LetStmt>();
    if (!let) continue;
    auto it = fn_->scope->names.find(let->name.text);
    if (it == fn_->scope->names.end() || it->second.let != let) continue;
    it->second.order_index = static_cast<uint32_t>(lets.size());
    lets.push_back(&it->second);
  }
  if (lets.size() < 2) {
    for (LocalBinding* b : lets) EnsureLet(b, b->range);
    return;
  }
  // The dependency lists, flattened: let i depends on deps[first[i]..first[i+1]).
  // (One small vector per let cost ~60 bytes per let at 100,000 lets.)
  std::vector<uint32_t> first(lets.size() + 1, 0);
  std::vector<uint32_t> deps;
  deps.reserve(lets.size());
  for (size_t i = 0; i < lets.size(); ++i) {
    auto depend_on = [&](llvm::StringRef name) {
      auto it = fn_->scope->names.find(name);
      if (it == fn_->scope->names.end() || !it->second.let) return;
      uint32_t dep = it->second.order_index;
      if (dep < lets.size() && lets[dep] == &it->second && dep != i) deps.push_back(dep);
    };
    ForEachName(lets[i]->let->value, depend_on);
    for (const ast::Ident& a : lets[i]->let->after) depend_on(a.text);
    first[i + 1] = static_cast<uint32_t>(deps.size());
  }
  // Iterative DFS postorder: dependencies before dependents.
  std::vector<uint8_t> state(lets.size(), 0);  // 0 new, 1 open, 2 emitted
  std::vector<std::pair<uint32_t, uint32_t>> stack;  // (let, next position in deps)
  std::vector<uint32_t> order;
  order.reserve(lets.size());
  bool cyclic = false;
  for (uint32_t root = 0; root < lets.size(); ++root) {
    if (state[root]) continue;
    stack.push_back({root, first[root]});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < first[node + 1]) {
        uint32_t dep = deps[next++];
        if (state[dep] == 0) {
          state[dep] = 1;
          stack.push_back({dep, first[dep]});
        } else if (state[dep] == 1) {
          cyclic = true;
        }
        continue;
      }
      state[node] = 2;
      order.push_back(node);
      stack.pop_back();
    }
  }
  // With a cycle, check in text order so that the cycle is reported from the
  // first `let` of it that the reader meets.
  if (cyclic) {
    for (uint32_t i = 0; i < lets.size(); ++i) order[i] = i;
  }
  for (uint32_t i : order) EnsureLet(lets[i], lets[i]->range);
}

}  // namespace flow::check

// Cycles: among the `let`s of a workflow or task (E0401, found while checking
// bindings on demand) and among workflows calling each other (E0402).
#include <algorithm>

#include "compiler/check/checker.h"

namespace flow::check {

void Checker::ReportLetCycle(LocalBinding* binding, SourceRange use) {
  auto& stack = fn_->let_stack;
  auto start = std::find(stack.begin(), stack.end(), binding);
  if (start == stack.end()) return;
  std::vector<LocalBinding*> cycle(start, stack.end());
  // Report each cycle once: when every member was already part of a reported one, stay silent.
  bool all_reported = std::all_of(cycle.begin(), cycle.end(), [](LocalBinding* b) { return b->in_cycle; });
  for (LocalBinding* b : cycle) b->in_cycle = true;
  if (all_reported) return;
  std::string path;
  for (LocalBinding* b : cycle) path += "`" + Text(b->range) + "` -> ";
  path += "`" + Text(binding->range) + "`";
  auto builder = diags_.Build(use, diag::Kind::DependencyCycle, path);
  for (LocalBinding* b : cycle) builder.Label(b->range, "`" + Text(b->range) + "` is part of the cycle");
  builder.Note("a workflow is a graph: each value must be computable before the ones that use it");
  builder.Emit();
}

void Checker::CheckWorkflowRecursion() {
  // Workflows in a stable order: module, then declaration order.
  std::vector<const ast::WorkflowDecl*> order;
  for (const load::LoadedModule& module : program_.modules)
    for (const ast::Decl* decl : module.module.decls)
      if (const auto* w = decl->TryAs<ast::WorkflowDecl>()) order.push_back(w);
  llvm::DenseMap<const ast::WorkflowDecl*, int> color;  // 0 new, 1 on stack, 2 done
  struct Frame {
    const ast::WorkflowDecl* workflow;
    size_t next = 0;
  };
  for (const ast::WorkflowDecl* root : order) {
    if (color.lookup(root) != 0) continue;
    std::vector<Frame> stack{{root}};
    color[root] = 1;
    while (!stack.empty()) {
      Frame& frame = stack.back();
      auto it = workflow_calls_.find(frame.workflow);
      if (it == workflow_calls_.end() || frame.next >= it->second.size()) {
        color[frame.workflow] = 2;
        stack.pop_back();
        continue;
      }
      auto [callee, range] = it->second[frame.next++];
      int c = color.lookup(callee);
      if (c == 0) {
        color[callee] = 1;
        stack.push_back({callee});
        continue;
      }
      if (c != 1) continue;
      // A back edge: the cycle is the stack from `callee` to the top.
      size_t first = 0;
      while (stack[first].workflow != callee) ++first;
      std::string path;
      for (size_t i = first; i < stack.size(); ++i) path += "`" + std::string(stack[i].workflow->name.text) + "` -> ";
      path += "`" + std::string(callee->name.text) + "`";
      diags_.Build(range, diag::Kind::RecursiveWorkflow, callee->name.text, path)
          .Label(callee->name.range, "workflow declared here")
          .Note("workflows are expanded into one graph before they run, so they cannot recurse")
          .Emit();
    }
  }
}

}  // namespace flow::check

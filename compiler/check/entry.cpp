// The entry workflow: `--entry NAME`, else `main`, else the entry file's only
// workflow, else none (the `run` and `build` commands report that).
#include "compiler/check/checker.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

void Checker::SelectEntry() {
  std::vector<const ast::WorkflowDecl*> workflows;
  std::vector<std::string> names;
  for (const ast::Decl* decl : ModuleAst(0).decls) {
    if (const auto* w = decl->TryAs<ast::WorkflowDecl>()) {
      workflows.push_back(w);
      names.emplace_back(w->name.text);
    }
  }
  out_.entry_module = 0;
  auto find = [&](const std::string& name) -> const ast::WorkflowDecl* {
    for (const ast::WorkflowDecl* w : workflows)
      if (w->name.text == name) return w;
    return nullptr;
  };
  if (!options_.entry.empty()) {
    out_.entry = find(options_.entry);
    if (!out_.entry) {
      SourceRange where{ModuleAst(0).file, 0, 0};
      auto builder = diags_.Build(where, diag::Kind::NoEntryWorkflow,
                                  fmt::format("no workflow named `{}` in this file", options_.entry));
      if (auto suggestion = diag::Suggest(options_.entry, names)) builder.Note(diag::DidYouMean(*suggestion));
      builder.Emit();
    }
    return;
  }
  if (const ast::WorkflowDecl* main = find("main")) {
    out_.entry = main;
    return;
  }
  if (workflows.size() == 1) out_.entry = workflows.front();
}

}  // namespace flow::check

// A `command` task (an argv, no shell) called under an `if` inside a `for`.
// Tekton's `when` tests one value for the whole matrix, so each TaskRun tests
// its own iteration's guard (context.h Scope::guard), which takes a shell: the
// main step becomes a POSIX sh script that ends early unless the guard is
// "true" and otherwise `exec`s the argv. The argv is written as sh words whose
// literal text is single-quoted and whose values are "${VAR}" references to
// env vars (filled by Tekton substitution or by the `values` step), so a value
// is never parsed by the shell: each element stays one argument, as `flowc run`
// passes it. The task's image needs /bin/sh for this (documented).
#include <fmt/format.h>

#include "compiler/lower/shell_quote.h"
#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/task_scripts.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using types::TypeKind;

bool Lowering::GuardedCommand(const ir::Task& task, const std::vector<bool>& virtual_params, bool is_try,
                              const std::function<std::optional<std::string>(ir::ExprId, int)>& text, YNode* env,
                              YNode* args, YNode* steps, YNode* main) {
  std::string words;
  std::vector<ComputedValue> computed;
  bool spliced_param = false;  // "$@" holds the one list param spliced
  int variables = 0;
  auto variable = [&]() { return fmt::format("FLOW_A{}", ++variables); };
  for (const ir::ArgvElement& element : task.command) {
    if (element.splice) {
      ir::ExprId expr;
      const ir::Expr* e = SplicedSource(element, &expr);
      if (std::optional<ir::Value> c = expr.valid() ? Constant(expr) : std::nullopt) {
        for (const ir::Value& item : c->list()) {
          words += " " + QuoteShellWord(ir::FormatValueText(item, ir::TypeId{}, types()));
        }
        continue;
      }
      if (e != nullptr && e->kind == ExprKind::Input && !virtual_params[e->index] && !spliced_param) {
        spliced_param = true;
        args->Push(YNode::Str(fmt::format("$(params.{}[*])", ParamName(task.params[e->index].name))));
        words += " \"$@\"";
        continue;
      }
      Unsupported(e != nullptr ? e->loc : task.loc,
                  chain_ ? "this spliced list in a `command` task whose `finally` call reads another `finally` call"
                         : "this spliced list in a `command` task called under an `if` inside `for`",
                  "its elements must reach the argv through the step's arguments, which hold one list param (not "
                  "a value computed at run time, nor a second list)",
                  "write the task with `script`");
      return false;
    }
    std::string word;
    for (const ir::TemplatePart& part : element.tmpl.parts) {
      if (!part.expr.valid()) {
        if (part.text.find("$(") != std::string::npos) {
          Unsupported(part.loc.end > 0 ? part.loc : task.loc, "an argument containing `$(`",
                      "Tekton would substitute it");
          return false;
        }
        if (!part.text.empty()) word += QuoteShellWord(part.text);
        continue;
      }
      std::string name = variable();
      if (std::optional<std::string> value = text(part.expr, 0)) {
        env->Push(EnvEntry(name, *value));
      } else {
        // A field of `flow-iter`, or a value Tekton cannot substitute.
        computed.push_back(ComputedValue{name, part.expr, "plain"});
      }
      word += "\"${" + name + "}\"";
    }
    words += " " + (word.empty() ? std::string("''") : word);
  }
  std::string script = "#!/bin/sh\nset -eu\n" + GuardShellCheck();
  env->Push(EnvEntry("FLOW_GUARD", GuardFile()));
  if (!computed.empty()) {
    YNode values_step;
    if (!ValuesStep(task, computed, virtual_params, is_try, /*guarded=*/true, &values_step)) return false;
    steps->Push(std::move(values_step));
    env->Push(EnvEntry("FLOW_VALUES", fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/.flow-values",
                                                  kWorkspace)));
    script += ValuesPrelude(computed, {});
  }
  script += "exec" + words + "\n";
  main->Set("script", YNode::Str(script));
  return true;
}

}  // namespace flow::lower::tekton

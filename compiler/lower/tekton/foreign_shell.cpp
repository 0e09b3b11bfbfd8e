// Tasks whose `shell` names another interpreter (`shell = "python3"`). Their
// script is not shell syntax, so the environment-variable references of
// cluster scripts (shell_quote.h) mean nothing to it: `flowc run` pastes each
// interpolation's text (the checker admits only values whose text carries no
// code, E0222). Here a `render` step (helper image: sh + awk) does the same at
// run time, from the step's env (never Tekton substitution into the source),
// and writes the script to a file of the TaskRun; `main` runs the interpreter
// on it through a POSIX sh line, which also lets a guarded Task (an `if`
// inside `for`) skip it.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/task_scripts.h"

namespace flow::lower::tekton {

namespace {

std::string ScriptFile() {
  return fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/.flow-script", kWorkspace);
}

/// `#!/bin/sh`, `set -eu` and, in a guarded Task, the guard check.
std::string Header(bool guarded, YNode* env) {
  if (!guarded) return "#!/bin/sh\nset -eu\n";
  env->Push(EnvEntry("FLOW_GUARD", GuardFile()));
  return "#!/bin/sh\nset -eu\n" + GuardShellCheck();
}

}  // namespace

void Lowering::ForeignSteps(const ForeignScript& f, YNode* env, YNode* args, YNode* steps, YNode* main) {
  auto is_bound = [&](const std::string& name) {
    return std::find(f.bound.begin(), f.bound.end(), name) != f.bound.end();
  };
  // The values step computed some bound variables (read by `render`) and some
  // `env` entries (read by `main`).
  std::vector<ComputedValue> bound_values, env_values;
  for (const ComputedValue& v : f.computed) (is_bound(v.name) ? bound_values : env_values).push_back(v);
  YNode render_env = YNode::Seq(), main_env = YNode::Seq();
  for (const YNode& e : env->items()) {
    const std::string& name = e.Find("name")->str();
    if (name == "FLOW_VALUES") continue;
    (is_bound(name) ? render_env : main_env).Push(e);
  }
  auto values_dir = [&](YNode* to) {
    to->Push(EnvEntry("FLOW_VALUES", fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/.flow-values",
                                                 kWorkspace)));
  };
  if (!bound_values.empty()) values_dir(&render_env);

  YNode& render = steps->Push(YNode::Map());
  render.Set("name", YNode::Str("render"));
  render.Set("image", YNode::Str(f.helper));
  render_env.Push(EnvEntry("FLOW_SCRIPT", ScriptFile()));
  std::string script = Header(f.guarded, &render_env);
  if (f.uses_lists) script += ListArgsPrelude();
  if (!bound_values.empty()) script += ValuesPrelude(bound_values, {});
  script += f.prelude;
  // awk reads the values from its environment.
  if (!f.bound.empty()) {
    script += "export";
    for (const std::string& name : f.bound) script += " " + name;
    script += "\n";
  }
  script += f.render;
  render.Set("env", std::move(render_env));
  render.Set("script", YNode::Str(script));
  if (!args->empty()) render.Set("args", std::move(*args));
  *args = YNode::Seq();

  // main: the computed `env` entries the program reads, then the interpreter.
  std::string run = Header(f.guarded, &main_env);
  if (!env_values.empty()) {
    values_dir(&main_env);
    run += ValuesPrelude(env_values, f.exported);
  }
  main_env.Push(EnvEntry("FLOW_SCRIPT", ScriptFile()));
  run += ForeignScriptExec(f.shell);
  main->Set("script", YNode::Str(run));
  *env = std::move(main_env);
}

}  // namespace flow::lower::tekton

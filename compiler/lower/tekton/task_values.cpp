// In-task evaluation: what a Task's program interpolates but Tekton cannot
// substitute (`{{rec.field}}`, `{{len(xs)}}`, an `env` value computed from the
// inputs, the inputs of a call fanned out over a generated iteration list) is
// computed by a `values` step running the generated evaluator (eval_program.h)
// over the Task's params, which reach it through env vars and args, never its
// source. Each value is a file under the TaskRun's directory; the main step's
// prelude reads it into the env var the script uses.
#include <fmt/format.h>

#include "compiler/lower/shell_quote.h"
#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/eval_program.h"
#include "compiler/lower/tekton/task_scripts.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using types::TypeKind;

namespace {

std::string ValuesDir() { return fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/.flow-values", kWorkspace); }

std::string OutputFile(const std::string& name) {
  return fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/{}", kWorkspace, name);
}

}  // namespace

std::string Lowering::ValuesPrelude(const std::vector<ComputedValue>& values,
                                    const std::vector<std::string>& exported) {
  std::string s;
  for (const ComputedValue& v : values) {
    // `printf x` keeps trailing newlines that `$(...)` would strip.
    s += fmt::format("{0}=$(cat \"$FLOW_VALUES/{0}\"; printf x); {0}=${{{0}%x}}\n", v.name);
  }
  for (const std::string& name : exported) s += fmt::format("export {}\n", name);
  return s;
}

bool Lowering::ValuesStep(const ir::Task& task, const std::vector<ComputedValue>& values,
                          const std::vector<bool>& virtual_params, bool is_try, bool guarded, YNode* step) {
  EvalProgram program(program_);
  YNode env = YNode::Seq();
  YNode args = YNode::Seq();
  int segments = 0;
  std::map<int32_t, int> param_source;  // task param → source
  std::map<int32_t, int> output_source;
  int iter_node = -1;                    // the `flow-iter` record, when params are virtual
  std::map<int32_t, ir::ExprId> locals;
  for (const ir::TaskLocal& l : task.locals) locals[l.var.index] = l.value;
  bool any_virtual = false;
  for (bool v : virtual_params) any_virtual = any_virtual || v;
  if (any_virtual) {
    std::vector<std::pair<std::string, ir::TypeId>> fields;
    for (size_t i = 0; i < task.params.size(); ++i) {
      if (i < virtual_params.size() && virtual_params[i]) fields.emplace_back(task.params[i].name, task.params[i].type);
    }
    int rec = program.AddRecordType(fields);
    // In a merged `finally` chain (lower_finally_chain.cpp) the call's `inputs`
    // step wrote the record to a file; elsewhere it is the param `flow-iter`.
    int source = chain_ ? program.AddRawFileSource(rec) : program.AddRawSource(rec);
    env.Push(EnvEntry(fmt::format("FLOW_S{}", source + 1),
                      chain_ ? fmt::format("$(workspaces.{}.path)/$(context.taskRun.name)/.flow-iter", kWorkspace)
                             : std::string("$(params.flow-iter)")));
    iter_node = program.AddRawNode(ir::Json::array({"src", rec, source}));
  }
  auto leaf = [&](ir::ExprId id) -> Leaf {
    const ir::Expr& e = program_.expr(id);
    Leaf l;
    if (NeedsEvaluation(e.kind)) return l;  // serialized node by node
    if (e.kind == ExprKind::Input) {
      if (e.index < 0 || e.index >= static_cast<int32_t>(task.params.size())) {
        l.kind = Leaf::Kind::Fail;
        return l;
      }
      const ir::Param& p = task.params[e.index];
      if (static_cast<size_t>(e.index) < virtual_params.size() && virtual_params[e.index]) {
        l.kind = Leaf::Kind::Node;
        l.source = program.AddRawNode(ir::Json::array({"field", program.TypeIndex(p.type), iter_node, p.name}));
        return l;
      }
      auto it = param_source.find(e.index);
      if (it == param_source.end()) {
        bool list = types().KindOf(p.type) == TypeKind::List;
        int source = program.AddSource(list, p.type, list ? segments : -1);
        if (list) {
          args.Push(YNode::Str(fmt::format("$(params.{}[*])", ParamName(p.name))));
          args.Push(YNode::Str(kListEnd));
          ++segments;
        } else {
          env.Push(EnvEntry(fmt::format("FLOW_S{}", source + 1), fmt::format("$(params.{})", ParamName(p.name))));
        }
        it = param_source.emplace(e.index, source).first;
      }
      l.kind = Leaf::Kind::Source;
      l.source = it->second;
      return l;
    }
    if (e.kind == ExprKind::OutputPath) {
      auto it = output_source.find(e.index);
      if (it == output_source.end()) {
        int source = program.AddSource(false, types::TypeStore::String(), -1);
        const std::string& name = task.outputs[e.index].name;
        env.Push(EnvEntry(fmt::format("FLOW_S{}", source + 1), OutputFile(name.empty() ? "out" : name)));
        it = output_source.emplace(e.index, source).first;
      }
      l.kind = Leaf::Kind::Source;
      l.source = it->second;
      return l;
    }
    if (e.kind == ExprKind::Var) {
      auto it = locals.find(e.var.index);
      if (it != locals.end()) {
        l.kind = Leaf::Kind::Substitute;
        l.substitute = it->second;
      }
      return l;
    }
    l.kind = Leaf::Kind::Fail;  // a step's value: not available inside a Task
    return l;
  };
  for (const ComputedValue& v : values) {
    ir::ExprId failed;
    int node = program.AddExpr(v.expr, leaf, &failed);
    if (node < 0) {
      Unsupported(program_.expr(failed.valid() ? failed : v.expr).loc, "this value inside a task",
                  "it is not computed from the task's inputs");
      return false;
    }
    program.AddOutput(node, v.mode);
    env.Push(EnvEntry(fmt::format("FLOW_R{}", program.output_count()), ValuesDir() + "/" + v.name));
  }
  program.SetWhere(program_.Where(task.loc));
  std::string json = program.Json();
  if (HasTektonVariable(json)) {
    Unsupported(task.loc, "a constant containing `$(...)` in this task", "Tekton would substitute the variable reference inside it");
    return false;
  }
  YNode program_env = EnvEntry("FLOW_PROGRAM", json);
  YNode all_env = YNode::Seq();
  all_env.Push(std::move(program_env));
  for (const YNode& e : env.items()) all_env.Push(e);
  if (guarded) all_env.Push(EnvEntry("FLOW_GUARD", GuardFile()));
  *step = EvalStepNode("values", std::move(all_env), std::move(args), guarded ? GuardPythonCheck() : "");
  if (is_try) step->Set("onError", YNode::Str("continue"));
  return true;
}

}  // namespace flow::lower::tekton

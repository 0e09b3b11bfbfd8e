// One merged `finally` chain as a Task (see lower_finally_chain.cpp for the
// step layout): each call's `inputs` step, its own steps (TaskFor in chain
// mode, moved under the call's directory), its `status` step, and the final
// `status` step; plus the pipeline task in the Pipeline's `finally`.
#include <fmt/format.h>

#include <functional>

#include "compiler/lower/tekton/context.h"
#include "compiler/lower/tekton/finally_chain_scripts.h"
#include "compiler/lower/tekton/task_scripts.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using ir::StepKind;
using types::TypeKind;

namespace {

constexpr const char* kTaskRunDir = "$(context.taskRun.name)";

void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  for (size_t at = text->find(from); at != std::string::npos; at = text->find(from, at + to.size())) {
    text->replace(at, from.size(), to);
  }
}

/// Applies `edit` to every string scalar under `node`.
void EditStrings(YNode* node, const std::function<void(std::string*)>& edit) {
  if (node == nullptr) return;
  if (node->kind() == YNode::Kind::String) {
    std::string s = node->str();
    edit(&s);
    *node = YNode::Str(s);
    return;
  }
  for (auto& entry : node->entries()) EditStrings(&entry.second, edit);
  for (YNode& item : node->items()) EditStrings(&item, edit);
}

/// The directory of chain call `label` inside the TaskRun's directory.
std::string CallDir(const std::string& label) {
  return fmt::format("$(workspaces.{}.path)/{}/{}", kWorkspace, kTaskRunDir, label);
}

std::string ExitPath(const std::string& step) { return fmt::format("$(steps.step-{}.exitCode.path)", step); }

/// Sets `key` of map `node`, replacing its value when present.
void Put(YNode* node, const std::string& key, YNode value) {
  if (YNode* existing = node->Find(key)) {
    *existing = std::move(value);
  } else {
    node->Set(key, std::move(value));
  }
}

YNode& EnvOf(YNode* step) {
  if (YNode* env = step->Find("env")) return *env;
  return step->Set("env", YNode::Seq());
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

}  // namespace

void Lowering::LowerChain(const std::vector<int32_t>& chain, const std::map<int32_t, std::set<int32_t>>& waits,
                          Scope& scope, YNode* tasks) {
  std::set<int32_t> in_chain(chain.begin(), chain.end());
  NameScope labels(40);  // step names are `<label>-<step>`, at most 63 characters
  std::map<int32_t, std::string> label;
  for (int32_t s : chain) label[s] = labels.Unique(program_.step(ir::StepId{s}).id);
  const ir::Step& first = program_.step(ir::StepId{chain.front()});
  std::string pt_name = pipeline_task_names_.Unique(scope.prefix + first.id + "-chain");
  std::string helper = options_.helper_image.empty() ? kDefaultHelperImage : options_.helper_image;

  YNode params = YNode::Seq();     // the chain Task's params
  YNode pt_params = YNode::Seq();  // their values in the pipeline task
  YNode steps = YNode::Seq();
  YNode finish_env = YNode::Seq();
  std::vector<std::string> finish_calls;
  bool all_timeouts = true;
  int64_t total_bound = 0;
  auto declare = [&](const std::string& name, const TValue& v, const std::string& description) {
    bool array = v.array || v.literal_array;
    YNode& p = params.Push(YNode::Map());
    p.Set("name", YNode::Str(name));
    p.Set("type", YNode::Str(array ? "array" : "string"));
    p.Set("description", YNode::Str(description));
    YNode& value = pt_params.Push(YNode::Map());
    value.Set("name", YNode::Str(name));
    if (v.literal_array) {
      YNode items = YNode::Seq();
      for (const std::string& item : v.items) items.Push(YNode::Str(item));
      value.Set("value", std::move(items));
    } else {
      value.Set("value", YNode::Str(v.text));
    }
  };
  // Whether `id` reads a chain call's value (through pure `let`s).
  std::function<bool(ir::ExprId, int)> reads_chain = [&](ir::ExprId id, int depth) {
    if (!id.valid() || depth > 200) return depth > 200;
    const ir::Expr& e = program_.expr(id);
    if (e.kind == ExprKind::StepValue) {
      if (in_chain.count(e.step.index)) return true;
      const ir::Step& vs = program_.step(e.step);
      if (vs.kind == StepKind::Value) return reads_chain(vs.value, depth + 1);
    }
    for (ir::ExprId op : e.operands) {
      if (reads_chain(op, depth + 1)) return true;
    }
    return false;
  };

  for (int32_t s : chain) {
    const ir::Step& step = program_.step(ir::StepId{s});
    const ir::Task& task = program_.tasks[step.callee];
    const std::string& me = label[s];
    std::vector<int32_t> deps;
    for (int32_t w : waits.at(s)) {
      if (in_chain.count(w)) deps.push_back(w);
    }

    // inputs: the call's params that read chain values, computed by the evaluator.
    EvalProgram prog(program_);
    YNode in_env = YNode::Seq(), in_args = YNode::Seq();
    int segments = 0;
    auto add_source = [&](const TValue& v, ir::TypeId type) {
      bool array = v.array || v.literal_array;
      int src = prog.AddSource(array, type, array ? segments : -1);
      std::string name = ParamName(fmt::format("{}-s{}", me, src + 1));
      declare(name, v, fmt::format("input of `{}` (Tekton text of a Flow value)", task.qualified_name));
      if (array) {
        in_args.Push(YNode::Str(fmt::format("$(params.{}[*])", name)));
        in_args.Push(YNode::Str(kListEnd));
        ++segments;
      } else {
        in_env.Push(EnvEntry(fmt::format("FLOW_S{}", src + 1), fmt::format("$(params.{})", name)));
      }
      return src;
    };
    auto add_file = [&](int type_index, const std::string& path) {
      int src = prog.AddRawFileSource(type_index);
      in_env.Push(EnvEntry(fmt::format("FLOW_S{}", src + 1), path));
      return prog.AddRawNode(ir::Json::array({"src", type_index, src}));
    };
    // A chain call's value: its result files (none when absent: a `try` that failed).
    auto member_value = [&](int32_t m, ir::TypeId type) {
      const ir::Step& ms = program_.step(ir::StepId{m});
      const ir::Task& mt = program_.tasks[ms.callee];
      if (mt.single_output) return add_file(prog.TypeIndex(type), CallDir(label[m]) + "/.flow-result-out");
      ir::TypeId rec_type = types().StripOptional(type);
      ir::Json names = ir::Json::array(), nodes = ir::Json::array();
      for (const types::Field& f : types().Get(rec_type).fields) {
        int ft = prog.TypeIndex(f.type);
        if (ms.is_try) ft = prog.AddOptionalOfIndex(ft);
        names.push_back(f.name);
        nodes.push_back(add_file(ft, CallDir(label[m]) + "/.flow-result-" + ParamName(f.name)));
      }
      int rec = prog.AddRawNode(ir::Json::array({"rec", prog.TypeIndex(rec_type), names, nodes}));
      if (!ms.is_try) return rec;
      // `try`: none when the call failed (its status says `none`).
      int string_type = prog.TypeIndex(types::TypeStore::String());
      int status = add_file(string_type, CallDir(label[m]) + "/.flow-status");
      int none = prog.AddRawNode(ir::Json::array({"lit", string_type, "none"}));
      int failed = prog.AddRawNode(
          ir::Json::array({"bin", prog.TypeIndex(types::TypeStore::Bool()), "eq", status, none}));
      return prog.AddRawNode(ir::Json::array({"cond", prog.TypeIndex(type), failed, nullptr, rec}));
    };
    auto leaf = [&](ir::ExprId sub) -> Leaf {
      const ir::Expr& se = program_.expr(sub);
      Leaf l;
      if (se.kind == ExprKind::StepValue) {
        if (in_chain.count(se.step.index)) {
          l.kind = Leaf::Kind::Node;
          l.source = member_value(se.step.index, se.type);
          return l;
        }
        const ir::Step& vs = program_.step(se.step);
        if (vs.kind == StepKind::Value) {
          l.kind = Leaf::Kind::Substitute;
          l.substitute = vs.value;
          return l;
        }
      }
      if (NeedsEvaluation(se.kind)) return l;
      std::optional<TValue> v = Probe(sub, scope);
      if (!v || v->matrix || FinallyResult(*v)) {
        l.kind = Leaf::Kind::Fail;
        return l;
      }
      l.kind = Leaf::Kind::Source;
      l.source = add_source(*v, se.type);
      return l;
    };
    std::vector<TaskParamShape> shapes(task.params.size());
    std::vector<std::pair<std::string, ir::TypeId>> fields;
    ir::Json names = ir::Json::array(), nodes = ir::Json::array();
    std::map<std::string, TValue> external;  // Task param name → its value
    bool failed = false;
    for (size_t i = 0; i < task.params.size(); ++i) {
      const ir::Param& p = task.params[i];
      ir::ExprId arg = i < step.args.size() ? step.args[i] : ir::ExprId{};
      if (!arg.valid()) arg = p.default_value;
      if (!arg.valid()) continue;
      bool list = types().KindOf(p.type) == TypeKind::List;
      if (!reads_chain(arg, 0)) {
        std::optional<TValue> v = Probe(arg, scope);
        if (v && !v->matrix && !FinallyResult(*v) && (list ? (v->array || v->literal_array) : !v->array)) {
          external[ParamName(p.name)] = *v;
          continue;
        }
      }
      // Read from a chain call, or computed: a field of the call's `flow-iter`.
      shapes[i].virtual_param = true;
      fields.emplace_back(p.name, p.type);
      ir::ExprId bad;
      int node = prog.AddExpr(arg, leaf, &bad);
      if (node < 0) {
        Unsupported(program_.expr(bad.valid() ? bad : arg).loc, "this argument of a merged `finally` call",
                    "it reads a value no step of the merged `finally` Task can compute");
        failed = true;
        continue;
      }
      names.push_back(p.name);
      nodes.push_back(node);
    }
    if (failed) continue;
    YNode out_env = YNode::Seq();
    if (!fields.empty()) {
      int rec = prog.AddRawNode(ir::Json::array({"rec", prog.AddRecordType(fields), names, nodes}));
      prog.AddOutput(rec, "text");
      out_env.Push(EnvEntry(fmt::format("FLOW_R{}", prog.output_count()), CallDir(me) + "/.flow-iter"));
    }
    int yes = prog.AddRawNode(ir::Json::array({"lit", prog.TypeIndex(types::TypeStore::Bool()), true}));
    prog.AddOutput(yes, "plain");
    out_env.Push(EnvEntry(fmt::format("FLOW_R{}", prog.output_count()), CallDir(me) + "/.flow-guard"));
    prog.SetWhere(program_.Where(step.loc));
    std::string json = prog.Json();
    if (HasTektonVariable(json)) {
      Unsupported(step.loc, "a constant containing `$(...)` in this call", "Tekton would substitute it");
      continue;
    }
    YNode env = YNode::Seq();
    env.Push(EnvEntry("FLOW_PROGRAM", json));
    for (const YNode& e : in_env.items()) env.Push(e);
    for (const YNode& e : out_env.items()) env.Push(e);
    env.Push(EnvEntry("FLOW_GUARD", CallDir(me) + "/.flow-guard"));
    for (size_t d = 0; d < deps.size(); ++d) {
      env.Push(EnvEntry(fmt::format("FLOW_DEP_{}", d + 1), CallDir(label[deps[d]]) + "/.flow-status"));
    }
    YNode inputs = EvalStepNode(me + "-inputs", std::move(env), std::move(in_args), ChainInputsPrologue());
    inputs.Set("onError", YNode::Str("continue"));
    steps.Push(std::move(inputs));

    // The call's own steps: a guarded, `try`-shaped variant (failures are
    // caught per step; the status step decides what they mean).
    int64_t backoff = 0, timeout = 0, retries = 0;
    chain_ = true;
    std::string tname = TaskFor(step.callee, step.overrides, shapes, /*is_try=*/true, /*guarded=*/true, step.loc,
                                &backoff, &timeout, &retries);
    chain_ = false;
    YNode spec;
    if (auto it = chain_specs_.find(tname); it != chain_specs_.end()) {
      spec = it->second;
    } else if (!tname.empty() && !task_docs_.empty() &&
               task_docs_.back().Find("metadata")->Find("name")->str() == tname) {
      spec = *task_docs_.back().Find("spec");
      chain_specs_[tname] = spec;
      task_docs_.pop_back();
    } else {
      ok_ = false;  // reported by TaskFor
      continue;
    }
    std::map<std::string, std::string> renamed;  // Task param → chain Task param
    if (const YNode* ps = spec.Find("params")) {
      for (const YNode& p : ps->items()) {
        const std::string& name = p.Find("name")->str();
        if (name == "flow-iter") continue;
        auto value = external.find(name);
        if (value == external.end()) continue;  // not given: TaskFor declared it with its default
        renamed[name] = ParamName(me + "-" + name);
        declare(renamed[name], value->second, p.Find("description")->str());
      }
    }
    std::vector<std::string> results;
    if (const YNode* rs = spec.Find("results")) {
      for (const YNode& r : rs->items()) results.push_back(r.Find("name")->str());
    }
    auto edit = [&](std::string* text) {
      ReplaceAll(text, kTaskRunDir, std::string(kTaskRunDir) + "/" + me);
      for (const std::string& r : results) {
        ReplaceAll(text, "$(results." + r + ".path)", CallDir(me) + "/.flow-result-" + r);
      }
      for (const auto& [from, to] : renamed) {
        ReplaceAll(text, "$(params." + from + ")", "$(params." + to + ")");
        ReplaceAll(text, "$(params." + from + "[*])", "$(params." + to + "[*])");
      }
    };
    std::vector<std::string> prior, call_exits;
    for (const YNode& original : spec.Find("steps")->items()) {
      std::string name = original.Find("name")->str();
      if (name == "guard" || name == "backoff") continue;  // replaced by `inputs` and the retry wrapper
      YNode st = original;
      std::string sname = me + "-" + name;
      Put(&st, "name", YNode::Str(sname));
      EditStrings(st.Find("env"), edit);
      EditStrings(st.Find("args"), edit);
      std::string script = st.Find("script") != nullptr ? st.Find("script")->str() : "";
      if (name == "results") {
        ReplaceAll(&script, "/tekton/steps/step-main/exitCode", "\"$FLOW_MAIN_EXIT\"");
        EnvOf(&st).Push(EnvEntry("FLOW_MAIN_EXIT", ExitPath(me + "-main")));
      }
      if (name == "main" || name == "render") {
        if (!prior.empty()) {
          EnvOf(&st).Push(EnvEntry("FLOW_PRIOR_EXITS", Join(prior)));
          size_t at = script.find(GuardShellCheck());
          if (at != std::string::npos) script.insert(at + GuardShellCheck().size(), ChainPriorCheck());
        }
      }
      if (name == "main") {
        if (retries > 0) {
          EnvOf(&st).Push(EnvEntry("FLOW_MAIN_FILE", CallDir(me) + "/.flow-main"));
          script = RetryWrapperScript(script, GuardShellCheck() + (prior.empty() ? "" : ChainPriorCheck()), retries,
                                      backoff, timeout);
        }
        int64_t bound = retries > 0 ? RetryBound(retries, backoff, timeout) : timeout;
        if (bound > 0) st.Set("timeout", YNode::Str(GoDuration(bound)));
        if (bound > 0) total_bound += bound;
        all_timeouts = all_timeouts && bound > 0;
      }
      if (!script.empty()) Put(&st, "script", YNode::Str(script));
      Put(&st, "onError", YNode::Str("continue"));
      if (name != "main" && name != "results") prior.push_back(ExitPath(sname));
      call_exits.push_back(ExitPath(sname));
      steps.Push(std::move(st));
    }

    // status: what the call's outcome means for the calls after it.
    std::string call = fmt::format("`{}` ({})", task.qualified_name, program_.Where(step.loc));
    if (HasTektonVariable(call)) call = fmt::format("`{}`", task.qualified_name);
    YNode& status = steps.Push(YNode::Map());
    status.Set("name", YNode::Str(me + "-status"));
    status.Set("image", YNode::Str(helper));
    YNode senv = YNode::Seq();
    for (size_t d = 0; d < deps.size(); ++d) {
      senv.Push(EnvEntry(fmt::format("FLOW_DEP_{}", d + 1), CallDir(label[deps[d]]) + "/.flow-status"));
    }
    senv.Push(EnvEntry("FLOW_INPUTS_EXIT", ExitPath(me + "-inputs")));
    senv.Push(EnvEntry("FLOW_CALL_EXITS", Join(call_exits)));
    senv.Push(EnvEntry("FLOW_STATUS", CallDir(me) + "/.flow-status"));
    for (size_t r = 0; r < results.size(); ++r) {
      senv.Push(EnvEntry(fmt::format("FLOW_RESULT_{}", r + 1), CallDir(me) + "/.flow-result-" + results[r]));
    }
    status.Set("env", std::move(senv));
    status.Set("script", YNode::Str(ChainStatusScript(deps.size(), step.is_try, results.size(), call)));
    finish_calls.push_back(call);
    finish_env.Push(EnvEntry(fmt::format("FLOW_STATUS_{}", finish_calls.size()), CallDir(me) + "/.flow-status"));

    StepInfo& info = scope.steps[s];
    info.lowered = true;
    info.tasks = {pt_name};
    auto value = [&](const std::string& r) {
      TValue v;
      v.text = fmt::format("$(tasks.{}.results.{}-{})", pt_name, me, r);
      return v;
    };
    if (task.outputs.empty()) {
      info.unavailable = "the task has no outputs";
    } else if (task.single_output) {
      info.value = value("out");
    } else {
      for (const ir::Output& o : task.outputs) info.fields[o.name] = value(ParamName(o.name));
    }
  }
  if (!ok_ || steps.empty()) return;
  // One copy of the evaluator for every evaluator step of the chain (each
  // would otherwise carry its own): the first step writes it to the TaskRun's
  // directory, and each step's script is its prologue and an exec of the file.
  std::string evaluator = EvalScript();
  std::string eval_file = fmt::format("$(workspaces.{}.path)/{}/.flow-eval.py", kWorkspace, kTaskRunDir);
  for (YNode& st : steps.items()) {
    YNode* script = st.Find("script");
    if (script == nullptr) continue;
    std::string text = script->str();
    size_t at = text.find(evaluator);
    if (at == std::string::npos) continue;
    text.replace(at, evaluator.size(),
                 "exec(compile(open(__import__('os').environ['FLOW_EVAL']).read(), 'flow-eval.py', 'exec'))\n");
    *script = YNode::Str(text);
    EnvOf(&st).Push(EnvEntry("FLOW_EVAL", eval_file));
  }
  YNode writer = YNode::Map();
  writer.Set("name", YNode::Str("evaluator"));
  writer.Set("image", YNode::Str(helper));
  YNode wenv = YNode::Seq();
  wenv.Push(EnvEntry("FLOW_EVAL", eval_file));
  writer.Set("env", std::move(wenv));
  std::string delimiter = HereDocDelimiter("FLOW_EVAL_EOF", evaluator);
  writer.Set("script", YNode::Str(fmt::format("#!/bin/sh\nset -eu\nmkdir -p \"$(dirname \"$FLOW_EVAL\")\"\n"
                                              "cat > \"$FLOW_EVAL\" <<'{0}'\n{1}{0}\n",
                                              delimiter, evaluator)));
  steps.items().insert(steps.items().begin(), std::move(writer));
  YNode& finish = steps.Push(YNode::Map());
  finish.Set("name", YNode::Str("status"));
  finish.Set("image", YNode::Str(helper));
  finish.Set("env", std::move(finish_env));
  finish.Set("script", YNode::Str(ChainFinishScript(finish_calls)));

  std::string calls;
  for (int32_t s : chain) {
    const ir::Task& t = program_.tasks[program_.step(ir::StepId{s}).callee];
    calls += (calls.empty() ? "" : ", ") + fmt::format("`{}`", t.qualified_name);
  }
  std::string task_name = task_names_.Unique(pt_name);
  YNode spec = YNode::Map();
  spec.Set("description", YNode::Str(fmt::format(
                              "the `finally` calls {} in dependency order, one call after the other (generated by "
                              "flowc: Tekton finally tasks cannot read each other's results)",
                              calls)));
  if (!params.empty()) spec.Set("params", std::move(params));
  YNode workspaces = YNode::Seq();
  YNode& ws = workspaces.Push(YNode::Map());
  ws.Set("name", YNode::Str(kWorkspace));
  ws.Set("description", YNode::Str("shared storage for File and Dir values, one directory per call"));
  spec.Set("workspaces", std::move(workspaces));
  spec.Set("steps", std::move(steps));
  task_docs_.push_back(Resource("Task", "name", task_name, std::move(spec)));

  YNode pt = YNode::Map();
  pt.Set("name", YNode::Str(pt_name));
  pt.Set("taskRef", YNode::Map()).Set("name", YNode::Str(task_name));
  if (!pt_params.empty()) pt.Set("params", std::move(pt_params));
  if (!scope.when.empty()) pt.Set("when", scope.when);
  BindWorkspace(&pt);
  // Tekton's default TaskRun timeout (an hour) would cut a chain whose calls all
  // have longer timeouts: the Task gets their sum (evaluator steps are short).
  if (all_timeouts && total_bound > 0) pt.Set("timeout", YNode::Str(GoDuration(total_bound)));
  tasks->Push(std::move(pt));
}

}  // namespace flow::lower::tekton

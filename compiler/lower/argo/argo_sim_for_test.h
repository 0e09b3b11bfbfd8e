// A small Argo Workflows semantics simulator for tests (header-only): runs an
// emitted Workflow over fake container results. It implements what Flow's
// lowering relies on: DAG readiness from `depends` (plain names, .Succeeded,
// .Failed, .Errored, .Skipped; `&&`, `||`, parentheses), `when`, `withItems`/
// `withParam` expansion with Argo's aggregation of outputs (a JSON list of the
// parsed values when every value is JSON, else of the strings), DAG template
// `parallelism` (recorded, not timed), template outputs via
// valueFrom.parameter, `hooks.exit` and `spec.onExit`, and the substitution
// of `{{inputs.parameters.x}}`, `{{tasks.t.outputs.parameters.y}}`,
// `{{workflow.parameters.x}}`, `{{item}}`, `{{item.k}}`, `{{workflow.uid}}`,
// `{{pod.name}}`, `{{inputs.artifacts.x}}` and `{{=expr}}` (argo_expr_for_test.h).
// Artifacts are followed as their repository keys: the Workflow's
// `arguments.artifacts` (also handed to `spec.onExit`, as Argo does), a task's
// or exit hook's `arguments.artifacts` (`from` a `{{...}}` reference, or a
// key-only `s3.key`), else the template's own key-only `s3.key`; a container's
// output artifacts are `{{tasks.t.outputs.artifacts.y}}`. A DAG template's
// input artifact that no caller supplied is an error, as in Argo. A tag that
// fails to resolve fails the node before its pod would start.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/lower/argo/argo_expr_for_test.h"

namespace flow::lower::argo::testing {

/// One container run, as the fake executor sees it.
struct PodCall {
  std::string tmpl;                           // container template name
  std::map<std::string, std::string> inputs;  // resolved input parameters
  std::map<std::string, std::string> env;     // resolved env values
  std::vector<std::string> args;              // resolved command + args
  std::string pod;                            // unique pod name
  /// Input artifacts: name → the repository key it is downloaded from (a task
  /// argument's `from`, else the template's own key-only location).
  std::map<std::string, std::string> artifacts;
};

/// What a fake container did: success and output parameter values by name.
struct PodResult {
  bool ok = true;
  std::map<std::string, std::string> outputs;
};

struct NodeResult {
  std::string status;  // Succeeded, Failed, Skipped, Omitted
  std::map<std::string, std::string> outputs;
  std::map<std::string, std::string> artifacts;  // output artifact name → repository key
};

class ArgoSimulator {
 public:
  using Executor = std::function<PodResult(const PodCall&)>;

  ArgoSimulator(const YAML::Node& doc, Executor exec) : exec_(std::move(exec)) {
    spec_ = doc["spec"];
    if (doc["kind"].as<std::string>() == "CronWorkflow") spec_ = spec_["workflowSpec"];
    for (const YAML::Node& t : spec_["templates"]) templates_[t["name"].as<std::string>()] = t;
  }

  /// Runs the workflow with `arguments` (over the spec's defaults); returns the entry's result.
  NodeResult Run(const std::map<std::string, std::string>& arguments) {
    if (spec_["arguments"] && spec_["arguments"]["parameters"]) {
      for (const YAML::Node& p : spec_["arguments"]["parameters"]) {
        std::string name = p["name"].as<std::string>();
        if (p["value"]) globals_[name] = p["value"].as<std::string>();
      }
    }
    for (const auto& [k, v] : arguments) globals_[k] = v;
    std::map<std::string, std::string> inputs;
    const YAML::Node& entry = templates_[spec_["entrypoint"].as<std::string>()];
    if (entry["inputs"] && entry["inputs"]["parameters"]) {
      for (const YAML::Node& p : entry["inputs"]["parameters"]) {
        std::string name = p["name"].as<std::string>();
        if (globals_.count(name)) inputs[name] = globals_[name];
      }
    }
    // The Workflow's input artifacts reach the entry template (key-only `s3`).
    std::map<std::string, std::string> artifacts;
    if (spec_["arguments"] && spec_["arguments"]["artifacts"]) {
      for (const YAML::Node& a : spec_["arguments"]["artifacts"]) {
        if (a["s3"] && a["s3"]["key"]) {
          artifacts[a["name"].as<std::string>()] = Substitute(a["s3"]["key"].as<std::string>(), BaseEnv({}));
        }
      }
    }
    NodeResult result = RunTemplate(spec_["entrypoint"].as<std::string>(), inputs, artifacts);
    if (spec_["onExit"]) {
      // Argo runs the exit handler with the Workflow's arguments, matched by name.
      std::map<std::string, std::string> exit_inputs;
      const YAML::Node& handler = templates_[spec_["onExit"].as<std::string>()];
      if (handler["inputs"] && handler["inputs"]["parameters"]) {
        for (const YAML::Node& p : handler["inputs"]["parameters"]) {
          std::string name = p["name"].as<std::string>();
          if (globals_.count(name)) exit_inputs[name] = globals_[name];
        }
      }
      RunTemplate(spec_["onExit"].as<std::string>(), exit_inputs, artifacts);
    }
    return result;
  }

  const std::vector<PodCall>& pods() const { return pods_; }
  const std::vector<std::string>& errors() const { return errors_; }
  /// Largest `parallelism` seen on a template that ran (0: none).
  int max_parallelism() const { return max_parallelism_; }

  /// Substitutes `{{...}}` tags in `text` against `env`; records errors.
  std::string Substitute(const std::string& text, const SimJson& env) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      size_t open = text.find("{{", i);
      if (open == std::string::npos) {
        out += text.substr(i);
        break;
      }
      out += text.substr(i, open - i);
      size_t close = text.find("}}", open + 2);
      if (close == std::string::npos) {
        out += text.substr(open);
        break;
      }
      std::string tag = text.substr(open + 2, close - open - 2);
      i = close + 2;
      if (!tag.empty() && tag[0] == '=') {
        SimJson v;
        ExprEval eval(tag.substr(1), env);
        if (!eval.Run(&v)) {
          errors_.push_back("expression `" + tag + "`: " + eval.error());
          continue;
        }
        out += ExprEval::Text(v);
        continue;
      }
      // Plain tags: a dotted path into env.
      const SimJson* cur = &env;
      size_t start = 0;
      bool found = true;
      while (start <= tag.size()) {
        size_t dot = tag.find('.', start);
        std::string part = tag.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object() || !cur->contains(part)) {
          found = false;
          break;
        }
        cur = &(*cur)[part];
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      if (!found) {
        errors_.push_back("unresolved `{{" + tag + "}}`");
        continue;
      }
      out += ExprEval::Text(*cur);
    }
    return out;
  }

 private:
  static SimJson ParamsJson(const std::map<std::string, std::string>& params) {
    SimJson obj = SimJson::object();
    for (const auto& [k, v] : params) obj[k] = v;
    return obj;
  }

  SimJson BaseEnv(const std::map<std::string, std::string>& inputs,
                  const std::map<std::string, std::string>& artifacts = {}) {
    SimJson env = SimJson::object();
    env["inputs"] = {{"parameters", ParamsJson(inputs)}, {"artifacts", ParamsJson(artifacts)}};
    env["workflow"] = {{"parameters", ParamsJson(globals_)}, {"uid", "uid-1"}, {"name", "wf-1"}};
    return env;
  }

  NodeResult RunTemplate(const std::string& name, const std::map<std::string, std::string>& inputs,
                         const std::map<std::string, std::string>& artifacts = {}) {
    if (!templates_.count(name)) {
      errors_.push_back("no template " + name);
      return {"Failed", {}, {}};
    }
    const YAML::Node& t = templates_[name];
    if (t["dag"]) return RunDag(t, inputs, artifacts);
    return RunContainer(name, t, inputs, artifacts);
  }

  NodeResult RunContainer(const std::string& name, const YAML::Node& t,
                          const std::map<std::string, std::string>& inputs,
                          const std::map<std::string, std::string>& artifacts) {
    size_t errors_before = errors_.size();
    PodCall call;
    call.tmpl = name;
    call.inputs = inputs;
    call.pod = name + "-pod-" + std::to_string(pods_.size() + 1);
    SimJson env = BaseEnv(inputs);
    env["pod"] = {{"name", call.pod}};
    if (t["inputs"] && t["inputs"]["artifacts"]) {
      for (const YAML::Node& a : t["inputs"]["artifacts"]) {
        std::string an = a["name"].as<std::string>();
        if (artifacts.count(an)) {
          call.artifacts[an] = artifacts.at(an);
        } else if (a["s3"] && a["s3"]["key"]) {
          call.artifacts[an] = Substitute(a["s3"]["key"].as<std::string>(), env);
        } else {
          errors_.push_back(name + ": input artifact " + an + " has no location");
        }
      }
    }
    if (t["container"]["env"]) {
      for (const YAML::Node& e : t["container"]["env"]) {
        call.env[e["name"].as<std::string>()] = Substitute(e["value"].as<std::string>(), env);
      }
    }
    for (const char* key : {"command", "args"}) {
      if (t["container"][key]) {
        for (const YAML::Node& a : t["container"][key]) call.args.push_back(Substitute(a.as<std::string>(), env));
      }
    }
    // A tag that does not resolve (a failed re-validation) fails the node
    // before its pod starts: no user code runs.
    if (errors_.size() != errors_before) return {"Failed", {}, {}};
    pods_.push_back(call);
    PodResult r = exec_(call);
    NodeResult node{r.ok ? "Succeeded" : "Failed", r.outputs, {}};
    if (r.ok && t["outputs"] && t["outputs"]["artifacts"]) {
      for (const YAML::Node& a : t["outputs"]["artifacts"]) {
        if (a["s3"] && a["s3"]["key"]) {
          node.artifacts[a["name"].as<std::string>()] = Substitute(a["s3"]["key"].as<std::string>(), env);
        }
      }
    }
    return node;
  }

  /// Evaluates a `depends` expression over finished task statuses.
  bool DependsHolds(const std::string& expr, const std::map<std::string, NodeResult>& done) {
    std::string code;
    size_t i = 0;
    while (i < expr.size()) {
      char c = expr[i];
      if (std::isalnum(static_cast<unsigned char>(c))) {
        size_t start = i;
        while (i < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[i])) || expr[i] == '-')) ++i;
        std::string task = expr.substr(start, i - start);
        std::string status = done.at(task).status;
        if (i < expr.size() && expr[i] == '.') {
          size_t s2 = ++i;
          while (i < expr.size() && std::isalpha(static_cast<unsigned char>(expr[i]))) ++i;
          std::string want = expr.substr(s2, i - s2);
          code += (want == "Errored" ? status == "Error" : status == want) ? "true" : "false";
        } else {
          code += status == "Succeeded" || status == "Skipped" ? "true" : "false";
        }
        continue;
      }
      code += c;
      ++i;
    }
    SimJson v;
    SimJson empty = SimJson::object();
    ExprEval eval(code, empty);
    if (!eval.Run(&v)) {
      errors_.push_back("depends `" + expr + "`: " + eval.error());
      return false;
    }
    return v.is_boolean() && v.get<bool>();
  }

  static std::set<std::string> Names(const std::string& depends) {
    std::set<std::string> names;
    size_t i = 0;
    while (i < depends.size()) {
      if (std::isalnum(static_cast<unsigned char>(depends[i]))) {
        size_t start = i;
        while (i < depends.size() && (std::isalnum(static_cast<unsigned char>(depends[i])) || depends[i] == '-')) ++i;
        if (start == 0 || depends[start - 1] != '.') names.insert(depends.substr(start, i - start));
        continue;
      }
      ++i;
    }
    return names;
  }

  NodeResult RunDag(const YAML::Node& t, const std::map<std::string, std::string>& inputs,
                    const std::map<std::string, std::string>& artifacts) {
    if (t["parallelism"]) max_parallelism_ = std::max(max_parallelism_, t["parallelism"].as<int>());
    if (t["inputs"] && t["inputs"]["artifacts"]) {
      for (const YAML::Node& a : t["inputs"]["artifacts"]) {
        std::string an = a["name"].as<std::string>();
        if (!artifacts.count(an) && !a["s3"] && !(a["optional"] && a["optional"].as<bool>())) {
          errors_.push_back(t["name"].as<std::string>() + ": input artifact " + an + " was not supplied");
        }
      }
    }
    std::vector<YAML::Node> tasks;
    for (const YAML::Node& task : t["dag"]["tasks"]) tasks.push_back(task);
    std::map<std::string, NodeResult> done;
    std::set<std::string> handled_failures;  // failed tasks some `depends` inspects with .Failed
    std::set<std::string> continue_on;       // tasks with `continueOn: {failed: true}`
    for (const YAML::Node& task : tasks) {
      if (task["continueOn"] && task["continueOn"]["failed"] && task["continueOn"]["failed"].as<bool>()) {
        continue_on.insert(task["name"].as<std::string>());
      }
    }
    bool progress = true;
    while (done.size() < tasks.size() && progress) {
      progress = false;
      for (const YAML::Node& task : tasks) {
        std::string name = task["name"].as<std::string>();
        if (done.count(name)) continue;
        std::string depends = task["depends"] ? task["depends"].as<std::string>() : "";
        std::vector<std::string> dependencies;
        if (task["dependencies"]) {
          for (const YAML::Node& d : task["dependencies"]) dependencies.push_back(d.as<std::string>());
        }
        bool ready = true;
        for (const std::string& d : Names(depends)) ready = ready && done.count(d) != 0;
        for (const std::string& d : dependencies) ready = ready && done.count(d) != 0;
        if (!ready) continue;
        progress = true;
        bool deps_ok = true;
        for (const std::string& d : dependencies) {
          const std::string& s = done.at(d).status;
          deps_ok = deps_ok && (s == "Succeeded" || s == "Skipped" || (s == "Failed" && continue_on.count(d) != 0));
        }
        if (!deps_ok) {
          done[name] = {"Omitted", {}, {}};
          continue;
        }
        if (!depends.empty() && depends.find(".Failed") != std::string::npos) {
          for (const std::string& d : Names(depends)) handled_failures.insert(d);
        }
        if (!depends.empty() && !DependsHolds(depends, done)) {
          done[name] = {"Omitted", {}, {}};
          continue;
        }
        SimJson env = BaseEnv(inputs, artifacts);
        env["tasks"] = SimJson::object();
        for (const auto& [tn, r] : done) {
          env["tasks"][tn] = {{"status", r.status},
                              {"outputs", {{"parameters", ParamsJson(r.outputs)}, {"artifacts", ParamsJson(r.artifacts)}}}};
        }
        if (task["when"]) {
          std::string when = Substitute(task["when"].as<std::string>(), env);
          if (when != "true") {
            if (when != "false") errors_.push_back("when is neither true nor false: " + when);
            done[name] = {"Skipped", {}, {}};
            continue;
          }
        }
        std::vector<SimJson> items;
        bool looped = false;
        if (task["withItems"]) {
          looped = true;
          for (const YAML::Node& item : task["withItems"]) items.push_back(YamlToJson(item));
        }
        if (task["withParam"]) {
          looped = true;
          SimJson list = SimJson::parse(Substitute(task["withParam"].as<std::string>(), env), nullptr, false);
          if (!list.is_array()) {
            errors_.push_back(name + ": withParam is not a JSON list");
            list = SimJson::array();
          }
          for (const SimJson& item : list) items.push_back(item);
        }
        if (!looped) items.push_back(nullptr);
        if (looped && items.empty()) {
          // Argo: "Skipped, empty params"; no child, so no aggregated output.
          done[name] = {"Skipped", {}, {}};
          continue;
        }
        std::vector<NodeResult> runs;
        for (const SimJson& item : items) {
          SimJson item_env = env;
          if (looped) item_env["item"] = item;
          std::map<std::string, std::string> args;
          if (task["arguments"] && task["arguments"]["parameters"]) {
            for (const YAML::Node& p : task["arguments"]["parameters"]) {
              args[p["name"].as<std::string>()] = Substitute(p["value"].as<std::string>(), item_env);
            }
          }
          std::map<std::string, std::string> arts = ArgumentArtifacts(task["arguments"], item_env);
          runs.push_back(RunTemplate(task["template"].as<std::string>(), args, arts));
          if (task["hooks"] && task["hooks"]["exit"]) {
            SimJson hook_env = item_env;
            std::map<std::string, std::string> hook_args;
            for (const YAML::Node& p : task["hooks"]["exit"]["arguments"]["parameters"]) {
              hook_args[p["name"].as<std::string>()] = Substitute(p["value"].as<std::string>(), hook_env);
            }
            RunTemplate(task["hooks"]["exit"]["template"].as<std::string>(), hook_args,
                        ArgumentArtifacts(task["hooks"]["exit"]["arguments"], hook_env));
          }
        }
        NodeResult result{"Succeeded", {}, {}};
        for (const NodeResult& r : runs) {
          if (r.status == "Failed") result.status = "Failed";
        }
        if (!looped) {
          result.outputs = runs[0].outputs;
          result.artifacts = runs[0].artifacts;
        } else {
          std::map<std::string, std::vector<std::string>> lists;
          for (const NodeResult& r : runs) {
            for (const auto& [k, v] : r.outputs) lists[k].push_back(v);
          }
          for (const auto& [k, values] : lists) result.outputs[k] = Aggregate(values);
        }
        done[name] = result;
      }
    }
    if (done.size() < tasks.size()) errors_.push_back("DAG stuck: a dependency never finished");
    NodeResult out{"Succeeded", {}, {}};
    for (const auto& [tn, r] : done) {
      if (r.status == "Failed" && !handled_failures.count(tn) && !continue_on.count(tn)) out.status = "Failed";
    }
    if (out.status == "Succeeded" && t["outputs"] && t["outputs"]["parameters"]) {
      SimJson env = BaseEnv(inputs);
      env["tasks"] = SimJson::object();
      for (const auto& [tn, r] : done) {
        env["tasks"][tn] = {{"status", r.status}, {"outputs", {{"parameters", ParamsJson(r.outputs)}}}};
      }
      for (const YAML::Node& p : t["outputs"]["parameters"]) {
        out.outputs[p["name"].as<std::string>()] = Substitute(p["valueFrom"]["parameter"].as<std::string>(), env);
      }
    }
    if (out.status == "Succeeded" && t["outputs"] && t["outputs"]["artifacts"]) {
      // A DAG template's output artifact is the object its `from` names.
      SimJson env = BaseEnv(inputs, artifacts);
      env["tasks"] = SimJson::object();
      for (const auto& [tn, r] : done) {
        env["tasks"][tn] = {{"status", r.status}, {"outputs", {{"artifacts", ParamsJson(r.artifacts)}}}};
      }
      for (const YAML::Node& a : t["outputs"]["artifacts"]) {
        if (!a["from"]) {
          errors_.push_back("DAG output artifact " + a["name"].as<std::string>() + " has no `from`");
          continue;
        }
        out.artifacts[a["name"].as<std::string>()] = Substitute(a["from"].as<std::string>(), env);
      }
    }
    return out;
  }

  /// The repository keys of `arguments.artifacts`: `from` a reference, or a key-only `s3.key`.
  std::map<std::string, std::string> ArgumentArtifacts(const YAML::Node& arguments, const SimJson& env) {
    std::map<std::string, std::string> arts;
    if (!arguments || !arguments["artifacts"]) return arts;
    for (const YAML::Node& a : arguments["artifacts"]) {
      std::string name = a["name"].as<std::string>();
      if (a["from"]) {
        arts[name] = Substitute(a["from"].as<std::string>(), env);
      } else if (a["s3"] && a["s3"]["key"]) {
        arts[name] = Substitute(a["s3"]["key"].as<std::string>(), env);
      } else {
        errors_.push_back("artifact argument " + name + " has neither `from` nor a location");
      }
    }
    return arts;
  }

  /// Argo's aggregation of a fan-out's output parameter (3.6 and later,
  /// argo-workflows#13513): the Go JSON list of the parsed values when every
  /// value, trimmed of spaces, is a JSON list or object; else (bare numbers,
  /// strings, `null`, or anything not JSON) the JSON list of the values' texts.
  static std::string Aggregate(const std::vector<std::string>& values) {
    SimJson parsed = SimJson::array();
    SimJson strings = SimJson::array();
    bool as_json = true;
    for (const std::string& v : values) {
      strings.push_back(v);
      size_t b = v.find_first_not_of(' ');
      size_t e = v.find_last_not_of(' ');
      bool bracketed = b != std::string::npos &&
                       ((v[b] == '[' && v[e] == ']') || (v[b] == '{' && v[e] == '}'));
      SimJson j = bracketed ? SimJson::parse(v, nullptr, false) : SimJson();
      if (!bracketed || j.is_discarded()) as_json = false;
      parsed.push_back(j);
    }
    return ExprEval::GoJson(as_json ? parsed : strings);
  }

  static SimJson YamlToJson(const YAML::Node& n) {
    if (n.IsMap()) {
      SimJson o = SimJson::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return o;
    }
    if (n.IsSequence()) {
      SimJson a = SimJson::array();
      for (const auto& x : n) a.push_back(YamlToJson(x));
      return a;
    }
    if (n.IsNull()) return nullptr;
    // Plain numbers stay numbers (as Argo reads withItems); quoted scalars are strings.
    std::string s = n.Scalar();
    if (n.Tag() == "?") {
      SimJson j = SimJson::parse(s, nullptr, false);
      if (!j.is_discarded() && (j.is_number() || j.is_boolean())) return j;
    }
    return s;
  }

  YAML::Node spec_;
  std::map<std::string, YAML::Node> templates_;
  std::map<std::string, std::string> globals_;
  Executor exec_;
  std::vector<PodCall> pods_;
  std::vector<std::string> errors_;
  int max_parallelism_ = 0;
};

}  // namespace flow::lower::argo::testing

// Structural checks over emitted Argo YAML that the CRD schema cannot make
// (test-only, header-only): every template reference exists, every `depends`
// names a task of its DAG, no DAG has a cycle, every `{{...}}` parameter or
// artifact reference (plain or inside `{{=...}}`) resolves to a declared input
// of the template, or to an output declared by the referenced task's template,
// and artifacts are handed over completely: every artifact argument (of a task,
// an exit hook) names an input artifact of its template, and every input
// artifact without a location of its own is supplied by each caller (the
// Workflow's `arguments.artifacts` for the entrypoint and `onExit`).
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace flow::lower::argo::testing {

inline void CollectStrings(const YAML::Node& node, std::vector<std::string>* out) {
  if (node.IsScalar()) out->push_back(node.Scalar());
  if (node.IsSequence()) {
    for (const auto& item : node) CollectStrings(item, out);
  }
  if (node.IsMap()) {
    for (const auto& kv : node) CollectStrings(kv.second, out);
  }
}

/// The names in a `depends` expression (`a && (b.Succeeded || b.Failed)` → a, b).
inline std::set<std::string> DependsNames(const std::string& depends) {
  std::set<std::string> names;
  std::regex word("[A-Za-z0-9][A-Za-z0-9-]*");
  for (auto it = std::sregex_iterator(depends.begin(), depends.end(), word); it != std::sregex_iterator(); ++it) {
    size_t pos = static_cast<size_t>(it->position());
    if (pos > 0 && depends[pos - 1] == '.') continue;  // `.Succeeded` etc.
    names.insert(it->str());
  }
  return names;
}

/// Returns every structural problem found in the document (empty: fine).
inline std::vector<std::string> CheckArgoStructure(const YAML::Node& doc) {
  std::vector<std::string> problems;
  YAML::Node spec = doc["spec"];
  if (doc["kind"].as<std::string>() == "CronWorkflow") spec = spec["workflowSpec"];
  std::map<std::string, YAML::Node> templates;
  for (const YAML::Node& t : spec["templates"]) templates[t["name"].as<std::string>()] = t;
  auto outputs_of = [&](const std::string& tmpl, const char* what = "parameters") {
    std::set<std::string> outs;
    const YAML::Node& t = templates[tmpl];
    if (t["outputs"] && t["outputs"][what]) {
      for (const auto& p : t["outputs"][what]) outs.insert(p["name"].as<std::string>());
    }
    return outs;
  };
  // Artifact hand-over: `args` (an `arguments` node, may be null) given to template `target`.
  // `exact`: every argument must name a declared input (task and hook arguments;
  // the Workflow's own arguments go to the entrypoint and `onExit` by name, and
  // a template may leave some of them unused).
  auto check_artifact_args = [&](const std::string& where, const std::string& target, const YAML::Node& args,
                                 bool exact = true) {
    if (!templates.count(target)) return;
    const YAML::Node& t = templates[target];
    std::set<std::string> given;
    if (args && args["artifacts"]) {
      for (const auto& a : args["artifacts"]) {
        std::string an = a["name"].as<std::string>();
        given.insert(an);
        if (!a["from"] && !a["s3"]) problems.push_back(where + ": artifact argument " + an + " has no source");
      }
    }
    std::set<std::string> declared;
    if (t["inputs"] && t["inputs"]["artifacts"]) {
      for (const auto& a : t["inputs"]["artifacts"]) {
        std::string an = a["name"].as<std::string>();
        declared.insert(an);
        bool optional = a["optional"] && a["optional"].as<bool>();
        if (!a["s3"] && !optional && !given.count(an)) {
          problems.push_back(where + ": input artifact " + an + " of " + target + " is not supplied");
        }
      }
    }
    for (const std::string& an : given) {
      if (exact && !declared.count(an)) problems.push_back(where + ": " + target + " declares no input artifact " + an);
    }
  };
  YAML::Node spec_args = spec["arguments"] ? spec["arguments"] : YAML::Node();
  check_artifact_args("entrypoint", spec["entrypoint"].as<std::string>(), spec_args, false);
  if (spec["onExit"]) check_artifact_args("onExit", spec["onExit"].as<std::string>(), spec_args, false);
  if (!templates.count(spec["entrypoint"].as<std::string>())) problems.push_back("entrypoint missing");
  if (spec["onExit"] && !templates.count(spec["onExit"].as<std::string>())) problems.push_back("onExit missing");
  std::set<std::string> globals;
  if (spec["arguments"] && spec["arguments"]["parameters"]) {
    for (const auto& p : spec["arguments"]["parameters"]) globals.insert(p["name"].as<std::string>());
  }
  std::regex plain_input(R"(inputs\.parameters\.([A-Za-z0-9_-]+))");
  std::regex expr_input(R"(inputs\.parameters\['([A-Za-z0-9_-]+)'\])");
  std::regex plain_task(R"(tasks\.([a-z0-9-]+)\.outputs\.parameters\.([A-Za-z0-9_-]+))");
  std::regex expr_task(R"(tasks\['([a-z0-9-]+)'\]\.outputs\.parameters\['([A-Za-z0-9_-]+)'\])");
  std::regex global_ref(R"(workflow\.parameters\.([A-Za-z0-9_-]+))");
  std::regex input_artifact(R"(inputs\.artifacts\.([A-Za-z0-9_-]+))");
  std::regex task_artifact(R"(tasks\.([a-z0-9-]+)\.outputs\.artifacts\.([A-Za-z0-9_-]+))");
  for (auto& [name, t] : templates) {
    std::set<std::string> inputs;
    if (t["inputs"] && t["inputs"]["parameters"]) {
      for (const auto& p : t["inputs"]["parameters"]) inputs.insert(p["name"].as<std::string>());
    }
    std::set<std::string> input_artifacts;
    if (t["inputs"] && t["inputs"]["artifacts"]) {
      for (const auto& a : t["inputs"]["artifacts"]) input_artifacts.insert(a["name"].as<std::string>());
    }
    std::map<std::string, std::string> task_template;
    std::map<std::string, std::set<std::string>> deps;
    if (t["dag"]) {
      for (const auto& task : t["dag"]["tasks"]) {
        std::string tn = task["name"].as<std::string>();
        std::string target = task["template"].as<std::string>();
        if (!templates.count(target)) problems.push_back(name + "/" + tn + ": unknown template " + target);
        if (task_template.count(tn)) problems.push_back(name + ": duplicate task " + tn);
        task_template[tn] = target;
        if (task["depends"]) deps[tn] = DependsNames(task["depends"].as<std::string>());
        if (task["hooks"] && !templates.count(task["hooks"]["exit"]["template"].as<std::string>())) {
          problems.push_back(name + "/" + tn + ": unknown exit hook template");
        }
        check_artifact_args(name + "/" + tn, target, task["arguments"]);
        if (task["hooks"] && task["hooks"]["exit"]) {
          check_artifact_args(name + "/" + tn + " exit hook", task["hooks"]["exit"]["template"].as<std::string>(),
                              task["hooks"]["exit"]["arguments"]);
        }
      }
      for (auto& [tn, ds] : deps) {
        for (const std::string& d : ds) {
          if (!task_template.count(d)) problems.push_back(name + "/" + tn + ": depends on unknown task " + d);
        }
      }
      // Cycle check (DFS with colors over a sorted map: deterministic).
      std::map<std::string, int> color;
      std::function<bool(const std::string&)> visit = [&](const std::string& n) {
        if (color[n] == 1) return false;
        if (color[n] == 2) return true;
        color[n] = 1;
        for (const std::string& d : deps[n]) {
          if (task_template.count(d) && !visit(d)) return false;
        }
        color[n] = 2;
        return true;
      };
      for (auto& [tn, target] : task_template) {
        if (!visit(tn)) problems.push_back(name + ": dependency cycle through " + tn);
      }
    }
    // References: inputs of this template; outputs of this DAG's tasks.
    std::vector<std::string> strings;
    for (const auto& kv : t) {
      if (kv.first.as<std::string>() == "inputs") continue;
      CollectStrings(kv.second, &strings);
    }
    for (const std::string& s : strings) {
      for (const std::regex* re : {&plain_input, &expr_input}) {
        for (auto it = std::sregex_iterator(s.begin(), s.end(), *re); it != std::sregex_iterator(); ++it) {
          if (!inputs.count((*it)[1])) problems.push_back(name + ": undeclared input " + (*it)[1].str());
        }
      }
      for (const std::regex* re : {&plain_task, &expr_task}) {
        for (auto it = std::sregex_iterator(s.begin(), s.end(), *re); it != std::sregex_iterator(); ++it) {
          std::string tn = (*it)[1];
          if (!task_template.count(tn)) {
            problems.push_back(name + ": reference to unknown task " + tn);
            continue;
          }
          // Outputs declared by the referenced template (or its loop wrapper).
          if (!outputs_of(task_template[tn]).count((*it)[2])) {
            problems.push_back(name + ": task " + tn + " has no output " + (*it)[2].str());
          }
        }
      }
      for (auto it = std::sregex_iterator(s.begin(), s.end(), input_artifact); it != std::sregex_iterator(); ++it) {
        if (!input_artifacts.count((*it)[1])) problems.push_back(name + ": undeclared input artifact " + (*it)[1].str());
      }
      for (auto it = std::sregex_iterator(s.begin(), s.end(), task_artifact); it != std::sregex_iterator(); ++it) {
        std::string tn = (*it)[1];
        if (!task_template.count(tn)) {
          problems.push_back(name + ": artifact of unknown task " + tn);
        } else if (!outputs_of(task_template[tn], "artifacts").count((*it)[2])) {
          problems.push_back(name + ": task " + tn + " has no output artifact " + (*it)[2].str());
        }
      }
      for (auto it = std::sregex_iterator(s.begin(), s.end(), global_ref); it != std::sregex_iterator(); ++it) {
        if (!globals.count((*it)[1])) problems.push_back(name + ": unknown workflow parameter " + (*it)[1].str());
      }
    }
  }
  return problems;
}

}  // namespace flow::lower::argo::testing

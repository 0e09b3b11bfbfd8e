// Test-only: structural checks and a small Tekton-semantics interpreter over
// the documents the backend emits (Tasks + Pipeline), run against fake task
// results. It follows Tekton's rules: a task starts when its runAfter tasks and
// the tasks whose results it references are done; `when` entries are all
// checked (in/notin); a skipped or failed task skips the tasks consuming its
// results; `matrix` runs one TaskRun per element and aggregates string results
// into arrays; `finally` tasks run after everything else.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "compiler/lower/backend.h"

namespace flow::lower::tekton::testing {

struct Docs {
  std::map<std::string, YAML::Node> tasks;  // Task name → document
  YAML::Node pipeline;
  YAML::Node run;
  bool has_run = false;
};

inline Docs Parse(const std::vector<Document>& documents) {
  Docs d;
  for (const Document& doc : documents) {
    YAML::Node n = YAML::Load(doc.yaml);
    std::string kind = n["kind"].as<std::string>();
    if (kind == "Task") d.tasks[n["metadata"]["name"].as<std::string>()] = n;
    if (kind == "Pipeline") d.pipeline = n;
    if (kind == "PipelineRun") {
      d.run = n;
      d.has_run = true;
    }
  }
  return d;
}

/// Every `$(...)` variable in `text`.
inline std::vector<std::string> Variables(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex re(R"(\$\(([a-zA-Z][-a-zA-Z0-9_.\[\]*]*)\))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

inline void CollectStrings(const YAML::Node& n, std::vector<std::string>* out) {
  if (!n.IsDefined()) return;
  if (n.IsScalar()) out->push_back(n.as<std::string>());
  if (n.IsSequence())
    for (const YAML::Node& c : n) CollectStrings(c, out);
  if (n.IsMap())
    for (const auto& kv : n) CollectStrings(kv.second, out);
}

inline std::set<std::string> Names(const YAML::Node& list) {
  std::set<std::string> s;
  if (list)
    for (const YAML::Node& x : list) s.insert(x["name"].as<std::string>());
  return s;
}

/// Structural problems: unresolved runAfter/result/param/workspace references,
/// unbound workspaces, required params not supplied. Empty when all is well.
inline std::vector<std::string> StructuralProblems(const Docs& d) {
  std::vector<std::string> problems;
  for (const auto& [name, task] : d.tasks) {
    std::set<std::string> params = Names(task["spec"]["params"]);
    std::set<std::string> results = Names(task["spec"]["results"]);
    std::set<std::string> workspaces = Names(task["spec"]["workspaces"]);
    std::vector<std::string> strings;
    CollectStrings(task["spec"]["steps"], &strings);
    for (const std::string& s : strings) {
      for (const std::string& v : Variables(s)) {
        std::smatch m;
        if (std::regex_match(v, m, std::regex(R"(params\.([^.\[]+)(\[\*\])?)"))) {
          if (!params.count(m[1])) problems.push_back("task " + name + ": undeclared param " + v);
        } else if (std::regex_match(v, m, std::regex(R"(results\.([^.]+)\.path)"))) {
          if (!results.count(m[1])) problems.push_back("task " + name + ": undeclared result " + v);
        } else if (std::regex_match(v, m, std::regex(R"(workspaces\.([^.]+)\.path)"))) {
          if (!workspaces.count(m[1])) problems.push_back("task " + name + ": undeclared workspace " + v);
        } else if (std::regex_match(v, m, std::regex(R"(steps\.step-([^.]+)\.exitCode\.path)"))) {
          if (!Names(task["spec"]["steps"]).count(m[1])) problems.push_back("task " + name + ": unknown step " + v);
        } else if (v != "context.taskRun.name" && v != "context.task.retry-count") {
          problems.push_back("task " + name + ": unknown variable " + v);
        }
      }
    }
  }
  const YAML::Node spec = d.pipeline["spec"];
  std::set<std::string> pparams = Names(spec["params"]);
  std::set<std::string> pworkspaces = Names(spec["workspaces"]);
  std::set<std::string> regular = Names(spec["tasks"]);
  for (const char* section : {"tasks", "finally"}) {
    if (!spec[section]) continue;
    for (const YAML::Node& pt : spec[section]) {
      std::string name = pt["name"].as<std::string>();
      std::string ref = pt["taskRef"]["name"].as<std::string>();
      auto task = d.tasks.find(ref);
      if (task == d.tasks.end()) {
        problems.push_back(name + ": unknown Task " + ref);
        continue;
      }
      if (pt["runAfter"]) {
        for (const YAML::Node& a : pt["runAfter"]) {
          if (!regular.count(a.as<std::string>())) problems.push_back(name + ": runAfter unknown " + a.as<std::string>());
        }
      }
      std::set<std::string> supplied = Names(pt["params"]);
      if (pt["matrix"])
        for (const std::string& m : Names(pt["matrix"]["params"])) supplied.insert(m);
      for (const YAML::Node& p : task->second["spec"]["params"]) {
        if (!p["default"] && !supplied.count(p["name"].as<std::string>())) {
          problems.push_back(name + ": param not supplied " + p["name"].as<std::string>());
        }
      }
      std::set<std::string> bound;
      if (pt["workspaces"])
        for (const YAML::Node& w : pt["workspaces"]) {
          bound.insert(w["name"].as<std::string>());
          if (!pworkspaces.count(w["workspace"].as<std::string>())) problems.push_back(name + ": unknown workspace");
        }
      for (const std::string& w : Names(task->second["spec"]["workspaces"])) {
        if (!bound.count(w)) problems.push_back(name + ": workspace not bound " + w);
      }
      std::vector<std::string> strings;
      CollectStrings(pt["params"], &strings);
      CollectStrings(pt["matrix"], &strings);
      CollectStrings(pt["when"], &strings);
      for (const std::string& s : strings) {
        for (const std::string& v : Variables(s)) {
          std::smatch m;
          if (std::regex_match(v, m, std::regex(R"(params\.([^.\[]+)(\[\*\])?)"))) {
            if (!pparams.count(m[1])) problems.push_back(name + ": undeclared pipeline param " + v);
          } else if (std::regex_match(v, m, std::regex(R"(tasks\.([^.]+)\.results\.([^.\[]+)(\[\*\])?)"))) {
            if (!regular.count(m[1])) {
              problems.push_back(name + ": result of unknown task " + v);
              continue;
            }
            for (const YAML::Node& other : spec["tasks"]) {
              if (other["name"].as<std::string>() != m[1].str()) continue;
              auto t = d.tasks.find(other["taskRef"]["name"].as<std::string>());
              if (t != d.tasks.end() && !Names(t->second["spec"]["results"]).count(m[2])) {
                problems.push_back(name + ": undeclared result " + v);
              }
            }
          } else {
            problems.push_back(name + ": unknown variable " + v);
          }
        }
      }
    }
  }
  return problems;
}

/// One TaskRun the simulation started.
struct SimRun {
  std::string pipeline_task;
  std::string task;                                           // the Task (taskRef) it runs
  std::map<std::string, std::string> params;                  // string params
  std::map<std::string, std::vector<std::string>> array_params;
};

/// Fake behaviour of a TaskRun: false = it failed; else fill `results`.
using FakeTask = std::function<bool(const SimRun& run, std::map<std::string, std::string>* results)>;

struct SimOutcome {
  std::vector<SimRun> runs;                    // in start order
  std::set<std::string> skipped;
  std::set<std::string> failed;
  std::map<std::string, std::string> results;  // pipeline results (arrays as "[a,b]")
};

/// Interprets the Pipeline with `args` (string params) and `array_args`.
/// (yaml-cpp nodes are shared handles and reading them is not always free of
/// side effects, so callers pass freshly parsed documents to each simulation.)
inline SimOutcome Simulate(const Docs& d, const std::map<std::string, std::string>& args,
                           const std::map<std::string, std::vector<std::string>>& array_args, const FakeTask& fake) {
  SimOutcome out;
  const YAML::Node spec = d.pipeline["spec"];
  std::map<std::string, std::string> params;
  std::map<std::string, std::vector<std::string>> arrays;
  if (spec["params"])
    for (const YAML::Node& p : spec["params"]) {
      std::string n = p["name"].as<std::string>();
      if (p["type"].as<std::string>() == "array") {
        if (p["default"])
          for (const YAML::Node& x : p["default"]) arrays[n].push_back(x.as<std::string>());
      } else if (p["default"]) {
        params[n] = p["default"].as<std::string>();
      }
    }
  for (const auto& [k, v] : args) params[k] = v;
  for (const auto& [k, v] : array_args) arrays[k] = v;
  std::map<std::string, std::map<std::string, std::string>> results;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> agg;
  std::set<std::string> done;
  bool ok = true;
  static const std::regex var(R"(\$\(([^)]*)\))");
  // Substitutes variables; false if a referenced result is unavailable.
  auto subst = [&](const std::string& text, std::string* res) {
    std::string r;
    auto begin = std::sregex_iterator(text.begin(), text.end(), var);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      r += text.substr(last, it->position() - last);
      last = it->position() + it->length();
      std::string v = (*it)[1].str();
      std::smatch m;
      if (std::regex_match(v, m, std::regex(R"(params\.([^.\[]+))"))) {
        r += params[m[1]];
      } else if (std::regex_match(v, m, std::regex(R"(tasks\.([^.]+)\.results\.([^.\[]+))"))) {
        if (!results.count(m[1]) || !results[m[1]].count(m[2])) return false;
        r += results[m[1]][m[2]];
      } else {
        r += "$(" + v + ")";
      }
    }
    *res = r + text.substr(last);
    return true;
  };
  auto array_of = [&](const YAML::Node& value, std::vector<std::string>* items) {
    if (value.IsSequence()) {
      for (const YAML::Node& x : value) {
        std::string s;
        if (!subst(x.as<std::string>(), &s)) return false;
        items->push_back(s);
      }
      return true;
    }
    std::smatch m;
    std::string v = value.as<std::string>();
    if (std::regex_match(v, m, std::regex(R"(\$\(params\.([^.\[]+)\[\*\]\))"))) {
      *items = arrays[m[1]];
      return true;
    }
    if (std::regex_match(v, m, std::regex(R"(\$\(tasks\.([^.]+)\.results\.([^.\[]+)\[\*\]\))"))) {
      if (!agg.count(m[1]) || !agg[m[1]].count(m[2])) return false;
      *items = agg[m[1]][m[2]];
      return true;
    }
    return false;
  };
  auto refs = [&](const YAML::Node& pt) {
    std::set<std::string> r;
    std::vector<std::string> strings;
    CollectStrings(pt["params"], &strings);
    CollectStrings(pt["matrix"], &strings);
    CollectStrings(pt["when"], &strings);
    for (const std::string& s : strings)
      for (const std::string& v : Variables(s)) {
        std::smatch m;
        if (std::regex_match(v, m, std::regex(R"(tasks\.([^.]+)\.results\..*)"))) r.insert(m[1]);
      }
    if (pt["runAfter"])
      for (const YAML::Node& a : pt["runAfter"]) r.insert(a.as<std::string>());
    return r;
  };
  auto run_task = [&](const YAML::Node& pt) {
    std::string name = pt["name"].as<std::string>();
    done.insert(name);
    for (const std::string& dep : refs(pt)) {
      // Consumers of a skipped/failed task's results are skipped; runAfter alone waits only.
      bool result_dep = false;
      std::vector<std::string> strings;
      CollectStrings(pt["params"], &strings);
      CollectStrings(pt["matrix"], &strings);
      CollectStrings(pt["when"], &strings);
      for (const std::string& s : strings)
        if (s.find("$(tasks." + dep + ".results.") != std::string::npos) result_dep = true;
      if (result_dep && (out.skipped.count(dep) || out.failed.count(dep))) {
        out.skipped.insert(name);
        return;
      }
    }
    if (pt["when"]) {
      for (const YAML::Node& w : pt["when"]) {
        std::string input;
        if (!subst(w["input"].as<std::string>(), &input)) {
          out.skipped.insert(name);
          return;
        }
        bool in = false;
        for (const YAML::Node& v : w["values"]) in = in || v.as<std::string>() == input;
        if (in != (w["operator"].as<std::string>() == "in")) {
          out.skipped.insert(name);
          return;
        }
      }
    }
    SimRun base;
    base.pipeline_task = name;
    base.task = pt["taskRef"]["name"].as<std::string>();
    if (pt["params"])
      for (const YAML::Node& p : pt["params"]) {
        std::string pname = p["name"].as<std::string>();
        if (p["value"].IsSequence() || p["value"].as<std::string>().find("[*]") != std::string::npos) {
          if (!array_of(p["value"], &base.array_params[pname])) {
            out.skipped.insert(name);
            return;
          }
        } else if (!subst(p["value"].as<std::string>(), &base.params[pname])) {
          out.skipped.insert(name);
          return;
        }
      }
    std::vector<SimRun> runs;
    if (pt["matrix"]) {
      const YAML::Node mp = pt["matrix"]["params"][0];
      std::vector<std::string> items;
      if (!array_of(mp["value"], &items)) {
        out.skipped.insert(name);
        return;
      }
      for (const std::string& item : items) {
        SimRun r = base;
        r.params[mp["name"].as<std::string>()] = item;
        runs.push_back(r);
      }
    } else {
      runs.push_back(base);
    }
    for (const SimRun& r : runs) {
      out.runs.push_back(r);
      std::map<std::string, std::string> res;
      if (!fake(r, &res)) {
        out.failed.insert(name);
        ok = false;
        continue;
      }
      std::set<std::string> array_results;
      auto task_doc = d.tasks.find(pt["taskRef"]["name"].as<std::string>());
      if (task_doc != d.tasks.end() && task_doc->second["spec"]["results"])
        for (const YAML::Node& rd : task_doc->second["spec"]["results"])
          if (rd["type"] && rd["type"].as<std::string>() == "array") array_results.insert(rd["name"].as<std::string>());
      for (const auto& [k, v] : res) {
        if (array_results.count(k)) {
          // An array result: the step wrote a JSON array of strings.
          std::vector<std::string>& items = agg[name][k];
          for (const YAML::Node& x : YAML::Load(v)) items.push_back(x.as<std::string>());
          continue;
        }
        if (pt["matrix"]) agg[name][k].push_back(v);
        results[name][k] = v;
      }
    }
    if (pt["matrix"]) results.erase(name);
  };
  // Regular tasks: repeatedly start every ready task (in document order).
  std::vector<YAML::Node> pending;
  for (const YAML::Node& pt : spec["tasks"]) pending.push_back(pt);
  while (!pending.empty()) {
    std::vector<YAML::Node> wave, rest;
    for (const YAML::Node& pt : pending) {
      bool ready = true;
      for (const std::string& dep : refs(pt)) ready = ready && done.count(dep);
      (ready ? wave : rest).push_back(pt);
    }
    if (wave.empty()) break;  // a cycle: StructuralProblems reports unknown names
    for (const YAML::Node& pt : wave) run_task(pt);
    // swap, not `=`: assigning a YAML::Node writes into the node it refers to.
    pending.swap(rest);
  }
  if (spec["finally"])
    for (const YAML::Node& pt : spec["finally"]) run_task(pt);
  if (spec["results"] && ok)
    for (const YAML::Node& r : spec["results"]) {
      std::vector<std::string> items;
      std::string text;
      if (r["type"].as<std::string>() == "array") {
        if (!array_of(r["value"], &items)) continue;
        for (size_t i = 0; i < items.size(); ++i) text += (i ? "," : "") + items[i];
        out.results[r["name"].as<std::string>()] = "[" + text + "]";
      } else if (subst(r["value"].as<std::string>(), &text)) {
        out.results[r["name"].as<std::string>()] = text;
      }
    }
  return out;
}

}  // namespace flow::lower::tekton::testing

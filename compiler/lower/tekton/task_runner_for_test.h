// Test-only: runs a Tekton Task emitted by the backend on this host, step by
// step, the way a TaskRun would (used by tests/build/tekton_eval_test.cpp).
#pragma once

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

namespace flow::lower::tekton::testing {

/// Runs every step of Task `task` in order on this host, as a TaskRun would
/// (`arrays`: the array params, expanded in `args`):
/// python3 for the evaluator steps, sh for the others, Tekton variables
/// substituted (params, workspace, TaskRun name, result paths, step exit-code
/// paths). A step with `onError: continue` that fails records its exit code
/// and the next step runs. Returns the result files' contents, or nullopt when
/// a step failed (a test failure, unless `failed` is given: then it is set).
inline std::optional<std::map<std::string, std::string>> RunTaskLocally(
    const YAML::Node& task, const std::map<std::string, std::string>& params, const std::string& dir,
    const std::map<std::string, std::vector<std::string>>& arrays = {}, bool* failed = nullptr) {
  std::map<std::string, std::string> vars = {{"workspaces.flow-data.path", dir + "/ws"},
                                             {"context.taskRun.name", "run-1"}};
  for (const YAML::Node& step : task["spec"]["steps"]) {
    std::string name = step["name"].as<std::string>();
    vars["steps.step-" + name + ".exitCode.path"] = dir + "/steps/step-" + name + "/exitCode";
  }
  for (const auto& [k, v] : params) vars["params." + k] = v;
  for (const YAML::Node& r : task["spec"]["results"]) {
    vars["results." + r["name"].as<std::string>() + ".path"] = dir + "/result-" + r["name"].as<std::string>();
  }
  auto quote = [](const std::string& value) {
    std::string quoted;
    for (char c : value) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return "'" + quoted + "'";
  };
  auto subst = [&](std::string text) {
    for (const auto& [k, v] : vars) {
      std::string from = "$(" + k + ")";
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + v.size())) {
        text.replace(at, from.size(), v);
      }
    }
    return text;
  };
  std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "/ws'").c_str());
  for (const YAML::Node& step : task["spec"]["steps"]) {
    std::string script = step["script"].as<std::string>();
    std::string file = dir + "/step";
    std::ofstream(file) << script;
    std::string cmd = "env";
    if (step["env"]) {
      for (const YAML::Node& e : step["env"]) {
        cmd += " " + e["name"].as<std::string>() + "=" + quote(subst(e["value"].as<std::string>()));
      }
    }
    cmd += script.rfind("#!/usr/bin/env python3", 0) == 0 ? " python3" : " sh";
    cmd += " '" + file + "'";
    if (step["args"]) {
      for (const YAML::Node& a : step["args"]) {
        std::string arg = a.as<std::string>();
        auto array = arg.size() > 13 && arg.rfind("$(params.", 0) == 0 ? arrays.find(arg.substr(9, arg.size() - 13))
                                                                      : arrays.end();
        if (array != arrays.end()) {
          for (const std::string& item : array->second) cmd += " " + quote(item);
        } else {
          cmd += " " + quote(subst(arg));
        }
      }
    }
    cmd += " >/dev/null 2>'" + dir + "/stderr'";
    int rc = std::system(cmd.c_str());
    int code = rc == 0 ? 0 : (WIFEXITED(rc) ? WEXITSTATUS(rc) : 1);
    std::string name = step["name"].as<std::string>();
    std::system(("mkdir -p '" + dir + "/steps/step-" + name + "' && echo " + std::to_string(code) + " > '" + dir +
                 "/steps/step-" + name + "/exitCode'")
                    .c_str());
    if (code != 0 && step["onError"] && step["onError"].as<std::string>() == "continue") continue;
    if (code != 0 && failed != nullptr) {
      *failed = true;
      return std::nullopt;
    }
    if (code != 0) {
      std::ifstream err(dir + "/stderr");
      std::stringstream ss;
      ss << err.rdbuf();
      ADD_FAILURE() << "step " << step["name"].as<std::string>() << " failed: " << ss.str();
      return std::nullopt;
    }
  }
  std::map<std::string, std::string> results;
  for (const YAML::Node& r : task["spec"]["results"]) {
    std::ifstream in(vars["results." + r["name"].as<std::string>() + ".path"]);
    std::stringstream ss;
    ss << in.rdbuf();
    results[r["name"].as<std::string>()] = ss.str();
  }
  return results;
}

}  // namespace flow::lower::tekton::testing

// One task call, from typed IR to a process and back: evaluating the task's
// `let`s and fields (with the call's `with` overrides), rendering its program
// for one attempt (contextual escaping via compiler/lower/shell_quote.h), and
// reading its outputs back by type (LANGUAGE.md §4). No OS access here except
// ReadOutputs, which reads the files the program wrote.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/ir/value.h"
#include "compiler/ir/value_json.h"

namespace flow::runtime {

/// A task's fields after evaluation, with the runtime's defaults.
struct TaskSettings {
  std::string image;                 // recorded, not used: tasks run on the host
  double cpu = 0;                    // cores requested; 0: none stated
  int64_t memory = 0;                // bytes requested; 0: none stated
  int64_t gpu = 0;
  int64_t retries = 0;               // extra attempts after a failure
  int64_t backoff_ms = 1000;         // delay before the first retry; doubles each retry
  int64_t timeout_ms = 0;            // per attempt; 0: none
  bool cache = true;
  std::vector<std::pair<std::string, std::string>> env;  // in declaration order
  std::string shell;                 // "" → /bin/sh -eu
};

/// A call ready to run: the task, its input values and evaluated locals and fields.
struct ResolvedTask {
  int32_t task = -1;
  std::vector<ir::Value> inputs;  // one per parameter (defaults filled)
  std::vector<std::pair<ir::VarId, ir::Value>> locals;
  TaskSettings settings;
};

/// Evaluates the task's locals, then its fields; `overrides` (a call's `with`)
/// replace fields. False with `*error` when an expression fails.
bool ResolveTask(const ir::Program& program, int32_t task, std::vector<ir::Value> inputs,
                 const std::vector<std::pair<ir::TaskField, ir::Value>>& overrides,
                 ResolvedTask* out, std::string* error);

/// Applies one field value to `settings` (used for overrides and for the
/// static resource pre-check).
void ApplyField(ir::TaskField field, const ir::Value& value, TaskSettings* settings);

/// Where each output must be written inside an attempt directory: `out` for a
/// single output, `out.NAME` for named ones (parallel to ir::Task::outputs).
std::vector<std::string> OutputPaths(const ir::Task& task, const std::string& dir);

/// The process of one attempt.
struct TaskProgram {
  std::vector<std::string> argv;  // for `script`: the interpreter; the script path is appended by the caller
  std::string script;             // the rendered script (`script` tasks only)
  bool has_script = false;
};

/// Renders the task's script or command with its values, escaped by context.
bool RenderTaskProgram(const ir::Program& program, const ResolvedTask& call,
                       const std::vector<std::string>& output_paths, TaskProgram* out,
                       std::string* error);

/// Options for reading values of `program`'s types: struct fields left out
/// take their declared defaults (Program::struct_defaults).
ir::ReadOptions ValueReadOptions(const ir::Program& program);

/// Reads the outputs the program wrote: the single output's value, a record of
/// the named outputs, or none for a task without outputs. File/Dir outputs are
/// their (absolute) paths. Errors name the task, the output, the expected type,
/// the path and the text found.
bool ReadOutputs(const ir::Program& program, const ir::Task& task,
                 const std::vector<std::string>& output_paths, ir::Value* value, std::string* error);

}  // namespace flow::runtime

// Shell fragments of the synthesized Tekton steps (POSIX sh + awk, as in
// alpine/busybox): list parameters from args, input validation, backoff, and
// reading outputs back into results. They never contain a run-time value:
// values arrive in environment variables or arguments.
#pragma once

#include <string>

#include "compiler/ir/ir.h"
#include "compiler/lower/shell_quote.h"
#include "compiler/types/type_store.h"

namespace flow::lower::tekton {

/// Separates list parameters in a step's `args` (an element equal to it would split the list).
inline constexpr const char* kListEnd = "--flow-list-end--";

/// Defines `flow_list K MODE "$@"`: prints the K-th (from 0) list of the
/// arguments as a JSON array of strings (MODE `json`) or joined by one space (`text`).
std::string ListArgsPrelude();

/// A check that environment variable `var` holds a valid `type` value (Int,
/// Float, Bool, Duration, Size, enum), failing the step with a message naming
/// `what`. "" when `type` needs no check.
std::string ValidateVar(const std::string& var, ir::TypeId type, const types::TypeStore& types,
                        const std::string& what);

/// Sleeps before a retry: `backoff_ms` before the first retry, doubling each
/// retry (Flow's `backoff`), reading the retry number from FLOW_RETRY.
std::string BackoffScript(int64_t backoff_ms);

/// A guarded Task (an `if` inside a `for`, see context.h Scope::guard): its
/// first step reads the field `flow-guard` of the JSON in FLOW_ITER and writes
/// "true" or "false" to the file in FLOW_GUARD (Python, evaluator image).
std::string GuardStepScript();
/// The sh line that ends a guarded step early (exit 0) unless the file in
/// FLOW_GUARD holds "true".
std::string GuardShellCheck();
/// The same check in Python (for the `values` step).
std::string GuardPythonCheck();


/// The first lines of a script task's `main` step for POSIX shell `shell`
/// (IsPosixShell): `#!/bin/sh` + `set -eu` when it is empty, `#!/usr/bin/env
/// SHELL` for one word. A command of several words (`bash -eu`, `env zsh`)
/// cannot be a shebang (Linux hands env "bash -eu" as one argument, busybox env
/// has no -S), so it is `#!/bin/sh` and one line that re-executes the script
/// file (`"$0"`, with the step's `"$@"`) under the command's words (split on
/// blanks like `flowc run`, each quoted), once: the marker variable
/// FLOW_SHELL_STARTED is exported for the re-executed shell, which sees it,
/// unsets it (so commands the script runs do not inherit it) and goes on with
/// the rest of the file, byte for byte the text a one-word shell would run.
std::string PosixShellHeader(const std::string& shell);

/// A script for an interpreter that is not a POSIX shell (`shell = "python3"`),
/// rendered the way `flowc run` renders it: the literal text with every
/// interpolation replaced by its value's text (the checker admits there only
/// values whose text carries no code, E0222: numbers, booleans, durations,
/// sizes, enum members, lists of those, output paths, `raw(x)`). Adds one
/// binding per distinct expression (`<env_prefix><n>`, Encoding::Text) to
/// `*bindings` and returns the sh lines that write the rendered script to the
/// file named by $FLOW_SCRIPT: the text is a quoted here-document (nothing in
/// it is expanded) whose interpolation sites are markers that awk replaces by
/// the bound variables' values at run time (index/substr: no `&` or `\`
/// interpretation). Values reach the step through its env, never its source.
std::string ForeignScriptRender(const ir::Template& tmpl, const std::string& env_prefix,
                                std::vector<EnvBinding>* bindings);

/// The main step's command line for a foreign interpreter: `exec` of `shell`'s
/// words (split on blanks, as `flowc run` does) on the file in $FLOW_SCRIPT.
std::string ForeignScriptExec(const std::string& shell);

/// Reads output `name` of `type` from the file in `$FLOW_OUT_<n>` into the result
/// file in `$FLOW_RES_<n>`: File/Dir outputs must exist (the result is the path);
/// other outputs are trimmed and validated (lists become arrays of element texts).
/// With `is_try`, a failed main step makes every result none instead; with
/// `guarded`, so does a guard (FLOW_GUARD) that is not "true".
std::string CaptureScript(const std::vector<std::pair<std::string, ir::TypeId>>& outputs,
                          const types::TypeStore& types, bool is_try, bool guarded, const std::string& task_name);

}  // namespace flow::lower::tekton

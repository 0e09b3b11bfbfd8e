#include "compiler/lower/tekton/task_scripts.h"

#include <fmt/format.h>

#include <map>

#include "compiler/lower/shell_quote.h"

namespace flow::lower::tekton {

using types::TypeKind;

std::string ListArgsPrelude() {
  // JSON-escapes one argument per call (\ " tab CR, newlines as \n) with awk,
  // character by character: gsub's replacement text treats `\` differently in
  // mawk, gawk and busybox awk.
  return fmt::format(
      "flow_list() {{\n"
      "  flow_k=$1; flow_mode=$2; shift 2; flow_n=0; flow_out=''; flow_sep=''\n"
      "  for flow_a in \"$@\"; do\n"
      "    if [ \"$flow_a\" = '{0}' ]; then flow_n=$((flow_n + 1)); continue; fi\n"
      "    [ \"$flow_n\" -eq \"$flow_k\" ] || continue\n"
      "    if [ \"$flow_mode\" = json ]; then\n"
      "      flow_out=\"$flow_out$flow_sep\\\"$(printf '%s' \"$flow_a\" | awk 'BEGIN {{ ORS = \"\" }}\n"
      "        {{ if (NR > 1) printf \"\\\\n\"; n = length($0)\n"
      "          for (i = 1; i <= n; i++) {{ c = substr($0, i, 1)\n"
      "            if (c == \"\\\\\" || c == \"\\\"\") printf \"\\\\%s\", c; else if (c == \"\\t\") printf \"\\\\t\"\n"
      "            else if (c == \"\\r\") printf \"\\\\r\"; else printf \"%s\", c }} }}')\\\"\"; flow_sep=,\n"
      "    else flow_out=\"$flow_out$flow_sep$flow_a\"; flow_sep=' '; fi\n"
      "  done\n"
      "  if [ \"$flow_mode\" = json ]; then printf '[%s]' \"$flow_out\"; else printf '%s' \"$flow_out\"; fi\n"
      "}}\n",
      kListEnd);
}

std::string ValidateVar(const std::string& var, ir::TypeId type, const types::TypeStore& types,
                        const std::string& what) {
  std::string fail = fmt::format(
      "printf 'error: %s is not a valid `{}`: %s\\n' {} \"${}\" >&2; exit 1", types.ToString(type),
      QuoteShellWord(what), var);
  switch (types.KindOf(type)) {
    case TypeKind::Int:
      return fmt::format("case ${0} in ''|-|*[!0-9-]*|?*-*) {1} ;; esac\n", var, fail);
    case TypeKind::Float:
      return fmt::format(
          "printf '%s' \"${0}\" | grep -Eq '^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$' || {{ {1}; }}\n", var,
          fail);
    case TypeKind::Bool:
      return fmt::format("case ${0} in true|false) ;; *) {1} ;; esac\n", var, fail);
    case TypeKind::Duration:
      return fmt::format("printf '%s' \"${0}\" | grep -Eq '^([0-9]+(ms|d|h|m|s))+$' || {{ {1}; }}\n", var, fail);
    case TypeKind::Size:
      return fmt::format("printf '%s' \"${0}\" | grep -Eq '^[0-9]+(\\.[0-9]+)?([KkMGTP]i?)?$' || {{ {1}; }}\n", var,
                         fail);
    case TypeKind::Enum: {
      std::string members;
      for (const std::string& m : types.Get(type).members) members += (members.empty() ? "" : "|") + QuoteShellWord(m);
      return fmt::format("case ${0} in {1}) ;; *) {2} ;; esac\n", var, members, fail);
    }
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Optional:
    case TypeKind::Record:
    case TypeKind::Struct:
      return "";
  }
  return "";
}

std::string BackoffScript(int64_t backoff_ms) {
  // Retry n (1-based) waits backoff * 2^(n-1); awk does the arithmetic in
  // floating point so long backoffs never overflow the shell's integers.
  return fmt::format(
      "#!/bin/sh\nset -eu\n"
      "if [ \"${{FLOW_RETRY:-0}}\" -gt 0 ]; then\n"
      "  flow_delay=$(awk -v n=\"$FLOW_RETRY\" 'BEGIN {{ printf \"%.3f\", {0} / 1000 * 2 ^ (n - 1) }}')\n"
      "  echo \"flow: retry $FLOW_RETRY, waiting ${{flow_delay}}s (backoff)\" >&2\n"
      "  sleep \"$flow_delay\"\n"
      "fi\n",
      backoff_ms);
}

std::string GuardStepScript() {
  // Only a JSON object with `"flow-guard": "true"` runs the TaskRun; anything
  // else (false, none, malformed) skips it, which is what `if` means for it.
  return "#!/usr/bin/env python3\n"
         "import json, os\n"
         "try:\n"
         "    guard = json.loads(os.environ.get('FLOW_ITER', '')).get('flow-guard')\n"
         "except (ValueError, AttributeError):\n"
         "    guard = None\n"
         "path = os.environ['FLOW_GUARD']\n"
         "os.makedirs(os.path.dirname(path), exist_ok=True)\n"
         "with open(path, 'w') as f:\n"
         "    f.write('true' if guard == 'true' else 'false')\n"
         "if guard != 'true':\n"
         "    print('flow: the `if` is false for this iteration; skipped', flush=True)\n";
}

std::string GuardShellCheck() { return "[ \"$(cat \"$FLOW_GUARD\" 2>/dev/null)\" = true ] || exit 0\n"; }

std::string GuardPythonCheck() {
  return "import os as _flow_os, sys as _flow_sys\n"
         "with open(_flow_os.environ['FLOW_GUARD']) as _flow_f:\n"
         "    if _flow_f.read() != 'true': _flow_sys.exit(0)\n";
}

namespace {


/// A here-document delimiter that no line of `body` equals.
std::string Delimiter(const std::string& base, const std::string& body) { return HereDocDelimiter(base, body); }

}  // namespace


std::string ForeignScriptRender(const ir::Template& tmpl, const std::string& env_prefix,
                                std::vector<EnvBinding>* bindings) {
  // A marker prefix the literal text does not contain (so every marker is ours).
  std::string marker = "@@FLOW_VALUE_";
  for (bool clash = true; clash;) {
    clash = false;
    for (const ir::TemplatePart& part : tmpl.parts) {
      if (!part.expr.valid() && part.text.find(marker) != std::string::npos) clash = true;
    }
    if (clash) marker += "_";
  }
  std::string body;
  std::map<int32_t, std::string> names;
  for (const ir::TemplatePart& part : tmpl.parts) {
    if (!part.expr.valid()) {
      body += part.text;
      continue;
    }
    auto it = names.find(part.expr.index);
    if (it == names.end()) {
      std::string name = env_prefix + std::to_string(bindings->size() + 1);
      bindings->push_back(EnvBinding{name, part.expr, Encoding::Text});
      it = names.emplace(part.expr.index, name).first;
    }
    body += marker + it->second + "@@";
  }
  if (!body.empty() && body.back() != '\n') body += "\n";
  std::string delimiter = Delimiter("FLOW_SCRIPT_EOF", body);
  return fmt::format(
      "mkdir -p \"$(dirname \"$FLOW_SCRIPT\")\"\n"
      "awk '{{ line = $0; out = \"\"\n"
      "  while ((i = index(line, \"{0}\")) > 0) {{\n"
      "    rest = substr(line, i + {1}); j = index(rest, \"@@\")\n"
      "    out = out substr(line, 1, i - 1) ENVIRON[substr(rest, 1, j - 1)]; line = substr(rest, j + 2) }}\n"
      "  print out line }}' > \"$FLOW_SCRIPT\" <<'{2}'\n{3}{2}\n",
      marker, marker.size(), delimiter, body);
}

std::string PosixShellHeader(const std::string& shell) {
  if (shell.empty()) return "#!/bin/sh\nset -eu\n";
  if (shell.find_first_of(" \t\n") == std::string::npos) return fmt::format("#!/usr/bin/env {}\n", shell);
  std::string exec = "exec";
  for (const std::string& word : ShellWords(shell)) exec += " " + QuoteShellWord(word);
  return "#!/bin/sh\n"
         "if [ -n \"${FLOW_SHELL_STARTED-}\" ]; then unset FLOW_SHELL_STARTED; "
         "else FLOW_SHELL_STARTED=1; export FLOW_SHELL_STARTED; " +
         exec + " \"$0\" \"$@\"; fi\n";
}

std::string ForeignScriptExec(const std::string& shell) {
  std::string line = "exec";
  for (const std::string& word : ShellWords(shell)) line += " " + QuoteShellWord(word);
  return line + " \"$FLOW_SCRIPT\"\n";
}

namespace {

/// The none text of every output (a skipped or failed call's results).
std::string NoneResults(const std::vector<std::pair<std::string, ir::TypeId>>& outputs,
                        const types::TypeStore& types) {
  std::string s;
  for (size_t i = 0; i < outputs.size(); ++i) {
    ir::TypeId t = types.StripOptional(outputs[i].second);
    TypeKind k = types.KindOf(t);
    bool json = k == TypeKind::List || k == TypeKind::Map || k == TypeKind::Record || k == TypeKind::Struct;
    s += fmt::format("  printf '{}' > \"$FLOW_RES_{}\"\n", json ? "null" : "", i + 1);
  }
  return s;
}

/// The validation a trimmed scalar output needs (as in ValidateVar, over `$v`).
std::string CheckScalar(ir::TypeId type, const types::TypeStore& types, const std::string& what) {
  return ValidateVar("flow_v", type, types, what);
}

}  // namespace

std::string CaptureScript(const std::vector<std::pair<std::string, ir::TypeId>>& outputs,
                          const types::TypeStore& types, bool is_try, bool guarded, const std::string& task_name) {
  std::string s = "#!/bin/sh\nset -eu\n";
  if (guarded) {
    // Skipped by its iteration's `if`: the call's value is none.
    s += "if [ \"$(cat \"$FLOW_GUARD\" 2>/dev/null)\" != true ]; then\n";
    s += NoneResults(outputs, types);
    s += "  exit 0\nfi\n";
  }
  if (is_try) {
    // `try`: the main step runs with onError: continue; its exit code decides.
    s += "if [ \"$(cat /tekton/steps/step-main/exitCode 2>/dev/null || echo 1)\" != 0 ]; then\n";
    s += "  echo 'flow: the call failed; its value is none (try)' >&2\n";
    s += NoneResults(outputs, types);
    s += "  exit 0\nfi\n";
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string& name = outputs[i].first;
    ir::TypeId type = types.StripOptional(outputs[i].second);
    std::string what = fmt::format("output `{}` of task `{}`", name.empty() ? "out" : name, task_name);
    std::string missing = fmt::format("{{ printf 'error: %s was not written\\n' {} >&2; exit 1; }}",
                                      QuoteShellWord(what));
    std::string file = fmt::format("$FLOW_OUT_{}", i + 1);
    std::string res = fmt::format("$FLOW_RES_{}", i + 1);
    switch (types.KindOf(type)) {
      case TypeKind::File:
        s += fmt::format("[ -f \"{0}\" ] || {1}\nprintf '%s' \"{0}\" > \"{2}\"\n", file, missing, res);
        break;
      case TypeKind::Dir:
        s += fmt::format("[ -d \"{0}\" ] || {1}\nprintf '%s' \"{0}\" > \"{2}\"\n", file, missing, res);
        break;
      case TypeKind::List:
      case TypeKind::Map:
      case TypeKind::Record:
      case TypeKind::Struct:
        // JSON, written as it is (compacted by removing newlines between tokens is not
        // safe in general, so the text is kept); the consumer re-validates it.
        s += fmt::format("[ -f \"{0}\" ] || {1}\ncat \"{0}\" > \"{2}\"\n", file, missing, res);
        break;
      case TypeKind::Error:
      case TypeKind::None:
      case TypeKind::Int:
      case TypeKind::Float:
      case TypeKind::Bool:
      case TypeKind::String:
      case TypeKind::Duration:
      case TypeKind::Size:
      case TypeKind::Optional:
      case TypeKind::Enum: {
        // Primitives are the file's text without surrounding whitespace.
        s += fmt::format("[ -f \"{0}\" ] || {1}\n", file, missing);
        s += fmt::format(
            "flow_v=$(awk 'BEGIN {{ ORS = \"\" }} {{ a[NR] = $0 }} END {{ t = \"\"; for (i = 1; i <= NR; i++) "
            "t = t (i > 1 ? \"\\n\" : \"\") a[i]; sub(/^[ \\t\\r\\n]+/, \"\", t); sub(/[ \\t\\r\\n]+$/, \"\", t); "
            "print t }}' \"{0}\")\n",
            file);
        s += CheckScalar(type, types, what);
        s += fmt::format("printf '%s' \"$flow_v\" > \"{}\"\n", res);
        break;
      }
    }
  }
  return s;
}

}  // namespace flow::lower::tekton

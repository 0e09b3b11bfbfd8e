#include "compiler/lower/tekton/finally_chain_scripts.h"

#include <fmt/format.h>

#include "compiler/lower/shell_quote.h"

namespace flow::lower::tekton {

namespace {

/// Seconds as `sleep` reads them ("1.5", "2"), from milliseconds.
std::string Seconds(int64_t ms) {
  std::string s = fmt::format("{}.{:03}", ms / 1000, ms % 1000);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

/// The sleeps before each retry: backoff * 2^(n-1), capped at a year (as the
/// pipeline-task timeout of a lone task caps its longest sleep).
std::vector<int64_t> Delays(int64_t retries, int64_t backoff_ms) {
  std::vector<int64_t> out;
  int64_t d = backoff_ms;
  constexpr int64_t kYear = 86'400'000LL * 365;
  for (int64_t r = 0; r < retries; ++r) {
    out.push_back(d > kYear ? kYear : d);
    if (d < kYear) d *= 2;
  }
  return out;
}

}  // namespace

std::string ChainInputsPrologue() {
  return "import os as _flow_os, sys as _flow_sys\n"
         "for _flow_k in sorted(k for k in _flow_os.environ if k.startswith('FLOW_DEP_')):\n"
         "    try:\n"
         "        with open(_flow_os.environ[_flow_k]) as _flow_f: _flow_st = _flow_f.read()\n"
         "    except OSError:\n"
         "        _flow_st = ''\n"
         "    if _flow_st not in ('ok', 'none'):\n"
         "        _flow_g = _flow_os.environ['FLOW_GUARD']\n"
         "        _flow_os.makedirs(_flow_os.path.dirname(_flow_g), exist_ok=True)\n"
         "        with open(_flow_g, 'w') as _flow_f: _flow_f.write('false')\n"
         "        print('flow: skipped: a `finally` call it needs did not succeed', flush=True)\n"
         "        _flow_sys.exit(0)\n";
}

std::string ChainPriorCheck() {
  return "for flow_e in ${FLOW_PRIOR_EXITS-}; do\n"
         "  [ \"$(cat \"$flow_e\" 2>/dev/null || echo 1)\" = 0 ] || "
         "{ echo 'flow: an earlier step of this call failed' >&2; exit 1; }\n"
         "done\n";
}

int64_t RetryBound(int64_t retries, int64_t backoff_ms, int64_t timeout_ms) {
  if (timeout_ms <= 0) return 0;
  int64_t total = timeout_ms * (retries + 1);
  for (int64_t d : Delays(retries, backoff_ms)) total += d;
  return total;
}

std::string RetryWrapperScript(const std::string& inner, const std::string& preamble, int64_t retries,
                               int64_t backoff_ms, int64_t timeout_ms) {
  std::string body = inner;
  if (!body.empty() && body.back() != '\n') body += "\n";
  std::string delimiter = HereDocDelimiter("FLOW_MAIN_EOF", body);
  std::string delays = "0";
  for (int64_t d : Delays(retries, backoff_ms)) delays += " " + Seconds(d);
  std::string attempt;
  if (timeout_ms > 0) {
    // Each attempt has the call's `timeout`: a watcher kills it (the step's own
    // `timeout` bounds all attempts and sleeps together).
    attempt = fmt::format(
        "  \"$FLOW_MAIN_FILE\" \"$@\" &\n"
        "  flow_pid=$!\n"
        "  ( sleep {0}; echo 'flow: the attempt timed out after {0}s' >&2; kill -TERM \"$flow_pid\" 2>/dev/null ) &\n"
        "  flow_timer=$!\n"
        "  wait \"$flow_pid\"; flow_rc=$?\n"
        "  kill \"$flow_timer\" 2>/dev/null || true\n",
        Seconds(timeout_ms));
  } else {
    attempt = "  \"$FLOW_MAIN_FILE\" \"$@\"; flow_rc=$?\n";
  }
  return fmt::format(
      "#!/bin/sh\n"
      "set -u\n"
      "{5}"
      "cat > \"$FLOW_MAIN_FILE\" <<'{0}'\n{1}{0}\n"
      "chmod +x \"$FLOW_MAIN_FILE\"\n"
      "flow_n=0\n"
      "flow_rc=0\n"
      "for flow_delay in {2}; do\n"
      "  if [ \"$flow_n\" -gt 0 ]; then\n"
      "    echo \"flow: retry $flow_n of {3} in ${{flow_delay}}s (exit code $flow_rc)\" >&2\n"
      "    [ \"$flow_delay\" = 0 ] || sleep \"$flow_delay\"\n"
      "  fi\n"
      "  flow_n=$((flow_n + 1))\n"
      "{4}"
      "  [ \"$flow_rc\" -ne 0 ] || exit 0\n"
      "done\n"
      "exit \"$flow_rc\"\n",
      delimiter, body, delays, retries, attempt, preamble);
}

std::string ChainStatusScript(size_t deps, bool is_try, size_t results, const std::string& call) {
  std::string s = "#!/bin/sh\nset -u\nflow_status=ok\n";
  for (size_t i = 1; i <= deps; ++i) {
    s += fmt::format("case \"$(cat \"$FLOW_DEP_{}\" 2>/dev/null)\" in ok|none) ;; *) flow_status=skipped ;; esac\n", i);
  }
  s += "if [ \"$flow_status\" = ok ]; then\n"
       "  if [ \"$(cat \"$FLOW_INPUTS_EXIT\" 2>/dev/null || echo 1)\" != 0 ]; then\n"
       "    flow_status=failed\n"
       "  else\n"
       "    for flow_e in $FLOW_CALL_EXITS; do\n"
       "      [ \"$(cat \"$flow_e\" 2>/dev/null || echo 1)\" = 0 ] || flow_status=call-failed\n"
       "    done\n"
       "  fi\n"
       "fi\n";
  if (is_try) {
    // `try`: the call's failure is its value, none (absent result files read as none).
    s += "if [ \"$flow_status\" = call-failed ]; then\n"
         "  echo " + QuoteShellWord("flow: " + call + " failed; its value is none (try)") + " >&2\n";
    for (size_t i = 1; i <= results; ++i) s += fmt::format("  rm -f \"$FLOW_RESULT_{}\"\n", i);
    s += "  flow_status=none\nfi\n";
  } else {
    s += "[ \"$flow_status\" != call-failed ] || flow_status=failed\n";
  }
  s += "printf '%s' \"$flow_status\" > \"$FLOW_STATUS\"\n";
  return s;
}

std::string ChainFinishScript(const std::vector<std::string>& calls) {
  std::string s = "#!/bin/sh\nset -u\nflow_failed=0\n";
  for (size_t i = 0; i < calls.size(); ++i) {
    s += fmt::format(
        "case \"$(cat \"$FLOW_STATUS_{0}\" 2>/dev/null)\" in\n"
        "  ok|none) ;;\n"
        "  skipped) echo {1} >&2; flow_failed=1 ;;\n"
        "  *) echo {2} >&2; flow_failed=1 ;;\n"
        "esac\n",
        i + 1, QuoteShellWord("error: " + calls[i] + " was skipped: a `finally` call it needs did not succeed"),
        QuoteShellWord("error: " + calls[i] + " failed"));
  }
  s += "exit \"$flow_failed\"\n";
  return s;
}

}  // namespace flow::lower::tekton

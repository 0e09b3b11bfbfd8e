#!/usr/bin/env python3
"""Runs the tests/run/*.flow workflows with a real `flowc run`, each in a fresh
temporary directory, plus the fault scenarios that need process control
(SIGINT, kill -9 then resume). See tests/run/README.md for the directives.

usage: run_tests.py --flowc PATH [NAME_SUBSTRING...]
"""
import argparse
import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def line_regex(expected):
    """`{{re}}` parts are regexes, everything else literal."""
    out, pos = "", 0
    while True:
        start = expected.find("{{", pos)
        if start < 0:
            out += re.escape(expected[pos:])
            return out
        end = expected.find("}}", start + 2)
        if end < 0:
            out += re.escape(expected[pos:])
            return out
        out += re.escape(expected[pos:start]) + "(?:" + expected[start + 2:end] + ")"
        pos = end + 2


def parse(path):
    d = {"args": "run %s", "exit": None, "stdout": None, "stderr": [], "setup": [], "between": [],
         "rerun": None, "rerun_stderr": [], "rerun_stdout": None, "rerun_exit": None}
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        m = re.match(r"#\s*([A-Z:-]+?):(?: (.*))?$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2) or ""
        if key == "ARGS":
            d["args"] = value
        elif key == "EXIT":
            d["exit"] = int(value)
        elif key == "CHECK:STDOUT":
            d["stdout"] = (d["stdout"] or []) + [value]
        elif key == "STDERR":
            d["stderr"].append(value)
        elif key == "SETUP":
            d["setup"].append(value)
        elif key == "BETWEEN":
            d["between"].append(value)
        elif key == "RERUN":
            d["rerun"] = value
        elif key == "RERUN-STDERR":
            d["rerun_stderr"].append(value)
        elif key == "RERUN-CHECK-STDOUT":
            d["rerun_stdout"] = (d["rerun_stdout"] or []) + [value]
        elif key == "RERUN-EXIT":
            d["rerun_exit"] = int(value)
    return d


def run_flowc(flowc, args, cwd, timeout=300):  # as tests/file_test: std_ci builds C projects
    p = subprocess.run([flowc] + args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check_output(name, what, got, expected_lines, problems):
    got_lines = got.rstrip("\n").split("\n") if got else []
    if len(got_lines) != len(expected_lines) or not all(
            re.fullmatch(line_regex(e), g) for e, g in zip(expected_lines, got_lines)):
        problems.append(f"{what} differs:\n--- expected\n" + "\n".join(expected_lines) + "\n--- got\n" + got)


def check_contains(what, got, expected, problems):
    lines = got.split("\n")
    for e in expected:
        rx = re.compile(line_regex(e))
        if not any(rx.search(l) for l in lines):
            problems.append(f"{what} has no line containing {e!r}:\n{got}")


def run_file(flowc, path):
    d = parse(path)
    name = os.path.basename(path)
    problems = []
    with tempfile.TemporaryDirectory(prefix="flow_run_test_") as tmp:
        for cmd in d["setup"]:
            subprocess.run(["sh", "-c", cmd], cwd=tmp, check=True)
        args = d["args"].replace("%s", path).split()
        code, out, err = run_flowc(flowc, args, tmp)
        want = d["exit"] if d["exit"] is not None else (1 if name.startswith("fail_") else 0)
        if code != want:
            problems.append(f"exit code {code}, expected {want}\nstderr:\n{err}")
        if d["stdout"] is not None:
            check_output(name, "stdout", out, d["stdout"], problems)
        check_contains("stderr", err, d["stderr"], problems)
        if d["rerun"]:
            for cmd in d["between"]:
                subprocess.run(["sh", "-c", cmd], cwd=tmp, check=True)
            args = d["rerun"].replace("%s", path).split()
            code, out2, err2 = run_flowc(flowc, args, tmp)
            want2 = d["rerun_exit"] if d["rerun_exit"] is not None else want
            if code != want2:
                problems.append(f"rerun exit code {code}, expected {want2}\nstderr:\n{err2}")
            check_output(name, "rerun stdout", out2, d["rerun_stdout"] or d["stdout"] or [], problems)
            check_contains("rerun stderr", err2, d["rerun_stderr"], problems)
    return problems


# --- scenarios needing process control -------------------------------------

SLOW_CHAIN = """
task step(i: Int, prev: Int) -> Int {
  script = "sleep 0.4; echo $(( {{prev}} + {{i}} )) > {{out}}"
}

workflow main() -> Int {
  let a = step(i: 1, prev: 0)
  let b = step(i: 2, prev: a)
  let c = step(i: 3, prev: b)
  let d = step(i: 4, prev: c)
  return d
}
"""

SLEEPERS = """
task sleeper(i: Int) -> Int {
  script = "trap '' TERM; sleep 60.123 & sleep 60.123; echo {{i}} > {{out}}"
}

workflow main() -> List[Int] {
  return for i in range(3) { sleeper(i: i) }
}
"""


def procs_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmd and state != "Z":
            found.append((pid, cmd))
    return found


def scenario_sigint(flowc):
    """Ctrl-C: every group terminated within 2 s, exit 130, run recorded cancelled."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="flow_sigint_") as tmp:
        wf = os.path.join(tmp, "sleepers.flow")
        open(wf, "w").write(SLEEPERS)
        p = subprocess.Popen([flowc, "run", wf, "-j", "4"], cwd=tmp, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 10
        while time.time() < deadline and len(procs_with(tmp + "/.flow/work")) < 3:
            time.sleep(0.05)
        if len(procs_with(tmp + "/.flow/work")) < 3:
            problems.append("the sleepers did not start")
        t0 = time.time()
        p.send_signal(signal.SIGINT)
        try:
            out, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            problems.append("flowc did not stop after SIGINT")
        took = time.time() - t0
        if p.returncode != 130:
            problems.append(f"exit code {p.returncode}, expected 130\n{err}")
        if took > 2.5:
            problems.append(f"stopping took {took:.2f}s (limit 2s)")
        time.sleep(0.1)
        left = procs_with(tmp + "/.flow/work") + procs_with("sleep 60.123")
        if left:
            problems.append(f"processes left behind: {left}")
        code, out, err = run_flowc(flowc, ["runs"], tmp)
        if "cancelled" not in out:
            problems.append(f"`flowc runs` does not show the run as cancelled:\n{out}{err}")
    return problems


def complete_cache_entries(tmp):
    """Keys of the complete cache entries under `tmp`/.flow/cache: the whole
    lines of the index (a result without files lives only there) and the
    entry directories (results with files)."""
    keys = set()
    try:
        text = open(os.path.join(tmp, ".flow/cache/index"), encoding="utf-8", errors="replace").read()
    except OSError:
        text = ""
    for line in text.split("\n")[:-1]:  # the part after the last newline is torn
        if "\t" in line:
            keys.add(line.split("\t", 1)[0])
    for path in glob.glob(os.path.join(tmp, ".flow/cache/??/*/result.json")):
        keys.add(os.path.basename(os.path.dirname(path)))
    return keys


def scenario_kill9_resume(flowc):
    """kill -9 of flowc mid-run, then rerun: completed tasks never run again."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="flow_kill9_") as tmp:
        wf = os.path.join(tmp, "chain.flow")
        open(wf, "w").write(SLOW_CHAIN)
        p = subprocess.Popen([flowc, "run", wf], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 20
        entries = []
        while time.time() < deadline:
            entries = complete_cache_entries(tmp)
            if len(entries) >= 2:
                break
            time.sleep(0.02)
        p.kill()
        p.wait()
        done_before = len(complete_cache_entries(tmp))
        if done_before < 2 or done_before >= 4:
            problems.append(f"unexpected progress before kill -9: {done_before} entries")
        time.sleep(1.0)  # the watchdog of the killed flowc terminates its running task
        code, out, err = run_flowc(flowc, ["run", wf], tmp)
        if code != 0 or out.strip() != "10":
            problems.append(f"rerun: exit {code}, stdout {out!r}\n{err}")
        cached = err.count("cached call-step")
        ran = err.count("done   call-step")
        if cached < done_before or cached + ran != 4:
            problems.append(f"rerun after kill -9: {cached} cached, {ran} ran, {done_before} were complete\n{err}")
        code, out, err = run_flowc(flowc, ["runs"], tmp)
        if "interrupted" not in out:
            problems.append(f"`flowc runs` does not show the killed run as interrupted:\n{out}")
        code, out, err = run_flowc(flowc, ["logs", "last", "call-step-4"], tmp)
        if code != 0 and "call-step-4" not in err:
            problems.append(f"`flowc logs last call-step-4` failed: {err}")
    return problems


def scenario_kill9_no_orphans(flowc):
    """kill -9 of flowc: its watchdog terminates every running task group (even
    tasks that ignore SIGTERM and leave background processes) within 2 s."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="flow_kill9_orphans_") as tmp:
        wf = os.path.join(tmp, "sleepers.flow")
        open(wf, "w").write(SLEEPERS.replace("60.123", "61.234"))
        p = subprocess.Popen([flowc, "run", wf, "-j", "4"], cwd=tmp, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline and len(procs_with("sleep 61.234")) < 6:
            time.sleep(0.05)
        if len(procs_with("sleep 61.234")) < 6:
            problems.append(f"the sleepers did not start: {procs_with('sleep 61.234')}")
        p.kill()
        p.wait()
        t0 = time.time()
        while time.time() - t0 < 2.0 and procs_with("sleep 61.234"):
            time.sleep(0.05)
        left = procs_with("sleep 61.234")
        if left:
            problems.append(f"processes left 2 s after kill -9 of flowc: {left}")
            for pid, _ in left:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
        p.stdout.close()
        p.stderr.close()
    return problems


def scenario_clean(flowc):
    problems = []
    with tempfile.TemporaryDirectory(prefix="flow_clean_") as tmp:
        wf = os.path.join(HERE, "hello.flow")
        for _ in range(3):
            run_flowc(flowc, ["run", wf, "--no-cache"], tmp)
        code, out, err = run_flowc(flowc, ["clean", "--keep", "1"], tmp)
        runs = [l for l in run_flowc(flowc, ["runs"], tmp)[1].splitlines()[1:] if l.strip()]
        if code != 0 or len(runs) != 1 or len(os.listdir(os.path.join(tmp, ".flow/work"))) != 1:
            problems.append(f"clean --keep 1 left {len(runs)} runs: {err}")
        code, out, err = run_flowc(flowc, ["clean", "--all"], tmp)
        if code != 0 or os.path.exists(os.path.join(tmp, ".flow")):
            problems.append(f"clean --all did not remove .flow: {err}")
    return problems


SCENARIOS = {"scenario_sigint": scenario_sigint, "scenario_kill9_resume": scenario_kill9_resume,
             "scenario_kill9_no_orphans": scenario_kill9_no_orphans, "scenario_clean": scenario_clean}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flowc", required=True)
    ap.add_argument("filters", nargs="*")
    a = ap.parse_args()
    flowc = os.path.abspath(a.flowc)
    files = sorted(glob.glob(os.path.join(HERE, "*.flow")))
    failed = 0
    total = 0
    for path in files:
        name = os.path.basename(path)
        if a.filters and not any(f in name for f in a.filters):
            continue
        total += 1
        problems = run_file(flowc, path)
        print(("FAIL " if problems else "ok   ") + name, flush=True)
        for p in problems:
            print("  " + p.replace("\n", "\n  "))
        failed += bool(problems)
    for name, fn in SCENARIOS.items():
        if a.filters and not any(f in name for f in a.filters):
            continue
        total += 1
        problems = fn(flowc)
        print(("FAIL " if problems else "ok   ") + name, flush=True)
        for p in problems:
            print("  " + p.replace("\n", "\n  "))
        failed += bool(problems)
    print(f"{total - failed}/{total} passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

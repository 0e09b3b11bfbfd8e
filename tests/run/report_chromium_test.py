#!/usr/bin/env python3
"""Renders `flowc run --report` output in headless Chromium and checks that the
page shows the DAG (an <svg> with the step nodes, coloured by status), the
timeline of attempts and the task table. Exit 77 (CTest: skipped) when no
Chromium is installed.

usage: report_chromium_test.py --flowc PATH
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

WORKFLOW = """
task make(n: Int) -> Int {
  script = "echo {{n}} > {{out}}"
}

task boom() -> Int {
  script = "echo broken >&2; exit 2"
}

task add(xs: List[Int]) -> Int {
  script = "echo $(( {{xs[0]}} + {{xs[1]}} + {{xs[2]}} )) > {{out}}"
}

workflow main() -> (sum: Int, failed: Bool) {
  let parts = for n in range(3) { make(n: n) }
  let bad = try boom()
  let total = add(xs: parts)
  return (sum: total, failed: not defined(bad))
}
"""

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flowc", required=True)
    a = ap.parse_args()
    chromium = find_chromium()
    if not chromium:
        print("SKIP: no chromium found (apt-get install chromium) - the HTML report was not rendered")
        return 77
    problems = []
    with tempfile.TemporaryDirectory(prefix="flow_report_") as tmp:
        wf = os.path.join(tmp, "report.flow")
        open(wf, "w").write(WORKFLOW)
        report = os.path.join(tmp, "report.html")
        p = subprocess.run([os.path.abspath(a.flowc), "run", wf, "--report", report], cwd=tmp,
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            print(f"flowc run failed ({p.returncode}):\n{p.stderr}")
            return 1
        html = open(report, encoding="utf-8").read()
        if re.search(r"""(src|href)\s*=\s*["']https?://""", html):
            problems.append("the report loads external resources")
        profile = os.path.join(tmp, "profile")
        cmd = [chromium] + FLAGS + [f"--user-data-dir={profile}", "--dump-dom", "file://" + report]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        dom = r.stdout
        if r.returncode != 0 or "<html" not in dom:
            print(f"chromium failed ({r.returncode}):\n{r.stderr[-2000:]}")
            return 1
        # The DAG: an inline SVG with graph nodes for the calls.
        if not re.search(r"<div id=\"dag\">\s*<svg", dom):
            problems.append("no <svg> DAG in the rendered page")
        for label in ("make", "boom", "add"):
            if not re.search(r"<text[^>]*>[^<]*" + label, dom):
                problems.append(f"the DAG has no node labelled {label!r}")
        # Coloured by status: the failed (tolerated) call and the succeeded ones.
        fills = set(re.findall(r'fill="(#[0-9a-fA-F]{6})"', dom))
        if len(fills) < 2:
            problems.append(f"the DAG nodes are not coloured by status (fills: {sorted(fills)})")
        # The timeline: one bar per attempt.
        bars = re.findall(r'class="bar attempt"', dom)
        if len(bars) < 5:
            problems.append(f"the timeline has {len(bars)} bars, expected 5 attempts")
        # The table: one row per task call, with statuses.
        rows = re.findall(r'<tr class="task" data-status="([a-z]+)"', dom)
        if len(rows) != 5:
            problems.append(f"the task table has {len(rows)} rows, expected 5")
        if rows.count("failed") != 1 or rows.count("done") != 4:
            problems.append(f"unexpected statuses in the table: {rows}")
        # A screenshot proves the page lays out (non-empty PNG).
        shot = os.path.join(tmp, "shot.png")
        cmd = [chromium] + FLAGS + [f"--user-data-dir={profile}2", f"--screenshot={shot}",
                                    "--window-size=1200,1600", "file://" + report]
        subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if not os.path.exists(shot) or os.path.getsize(shot) < 5000:
            problems.append("chromium produced no screenshot of the report")
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("ok: the report renders its DAG, timeline and task table in Chromium")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

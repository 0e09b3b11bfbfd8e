#!/usr/bin/env python3
"""The live progress display of `flowc run` (runtime/progress.h), end to end.

Runs `flowc run` with stderr on a pseudo-terminal (stdout on a pipe, as when a
user pipes the result JSON) on a workflow with a few sleeping tasks, records
everything written to the terminal with its arrival time, replays it through a
tiny terminal model (newline, carriage return, cursor up, erase line, SGR) and
checks that:

  - the live block appears: a bold "D done, R running, C cached, F failed" line
    followed by one row per running task with its elapsed time;
  - it updates: the counts change over the run, and a task that stays running
    is shown with a growing elapsed time;
  - the failed and cached counts move (a task under `try` fails; a rerun in the
    same directory serves the sleeping tasks from the cache);
  - it ends clean: once the run is over, the screen holds the finished-task
    lines and the final summary, and no status block is left behind;
  - the result JSON on stdout carries no escape sequence.

Then the same workflow with stderr on a pipe: plain lines, no escape sequence.

usage: progress_tty_test.py --flowc PATH
"""
import argparse
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

WORKFLOW = """
task nap(i: Int, secs: Float) -> Int {
  script = "sleep {{secs}}; echo {{i}} > {{out}}"
}

task boom() -> Int {
  script = "sleep 0.3; echo going down >&2; exit 3; echo 0 > {{out}}"
}

workflow main() -> List[Int] {
  let first = nap(i: 0, secs: 0.2)
  let lost = try boom()
  let slow = for i in range(3) { nap(i: i + first + 1, secs: 1.5) }
  return slow + [lost ?? -1]
}
"""

STATUS = re.compile(r"^(\d+) done, (\d+) running, (\d+) cached, (\d+) failed$")
ROW = re.compile(r"^  +(\d+ms|\d+\.\ds|\d+m\d\ds) +(\S+)$")
SUMMARY = re.compile(r"^run \S+ (succeeded|failed|cancelled) in \S+: (\d+) done, (\d+) cached, (\d+) failed$")
ESCAPE = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])")


class Screen:
    """Just enough of a terminal for what Progress writes."""

    def __init__(self):
        self.lines = [""]
        self.row = 0
        self.col = 0

    def feed(self, text):
        i = 0
        while i < len(text):
            m = ESCAPE.match(text, i)
            if m:
                n = int(m.group(1) or "1") if m.group(1).isdigit() else 1
                op = m.group(2)
                if op == "A":
                    self.row = max(0, self.row - n)
                    self.col = min(self.col, len(self.lines[self.row]))
                elif op == "K":
                    self.lines[self.row] = ""  # 2K: the whole line
                    self.col = 0
                # "m" (bold, reset) changes nothing on the screen model
                i = m.end()
                continue
            c = text[i]
            if c == "\n":
                self.row += 1
                self.col = 0
                if self.row == len(self.lines):
                    self.lines.append("")
            elif c == "\r":
                self.col = 0
            else:
                line = self.lines[self.row]
                line = line[:self.col].ljust(self.col) + c + line[self.col + 1:]
                self.lines[self.row] = line
                self.col += 1
            i += 1

    def text_lines(self):
        lines = list(self.lines)
        while lines and lines[-1] == "":
            lines.pop()
        return lines


def run_on_pty(flowc, args, cwd, timeout=60):
    """Runs flowc with stderr on a pty; returns (exit code, stdout, [(t, chunk)])."""
    master, slave = pty.openpty()
    t0 = time.monotonic()
    p = subprocess.Popen([flowc] + args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    out = b""
    deadline = t0 + timeout
    open_fds = {master, p.stdout.fileno()}
    while open_fds and time.monotonic() < deadline:
        ready, _, _ = select.select(list(open_fds), [], [], 0.5)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the pty's other side is closed
                data = b""
            if not data:
                open_fds.discard(fd)
            elif fd == master:
                chunks.append((time.monotonic() - t0, data.decode(errors="replace")))
            else:
                out += data
    if open_fds:
        p.kill()
    code = p.wait()
    os.close(master)
    p.stdout.close()
    return code, out.decode(errors="replace"), chunks


def replay(chunks):
    """Every live block drawn (status counts + running rows), and the final screen."""
    screen = Screen()
    blocks = []
    for t, chunk in chunks:
        screen.feed(chunk)
        # A chunk that ends a drawing leaves the block as the screen's last lines.
        lines = screen.text_lines()
        for k in range(len(lines) - 1, -1, -1):
            m = STATUS.match(lines[k])
            if m:
                rows = [ROW.match(l) for l in lines[k + 1:]]
                # A block split across two reads is recorded once it is whole.
                if all(rows) and len(rows) == min(int(m.group(2)), 8):
                    blocks.append((t, tuple(int(x) for x in m.groups()), [(r.group(2), r.group(1)) for r in rows]))
                break
    return blocks, screen.text_lines()


def elapsed_ms(text):
    if text.endswith("ms"):
        return int(text[:-2])
    if "m" in text:
        mins, secs = text.rstrip("s").split("m")
        return (int(mins) * 60 + int(secs)) * 1000
    return int(float(text[:-1]) * 1000)


def check_tty_run(name, code, out, chunks, want_cached, problems):
    raw = "".join(c for _, c in chunks)
    if code != 0:
        problems.append(f"{name}: exit {code}\n{raw}")
        return
    if "\x1b" in out:
        problems.append(f"{name}: escape sequences on stdout: {out!r}")
    if out.split() != ["[", "1,", "2,", "3,", "-1", "]"]:
        problems.append(f"{name}: unexpected result {out!r}")
    if "\x1b[" not in raw:
        problems.append(f"{name}: no escape sequence on the terminal: {raw!r}")
    blocks, final = replay(chunks)
    if not blocks:
        problems.append(f"{name}: the live block never appeared:\n{raw!r}")
        return
    counts = [b[1] for b in blocks]
    seen = {}  # task path → elapsed times shown, in drawing order
    for _, _, rows in blocks:
        for path, shown in rows:
            seen.setdefault(path, []).append(elapsed_ms(shown))
    if want_cached:
        # Only `boom` runs again; the naps come from the cache.
        if not any(c[1] == 1 and c[2] == 4 for c in counts):
            problems.append(f"{name}: never 1 running with 4 cached: {counts}")
        if "call-boom" not in seen:
            problems.append(f"{name}: the running task is not listed: {sorted(seen)}")
    else:
        if len(set(counts)) < 3:
            problems.append(f"{name}: the counts hardly changed: {counts}")
        if not any(c[1] >= 3 for c in counts):
            problems.append(f"{name}: never 3 tasks running at once: {counts}")
        if not any(c[0] >= 1 and c[3] == 1 and c[1] == 3 for c in counts):
            problems.append(f"{name}: never 1 done and 1 failed while the 3 naps run: {counts}")
        # A slow task, seen running in several drawings, with a growing elapsed time.
        slow = [path for path in seen if path.startswith("for-")]
        if len(slow) != 3:
            problems.append(f"{name}: the scatter's tasks were not all listed as running: {sorted(seen)}")
        elif not any(len(seen[p]) >= 3 and seen[p][-1] > seen[p][0] and seen[p] == sorted(seen[p]) for p in slow):
            problems.append(f"{name}: no running task with a growing elapsed time: { {p: seen[p] for p in slow} }")
    # The end: no status block left, the summary is the last line.
    if any(STATUS.match(l) or ROW.match(l) for l in final):
        problems.append(f"{name}: a live block is left on the screen:\n" + "\n".join(final))
    m = SUMMARY.match(final[-1]) if final else None
    if not m:
        problems.append(f"{name}: the screen does not end with the summary:\n" + "\n".join(final))
    else:
        want = ("succeeded", "0" if want_cached else "4", "4" if want_cached else "0", "1")
        if m.groups() != want:
            problems.append(f"{name}: summary {m.groups()}, expected {want}")
    if not any(l.startswith("FAILED call-boom") for l in final):
        problems.append(f"{name}: the failure line is missing:\n" + "\n".join(final))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flowc", required=True)
    a = ap.parse_args()
    flowc = os.path.abspath(a.flowc)
    problems = []
    tmp = tempfile.mkdtemp(prefix="flow_progress_tty_")
    try:
        wf = os.path.join(tmp, "naps.flow")
        with open(wf, "w") as f:
            f.write(WORKFLOW)
        code, out, chunks = run_on_pty(flowc, ["run", wf, "-j", "4"], tmp)
        check_tty_run("first run", code, out, chunks, False, problems)
        code, out, chunks = run_on_pty(flowc, ["run", wf, "-j", "4"], tmp)
        check_tty_run("rerun", code, out, chunks, True, problems)

        # Not a terminal: plain lines only.
        plain = os.path.join(tmp, "plain")
        os.mkdir(plain)
        p = subprocess.run([flowc, "run", wf, "-j", "4"], cwd=plain, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            problems.append(f"plain run: exit {p.returncode}\n{p.stderr}")
        if "\x1b" in p.stderr or "\x1b" in p.stdout:
            problems.append(f"plain run: escape sequences without a terminal:\n{p.stderr!r}")
        lines = p.stderr.splitlines()
        for want in ("done   call-nap", "FAILED call-boom", "done   for-"):
            if not any(l.startswith(want) for l in lines):
                problems.append(f"plain run: no line starting with {want!r}:\n{p.stderr}")
        if any(STATUS.match(l) for l in lines):
            problems.append(f"plain run: a live status line without a terminal:\n{p.stderr}")
        if not lines or not SUMMARY.match(lines[-1]):
            problems.append(f"plain run: the last line is not the summary:\n{p.stderr}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for p in problems:
        print("FAIL " + p.replace("\n", "\n  "))
    print("ok   progress_tty" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

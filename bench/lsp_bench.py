#!/usr/bin/env python3
"""Warm diagnostic latency of `flowc lsp` after an edit, on a 5,000-line file.

Generates a .flow program of about --lines lines (structs, tasks with doc
comments, interpolated scripts, and one workflow calling every task), starts
`flowc lsp`, opens the file and waits for its first diagnostics (warm-up), then
makes --edits incremental edits one at a time (changing a string literal, so
the program stays valid and the server re-checks the whole file) and times each
didChange → publishDiagnostics of that version. Prints median, p95 and max.

    bench/lsp_bench.py [--flowc build-lsp-release/compiler/driver/flowc] [--lines 5000] [--edits 50]

Goal: median and p95 under 100 ms on a release build. Python 3 standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def program(lines_wanted):
    """A valid program of about `lines_wanted` lines; returns (text, line of the edited literal)."""
    out = [
        "## A record every task reports.",
        "struct Report {",
        "  ## how many rows were seen",
        "  rows: Int",
        "  label: String",
        "}",
        "",
    ]
    tasks = []
    i = 0
    # Each task is 9 lines and adds one workflow line; the workflow's frame is 4 more.
    while len(out) + 9 + (i + 1) + 4 <= lines_wanted:
        name = f"step{i}"
        tasks.append(name)
        out += [
            f"## Step {i}: counts the words of its input.",
            f"task {name}(data: File, n: Int = {i}, tag: String = \"t{i}\") -> (report: File, count: Int) {{",
            "  image   = \"alpine:3.20\"",
            "  memory  = 512Mi",
            "  retries = 1",
            "  timeout = 5m",
            "  script  = \"wc -w < {{data}} > {{out.count}}; echo {{n}} {{tag}} > {{out.report}}\"",
            "}",
            "",
        ]
        i += 1
    out.append("workflow main(data: File = \"input.txt\") -> List[Int] {")
    edit_line = len(out)
    out.append("  let label = \"edit-0\"")
    for k, name in enumerate(tasks):
        out.append(f"  let r{k} = {name}(data: data, tag: label)")
    out.append("  return [" + ", ".join(f"r{k}.count" for k in range(len(tasks))) + "]")
    out.append("}")
    return "\n".join(out) + "\n", edit_line


class Server:
    def __init__(self, flowc):
        self.proc = subprocess.Popen([flowc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("flowc lsp closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message

    def diagnostics_for(self, uri, version):
        while True:
            message = self.read()
            params = message.get("params", {})
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri \
                    and params.get("version") == version:
                return params["diagnostics"]

    def cpu_seconds(self):
        """User + system CPU time of the server so far (Linux /proc), or None."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def close(self):
        self.request("shutdown", None)
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flowc", default="build-lsp-release/compiler/driver/flowc")
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--verbose", action="store_true", help="print every sample")
    args = parser.parse_args()

    text, edit_line = program(args.lines)
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "big.flow")
        with open(path, "w") as f:
            f.write(text)
        uri = "file://" + path
        server = Server(args.flowc)
        server.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + work, "capabilities": {}})
        server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        start = time.perf_counter()
        server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                     "params": {"textDocument": {"uri": uri, "languageId": "flow", "version": 1, "text": text}}})
        first = server.diagnostics_for(uri, 1)
        open_ms = (time.perf_counter() - start) * 1000
        errors = [d for d in first if d.get("severity") == 1]
        if errors:
            sys.exit(f"the generated program has errors: {errors[:3]}")

        samples = []
        cpu_before = server.cpu_seconds()
        old = "edit-0"
        for version in range(2, args.edits + 2):
            new = f"edit-{version}"
            # Replace the literal's text: `  let label = "edit-0"` (column 15 onwards).
            change = {"range": {"start": {"line": edit_line, "character": 15},
                                "end": {"line": edit_line, "character": 15 + len(old)}}, "text": new}
            start = time.perf_counter()
            server.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                         "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
            diagnostics = server.diagnostics_for(uri, version)
            samples.append((time.perf_counter() - start) * 1000)
            if args.verbose:
                print(f"edit {version}: {samples[-1]:.1f} ms", flush=True)
            if any(d.get("severity") == 1 for d in diagnostics):
                sys.exit(f"edit {version} produced errors: {diagnostics[:3]}")
            old = new
        cpu_after = server.cpu_seconds()
        server.close()

    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    print(f"file: {text.count(chr(10))} lines, {len(text)} bytes")
    print(f"open → first diagnostics: {open_ms:.1f} ms")
    print(f"didChange → diagnostics over {len(samples)} edits: median {statistics.median(samples):.1f} ms, "
          f"p95 {p95:.1f} ms, max {samples[-1]:.1f} ms (goal < 100 ms)")
    if cpu_before is not None and cpu_after is not None:
        # Wall time includes waiting for a CPU on a busy machine; this does not.
        print(f"server CPU time per edit: {(cpu_after - cpu_before) * 1000 / len(samples):.1f} ms "
              f"(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark of `flowc check` against `ninja -n` on equivalent graphs.

Generates, for each shape (chain, fan-out, diamond, wide) and each N, a Flow
workflow of N calls and an equivalent build.ninja of N edges, then times the
whole `flowc check` process and `ninja -n` (best of --reps runs, wall clock)
and reads each process's peak RSS from /usr/bin/time. Prints one table:
seconds, the ratio flowc/ninja, cost per node, peak memory and memory per node
beyond the base (the RSS of checking an empty workflow), and the marginal
memory per node between two sizes of a shape ((RSS(N) - RSS(N')) / (N - N')).
The marginal figure leaves out costs that do not grow with N, such as ANTLR's
prediction caches (about 1 MB, filled by the first statements of any real
program, but not by an empty file), which weigh on the smallest size.

    bench/check_bench.py [--flowc build/compiler/driver/flowc] [--sizes 1000,10000,100000] [--reps 3]

Python 3 standard library only; needs ninja-build and the `time` package.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

TASKS = """\
task step(x: Int) -> Int {
  image  = "alpine:3.20"
  script = "echo $(( {{x}} + 1 )) > {{out}}"
}

task gather(xs: List[Int]) -> Int {
  image  = "alpine:3.20"
  script = "echo {{xs}} | wc -w > {{out}}"
}

"""


def flow_program(shape, n):
    """A workflow with n task calls shaped like `shape` (every value used)."""
    lines = []
    if shape == "chain":  # s0 -> s1 -> ... -> s(n-1)
        lines.append("  let s0 = step(x: 0)")
        for i in range(1, n):
            lines.append(f"  let s{i} = step(x: s{i - 1})")
        body, result = lines, f"s{n - 1}"
    elif shape == "fanout":  # one root feeding n-1 independent calls
        lines.append("  let root = step(x: 0)")
        for _ in range(1, n):
            lines.append("  step(x: root)")
        body, result = lines, "root"
    elif shape == "diamond":  # root -> n-2 middles -> one join
        lines.append("  let root = step(x: 0)")
        for i in range(n - 2):
            lines.append(f"  let m{i} = step(x: root)")
        lines.append("  let join = gather(xs: [" + ", ".join(f"m{i}" for i in range(n - 2)) + "])")
        body, result = lines, "join"
    elif shape == "wide":  # n independent calls
        for i in range(n):
            lines.append(f"  step(x: {i})")
        body, result = lines, None
    else:
        raise ValueError(shape)
    tasks = TASKS if shape == "diamond" else TASKS.split("task gather")[0]  # no unused task (W0007)
    if result is None:
        return tasks + "workflow main() {\n" + "\n".join(body) + "\n}\n"
    return tasks + "workflow main() -> Int {\n" + "\n".join(body) + f"\n  return {result}\n}}\n"


def ninja_file(shape, n):
    """The same graph as build edges (one output per call)."""
    out = ["rule step", "  command = touch $out", ""]
    if shape == "chain":
        out.append("build s0: step")
        out += [f"build s{i}: step s{i - 1}" for i in range(1, n)]
    elif shape == "fanout":
        out.append("build root: step")
        out += [f"build f{i}: step root" for i in range(1, n)]
    elif shape == "diamond":
        out.append("build root: step")
        out += [f"build m{i}: step root" for i in range(n - 2)]
        out.append("build join: step " + " ".join(f"m{i}" for i in range(n - 2)))
    elif shape == "wide":
        out += [f"build w{i}: step" for i in range(n)]
    return "\n".join(out) + "\n"


def measure(argv, cwd, reps):
    """Best wall time (s) and the largest peak RSS (KiB) over `reps` runs; None on failure."""
    best, rss = None, 0
    for _ in range(reps):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            start = time.perf_counter()
            proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + argv, cwd=cwd,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  preexec_fn=lambda: resource.setrlimit(
                                      resource.RLIMIT_STACK, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)))
            wall = time.perf_counter() - start  # /usr/bin/time only resolves 10 ms
            fields = tf.read().split()
        if proc.returncode != 0 or len(fields) < 2:
            sys.stderr.write(f"  `{' '.join(argv)}` failed ({proc.returncode}): {proc.stderr[:300]}\n")
            return None, None
        elapsed, kib = wall, int(fields[-1])
        best = elapsed if best is None else min(best, elapsed)
        rss = max(rss, kib)
    return best, rss


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flowc", default=os.path.join(root, "build", "compiler", "driver", "flowc"))
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--shapes", default="chain,fanout,diamond,wide")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    ninja = shutil.which("ninja")
    args.flowc = os.path.abspath(args.flowc)
    if not os.path.exists(args.flowc):
        sys.exit(f"check_bench: no flowc at {args.flowc} (build it, or pass --flowc)")
    if not ninja or not os.path.exists("/usr/bin/time"):
        sys.exit("check_bench: needs ninja and /usr/bin/time (apt-get install ninja-build time)")
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")

    with tempfile.TemporaryDirectory(prefix="flow-check-bench-") as work:
        with open(os.path.join(work, "empty.flow"), "w") as f:
            f.write("workflow main() {\n}\n")
        _, base_kib = measure([args.flowc, "check", "empty.flow"], work, args.reps)
        if base_kib is None:
            sys.exit("check_bench: flowc cannot check an empty workflow")
        print(f"flowc: {args.flowc}   ninja: {ninja}   best of {args.reps}   base RSS {base_kib / 1024:.1f} MiB")
        header = (f"{'shape':<8} {'N':>7} {'flowc s':>9} {'ninja -n s':>10} {'ratio':>6} "
                  f"{'us/node':>8} {'peak MiB':>9} {'B/node':>7} {'dB/dN':>6} {'+IR s':>7} {'+IR B/node':>10}")
        print(header)
        print("-" * len(header))
        previous = {}  # shape -> (n, peak KiB) of the last size measured
        for n in sizes:
            for shape in shapes:
                d = os.path.join(work, f"{shape}-{n}")
                os.makedirs(d)
                with open(os.path.join(d, "main.flow"), "w") as f:
                    f.write(flow_program(shape, n))
                with open(os.path.join(d, "build.ninja"), "w") as f:
                    f.write(ninja_file(shape, n))
                t_flow, kib = measure([args.flowc, "check", "main.flow"], d, args.reps)
                t_ninja, _ = measure([ninja, "-n", "-C", d], d, args.reps)
                # What run/build/graph pay on top: lowering to the typed IR.
                t_ir, kib_ir = measure([args.flowc, "check", "--ir", "main.flow"], d, args.reps)
                if t_flow is None:
                    print(f"{shape:<8} {n:>7} {'failed':>9}")
                    continue
                ratio = f"{t_flow / t_ninja:6.2f}" if t_ninja else "   n/a"
                ninja_s = f"{t_ninja:10.3f}" if t_ninja is not None else f"{'failed':>10}"
                per_node_us = t_flow / n * 1e6
                per_node_bytes = max(0, kib - base_kib) * 1024 / n
                marginal = f"{'':>6}"
                if shape in previous and n > previous[shape][0]:
                    prev_n, prev_kib = previous[shape]
                    marginal = f"{(kib - prev_kib) * 1024 / (n - prev_n):6.0f}"
                previous[shape] = (n, kib)
                ir_s = f"{t_ir:7.3f}" if t_ir is not None else f"{'failed':>7}"
                ir_bytes = f"{max(0, kib_ir - base_kib) * 1024 / n:10.0f}" if kib_ir is not None else f"{'':>10}"
                print(f"{shape:<8} {n:>7} {t_flow:9.3f} {ninja_s} {ratio} {per_node_us:8.1f} "
                      f"{kib / 1024:9.1f} {per_node_bytes:7.0f} {marginal} {ir_s} {ir_bytes}")
                sys.stdout.flush()
                shutil.rmtree(d)
    print("\nWall time from the parent (perf_counter), peak RSS from /usr/bin/time; `+IR` is `check --ir`,"
          " which also lowers to the typed IR as run/build/graph do. Goals: 10k calls < 0.5 s and within 2x of ninja -n,"
          " 100k < 5 s, linear cost, < 1 KiB per node beyond the base (B/node; dB/dN is the same cost between"
          " two sizes, without the fixed costs).")


if __name__ == "__main__":
    main()

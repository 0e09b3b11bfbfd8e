// Test-only: Flow programs the Tekton simulation and script tests
// (tests/build/tekton_eval_test.cpp) lower and run against `flowc run`'s
// workflow engine, with fake task behaviour keyed by task name.
#pragma once

namespace flow::lower::tekton::testing {

inline constexpr const char* kConditional = R"(
task measure(n: Int) -> Int {
  image  = "alpine:3.20"
  script = "echo {{n}} > {{out}}"
}
task describe(label: String, value: Int) -> String {
  image  = "alpine:3.20"
  script = "echo {{label}}={{value}} > {{out}}"
}
workflow main(n: Int = 3, verbose: Bool = false) -> (value: String, score: Float, ok: Bool) {
  let m = measure(n: n)
  let limit = n * 10 + 1
  let big = if m > limit { describe(label: "big", value: m) } else { describe(label: "small", value: m) }
  let extra = if verbose { describe(label: "verbose", value: limit) }
  return (value: extra ?? big, score: float(m) / 4.0, ok: m % 2 == 1 and len(big) > 3)
}
)";

inline constexpr const char* kLoops = R"(
struct Cell { os: String, cc: String }
task build(target: Cell, opt: Int) -> (bin: String, size: Int) {
  image  = "alpine:3.20"
  script = "echo {{target.os}} {{opt}} > {{out.bin}}; echo 1 > {{out.size}}"
}
task total(xs: List[Int]) -> Int {
  image  = "alpine:3.20"
  script = "echo {{len(xs)}} > {{out}}"
}
task describe(label: String, value: Int) -> String {
  image  = "alpine:3.20"
  script = "echo {{label}}={{value}} > {{out}}"
}
workflow main(oses: List[String] = ["linux", "mac"], ccs: Map[String, Int] = {"gcc": 1, "clang": 2})
    -> (n: Int, names: List[String], s: Int, bins: String) {
  let cells = for (cc, level) in ccs { build(target: Cell { os: oses[0], cc: cc }, opt: level) }
  let named = for (i, o) in enumerate(oses) { describe(label: o, value: i * 2) }
  let t = total(xs: [for c in cells { c.size }])
  return (n: t + len(oses), names: named, s: sum([for c in cells { c.size }]), bins: join([for c in cells { c.bin }], ","))
}
)";

inline constexpr const char* kNested = R"(
struct Cell { os: String, cc: String }
task build(target: Cell, opt: Int) -> (bin: String, size: Int) {
  image  = "alpine:3.20"
  script = "echo {{target.os}} {{opt}} > {{out.bin}}; echo 1 > {{out.size}}"
}
task describe(label: String, value: Int) -> String {
  image  = "alpine:3.20"
  script = "echo {{label}}={{value}} > {{out}}"
}
workflow main(oses: List[String] = ["linux", "mac"], ccs: List[String] = ["gcc", "clang", "icc"])
    -> (rows: Int, named: List[String], total: Int, first: String) {
  let rows = for os in oses { for cc in ccs { build(target: Cell { os: os, cc: cc }, opt: len(os)) } }
  let all = flatten(rows)
  let named = for (i, b) in enumerate(all) { describe(label: b.bin, value: i) }
  return (rows: len(rows), named: named, total: sum([for b in all { b.size }]), first: rows[1][0].bin)
}
)";

// An `if` inside a `for` (per-iteration guards): a branch per iteration, an
// `if` value gathered after the loop (none for skipped iterations), a nested
// `if`, a condition that does not change per iteration, and a call without outputs.
inline constexpr const char* kGuardedIf = R"(
task measure(n: Int) -> Int {
  image  = "alpine:3.20"
  script = "echo {{n}} > {{out}}"
}
task describe(label: String, value: Int) -> String {
  image  = "alpine:3.20"
  script = "echo {{label}}={{value}} > {{out}}"
}
task note(msg: String) {
  image  = "alpine:3.20"
  script = "echo {{msg}}"
}
workflow main(xs: List[Int] = [1, 4, 2, 7], verbose: Bool = false, cut: Int = 20)
    -> (rows: List[String], picked: List[Int?], total: Int, flags: List[String?], labels: List[String]) {
  let rows = for x in xs {
    let m = measure(n: x)
    if m > cut { describe(label: "big", value: m) } else { describe(label: "small", value: x) }
  }
  let picked = for x in xs {
    if x % 2 == 0 {
      let m = measure(n: x)
      if m > cut { m + 1 }
    }
  }
  let flags = for x in xs { if verbose { describe(label: "v", value: x * 2) } }
  for x in xs { if verbose and x > 1 { note(msg: "item {{x}}") } }
  let labels = for x in xs { describe(label: "n{{x * 3}}", value: x) }
  return (rows: rows, picked: picked, total: sum([for p in picked { p ?? 0 }]), flags: flags, labels: labels)
}
)";

// A `for` inside a `for` next to other steps of the outer body (reading an
// outer task's result), three levels deep (the innermost list depends on the
// middle variable), and an `if` inside a nested `for`.
inline constexpr const char* kFlattened = R"(
task measure(n: Int) -> Int {
  image  = "alpine:3.20"
  script = "echo {{n}} > {{out}}"
}
task describe(label: String, value: Int) -> String {
  image  = "alpine:3.20"
  script = "echo {{label}}={{value}} > {{out}}"
}
workflow main(xs: List[Int] = [1, 2], ys: List[String] = ["a", "bc", "def"])
    -> (pairs: List[List[String]], deep: List[List[List[Int]]], odd: List[List[String?]]) {
  let pairs = for x in xs {
    let m = measure(n: x)
    for y in ys { describe(label: y, value: m + len(y)) }
  }
  let deep = for x in xs {
    for y in ys {
      for z in range(len(y)) { measure(n: x * 100 + z) }
    }
  }
  let odd = for x in xs {
    for y in ys { if (len(y) + x) % 2 == 1 { describe(label: y, value: x) } }
  }
  return (pairs: pairs, deep: deep, odd: odd)
}
)";

// Combinations: a sub-workflow and a `try` call under a per-iteration `if`, a
// nested `for` under one, and a nested `for` whose value is a field of a call
// with named outputs.
inline constexpr const char* kCombined = R"(
task measure(n: Int) -> Int {
  image  = "alpine:3.20"
  script = "echo {{n}} > {{out}}"
}
task flaky(n: Int) -> Int {
  image  = "alpine:3.20"
  script = "test {{n}} -gt 1 && echo {{n}} > {{out}}"
}
task pair(a: Int, b: String) -> (left: Int, right: String) {
  image  = "alpine:3.20"
  script = "echo {{a}} > {{out.left}}; echo {{b}} > {{out.right}}"
}
workflow sub(k: Int) -> Int {
  let m = measure(n: k)
  return m + 1
}
workflow main(xs: List[Int] = [1, 2, 3], ys: List[String] = ["a", "bb"])
    -> (a: List[Int?], b: List[List[Int]?], c: List[Int?], d: List[List[String]]) {
  let a = for x in xs { if x > 1 { sub(k: x) } }
  let b = for x in xs { if x != 2 { for y in ys { measure(n: x + len(y)) } } }
  let c = for x in xs { if x < 3 { try flaky(n: x) } }
  let d = for x in xs { for y in ys {
    let p = pair(a: x, b: y)
    p.right
  } }
  return (a: a, b: b, c: c, d: d)
}
)";

// Run-time values in `finally` (from the workflow's inputs): their expression
// tasks run in the Pipeline's `tasks`, and the finally tasks read their results.
inline constexpr const char* kFinallyValues = R"(
task measure(n: Int) -> Int {
  image  = "alpine:3.20"
  script = "echo {{n}} > {{out}}"
}
task describe(label: String, value: Int) -> String {
  image  = "alpine:3.20"
  script = "echo {{label}}={{value}} > {{out}}"
}
workflow main(n: Int = 3, tags: List[String] = ["a", "bc"]) -> Int {
  let m = measure(n: n)
  finally {
    describe(label: "doubled", value: n * 2)
    if n > 2 { describe(label: "big", value: n) }
    if n > 5 { describe(label: "huge", value: n) }
    for t in tags { describe(label: "tag {{t}}", value: len(t) + n) }
  }
  return m
}
)";

// Two distinct bare lists in one script (and one used twice): each element
// stays one word, and nothing in a hostile element is run or expanded.
inline constexpr const char* kTwoLists = R"(
task copy(srcs: List[String], dsts: List[File], tag: String) -> String {
  image  = "alpine:3.20"
  script = """
    for s in {{srcs}}; do printf '[%s]' "$s"; done > {{out}}
    printf ' |' >> {{out}}
    printf ' <%s>' {{dsts}} {{tag}} {{srcs}} >> {{out}}
  """
}
workflow main(srcs: List[String], dsts: List[File]) -> String {
  return copy(srcs: srcs, dsts: dsts, tag: "t'q")
}
)";

// An `if` inside `for` calling a `command` task and a `python3` task (their
// guarded Tasks test the guard with a POSIX sh line; the python script is
// rendered at run time with its values, as `flowc run` renders it).
inline constexpr const char* kGuardedForeign = R"(
task tag(x: Int, label: String, extra: List[String]) -> String {
  image   = "alpine:3.20"
  command = ["sh", "-c", "o=$2; printf '%s' \"$1\" > \"$o\"; shift 2; for a in \"$@\"; do printf '|%s' \"$a\" >> \"$o\"; done",
             "tag", "{{label}}:{{x}}", "{{out}}", "{{extra}}"]
}
task square(n: Int, sizes: List[Int]) -> Int {
  image  = "python:3.12-slim"
  shell  = "python3"
  script = """
    # sizes: {{sizes}}
    with open("{{out}}", "w") as f:
        f.write(str({{n}} * {{n}}))
  """
}
workflow main(xs: List[Int] = [1, 4, 2, 7], cut: Int = 3, label: String = "big", extra: List[String] = ["a b", "c"])
    -> (tags: List[String?], squares: List[Int?]) {
  let tags = for x in xs { if x > cut { tag(x: x, label: label, extra: extra) } }
  let squares = for x in xs { if x % 2 == 0 { square(n: x, sizes: xs) } }
  return (tags: tags, squares: squares)
}
)";

}  // namespace flow::lower::tekton::testing

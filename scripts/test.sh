#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
#
#   scripts/test.sh             build/ (RelWithDebInfo), then the fuzz smoke
#   scripts/test.sh --sanitize  build-asan/ (ASan + UBSan, -DFLOW_SANITIZE=ON)
#   scripts/test.sh --no-fuzz   skip the fuzz smoke
#   extra arguments go to ctest, e.g. scripts/test.sh -R syntax (no fuzz smoke)
#
# The fuzz smoke builds the libFuzzer target over parse + check (clang 14,
# ASan + UBSan, build-fuzz/) and fuzzes it for 30 s, seeded from tests/check/
# and examples/; any crash, sanitizer report, leak or timeout fails the run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=build
fuzz=1
setup_args=()
ctest_args=()
for arg in "$@"; do
  case "$arg" in
    --sanitize) dir=build-asan; fuzz=0; setup_args+=(--sanitize) ;;
    --no-fuzz) fuzz=0 ;;
    *) ctest_args+=("$arg"); fuzz=0 ;;
  esac
done

"$root/scripts/setup.sh" "${setup_args[@]}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}"
cd "$root/$dir"
ctest --output-on-failure -j "${FLOW_JOBS:-2}" "${ctest_args[@]}"

if ((fuzz)); then
  "$root/scripts/setup.sh" --fuzz
  cd "$root/build-fuzz"
  ctest --output-on-failure -R '^fuzz_smoke$'
fi

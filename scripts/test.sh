#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
#
#   scripts/test.sh             build/ (RelWithDebInfo)
#   scripts/test.sh --sanitize  build-asan/ (ASan + UBSan, -DFLOW_SANITIZE=ON)
#   extra arguments go to ctest, e.g. scripts/test.sh -R syntax
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=build
setup_args=()
ctest_args=()
for arg in "$@"; do
  case "$arg" in
    --sanitize) dir=build-asan; setup_args+=(--sanitize) ;;
    *) ctest_args+=("$arg") ;;
  esac
done

"$root/scripts/setup.sh" "${setup_args[@]}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}"
cd "$root/$dir"
ctest --output-on-failure -j "${FLOW_JOBS:-2}" "${ctest_args[@]}"

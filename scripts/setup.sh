#!/usr/bin/env bash
# Installs every Debian package Flow needs (idempotent, non-interactive), then
# configures and builds flowc and the tests into build/ (Ninja, ccache, -j2).
#
#   scripts/setup.sh              install what is missing, build into build/
#   scripts/setup.sh --deps-only  only install packages
#   scripts/setup.sh --sanitize   build with ASan+UBSan into build-asan/ instead
#   scripts/setup.sh --fuzz       build the libFuzzer target (clang 14) into build-fuzz/ instead
#
# Runs as root on a fresh Debian 12 machine (uses sudo when not root).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps_only=0
sanitize=0
fuzz=0
for arg in "$@"; do
  case "$arg" in
    --deps-only) deps_only=1 ;;
    --sanitize) sanitize=1 ;;
    --fuzz) fuzz=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

# Every package the build, the tests, the fuzzer and the benchmarks use.
packages=(
  # toolchain
  cmake ninja-build g++ clang-14 libclang-rt-14-dev ccache pkg-config git ca-certificates
  # parser generator (tool 4.7.2, C++ runtime 4.9)
  antlr4 libantlr4-runtime-dev
  # libraries
  llvm-14-dev llvm-14-tools libfmt-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev
  libsqlite3-dev libxxhash-dev libgraphviz-dev graphviz
  # tests, tools and benchmarks
  libgtest-dev libgmock-dev python3 time chromium vim emacs-nox
  # what std/ tasks call when they run on this machine (std/http, std/git, std/ci)
  curl tar gzip make
)

# Node.js 20 and its npm come with this machine image (nodesource); Debian's own
# `npm` package would pull in Debian's older Node.js, so it is only a fallback.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup.sh: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup.sh: all packages present"
fi

# The VS Code extension's test and packaging dependencies (npm registry).
vscode="$root/editors/vscode"
if [[ -f "$vscode/package-lock.json" && ! -d "$vscode/node_modules" ]]; then
  echo "setup.sh: npm ci in editors/vscode"
  npm ci --prefix "$vscode" --no-audit --no-fund --omit=optional
fi

((deps_only)) && exit 0

export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
jobs="${FLOW_JOBS:-2}"

configure_and_build() {
  local dir="$1"; shift
  cmake -S "$root" -B "$root/$dir" -G Ninja "$@"
  cmake --build "$root/$dir" -j "$jobs"
}

if ((fuzz)); then
  # Only the fuzzer's target: the rest of that tree is never run.
  CXX=clang++-14 cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DFLOW_FUZZ=ON
  cmake --build "$root/build-fuzz" -j "$jobs" --target parse_check_fuzzer
  echo "setup.sh: built $root/build-fuzz/tests/fuzz/parse_check_fuzzer"
elif ((sanitize)); then
  configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DFLOW_SANITIZE=ON
  echo "setup.sh: built $root/build-asan (ASan + UBSan)"
else
  configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
  echo "setup.sh: built $root/build/compiler/driver/flowc"
fi

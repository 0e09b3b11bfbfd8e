#!/bin/sh
# Builds every examples/*.flow and tests/build/*.flow (except fail_*) with
# `flowc build --target argo` and validates each document with the shared
# offline validator (the real Argo CRD schemas made strict + `argo lint`
# rules), under Argo 4 and under `--argo-version 3.7`. Exits non-zero on any
# build failure or INVALID document.
#
# Usage: validate_argo.sh FLOWC SOURCE_DIR [OUT_DIR]
set -eu

flowc=$1
src=$2
out=${3:-$(mktemp -d)}
validator="$src/../shared/tools/k8s-validate/run"
if [ ! -x "$validator" ]; then
  echo "validate_argo: validator not found at $validator" >&2
  exit 1
fi

mkdir -p "$out"
rm -f "$out"/*.yaml
status=0
built=0
for f in "$src"/examples/*.flow "$src"/tests/build/*.flow; do
  [ -e "$f" ] || continue
  case $(basename "$f") in fail_*) continue ;; esac
  name=$(basename "$f" .flow)
  dir=$(basename "$(dirname "$f")")
  if "$flowc" build "$f" --target argo --default-image alpine:3.20 -o - > "$out/$dir-$name.yaml"; then
    built=$((built + 1))
  else
    echo "validate_argo: flowc build failed for $f" >&2
    rm -f "$out/$dir-$name.yaml"
    status=1
  fi
done
if [ "$built" -eq 0 ]; then
  echo "validate_argo: nothing was built" >&2
  exit 1
fi
echo "validate_argo: built $built programs" >&2
for version in 4 3.7; do
  if ! (cd "$src" && "$validator" --quiet --argo-version "$version" "$out"/*.yaml); then
    echo "validate_argo: INVALID documents under Argo $version" >&2
    status=1
  fi
done
exit $status

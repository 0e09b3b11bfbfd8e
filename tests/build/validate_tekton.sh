#!/bin/sh
# Builds every examples/*.flow and tests/build/*.flow (except fail_*) with
# `flowc build --target tekton --kind run` and validates every document (Tasks,
# Pipeline, PipelineRun) with the shared offline validator: the real Tekton
# CRD schemas made strict, Tekton's admission rules and @ibm/tekton-lint.
#
# Every program must lower. The only exceptions are listed in ALLOWED below,
# each with the reason Tekton cannot express it: such a program must fail with
# E0502 only (exit 1 and a located error, never YAML that means something
# else). Any other build failure (E0501 without --default-image is avoided by
# passing one; a crash; a usage error), an allowed program that now builds (the
# list is stale) or fails otherwise, or any INVALID document fails the script.
#
# Usage: validate_tekton.sh FLOWC SOURCE_DIR [OUT_DIR]
set -eu

flowc=$1
src=$2
out=${3:-$(mktemp -d)}
validator="$src/../shared/tools/k8s-validate/run"
if [ ! -x "$validator" ]; then
  echo "validate_tekton: validator not found at $validator" >&2
  exit 1
fi

# dir/name  reason (E0502 expected)
ALLOWED='
'

allowed() {
  printf '%s\n' "$ALLOWED" | awk -v k="$1" '$1 == k { found = 1 } END { exit !found }'
}

mkdir -p "$out"
rm -f "$out"/*.yaml "$out"/*.err
status=0
built=0
inexpressible=0
for f in "$src"/examples/*.flow "$src"/tests/build/*.flow; do
  [ -e "$f" ] || continue
  case $(basename "$f") in fail_*) continue ;; esac
  name=$(basename "$f" .flow)
  dir=$(basename "$(dirname "$f")")
  rc=0
  "$flowc" build "$f" --target tekton --kind run --default-image alpine:3.20 -o - \
    > "$out/$dir-$name.yaml" 2> "$out/$dir-$name.err" || rc=$?
  if [ "$rc" -eq 0 ]; then
    built=$((built + 1))
    if allowed "$dir/$name"; then
      echo "validate_tekton: $dir/$name.flow now lowers: remove it from ALLOWED" >&2
      status=1
    fi
    continue
  fi
  rm -f "$out/$dir-$name.yaml"
  if ! allowed "$dir/$name"; then
    echo "validate_tekton: $dir/$name.flow must lower to Tekton but flowc exited $rc:" >&2
    cat "$out/$dir-$name.err" >&2
    status=1
  elif [ "$rc" -eq 1 ] && grep -q 'E0502' "$out/$dir-$name.err" && ! grep -q 'error\[E0[0-46-9]' "$out/$dir-$name.err"; then
    inexpressible=$((inexpressible + 1))
    echo "validate_tekton: not expressible on Tekton (E0502, allowed): $dir/$name.flow" >&2
  else
    echo "validate_tekton: flowc build failed (exit $rc) for $f:" >&2
    cat "$out/$dir-$name.err" >&2
    status=1
  fi
done
if [ "$built" -eq 0 ]; then
  echo "validate_tekton: nothing was built" >&2
  exit 1
fi
echo "validate_tekton: built $built programs ($inexpressible not expressible on Tekton)" >&2
if ! (cd "$src" && "$validator" --quiet --strict-kinds "$out"/*.yaml); then
  echo "validate_tekton: INVALID documents" >&2
  status=1
fi
exit $status

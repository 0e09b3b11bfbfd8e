#!/bin/sh
# Builds every examples/*.flow and tests/build/*.flow (except fail_*) with
# `flowc build --target argo` and validates each document with the shared
# offline validator (the real Argo CRD schemas made strict + `argo lint`
# rules), under Argo 4 and under `--argo-version 3.7`. Exits non-zero on any
# build failure or INVALID document. The only programs allowed not to lower
# are listed in ALLOWED with the reason; they must fail with E0502 alone.
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

# dir/name  reason (E0502 expected)
ALLOWED='
build/tekton_loops    a `for` over a map computed at run time (Argo loops over lists only)
'

allowed() {
  printf '%s\n' "$ALLOWED" | awk -v k="$1" '$1 == k { found = 1 } END { exit !found }'
}

mkdir -p "$out"
rm -f "$out"/*.yaml "$out"/*.err
status=0
built=0
for f in "$src"/examples/*.flow "$src"/tests/build/*.flow; do
  [ -e "$f" ] || continue
  case $(basename "$f") in fail_*) continue ;; esac
  name=$(basename "$f" .flow)
  dir=$(basename "$(dirname "$f")")
  rc=0
  "$flowc" build "$f" --target argo --default-image alpine:3.20 -o - > "$out/$dir-$name.yaml" \
    2> "$out/$dir-$name.err" || rc=$?
  if [ "$rc" -eq 0 ]; then
    built=$((built + 1))
    if allowed "$dir/$name"; then
      echo "validate_argo: $dir/$name.flow now lowers: remove it from ALLOWED" >&2
      status=1
    fi
    continue
  fi
  rm -f "$out/$dir-$name.yaml"
  if allowed "$dir/$name" && [ "$rc" -eq 1 ] && grep -q 'E0502' "$out/$dir-$name.err" &&
     ! grep -q 'error\[E0[0-46-9]' "$out/$dir-$name.err"; then
    echo "validate_argo: not expressible on Argo (E0502, allowed): $dir/$name.flow" >&2
  else
    echo "validate_argo: flowc build failed (exit $rc) for $f:" >&2
    cat "$out/$dir-$name.err" >&2
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

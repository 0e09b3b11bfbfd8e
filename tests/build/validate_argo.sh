#!/bin/sh
# Builds every examples/*.flow and tests/build/*.flow (except fail_*) with
# `flowc build --target argo`, once per Argo version (`--argo-version 4` and
# `3.7`: the memoization cache reference differs), and validates each document
# with the shared offline validator (the real Argo CRD schemas made strict +
# `argo lint` rules) under that version. Exits non-zero on any build failure or
# INVALID document. Programs allowed not to lower would be listed in ALLOWED
# with the reason (they must fail with E0502 alone); today every program lowers.
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
'

allowed() {
  printf '%s\n' "$ALLOWED" | awk -v k="$1" '$1 == k { found = 1 } END { exit !found }'
}

status=0
for version in 4 3.7; do
  dest="$out/argo-$version"
  mkdir -p "$dest"
  rm -f "$dest"/*.yaml "$dest"/*.err
  built=0
  for f in "$src"/examples/*.flow "$src"/tests/build/*.flow; do
    [ -e "$f" ] || continue
    case $(basename "$f") in fail_*) continue ;; esac
    name=$(basename "$f" .flow)
    dir=$(basename "$(dirname "$f")")
    rc=0
    "$flowc" build "$f" --target argo --argo-version "$version" --default-image alpine:3.20 -o - \
      > "$dest/$dir-$name.yaml" 2> "$dest/$dir-$name.err" || rc=$?
    if [ "$rc" -eq 0 ]; then
      built=$((built + 1))
      if allowed "$dir/$name"; then
        echo "validate_argo: $dir/$name.flow now lowers: remove it from ALLOWED" >&2
        status=1
      fi
      continue
    fi
    rm -f "$dest/$dir-$name.yaml"
    if allowed "$dir/$name" && [ "$rc" -eq 1 ] && grep -q 'E0502' "$dest/$dir-$name.err" &&
       ! grep -q 'error\[E0[0-46-9]' "$dest/$dir-$name.err"; then
      echo "validate_argo: not expressible on Argo (E0502, allowed): $dir/$name.flow" >&2
    else
      echo "validate_argo: flowc build --argo-version $version failed (exit $rc) for $f:" >&2
      cat "$dest/$dir-$name.err" >&2
      status=1
    fi
  done
  if [ "$built" -eq 0 ]; then
    echo "validate_argo: nothing was built" >&2
    exit 1
  fi
  echo "validate_argo: built $built programs for Argo $version" >&2
  if ! (cd "$src" && "$validator" --quiet --argo-version "$version" "$dest"/*.yaml); then
    echo "validate_argo: INVALID documents under Argo $version" >&2
    status=1
  fi
done
exit $status

#!/bin/sh
# Builds every examples/*.flow and tests/build/*.flow (except fail_*) with
# `flowc build --target argo`, once per Argo version (`--argo-version 4` and
# `3.7`: the memoization cache reference differs), and validates each document
# with the shared offline validator (the real Argo CRD schemas made strict +
# `argo lint` rules) under that version. Exits non-zero on any build failure or
# INVALID document. Programs allowed not to lower would be listed in ALLOWED
# with the reason (they must fail with E0502 alone); today every program lowers.
# The lowering loop is shared with validate_tekton.sh (validate_lib.sh).
#
# Usage: validate_argo.sh FLOWC SOURCE_DIR [OUT_DIR]
set -eu

flowc=$1
src=$2
out=${3:-$(mktemp -d)}
label=validate_argo
target=Argo
. "$(dirname "$0")/validate_lib.sh"
find_validator

# dir/name  reason (E0502 expected)
ALLOWED='
'

status=0
for version in 4 3.7; do
  dest="$out/argo-$version"
  lower_all "$dest" --target argo --argo-version "$version" --default-image alpine:3.20
  echo "validate_argo: built $built programs for Argo $version ($inexpressible not expressible on Argo)" >&2
  if ! (cd "$src" && "$validator" --quiet --argo-version "$version" "$dest"/*.yaml); then
    echo "validate_argo: INVALID documents under Argo $version" >&2
    status=1
  fi
done
exit $status

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
# The lowering loop is shared with validate_argo.sh (validate_lib.sh).
#
# Usage: validate_tekton.sh FLOWC SOURCE_DIR [OUT_DIR]
set -eu

flowc=$1
src=$2
out=${3:-$(mktemp -d)}
label=validate_tekton
target=Tekton
. "$(dirname "$0")/validate_lib.sh"
find_validator

# dir/name  reason (E0502 expected)
ALLOWED='
build/tekton_max_matrix  a `for` over 300 elements, past the default matrix limit: built below with --tekton-max-matrix
'

status=0
lower_all "$out" --target tekton --kind run --default-image alpine:3.20
# Programs for a cluster that raised default-max-matrix-combinations-count.
for f in "$src"/tests/build/tekton_max_matrix.flow; do
  if "$flowc" build "$f" --target tekton --kind run --default-image alpine:3.20 --tekton-max-matrix 512 -o - \
      > "$out/build-$(basename "$f" .flow)-512.yaml" 2> "$out/build-$(basename "$f" .flow)-512.err"; then
    built=$((built + 1))
  else
    echo "validate_tekton: $f must lower with --tekton-max-matrix 512:" >&2
    cat "$out/build-$(basename "$f" .flow)-512.err" >&2
    status=1
  fi
done
echo "validate_tekton: built $built programs ($inexpressible not expressible on Tekton)" >&2
if ! (cd "$src" && "$validator" --quiet --strict-kinds "$out"/*.yaml); then
  echo "validate_tekton: INVALID documents" >&2
  status=1
fi
exit $status

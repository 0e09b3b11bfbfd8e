# Shared by validate_argo.sh and validate_tekton.sh (sourced, POSIX sh): lower
# every examples/*.flow and tests/build/*.flow (except fail_*) with flowc and
# sort the outcomes. A program must lower, unless it is listed in the caller's
# ALLOWED (`dir/name  reason` lines): then it must fail with E0502 alone (exit 1
# and a located error, never YAML that means something else).
#
# Before calling, set: flowc, src (the source root), ALLOWED, and `label`
# (message prefix, e.g. validate_argo) and `target` (what it lowers for, e.g.
# Argo). After lower_all OUT ARGS..., `built` and `inexpressible` hold the
# counts and `status` is 1 if anything went wrong; OUT/DIR-NAME.yaml holds each
# document and OUT/DIR-NAME.err flowc's messages.

# Validator path from the source root; exits the script if it is missing.
find_validator() {
  validator="$src/../shared/tools/k8s-validate/run"
  if [ ! -x "$validator" ]; then
    echo "$label: validator not found at $validator" >&2
    exit 1
  fi
}

allowed() {
  printf '%s\n' "$ALLOWED" | awk -v k="$1" '$1 == k { found = 1 } END { exit !found }'
}

# lower_all OUT FLOWC_ARGS...: `flowc build FILE FLOWC_ARGS... -o -` for every program.
lower_all() {
  lower_out=$1
  shift
  mkdir -p "$lower_out"
  rm -f "$lower_out"/*.yaml "$lower_out"/*.err
  built=0
  inexpressible=0
  for f in "$src"/examples/*.flow "$src"/tests/build/*.flow; do
    [ -e "$f" ] || continue
    case $(basename "$f") in fail_*) continue ;; esac
    name=$(basename "$f" .flow)
    dir=$(basename "$(dirname "$f")")
    rc=0
    "$flowc" build "$f" "$@" -o - > "$lower_out/$dir-$name.yaml" 2> "$lower_out/$dir-$name.err" || rc=$?
    if [ "$rc" -eq 0 ]; then
      built=$((built + 1))
      if allowed "$dir/$name"; then
        echo "$label: $dir/$name.flow now lowers: remove it from ALLOWED" >&2
        status=1
      fi
      continue
    fi
    rm -f "$lower_out/$dir-$name.yaml"
    if ! allowed "$dir/$name"; then
      echo "$label: $dir/$name.flow must lower to $target but flowc exited $rc:" >&2
      cat "$lower_out/$dir-$name.err" >&2
      status=1
    elif [ "$rc" -eq 1 ] && grep -q 'E0502' "$lower_out/$dir-$name.err" &&
         ! grep -q 'error\[E0[0-46-9]' "$lower_out/$dir-$name.err"; then
      inexpressible=$((inexpressible + 1))
      echo "$label: not expressible on $target (E0502, allowed): $dir/$name.flow" >&2
    else
      echo "$label: flowc build failed (exit $rc) for $f:" >&2
      cat "$lower_out/$dir-$name.err" >&2
      status=1
    fi
  done
  if [ "$built" -eq 0 ]; then
    echo "$label: nothing was built" >&2
    exit 1
  fi
}

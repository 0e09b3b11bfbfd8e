#!/bin/sh
# Headless Vim tests of editors/vim: syntax groups at chosen positions, gg=G
# reproducing indentation, and :make's errorformat (also against a real flowc
# when one is given). Usage: run.sh [VIM [FLOWC]]
set -eu
VIM=${1:-vim}
FLOWC=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
plugin=$(dirname "$here")
examples=$(cd "$plugin/../../examples" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

files=""
for f in "$here"/indent_sample.flow "$examples"/*.flow "$examples"/lib/*.flow; do
  files="$files'$f',"
done

"$VIM" -N -u NONE -i NONE -n -es \
  --cmd "set rtp^=$plugin" \
  --cmd 'filetype plugin indent on' --cmd 'syntax on' \
  --cmd "let g:flow_test_log = '$log'" \
  --cmd "let g:flow_indent_files = [$files]" \
  --cmd "let g:flow_test_flowc = '$FLOWC'" \
  -S "$here/syntax_test.vim" -S "$here/indent_test.vim" -S "$here/make_test.vim" \
  -c 'qall!' </dev/null || true

cat "$log"
# Every test script writes one summary line; all must be there, none may fail.
[ "$(grep -c '^[a-z]*: .* 0 failure(s)$' "$log")" -eq 3 ] && [ "$(wc -l < "$log")" -eq 3 ]

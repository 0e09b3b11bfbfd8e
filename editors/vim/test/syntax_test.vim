" Probes syntax groups at chosen places of indent_sample.flow. Each check is
" [anchor, text, group]: on the first line containing `anchor`, at the first
" occurrence of `text`, the innermost group or one of the enclosing ones must be
" `group` ("-group": none of them may be).
set nocompatible
let s:file = expand('<sfile>:p:h') . '/indent_sample.flow'
execute 'silent edit! ' . fnameescape(s:file)
syntax sync fromstart

let s:checks = [
      \ ['## Sample used', '##', 'flowDocComment'],
      \ ['## `gg=G`', '`gg=G`', 'flowDocCode'],
      \ ['import', 'import', 'flowInclude'],
      \ ['import', '"./lib', 'flowString'],
      \ ['import', 'as', 'flowInclude'],
      \ ['struct Metrics', 'struct', 'flowStorage'],
      \ ['struct Metrics', 'Metrics', 'flowUserType'],
      \ ['accuracy: Float', 'Float', 'flowType'],
      \ ['loss: Float', '0.5', 'flowFloat'],
      \ ['enum Split', 'enum', 'flowStorage'],
      \ ['const IMAGE', 'const', 'flowStorage'],
      \ ['const IMAGE', 'IMAGE', 'flowConstant'],
      \ ['const IMAGE', '# a comment', 'flowComment'],
      \ ['const IMAGE', 'python', '-flowComment'],
      \ ['task train', 'task', 'flowStorage'],
      \ ['task train', 'train', 'flowFunctionName'],
      \ ['task train', '10', 'flowNumber'],
      \ ['task train', '1e-3', 'flowFloat'],
      \ ['-> (model', '->', 'flowOperator'],
      \ ['image   =', 'image', 'flowField'],
      \ ['memory  =', '16Gi', 'flowSize'],
      \ ['timeout =', '1h30m', 'flowDuration'],
      \ ['bad     =', '2min', 'flowBadNumber'],
      \ ['env     =', '#not', 'flowString'],
      \ ['env     =', '#not', '-flowComment'],
      \ ['env     =', '{{epochs', 'flowInterpDelim'],
      \ ['env     =', 'epochs}}', 'flowInterp'],
      \ ['script  =', '"""', 'flowTripleDelim'],
      \ ['python3 train.py', 'python3', 'flowScript'],
      \ ['python3 train.py', '{{data', 'flowInterpDelim'],
      \ ['python3 train.py', 'data}}', 'flowInterp'],
      \ ['--model-out', 'out.model', 'flowOut'],
      \ ['--model-out', '"{{', 'shDoubleQuote'],
      \ ['--model-out', 'out.metrics', 'flowInterp'],
      \ ['for x in a b', 'for', 'shFor'],
      \ ['echo "$x', '"$x', 'shDoubleQuote'],
      \ ['echo "$x', '\{{', 'flowTripleEscape'],
      \ ['  """', '"""', 'flowTripleDelim'],
      \ ['  """', '"""', '-flowScript'],
      \ ['workflow main(', 'workflow', 'flowStorage'],
      \ ['seeds: Map', '{"a"', '-flowString'],
      \ ['seeds: Map', '"a"', 'flowString'],
      \ ['schedule =', 'schedule', 'flowField'],
      \ ['let runs =', 'for', 'flowRepeat'],
      \ ['let runs =', 'limit', 'flowRepeat'],
      \ ['let r = train', 'with', 'flowStatement'],
      \ ['let r = train', 'retries', 'flowField'],
      \ ['let r = train', '10s', 'flowDuration'],
      \ ['let best = if', 'if', 'flowConditional'],
      \ ['let best = if', 'len', 'flowBuiltin'],
      \ ['} else {', 'else', 'flowConditional'],
      \ ['let maybe = try', 'try', 'flowStatement'],
      \ ['after maybe', 'after', 'flowStatement'],
      \ ['finally {', 'finally', 'flowStatement'],
      \ ['return (best', 'return', 'flowStatement'],
      \ ['return (best', 'contains', 'flowBuiltin'],
      \ ['let maybe', '"x.csv"', 'flowString'],
      \ ]

let s:failures = []
" Loading the plugin files must not have raised any error (E123: ...).
redir => s:messages
silent messages
redir END
for s:msg in split(s:messages, "\n")
  if s:msg =~# '^E\d\+:' || s:msg =~# '^Error detected'
    call add(s:failures, 'while loading: ' . s:msg)
  endif
endfor
for [s:anchor, s:text, s:group] in s:checks
  let s:lnum = index(map(getline(1, '$'), 'stridx(v:val, s:anchor) >= 0'), 1) + 1
  if s:lnum == 0
    call add(s:failures, 'no line contains ' . string(s:anchor))
    continue
  endif
  let s:col = stridx(getline(s:lnum), s:text) + 1
  if s:col == 0
    call add(s:failures, printf('line %d: %s not found in %s', s:lnum, string(s:text), string(getline(s:lnum))))
    continue
  endif
  let s:names = map(synstack(s:lnum, s:col), 'synIDattr(v:val, "name")')
  call add(s:names, synIDattr(synID(s:lnum, s:col, 0), 'name'))
  let s:absent = s:group[0] ==# '-'
  let s:found = index(s:names, s:absent ? s:group[1:] : s:group) >= 0
  if s:found == s:absent
    call add(s:failures, printf('line %d col %d (%s): expected %s, found %s',
          \ s:lnum, s:col, s:text, s:group, string(s:names)))
  endif
endfor
call writefile(s:failures + [printf('syntax: %d checks, %d failure(s)', len(s:checks), len(s:failures))],
      \ g:flow_test_log, 'a')
silent! bwipeout!

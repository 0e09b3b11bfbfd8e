" For each file in g:flow_indent_files: `gg=G` must leave it exactly as written,
" and must restore it after the indentation of every code line (every line not
" inside a triple-quoted string, found here by counting `"""`) was removed.
" Failures and a summary line are appended to g:flow_test_log.
set nocompatible
let s:failures = []
let s:checked = 0

function! s:Compare(file, what, want, got) abort
  for i in range(max([len(a:want), len(a:got)]))
    if get(a:want, i, '<missing>') !=# get(a:got, i, '<missing>')
      call add(s:failures, printf('%s:%d (%s): expected %s, got %s', a:file, i + 1, a:what,
            \ string(get(a:want, i, '<missing>')), string(get(a:got, i, '<missing>'))))
      return
    endif
  endfor
endfunction

" Lines outside triple-quoted strings, by an independent count of unescaped `"""`.
function! s:CodeLines(lines) abort
  let inside = 0
  let code = []
  for i in range(len(a:lines))
    if !inside
      call add(code, i)
    endif
    let n = len(split(substitute(a:lines[i], '\\"""', '', 'g'), '"""', 1)) - 1
    if n % 2 == 1
      let inside = !inside
    endif
  endfor
  return code
endfunction

for s:file in g:flow_indent_files
  execute 'silent edit! ' . fnameescape(s:file)
  if &filetype !=# 'flow'
    call add(s:failures, s:file . ': filetype is "' . &filetype . '", not flow')
    continue
  endif
  let s:want = getline(1, '$')
  normal! gg=G
  call s:Compare(s:file, 'gg=G as written', s:want, getline(1, '$'))
  for s:i in s:CodeLines(s:want)
    call setline(s:i + 1, substitute(s:want[s:i], '^\s\+', '', ''))
  endfor
  syntax sync fromstart
  normal! gg=G
  call s:Compare(s:file, 'gg=G after flattening', s:want, getline(1, '$'))
  let s:checked += 1
  silent! bwipeout!
endfor
call writefile(s:failures + [printf('indent: %d files checked, %d failure(s)', s:checked, len(s:failures))],
      \ g:flow_test_log, 'a')

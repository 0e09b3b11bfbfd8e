" :make support: `compiler flowc` (set by the ftplugin) must parse flowc's
" diagnostics into quickfix entries; commentstring must be `# %s`.
set nocompatible
let s:failures = []
let s:checks = 0
function! s:Expect(what, got, want) abort
  let s:checks += 1
  if a:got !=# a:want
    call add(s:failures, printf('%s: expected %s, got %s', a:what, string(a:want), string(a:got)))
  endif
endfunction

execute 'silent edit! ' . fnameescape(expand('<sfile>:p:h') . '/indent_sample.flow')
call s:Expect('commentstring', &l:commentstring, '# %s')
call s:Expect('makeprg', &l:makeprg =~# '^flowc check --color=never', 1)

let s:output = [
      \ 'examples/etl.flow:12:7: error[E0102]: unknown name `sorce`',
      \ '   |',
      \ '12 |   let x = sorce',
      \ '   |           ^^^^^ not found in this scope',
      \ 'examples/etl.flow:12:7: note: did you mean `source`?',
      \ 'lib/text.flow:3:1: warning[W0001]: unused `let` binding `y`',
      \ '2 errors, 1 warning emitted',
      \ ]
" Parse with the buffer's own 'errorformat', as :make in that buffer does.
let s:qf = filter(getqflist({'lines': s:output, 'efm': &l:errorformat}).items, 'v:val.valid')
call s:Expect('valid entries', len(s:qf), 3)
if len(s:qf) == 3
  call s:Expect('error file', bufname(s:qf[0].bufnr), 'examples/etl.flow')
  call s:Expect('error line', s:qf[0].lnum, 12)
  call s:Expect('error col', s:qf[0].col, 7)
  call s:Expect('error type', s:qf[0].type, 'e')
  call s:Expect('error nr', s:qf[0].nr, 102)
  call s:Expect('error text', s:qf[0].text, 'unknown name `sorce`')
  call s:Expect('note type', s:qf[1].type, 'n')
  call s:Expect('note text', s:qf[1].text, 'did you mean `source`?')
  call s:Expect('warning type', s:qf[2].type, 'w')
  call s:Expect('warning nr', s:qf[2].nr, 1)
  call s:Expect('warning file', bufname(s:qf[2].bufnr), 'lib/text.flow')
endif

" With a real flowc (g:flowc_executable), :make on a broken file finds its error.
if exists('g:flow_test_flowc') && executable(g:flow_test_flowc)
  let s:broken = tempname() . '.flow'
  call writefile(['workflow main() -> Int {', '  return missing_name', '}'], s:broken)
  execute 'silent edit! ' . fnameescape(s:broken)
  let &l:makeprg = g:flow_test_flowc . ' check --color=never %:S'
  silent make!
  let s:real = filter(getqflist(), 'v:val.valid && v:val.type ==# "e"')
  call s:Expect('real flowc reports an error', len(s:real) >= 1, 1)
  if len(s:real) >= 1
    call s:Expect('real flowc error line', s:real[0].lnum, 2)
  endif
  call delete(s:broken)
endif
call writefile(s:failures + [printf('make: %d checks, %d failure(s)', s:checks, len(s:failures))],
      \ g:flow_test_log, 'a')

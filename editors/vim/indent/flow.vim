" Indentation for Flow: one 'shiftwidth' per open bracket, closing brackets dedent,
" `-> T` and `after x` continuation lines hang, and the text of triple-quoted
" strings (scripts) is left exactly as written; their closing `"""` lines up with
" the line that opened them.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=FlowIndent(v:lnum)
setlocal indentkeys=0{,0},0),0],!^F,o,O,e,0=->,0=after,0=\"\"\"
setlocal autoindent nolisp nosmartindent
let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< lisp< smartindent<'

if exists('*FlowIndent')
  finish
endif

" Syntax groups that mean "inside a triple-quoted string".
let s:triple_groups = ['flowTriple', 'flowScript']

function! s:InTriple(lnum) abort
  let col = match(getline(a:lnum), '\S') + 1
  if col <= 0
    return 0
  endif
  for id in synstack(a:lnum, col)
    if index(s:triple_groups, synIDattr(id, 'name')) >= 0
      return 1
    endif
  endfor
  return 0
endfunction

" True when the line's first non-blank text is the closing `"""` of a string.
function! s:ClosesTriple(lnum) abort
  let col = match(getline(a:lnum), '\S') + 1
  return col > 0 && getline(a:lnum)[col - 1 : col + 1] ==# '"""'
        \ && synIDattr(synID(a:lnum, col, 0), 'name') ==# 'flowTripleDelim'
endfunction

" The code of a line with strings and comments removed (brackets in them do not count).
function! s:Code(lnum) abort
  let line = getline(a:lnum)
  let line = substitute(line, '"""\%(\\"""\|.\)\{-}"""', '_', 'g')
  let line = substitute(line, '""".*$', '_', '')
  let line = substitute(line, '"\%(\\.\|[^"\\]\)*"', '_', 'g')
  let line = substitute(line, '"[^"]*$', '_', '')
  return substitute(line, '#.*$', '', '')
endfunction

function! s:IsContinuation(lnum) abort
  return getline(a:lnum) =~# '^\s*\%(->\|after\>\)'
endfunction

" Net brackets a line opens for the lines after it; closers that start the line
" were already accounted for by dedenting that line itself.
function! s:NetOpen(lnum) abort
  let code = s:Code(a:lnum)
  let opens = len(substitute(code, '[^{([]', '', 'g'))
  let closes = len(substitute(code, '[^})\]]', '', 'g'))
  let leading = len(matchstr(code, '^\s*\zs[})\]]*'))
  return opens - closes + leading
endfunction

" The first line of the statement `lnum` belongs to (skipping continuation lines).
function! s:StatementStart(lnum) abort
  let lnum = a:lnum
  while s:IsContinuation(lnum)
    let prev = prevnonblank(lnum - 1)
    if prev == 0
      break
    endif
    let lnum = prev
  endwhile
  return lnum
endfunction

function! FlowIndent(lnum) abort
  if s:ClosesTriple(a:lnum)
    " Walk up to the line that opened the string.
    let lnum = a:lnum - 1
    while lnum > 0 && (getline(lnum) =~# '^\s*$' || s:InTriple(lnum))
      let lnum -= 1
    endwhile
    return lnum > 0 ? indent(lnum) : 0
  endif
  if s:InTriple(a:lnum)
    return indent(a:lnum)
  endif
  let prev = prevnonblank(a:lnum - 1)
  if prev == 0
    return 0
  endif
  let sw = shiftwidth()
  let line = getline(a:lnum)
  let base = indent(s:StatementStart(prev))
  let net = s:NetOpen(prev)
  let ind = base + (net > 0 ? sw : 0)
  if line =~# '^\s*[})\]]'
    let ind -= sw
  endif
  if line =~# '^\s*->'
    let ind += 2 * sw
  elseif line =~# '^\s*after\>'
    let ind += sw
  endif
  return ind < 0 ? 0 : ind
endfunction

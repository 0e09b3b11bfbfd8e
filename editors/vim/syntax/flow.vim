" Vim syntax file for the Flow workflow language (.flow).
" Triple-quoted strings are shell scripts: they embed Vim's sh syntax, with Flow's
" {{ }} interpolation highlighted on top, also inside shell quotes.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" --- embedded shell (loaded first: sh.vim sets b:current_syntax) -----------------
let g:is_posix = get(g:, 'is_posix', 1)
syn include @flowShell syntax/sh.vim
unlet! b:current_syntax
syn sync clear
syn sync minlines=200

syn case match

" --- comments --------------------------------------------------------------------
syn keyword flowTodo contained TODO FIXME XXX NOTE
syn match flowComment "#.*$" contains=flowTodo,@Spell
syn match flowDocComment "##\%(#\)\@!.*$" contains=flowTodo,flowDocCode,@Spell
syn match flowDocCode "`[^`]*`" contained

" --- keywords --------------------------------------------------------------------
syn keyword flowConditional if else
syn keyword flowRepeat for in limit
syn keyword flowStatement return after finally with try
syn keyword flowInclude import as
syn keyword flowStorage struct enum const let
syn keyword flowStorage task workflow nextgroup=flowFunctionName skipwhite
syn keyword flowOperatorWord and or not
syn keyword flowBoolean true false
syn keyword flowNone none
syn keyword flowOut out
syn match flowFunctionName "\h\w*" contained

" --- types, names, calls -----------------------------------------------------------
syn keyword flowType Int Float Bool String File Dir Duration Size List Map
syn match flowUserType "\<\u\w*\>"
syn match flowConstant "\<\u[A-Z0-9_]*[A-Z0-9]\>"
syn keyword flowBuiltin len range enumerate zip flatten keys values join split
      \ replace basename dirname stem string int float min max sum round select_first
      \ defined sort lower upper trim starts_with ends_with abs raw
" `contains` is a :syn-keyword option name, so it needs a match.
syn match flowBuiltin "\<contains\ze\s*("
syn match flowField "^\s*\zs\%(image\|cpu\|memory\|gpu\|retries\|backoff\|timeout\|cache\|env\|script\|command\|shell\|schedule\)\ze\s*=[^=]"
syn match flowField "[{,]\s*\zs\%(image\|cpu\|memory\|gpu\|retries\|backoff\|timeout\|cache\|env\|script\|command\|shell\|schedule\)\ze\s*=[^=]"

" --- numbers (order: later definitions win on equal starts) -----------------------
syn match flowBadNumber "\<\d[0-9_]*\%(\.\d[0-9_]*\)\=\h\w*\>"
syn match flowNumber "\<\d[0-9_]*\>"
syn match flowFloat "\<\d[0-9_]*\%(\.\d[0-9_]*\%([eE][+-]\=\d[0-9_]*\)\=\|[eE][+-]\=\d[0-9_]*\)\>"
syn match flowSize "\<\d[0-9_]*[KMGTP]i\=\>"
syn match flowDuration "\<\d[0-9_]*\%(ms\|[smhd]\)\%(\d[0-9_]*\%(ms\|[smhd]\)\)*\>"

" --- operators ---------------------------------------------------------------------
syn match flowOperator "->\|??\|?\|==\|!=\|<=\|>=\|[-+*/%<>=]"

" --- strings and interpolation ------------------------------------------------------
syn match flowEscape "\\\%({{\|[^\r\n]\)" contained
syn match flowTripleEscape "\\\%({{\|\"\"\"\)" contained containedin=flowScript,@flowShell
syn cluster flowExpr contains=flowConditional,flowRepeat,flowStatement,flowOperatorWord,
      \ flowBoolean,flowNone,flowOut,flowType,flowUserType,flowConstant,flowBuiltin,flowNumber,
      \ flowFloat,flowSize,flowDuration,flowBadNumber,flowOperator,flowString,flowTriple,flowBraces
syn region flowBraces matchgroup=flowDelimiter start="{" end="}" contained contains=@flowExpr
" Interpolation is contained in Flow strings and in every shell group of a script.
syn region flowInterp matchgroup=flowInterpDelim start="{{" end="}}" contained
      \ containedin=flowString,flowScript,@flowShell contains=@flowExpr
syn region flowString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ contains=flowEscape,flowInterp,@Spell
" A triple-quoted string; on several lines its body is a shell script. keepend ends
" any shell construct left open (an indented heredoc, a quote) with the string.
syn region flowTriple matchgroup=flowTripleDelim start=+"""+ end=+\\\@<!"""\ze\%("\)\@!+ keepend
      \ contains=flowTripleEscape,flowInterp,flowScript
syn region flowScript start="^" end=+\ze\\\@<!"""\%("\)\@!+ contained keepend
      \ contains=flowTripleEscape,flowInterp,@flowShell

" --- links -------------------------------------------------------------------------
hi def link flowTodo Todo
hi def link flowComment Comment
hi def link flowDocComment SpecialComment
hi def link flowDocCode Special
hi def link flowConditional Conditional
hi def link flowRepeat Repeat
hi def link flowStatement Statement
hi def link flowInclude Include
hi def link flowStorage StorageClass
hi def link flowFunctionName Function
hi def link flowOperatorWord Operator
hi def link flowBoolean Boolean
hi def link flowNone Constant
hi def link flowOut Identifier
hi def link flowType Type
hi def link flowUserType Type
hi def link flowConstant Constant
hi def link flowBuiltin Function
hi def link flowField Identifier
hi def link flowBadNumber Error
hi def link flowNumber Number
hi def link flowFloat Float
hi def link flowSize Number
hi def link flowDuration Number
hi def link flowOperator Operator
hi def link flowEscape SpecialChar
hi def link flowTripleEscape SpecialChar
hi def link flowDelimiter Delimiter
hi def link flowInterpDelim Delimiter
hi def link flowString String
hi def link flowTriple String
hi def link flowTripleDelim String

let b:current_syntax = 'flow'

let &cpo = s:cpo_save
unlet s:cpo_save

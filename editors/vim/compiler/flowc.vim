" Compiler plugin: `:make` runs `flowc check` on the current file and reads
" diagnostics of the form `path:line:col: error[E0102]: message`.
if exists('current_compiler')
  finish
endif
let current_compiler = 'flowc'

let s:cpo_save = &cpo
set cpo&vim

let s:flowc = get(g:, 'flowc_executable', 'flowc')
execute 'CompilerSet makeprg=' . escape(s:flowc, ' \|"') . '\ check\ --color=never\ %:S'
CompilerSet errorformat=
      \%f:%l:%c:\ %trror[E%n]:\ %m,
      \%f:%l:%c:\ %tarning[W%n]:\ %m,
      \%f:%l:%c:\ %tote:\ %m,
      \%f:%l:%c:\ %trror:\ %m,
      \%f:%l:%c:\ %tarning:\ %m,
      \%-G%.%#

let &cpo = s:cpo_save
unlet s:cpo_save

" Filetype plugin for Flow: comments, :make through `flowc check`.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

setlocal commentstring=#\ %s
setlocal comments=:##,:#
setlocal formatoptions-=t formatoptions+=croql
setlocal expandtab shiftwidth=2 softtabstop=2
setlocal suffixesadd=.flow
setlocal iskeyword=@,48-57,_

compiler flowc

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< expandtab< shiftwidth<'
      \ . ' softtabstop< suffixesadd< iskeyword< makeprg< errorformat<'

let &cpo = s:cpo_save
unlet s:cpo_save

# Checks every ```flow block of a Markdown file with `flowc check`: each must be a
# complete program (fragments are marked ```flow-fragment and skipped).
# Usage: cmake -DFLOWC=path -DDOC=file.md -DWORK=dir -P check_doc_examples.cmake
# The file is cut with string(FIND) rather than read as a list of lines, because
# CMake lists would split lines at `;` and treat `[` `]` specially.
cmake_minimum_required(VERSION 3.25)
if(NOT FLOWC OR NOT DOC OR NOT WORK)
  message(FATAL_ERROR "usage: cmake -DFLOWC=... -DDOC=... -DWORK=... -P check_doc_examples.cmake")
endif()

file(READ ${DOC} rest)
set(rest "\n${rest}")
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

set(open_fence "\n```flow\n")
string(LENGTH "${open_fence}" open_len)
set(count 0)
set(failures 0)
set(line 0)
while(TRUE)
  string(FIND "${rest}" "${open_fence}" begin)
  if(begin EQUAL -1)
    break()
  endif()
  # Line number of the fence: newlines before it.
  string(SUBSTRING "${rest}" 0 ${begin} before)
  string(REPLACE "\n" "" stripped "${before}")
  string(LENGTH "${before}" a)
  string(LENGTH "${stripped}" b)
  math(EXPR line "${line} + ${a} - ${b} + 1")
  math(EXPR body_start "${begin} + ${open_len}")
  string(SUBSTRING "${rest}" ${body_start} -1 rest)
  string(FIND "${rest}" "\n```" end)
  if(end EQUAL -1)
    message(FATAL_ERROR "${DOC}:${line}: unterminated ```flow block")
  endif()
  string(SUBSTRING "${rest}" 0 ${end} block)
  # Keep counting lines: the body plus its last newline.
  string(REPLACE "\n" "" stripped "${block}")
  string(LENGTH "${block}" a)
  string(LENGTH "${stripped}" b)
  math(EXPR block_line "${line}")
  math(EXPR line "${line} + ${a} - ${b} + 1")
  string(SUBSTRING "${rest}" ${end} -1 rest)

  math(EXPR count "${count} + 1")
  set(path ${WORK}/block_${block_line}.flow)
  file(WRITE ${path} "${block}\n")
  execute_process(COMMAND ${FLOWC} check --color=never ${path}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    math(EXPR failures "${failures} + 1")
    message("${DOC}:${block_line}: this flow block does not check (exit ${rc}):\n${out}${err}")
  endif()
endwhile()

if(count EQUAL 0)
  message(FATAL_ERROR "${DOC}: no ```flow blocks found")
endif()
message("${count} flow blocks checked, ${failures} failure(s)")
if(failures GREATER 0)
  message(FATAL_ERROR "some documentation examples do not check")
endif()

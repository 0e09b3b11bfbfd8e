// Contextual escaping of `{{...}}` interpolations in task scripts (LANGUAGE.md §4),
// shared by the local runtime and the Kubernetes backends.
//
// A script Template alternates literal text and interpolated expressions. The
// literal text is scanned with a small POSIX-sh lexer (quotes, `$(...)`,
// backticks, `${...}`, comments, here-documents) to find the *context* of every
// interpolation, then each value is escaped for its context, the way an HTML
// template engine escapes by context:
//
//   context            local mode (values known)           cluster mode (env references)
//   bare word          one word per scalar, one per list    "${V}" (Int/Float/Bool/enum: ${V});
//                      element; quoted only when needed     a List: "$@" (see below)
//   "..."              \-escape  \ " $ `  (list: joined     ${V} (list text: elements joined
//                      by one space)                        by one space)
//   '...'              '\'' for each '                      '"${V}"'
//   $'...'             \-escape \ and '                     '"${V}"$'
//   <<EOF body         \-escape \ $ ` and neutralize a      ${V}
//                      line equal to the delimiter
//   <<'EOF' body       the text as it is; an error if a     an error (no expansion there);
//                      line would end the here-document     use an unquoted here-document
//   # comment          the text, newlines made spaces       ${V}
//
// Nothing inside a value (quotes, `$(...)`, backticks, `;`, newlines, globs,
// `{{`) is ever run, expanded or split by the shell. `raw(x)` parts are pasted
// unescaped in local mode and referenced unquoted (${V}: split and globbed, but
// never parsed as shell syntax) in cluster mode.
//
// Cluster mode never pastes a runtime value into script source: every
// interpolation becomes a reference to an environment variable that the backend
// fills (Argo: an `env` entry from an input parameter; Tekton: `$(params.x)` in
// an `env` value). A List in bare context must become one word per element, which
// a single variable cannot express portably, so the backend passes the list as a
// JSON array of strings (Encoding::JsonList) and the script starts with
// `ListPrelude()`: a POSIX sh + awk decoder that turns that JSON array into the
// positional parameters, and the site becomes "$@". Consequently a script may use
// at most one distinct bare List of strings or paths on cluster targets (several
// distinct ones are reported as an error), and such a script must not rely on
// `$1`..`$9` itself (Flow scripts receive no arguments). Lists of numbers,
// booleans or enum members do not count: their elements are single words that
// never glob, so they are referenced unquoted (`${V}`, texts joined by spaces).
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace flow::lower {

/// `text` split on blanks (spaces, tabs, newlines), as the runtime splits a
/// task's `shell` into argv.
std::vector<std::string> ShellWords(const std::string& text);

/// Whether `shell` (a task's `shell` field) names a POSIX shell, which runs the
/// cluster script (shell_quote.h) itself: `sh`, `bash`, `dash`, `ash`, `ksh`,
/// `mksh`, `zsh`, `yash`, `posh` or `busybox`, possibly with a directory or
/// through `env` (the checker's list, check_shell.cpp).
bool IsPosixShell(const std::string& shell);

/// A here-document delimiter no line of `body` equals: `base`, else
/// `base_1`, `base_2`, ... (so user text can never end the document early).
std::string HereDocDelimiter(const std::string& base, const std::string& body);

/// Where an interpolation stands in the shell script.
enum class ShellContext : uint8_t {
  Bare,           // an unquoted word (also inside $(...), `...`, $((...)), ${...})
  DoubleQuoted,   // inside "..."
  SingleQuoted,   // inside '...'
  AnsiQuoted,     // inside $'...' (bash, ksh, zsh)
  Heredoc,        // the body of an unquoted here-document (expansions happen)
  QuotedHeredoc,  // the body of <<'EOF', <<"EOF" or <<\EOF (no expansion at all)
  Comment,        // after a `#` comment start
};
const char* ShellContextName(ShellContext context);

/// The context of one interpolation part of a template.
struct InterpolationSite {
  size_t part = 0;                // index into Template::parts
  ShellContext context = ShellContext::Bare;
  std::string heredoc_delimiter;  // Heredoc/QuotedHeredoc: the terminating word
  bool heredoc_strip_tabs = false;  // `<<-`: leading tabs are ignored on the delimiter line
  bool at_line_start = false;     // nothing but (tabs of) the current line precedes it
};

/// Finds the shell context of every interpolation part of `tmpl`, in order.
std::vector<InterpolationSite> AnalyzeScript(const ir::Template& tmpl);

/// A value ready for interpolation, already turned into text by the caller
/// (ir::FormatValueText for scalars; one text per element for a List).
struct ScriptValue {
  bool is_list = false;
  std::vector<std::string> texts;  // a scalar: exactly one
};

/// True if `word` needs no quoting as a bare shell word (letters, digits and
/// `_ @ % + = : , . / -`, not empty).
bool IsPlainShellWord(const std::string& word);

/// Quotes `text` as one bare shell word ('...' with '\'' when needed).
std::string QuoteShellWord(const std::string& text);

/// Local mode: renders `tmpl` with `values[i]` for the i-th interpolation part
/// (in part order; raw parts are pasted unescaped, list elements joined by a
/// space). Returns false and sets `*error` when a value cannot be placed safely
/// (a line of it would end a quoted here-document).
bool RenderLocalScript(const ir::Template& tmpl, const std::vector<ScriptValue>& values,
                       std::string* out, std::string* error);

/// How a backend must encode the value it puts in a binding's variable.
enum class Encoding : uint8_t {
  Text,      // FormatValueText; a List's element texts joined by one space
  JsonList,  // a JSON array of the element texts (decoded by ListPrelude())
};

/// One environment variable the backend must set for the script to run.
struct EnvBinding {
  std::string name;      // e.g. "FLOW_V1"
  ir::ExprId expr;       // the interpolated expression (over the task's inputs)
  Encoding encoding = Encoding::Text;
};

struct ClusterScript {
  std::string script;                 // the shell script (prelude included when needed)
  std::vector<EnvBinding> bindings;   // one per distinct (expression, encoding), in order
};

/// Cluster mode: renders `tmpl` with every interpolation replaced by a
/// reference to an environment variable named `<env_prefix><n>` (n from 1).
/// Interpolations of the same ExprId share a variable. Output paths
/// (ExprKind::OutputPath) are treated like any other value: the backend binds them.
/// Returns false and sets `*error` for what cannot be expressed safely (an
/// interpolation in a quoted here-document; two distinct bare lists).
bool RenderClusterScript(const ir::Program& program, const ir::Template& tmpl,
                         const std::string& env_prefix, ClusterScript* out, std::string* error);

/// Cluster mode for a script with two or more distinct bare Lists of strings
/// or paths (RenderClusterScript refuses them: "$@" holds one list). Every such
/// List is bound as a JSON array (Encoding::JsonList) like the single one; the
/// script body becomes a quoted here-document in which each bare List site is
/// a marker, and the emitted script (prelude included) turns each List's JSON
/// into single-quoted shell words at run time (the same decoder as
/// ListPrelude), splices them in place of the markers with awk (no `&` or `\`
/// interpretation) and `eval`s the result once. Each element stays one word and
/// nothing inside a value is run or expanded: the quoting is done by the
/// prelude at run time, never by pasting values into the source. The other
/// interpolations are the same variable references as RenderClusterScript's.
/// Returns false and sets `*error` as RenderClusterScript does (and for script
/// text that contains the marker prefix `@@FLOW_LIST_`).
bool RenderClusterScriptManyLists(const ir::Program& program, const ir::Template& tmpl,
                                  const std::string& env_prefix, ClusterScript* out, std::string* error);

/// The POSIX sh prelude used by RenderClusterScript when a bare List occurs:
/// decodes the JSON array of strings in the variable `var` into "$@".
std::string ListPrelude(const std::string& var);

/// Renders one argv element (`command` tasks, no shell): literal text and value
/// texts concatenated verbatim (a List joined by one space); a splice element
/// yields one argument per list element.
void RenderLocalArgv(const ir::ArgvElement& element, const std::vector<ScriptValue>& values,
                     std::vector<std::string>* argv);

}  // namespace flow::lower

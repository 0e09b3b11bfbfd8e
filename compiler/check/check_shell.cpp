// Scripts for an interpreter other than a POSIX shell (`shell = "python3"`).
//
// Interpolations in a script are escaped by the rules of a POSIX shell
// (LANGUAGE.md §4, compiler/lower/shell_quote). Another interpreter reads that
// escaping its own way: in Python, the shell-quoted text of a String that ends
// in a backslash ends a string literal early, and the rest of the value runs as
// code. So only values whose text cannot carry code may be interpolated there:
// Int, Float, Bool, Duration, Size and enum members (validated before any
// program sees them), lists of those, and the output paths Flow itself chooses.
// `raw(x)` stays the explicit, already-warned way out.
#include <string_view>

#include "compiler/check/checker.h"

namespace flow::check {
namespace {

/// The program `shell` names: its first word, through `env` (`/usr/bin/env
/// python3`), without directories.
std::string_view Interpreter(std::string_view shell) {
  auto next_word = [&shell]() {
    size_t begin = shell.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return std::string_view();
    size_t end = shell.find_first_of(" \t", begin);
    std::string_view word = shell.substr(begin, end == std::string_view::npos ? shell.size() - begin : end - begin);
    shell.remove_prefix(end == std::string_view::npos ? shell.size() : end);
    size_t slash = word.rfind('/');
    return slash == std::string_view::npos ? word : word.substr(slash + 1);
  };
  std::string_view word = next_word();
  if (word == "env") word = next_word();
  return word;
}

bool IsPosixShell(std::string_view program) {
  for (std::string_view sh : {"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "yash", "posh", "busybox"})
    if (program == sh) return true;
  return false;
}

}  // namespace

void Checker::CheckForeignShellScript(const ast::FieldStmt* shell, const ast::FieldStmt* script) {
  const ast::Expr* shell_value = shell->field.value;
  const ast::Expr* script_value = script->field.value;
  if (!script_value || !script_value->Is<ast::StringLit>()) return;
  // A computed `shell` could be anything: hold it to the same rule.
  std::string program = "the `shell` given";
  if (shell_value && shell_value->Is<ast::StringLit>() && shell_value->As<ast::StringLit>()->IsPlain()) {
    std::string text = shell_value->As<ast::StringLit>()->PlainText();
    std::string_view name = Interpreter(text);
    if (IsPosixShell(name)) return;
    program = std::string(name);
  }
  auto safe_scalar = [&](TypeId type) {
    switch (types().KindOf(type)) {
      case types::TypeKind::Int:
      case types::TypeKind::Float:
      case types::TypeKind::Bool:
      case types::TypeKind::Duration:
      case types::TypeKind::Size:
      case types::TypeKind::Enum:
      case types::TypeKind::Error:  // already reported
        return true;
      case types::TypeKind::None:
      case types::TypeKind::String:
      case types::TypeKind::File:
      case types::TypeKind::Dir:
      case types::TypeKind::List:
      case types::TypeKind::Map:
      case types::TypeKind::Optional:
      case types::TypeKind::Record:
      case types::TypeKind::Struct:
        return false;
    }
    return false;
  };
  for (const ast::StringPart& part : script_value->As<ast::StringLit>()->parts) {
    if (!part.expr) continue;
    auto ref = out_.refs.find(part.expr);
    if (ref != out_.refs.end() && ref->second.kind == RefKind::Output) continue;  // a path Flow chose
    auto call = out_.calls.find(part.expr);
    if (call != out_.calls.end() && call->second.callee.kind == RefKind::Builtin &&
        call->second.callee.builtin == ir::BuiltinId::Raw)
      continue;  // explicit, and warned about (W0004)
    auto typed = out_.expr_types.find(part.expr);
    if (typed == out_.expr_types.end()) continue;
    TypeId type = typed->second;
    if (safe_scalar(type)) continue;
    if (types().KindOf(type) == types::TypeKind::List && safe_scalar(types().Get(type).elem)) continue;
    diags_.Build(part.expr->range, diag::Kind::UnescapableInterpolation, Str(type), program)
        .Label(shell_value ? shell_value->range : shell->range, "not a POSIX shell")
        .Note("Flow escapes script values for POSIX shells; pass this one in `env` and read it from the "
              "environment, or run the program with `command`")
        .Emit();
  }
}

}  // namespace flow::check

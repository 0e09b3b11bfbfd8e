// The hidden debugging flags of `flowc check`: `--dump-tokens` and
// `--dump-ast` print a phase's output instead of checking (as Carbon's
// --dump-tokens / --dump-parse-tree do).
#pragma once

#include <string>

#include "compiler/driver/commands.h"

namespace flow::driver {

enum class DumpKind { Tokens, Ast };

/// Prints the tokens or the AST of `file` (`-` reads stdin) to ctx.out.
/// Returns the exit code: 0, or 1 when the file cannot be read.
int DumpFile(Context& ctx, DumpKind kind, const std::string& file);

}  // namespace flow::driver

// Runs a Server over a byte stream pair (stdin/stdout for `flowc lsp`).
#pragma once

#include <iosfwd>

#include "compiler/lsp/server.h"

namespace flow::lsp {

/// Serves until `exit` or the end of `in`; returns the process exit code.
///
/// A reader thread frames messages off `in` into a queue. The main thread takes
/// everything queued at once: cancellations first (so a cancelled request still
/// waiting is answered RequestCancelled without running), then the rest in
/// order. Edits only update the text; diagnostics are computed when the queue is
/// empty, so a burst of didChange costs one analysis and requests never wait
/// behind work for text that is already stale.
int RunStdio(std::istream& in, std::ostream& out, ServerOptions options);

}  // namespace flow::lsp

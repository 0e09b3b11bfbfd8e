// The front end shared by every flowc command: load → check → build IR, with
// diagnostics collected, sorted and rendered (text or JSON lines) to ctx.err.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/driver/commands.h"
#include "compiler/ir/ir.h"
#include "compiler/load/load.h"

namespace flow::driver {

enum class DiagFormat { Text, Json };
enum class ColorMode { Auto, Always, Never };

struct FrontEndOptions {
  std::vector<std::string> files;  // `-` reads stdin
  std::string entry;               // --entry NAME
  DiagFormat format = DiagFormat::Text;
  ColorMode color = ColorMode::Auto;
  /// Text format only: end with "N errors, M warnings emitted" when there were
  /// any. `check` turns it off to print one total for all its files.
  bool summary = true;
  /// Lower the checked program to the typed IR. `check` turns it off (like
  /// `cargo check` skipping code generation): building the IR reports nothing
  /// the checker has not, so `check` only pays for it with `--ir`.
  bool lower_to_ir = true;
};

/// Whether diagnostics should be colored: `always`, or `auto` when stderr is a
/// terminal and NO_COLOR is unset or empty.
bool UseColor(const Context& ctx, ColorMode mode);

/// Adds `--format text|json`, `--color auto|always|never` and `--entry NAME` to `cmd`.
void AddFrontEndOptions(CLI::App* cmd, FrontEndOptions* opts);

struct Compilation {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  load::LoadedProgram loaded;          // the syntax trees; emptied once the IR is built
  std::optional<ir::Program> program;  // set when there were no errors
  int errors = 0;
  int warnings = 0;
};

/// For commands that go on after the front end (`run`, `build`): memory freed
/// by one phase stays in the process for the next. By default glibc maps each
/// block over 128 KiB (the checker's tables, the IR's arrays) fresh from the
/// kernel and unmaps it when freed, so the next phase faults in new pages; in
/// a virtual machine a page fault costs tens of microseconds, which made
/// faults a sixth of a no-op run of 10,000 tasks. Blocks over 16 MiB are still
/// mapped. Does nothing when GLIBC_TUNABLES is set (the user's settings win).
void KeepFreedMemory();

/// Loads, checks and lowers `file` to IR. Diagnostics are rendered to ctx.err
/// per `opts` before returning. Returns true when there were no errors.
bool Compile(Context& ctx, const FrontEndOptions& opts, const std::string& file, Compilation* out);

/// Renders diagnostics produced later (e.g. by a backend) the same way Compile
/// renders its own; returns the number of errors among them.
int RenderDiagnostics(Context& ctx, const FrontEndOptions& opts, const SourceManager& sources,
                      std::vector<diag::Diagnostic> diagnostics);

}  // namespace flow::driver

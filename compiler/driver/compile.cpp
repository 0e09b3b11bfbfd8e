// The front end shared by every command (compile.h): load → check → build IR.
#include "compiler/driver/compile.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <cstdlib>
#include <iterator>
#include <ostream>

#include "compiler/check/checked_program.h"
#include "compiler/diag/emitter.h"
#include "compiler/driver/render_json.h"
#include "compiler/driver/render_text.h"
#include "compiler/ir/build_ir.h"

namespace flow::driver {

void AddFrontEndOptions(CLI::App* cmd, FrontEndOptions* opts) {
  cmd->add_option("--format", opts->format, "diagnostics format: text (default) or json (one object per line)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, DiagFormat>{{"text", DiagFormat::Text},
                                                                            {"json", DiagFormat::Json}},
                                          CLI::ignore_case)
                     .description(""))
      ->type_name("text|json");
  cmd->add_option("--color", opts->color, "color diagnostics: auto (default: on a terminal), always, never")
      ->transform(CLI::CheckedTransformer(std::map<std::string, ColorMode>{{"auto", ColorMode::Auto},
                                                                           {"always", ColorMode::Always},
                                                                           {"never", ColorMode::Never}},
                                          CLI::ignore_case)
                     .description(""))
      ->type_name("auto|always|never");
  cmd->add_option("--entry", opts->entry, "the entry workflow (default: `main`, else the only workflow)")
      ->type_name("NAME");
}

bool UseColor(const Context& ctx, ColorMode mode) {
  switch (mode) {
    case ColorMode::Always:
      return true;
    case ColorMode::Never:
      return false;
    case ColorMode::Auto: {
      const char* no_color = std::getenv("NO_COLOR");
      return ctx.err_is_tty && (no_color == nullptr || *no_color == '\0');
    }
  }
  return false;
}

namespace {

/// Sorts and prints `diagnostics`; returns {errors, warnings}.
std::pair<int, int> Print(Context& ctx, const FrontEndOptions& opts, const SourceManager& sources,
                          std::vector<diag::Diagnostic>& diagnostics) {
  diag::SortDiagnostics(diagnostics);
  diag::DropRecoveryNoise(diagnostics, sources);
  TextRenderOptions text{UseColor(ctx, opts.color)};
  int errors = 0, warnings = 0;
  for (const diag::Diagnostic& d : diagnostics) {
    if (d.severity == diag::Severity::Error) ++errors;
    if (d.severity == diag::Severity::Warning) ++warnings;
    switch (opts.format) {
      case DiagFormat::Text:
        RenderText(sources, d, text, *ctx.err);
        break;
      case DiagFormat::Json:
        *ctx.err << RenderJson(sources, d) << "\n";
        break;
    }
  }
  return {errors, warnings};
}

void PrintSummary(Context& ctx, const FrontEndOptions& opts, int errors, int warnings) {
  if (opts.format != DiagFormat::Text || !opts.summary) return;
  std::string line = SummaryLine(errors, warnings);
  if (line.empty()) return;
  bool color = UseColor(ctx, opts.color);
  const char* style = errors > 0 ? "\x1b[1;31m" : "\x1b[1;33m";
  *ctx.err << (color ? style : "") << line << (color ? "\x1b[0m" : "") << "\n";
}

}  // namespace

void KeepFreedMemory() {
#ifdef __GLIBC__
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

bool Compile(Context& ctx, const FrontEndOptions& opts, const std::string& file, Compilation* out) {
  diag::CollectingConsumer collected;
  diag::DiagnosticEmitter diags(collected);
  load::LoadOptions load_options;
  load_options.stdlib_dir = ctx.stdlib_dir;
  bool loaded = false;
  if (file == "-") {
    std::string text;
    if (ctx.in != nullptr) text.assign(std::istreambuf_iterator<char>(*ctx.in), std::istreambuf_iterator<char>());
    loaded = load::LoadProgramFromText(*ctx.fs, "<stdin>", std::move(text), load_options, *out->sources, diags,
                                       &out->loaded);
  } else {
    loaded = load::LoadProgram(*ctx.fs, file, load_options, *out->sources, diags, &out->loaded);
  }
  if (loaded && !out->loaded.modules.empty()) {
    check::CheckOptions check_options;
    check_options.entry = opts.entry;
    check::CheckedProgram checked = check::Check(out->loaded, check_options, *out->sources, diags);
    if (!diags.has_errors() && opts.lower_to_ir) out->program = ir::BuildIR(std::move(checked), *out->sources);
  }
  // Every later phase reads only the IR: free the syntax trees now, so what
  // runs next (the scheduler, a backend) reuses their memory instead of
  // growing the process.
  if (out->program) out->loaded = load::LoadedProgram{};
  auto [errors, warnings] = Print(ctx, opts, *out->sources, collected.mutable_diagnostics());
  out->errors = errors;
  out->warnings = warnings;
  PrintSummary(ctx, opts, errors, warnings);
  if (errors > 0) out->program.reset();
  return errors == 0 && (out->program.has_value() || !opts.lower_to_ir);
}

int RenderDiagnostics(Context& ctx, const FrontEndOptions& opts, const SourceManager& sources,
                      std::vector<diag::Diagnostic> diagnostics) {
  auto [errors, warnings] = Print(ctx, opts, sources, diagnostics);
  PrintSummary(ctx, opts, errors, warnings);
  return errors;
}

}  // namespace flow::driver

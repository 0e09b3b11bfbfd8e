// libFuzzer target over the whole front end: load (lex + parse) → check →
// build IR (when there were no errors) → render every diagnostic as text and
// JSON. Any crash, sanitizer report, hang or stack overflow is a bug.
//
// Build: CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DFLOW_FUZZ=ON
// Run:   build-fuzz/tests/fuzz/parse_check_fuzzer CORPUS_DIR tests/check examples
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "compiler/base/file_system.h"
#include "compiler/check/checked_program.h"
#include "compiler/diag/emitter.h"
#include "compiler/driver/render_json.h"
#include "compiler/driver/render_text.h"
#include "compiler/ir/build_ir.h"
#include "compiler/load/load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  flow::MemoryFileSystem fs;
  // A sibling module, so relative imports in the input have something to find.
  fs.Add("lib/util.flow", "const ONE = 1\nstruct Point { x: Int, y: Int = 0 }\n");
  flow::SourceManager sources;
  flow::diag::CollectingConsumer collected;
  flow::diag::DiagnosticEmitter diags(collected);
  flow::load::LoadOptions options;
  options.stdlib_dir = "/nonexistent-stdlib";
  flow::load::LoadedProgram loaded;
  if (flow::load::LoadProgramFromText(fs, "fuzz.flow", std::move(text), options, sources, diags, &loaded) &&
      !loaded.modules.empty()) {
    flow::check::CheckedProgram checked = flow::check::Check(loaded, {}, sources, diags);
    if (!diags.has_errors()) {
      flow::ir::Program program = flow::ir::BuildIR(std::move(checked), sources);
      (void)program;
    }
  }
  std::vector<flow::diag::Diagnostic>& all = collected.mutable_diagnostics();
  flow::diag::SortDiagnostics(all);
  std::ostringstream sink;
  for (const flow::diag::Diagnostic& d : all) {
    flow::driver::RenderText(sources, d, {/*color=*/true}, sink);
    sink << flow::driver::RenderJson(sources, d);
  }
  return 0;
}

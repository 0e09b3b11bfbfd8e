// Loading a program: parse the entry file, then every module it imports,
// transitively. Relative imports ("./lib/x.flow") resolve against the importing
// file's directory; "std/NAME" resolves to `<stdlib_dir>/std/NAME.flow`.
// Import cycles (E0106) and missing modules (E0101) are diagnosed here.
#pragma once

#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/file_system.h"
#include "compiler/base/source.h"
#include "compiler/diag/emitter.h"

namespace flow::load {

struct LoadedModule {
  ast::Module module;
  std::string path;  // normalized path as read
  std::string name;  // name it is bound to by its importer(s); "" for the entry file
  /// Parallel to module.imports: index into LoadedProgram::modules, or -1 when
  /// the import could not be loaded (already diagnosed).
  std::vector<int> imports;
};

struct LoadedProgram {
  /// modules[0] is the entry file; each module appears once however often it is imported.
  std::vector<LoadedModule> modules;
  /// One past the largest AST node id of any module (ids are dense from 0).
  uint32_t node_id_end = 0;
};

struct LoadOptions {
  std::string stdlib_dir;  // directory holding `std/`; see DefaultStdlibDir()
};

/// Where `std/...` modules are found: $FLOW_STDLIB if set, else the `stdlib/`
/// directory next to the installed binary's tree, else the source tree's.
std::string DefaultStdlibDir();

/// Loads `entry_path` and its imports. Returns false if the entry file itself
/// cannot be read (E0012); parse and import errors are diagnosed and loading
/// goes on, so a program with errors still yields every module that parsed.
bool LoadProgram(const FileSystem& fs, const std::string& entry_path, const LoadOptions& options,
                 SourceManager& sources, diag::DiagnosticEmitter& diags, LoadedProgram* out);

/// Same, for source text that is already in memory (stdin, the LSP).
bool LoadProgramFromText(const FileSystem& fs, const std::string& path, std::string text,
                         const LoadOptions& options, SourceManager& sources,
                         diag::DiagnosticEmitter& diags, LoadedProgram* out);

}  // namespace flow::load

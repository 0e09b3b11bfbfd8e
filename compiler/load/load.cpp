#include "compiler/load/load.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <map>
#include <optional>

#include "compiler/diag/suggest.h"
#include "compiler/parse/parse.h"

namespace flow::load {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Where an import's module lives, or nullopt for an empty path.
std::optional<std::string> ResolveImport(const std::string& importer, const std::string& path,
                                         const LoadOptions& options) {
  if (path.empty()) return std::nullopt;
  if (StartsWith(path, "std/")) {
    std::string file = JoinPath(options.stdlib_dir, path);
    if (!EndsWith(file, ".flow")) file += ".flow";
    return file;
  }
  return JoinPath(DirName(importer), path);
}

/// The note for a missing module: a near std module or sibling file, if any.
std::optional<std::string> Suggestion(const FileSystem& fs, const std::string& path, const std::string& resolved,
                                      const LoadOptions& options) {
  bool is_std = StartsWith(path, "std/");
  std::string dir = is_std ? JoinPath(options.stdlib_dir, "std") : DirName(resolved);
  std::vector<std::string> candidates;
  for (const std::string& name : fs.List(dir)) {
    if (!EndsWith(name, ".flow")) continue;
    candidates.push_back(is_std ? name.substr(0, name.size() - 5) : name);
  }
  std::string wanted = is_std ? FileStem(resolved) : resolved.substr(resolved.rfind('/') + 1);
  std::optional<std::string> best = diag::Suggest(wanted, candidates);
  if (!best) return std::nullopt;
  if (is_std) return "std/" + *best;
  std::string prefix = path.substr(0, path.size() - std::min(path.size(), wanted.size()));
  if (!EndsWith(path, wanted)) prefix = path.substr(0, path.rfind('/') + 1);
  return prefix + *best;
}

class Loader {
 public:
  Loader(const FileSystem& fs, const LoadOptions& options, SourceManager& sources, diag::DiagnosticEmitter& diags,
         LoadedProgram* out)
      : fs_(fs), options_(options), sources_(sources), diags_(diags), out_(out) {}

  void Run(const std::string& path, std::string text) {
    Add(path, std::move(text), "");
    // Depth-first over imports with an explicit stack: `stack` holds the chain
    // of modules being loaded (for cycle reports) and the next import of each.
    struct Frame {
      int module;
      size_t next_import = 0;
    };
    std::vector<Frame> stack{{0}};
    on_stack_[0] = true;
    while (!stack.empty()) {
      Frame& frame = stack.back();
      LoadedModule& mod = out_->modules[frame.module];
      if (frame.next_import >= mod.module.imports.size()) {
        on_stack_[frame.module] = false;
        stack.pop_back();
        continue;
      }
      size_t i = frame.next_import++;
      size_t before = out_->modules.size();
      int child = Import(frame.module, i, stack);
      if (out_->modules.size() > before) {  // newly loaded: load its imports next
        on_stack_[child] = true;
        stack.push_back({child});
      }
    }
  }

 private:
  int Add(const std::string& path, std::string text, std::string name) {
    FileId file = sources_.Add(path, std::move(text));
    LoadedModule mod;
    mod.module = parse::ParseModule(sources_, file, diags_, out_->node_id_end);
    out_->node_id_end = mod.module.arena->end_id();
    mod.path = path;
    mod.name = std::move(name);
    mod.imports.assign(mod.module.imports.size(), -1);
    out_->modules.push_back(std::move(mod));
    int index = static_cast<int>(out_->modules.size() - 1);
    by_path_[path] = index;
    on_stack_.push_back(false);
    return index;
  }

  /// Resolves import `i` of module `importer`; returns the imported module's
  /// index (a new one is appended and parsed), or -1 after a diagnostic.
  template <typename Stack>
  int Import(int importer, size_t i, const Stack& stack) {
    const ast::ImportDecl* decl = out_->modules[importer].module.imports[i];
    if (decl->path.empty()) return -1;  // a syntax error already reported
    // Two imports of one module bound to the same name.
    for (size_t k = 0; k < i; ++k) {
      const ast::ImportDecl* earlier = out_->modules[importer].module.imports[k];
      if (!earlier->name.text.empty() && earlier->name.text == decl->name.text) {
        diags_.Build(decl->name.range, diag::Kind::DuplicateImport, decl->name.text)
            .Label(earlier->name.range, "first bound here")
            .Note(decl->has_alias ? "choose another name after `as`"
                                  : fmt::format("bind one of them to another name: `import \"{}\" as other`", decl->path))
            .Emit();
        return -1;
      }
    }
    std::optional<std::string> resolved = ResolveImport(out_->modules[importer].path, decl->path, options_);
    if (!resolved) return -1;
    auto found = by_path_.find(*resolved);
    if (found != by_path_.end()) {
      int index = found->second;
      if (on_stack_[index]) {
        std::string chain;
        bool in_cycle = false;
        for (const auto& frame : stack) {
          if (frame.module == index) in_cycle = true;
          if (in_cycle) chain += out_->modules[frame.module].path + " → ";
        }
        chain += out_->modules[index].path;
        diags_.Build(decl->path_range, diag::Kind::ImportCycle, chain)
            .Note("modules cannot import each other; move the shared declarations into a third module")
            .Emit();
        return -1;
      }
      out_->modules[importer].imports[i] = index;
      return index;
    }
    std::string error;
    std::optional<std::string> text = fs_.Read(*resolved, &error);
    if (!text) {
      auto builder = diags_.Build(decl->path_range, diag::Kind::UnknownModule, decl->path);
      if (StartsWith(decl->path, "std/"))
        builder.Note(fmt::format("looked for `{}`", *resolved));
      else
        builder.Note(fmt::format("looked for `{}` (relative to the importing file)", *resolved));
      if (auto suggestion = Suggestion(fs_, decl->path, *resolved, options_))
        builder.Note(diag::DidYouMean(*suggestion));
      builder.Emit();
      return -1;
    }
    int index = Add(*resolved, std::move(*text), std::string(decl->name.text));
    out_->modules[importer].imports[i] = index;
    return index;
  }

  const FileSystem& fs_;
  const LoadOptions& options_;
  SourceManager& sources_;
  diag::DiagnosticEmitter& diags_;
  LoadedProgram* out_;
  std::map<std::string, int> by_path_;
  std::vector<bool> on_stack_;
};

}  // namespace

std::string DefaultStdlibDir() {
  if (const char* env = std::getenv("FLOW_STDLIB"); env != nullptr && *env != '\0') return env;
  char buffer[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n > 0) {
    std::string dir = DirName(std::string(buffer, static_cast<size_t>(n)));
    // The binary sits somewhere under the tree (build-x/compiler/driver/flowc)
    // or an install prefix (bin/flowc next to share/…): walk up to `stdlib/std`.
    while (!dir.empty()) {
      if (IsDirectory(dir + "/stdlib/std")) return dir + "/stdlib";
      if (IsDirectory(dir + "/share/flow/stdlib/std")) return dir + "/share/flow/stdlib";
      if (dir == "/") break;
      dir = DirName(dir);
    }
  }
#ifdef FLOW_SOURCE_DIR
  return std::string(FLOW_SOURCE_DIR) + "/stdlib";
#else
  return "stdlib";
#endif
}

bool LoadProgram(const FileSystem& fs, const std::string& entry_path, const LoadOptions& options,
                 SourceManager& sources, diag::DiagnosticEmitter& diags, LoadedProgram* out) {
  std::string path = NormalizePath(entry_path);
  std::string error;
  std::optional<std::string> text = fs.Read(path, &error);
  if (!text) text = fs.Read(entry_path, &error);
  if (!text) {
    diags.Emit(SourceRange{}, diag::Kind::CannotReadFile, entry_path, error);
    return false;
  }
  return LoadProgramFromText(fs, path, std::move(*text), options, sources, diags, out);
}

bool LoadProgramFromText(const FileSystem& fs, const std::string& path, std::string text,
                         const LoadOptions& options, SourceManager& sources, diag::DiagnosticEmitter& diags,
                         LoadedProgram* out) {
  Loader loader(fs, options, sources, diags, out);
  loader.Run(NormalizePath(path), std::move(text));
  return true;
}

}  // namespace flow::load

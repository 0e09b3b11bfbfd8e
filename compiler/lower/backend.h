// Shared shape of the Kubernetes backends (Argo, Tekton): options and output.
// Backends read only the IR (link flow_ir), never the AST or the checker.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/diag/emitter.h"
#include "compiler/ir/ir.h"

namespace flow::lower {

struct BuildOptions {
  std::string target;         // "argo" or "tekton"
  std::string kind;           // argo: workflow|template|cron ("" = automatic); tekton: pipeline|run
  std::string default_image;  // --default-image; "" = tasks without `image` are an error (E0501)
  std::string helper_image;   // image of synthesized helper steps (documented default)
  std::string artifact_repo;  // argo: artifactRepositoryRef name ("" = the controller's default)
  std::string argo_version;   // "4" (default) or "3.7"
  bool cel_when = false;      // tekton: allow CEL `when` (not GA)
  bool pipelines_in_pipelines = false;  // tekton: sub-workflows as child Pipelines
  /// tekton: the cluster's matrix limit (`default-max-matrix-combinations-count`
  /// of the config-defaults ConfigMap), `--tekton-max-matrix`; 0 = Tekton's default 256.
  size_t tekton_max_matrix = 0;
  bool no_cache = false;      // argo: no memoization, every call runs (`--no-cache`)
  /// Run arguments from -p/-i, already parsed per declared type (ir/params.h).
  std::map<std::string, ir::Value> arguments;
};

/// One YAML file of the output (`-o DIR` writes each; `-o -` prints them all,
/// separated by `---`).
struct Document {
  std::string filename;  // e.g. "main.argo.yaml"
  std::string yaml;
};

}  // namespace flow::lower

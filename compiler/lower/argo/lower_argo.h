// The Argo Workflows backend's entry point (`flowc build --target argo`).
// docs/targets/argo.md describes the mapping from Flow constructs to Argo.
#pragma once

#include <vector>

#include "compiler/diag/emitter.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/backend.h"

namespace flow::lower::argo {

/// The image of synthesized helper steps when --helper-image is not given.
inline constexpr const char* kHelperImage = "alpine:3.20";

/// The ConfigMap memoized tasks (`cache = true`) keep their entries in.
inline constexpr const char* kCacheConfigMap = "flow-cache";

/// Lowers the entry workflow of `program` to one Argo document (a Workflow,
/// WorkflowTemplate or CronWorkflow) appended to `*out`. Reports what Argo cannot
/// express (E0502), tasks without an image (E0501), approximations (W0008) and
/// manifests over 1 MiB (W0009) through `diags`. Returns false on any error.
/// Deterministic: the same program and options give byte-identical YAML.
bool Lower(const ir::Program& program, const BuildOptions& options, diag::DiagnosticEmitter& diags,
           std::vector<Document>* out);

}  // namespace flow::lower::argo

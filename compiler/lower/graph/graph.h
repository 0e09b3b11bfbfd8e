// Drawings of a workflow's DAG: `flowc graph FILE --format dot|mermaid|svg`,
// and the runtime's HTML report (which colors nodes by status).
//
// Nodes: the workflow's inputs and outputs, calls (boxes labelled with the
// callee), value steps (`let`), scatters (a cluster holding a header node and
// the body), conditionals (a cluster holding a diamond and the branches), and
// the `finally` block (a cluster). Edges: data dependencies solid, `after`
// dependencies dashed.
#pragma once

#include <map>
#include <string>

#include "compiler/ir/ir.h"

namespace flow::graph {

struct GraphOptions {
  /// Workflow to draw (index into Program::workflows); -1: the entry workflow.
  int32_t workflow = -1;
  /// Step id → status; colors the node. Known statuses: pending, running,
  /// succeeded, failed, cached, skipped (others are drawn uncolored).
  std::map<std::string, std::string> status;
};

/// Graphviz DOT text.
std::string ToDot(const ir::Program& program, const GraphOptions& options);
/// A Mermaid `flowchart TD`.
std::string ToMermaid(const ir::Program& program, const GraphOptions& options);
/// SVG laid out by Graphviz's `dot` (through libgvc). False with `*error` if
/// Graphviz fails.
bool ToSvg(const ir::Program& program, const GraphOptions& options, std::string* svg, std::string* error);

/// The fill color for a status, or "" if the status is unknown.
std::string StatusColor(const std::string& status);

}  // namespace flow::graph

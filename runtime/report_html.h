// `flowc run --report FILE`: one self-contained HTML page (no external
// resources) with the DAG picture coloured by status, a timeline of every
// attempt, and a table of tasks (status, attempts, duration, CPU, memory,
// cache hit).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/run_db.h"
#include "runtime/workflow_engine.h"

namespace flow::runtime {

/// The status of each step id of `workflow` summed over its instances
/// in the graph renderer's vocabulary ("failed" wins over "running",
/// "cancelled", "skipped", "succeeded", "cached", "pending").
std::map<std::string, std::string> StepStatuses(const ir::Program& program, const std::vector<NodeInfo>& nodes,
                                                const std::vector<AttemptRecord>& attempts);

/// The page. `svg` is the DAG drawing (already coloured), or "" when none could be made.
std::string RenderReportHtml(const ir::Program& program, int32_t workflow, const RunRecord& run,
                             const std::vector<NodeInfo>& nodes, const std::vector<AttemptRecord>& attempts,
                             const std::string& svg);

/// Escapes text for HTML element content and attribute values.
std::string HtmlEscape(const std::string& text);

}  // namespace flow::runtime

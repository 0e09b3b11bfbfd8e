// The drawing-independent shape of a workflow graph, built once from the IR
// and rendered by graph_dot.cpp and graph_mermaid.cpp.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/lower/graph/graph.h"

namespace flow::graph {

enum class NodeShape { Input, Output, Call, Value, ScatterHeader, CondHeader };

struct GraphNode {
  std::string id;      // unique, drawing-safe ("n3")
  std::string label;   // shown text (may contain '\n')
  std::string step;    // step id, or "" for inputs/outputs
  NodeShape shape = NodeShape::Call;
  std::string status;  // from GraphOptions::status
  int cluster = -1;    // innermost cluster holding it
};

struct GraphCluster {
  std::string id;      // "cluster_3"
  std::string label;
  int parent = -1;
  std::string status;
};

struct GraphEdge {
  int from = -1;
  int to = -1;
  bool after = false;  // dashed: ordering only
  int from_cluster = -1;  // the edge leaves this cluster (a compound step's value)
  int to_cluster = -1;    // the edge enters this cluster (a compound step's inputs)
  std::string label;      // "then", "else", or ""
};

struct GraphModel {
  std::string title;
  std::vector<GraphNode> nodes;
  std::vector<GraphCluster> clusters;
  std::vector<GraphEdge> edges;
};

/// Builds the model of `options.workflow` (or the entry). Empty if there is none.
GraphModel BuildGraphModel(const ir::Program& program, const GraphOptions& options);

}  // namespace flow::graph

#include <fmt/format.h>

#include <set>

#include "compiler/lower/graph/graph.h"
#include "compiler/lower/graph/graph_model.h"

namespace flow::graph {

namespace {

// A Mermaid quoted label: quotes become entities, newlines line breaks.
std::string Label(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '\n': out += "<br/>"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string NodeText(const GraphNode& n) {
  std::string l = Label(n.label);
  switch (n.shape) {
    case NodeShape::Input:
    case NodeShape::Output: return n.id + "([" + l + "])";
    case NodeShape::Call: return n.id + "[" + l + "]";
    case NodeShape::Value: return n.id + "[[" + l + "]]";
    case NodeShape::ScatterHeader: return n.id + "[/" + l + "/]";
    case NodeShape::CondHeader: return n.id + "{" + l + "}";
  }
  return n.id + "[" + l + "]";
}

void WriteCluster(const GraphModel& m, int cluster, int indent, std::string* out) {
  std::string pad(indent * 2, ' ');
  for (const GraphNode& n : m.nodes) {
    if (n.cluster == cluster) *out += pad + NodeText(n) + "\n";
  }
  for (size_t c = 0; c < m.clusters.size(); ++c) {
    if (m.clusters[c].parent != cluster) continue;
    *out += fmt::format("{}subgraph {} [{}]\n", pad, m.clusters[c].id, Label(m.clusters[c].label));
    WriteCluster(m, static_cast<int>(c), indent + 1, out);
    *out += pad + "end\n";
  }
}

}  // namespace

std::string ToMermaid(const ir::Program& program, const GraphOptions& options) {
  GraphModel m = BuildGraphModel(program, options);
  std::string out = "flowchart TD\n";
  WriteCluster(m, -1, 1, &out);
  for (const GraphEdge& e : m.edges) {
    std::string arrow = e.after ? "-.->" : "-->";
    if (!e.label.empty()) arrow += "|" + Label(e.label) + "|";
    out += fmt::format("  {} {} {}\n", m.nodes[e.from].id, arrow, m.nodes[e.to].id);
  }
  std::set<std::string> used;
  for (const GraphNode& n : m.nodes) {
    if (!StatusColor(n.status).empty()) used.insert(n.status);
  }
  for (const std::string& status : used) {
    out += fmt::format("  classDef {} fill:{}\n", status, StatusColor(status));
  }
  for (const GraphNode& n : m.nodes) {
    if (used.count(n.status)) out += fmt::format("  class {} {}\n", n.id, n.status);
  }
  return out;
}

}  // namespace flow::graph

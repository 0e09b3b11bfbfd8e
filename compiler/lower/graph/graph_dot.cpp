#include <fmt/format.h>

#include "compiler/lower/graph/graph.h"
#include "compiler/lower/graph/graph_model.h"

namespace flow::graph {

namespace {

// A DOT double-quoted string; '\n' in labels becomes a centered line break.
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string NodeAttrs(const GraphNode& n) {
  std::string shape, style = "filled", fill = "#ffffff";
  switch (n.shape) {
    case NodeShape::Input:
      shape = "ellipse";
      fill = "#e3f2fd";
      break;
    case NodeShape::Output:
      shape = "ellipse\", peripheries=\"2";
      fill = "#e3f2fd";
      break;
    case NodeShape::Call:
      shape = "box";
      style = "rounded,filled";
      break;
    case NodeShape::Value:
      shape = "note";
      fill = "#f5f5f5";
      break;
    case NodeShape::ScatterHeader:
      shape = "parallelogram";
      fill = "#ede7f6";
      break;
    case NodeShape::CondHeader:
      shape = "diamond";
      fill = "#fff3e0";
      break;
  }
  std::string color = StatusColor(n.status);
  if (!color.empty()) fill = color;
  std::string attrs = fmt::format("label={}, shape=\"{}\", style=\"{}\", fillcolor=\"{}\"", Quote(n.label), shape,
                                  style, fill);
  if (!n.step.empty()) attrs += ", tooltip=" + Quote(n.step + (n.status.empty() ? "" : " (" + n.status + ")"));
  return attrs;
}

void WriteCluster(const GraphModel& m, int cluster, int indent, std::string* out) {
  std::string pad(indent * 2, ' ');
  for (size_t i = 0; i < m.nodes.size(); ++i) {
    if (m.nodes[i].cluster != cluster) continue;
    *out += fmt::format("{}{} [{}];\n", pad, m.nodes[i].id, NodeAttrs(m.nodes[i]));
  }
  for (size_t c = 0; c < m.clusters.size(); ++c) {
    if (m.clusters[c].parent != cluster) continue;
    const GraphCluster& cl = m.clusters[c];
    *out += fmt::format("{}subgraph {} {{\n", pad, cl.id);
    std::string color = StatusColor(cl.status);
    *out += fmt::format("{}  label={}; style=\"rounded{}\"; color=\"#9e9e9e\";{}\n", pad, Quote(cl.label),
                        color.empty() ? "" : ",filled", color.empty() ? "" : " fillcolor=\"" + color + "\";");
    WriteCluster(m, static_cast<int>(c), indent + 1, out);
    *out += pad + "}\n";
  }
}

}  // namespace

std::string ToDot(const ir::Program& program, const GraphOptions& options) {
  GraphModel m = BuildGraphModel(program, options);
  std::string out = fmt::format("digraph {} {{\n", Quote(m.title.empty() ? "flow" : m.title));
  out += "  graph [rankdir=TB, compound=true, fontname=\"Helvetica\", fontsize=11];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=11];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  WriteCluster(m, -1, 1, &out);
  for (const GraphEdge& e : m.edges) {
    std::string attrs;
    auto add = [&](const std::string& a) { attrs += (attrs.empty() ? "" : ", ") + a; };
    if (e.after) add("style=dashed");
    if (!e.label.empty()) add("label=" + Quote(e.label));
    if (e.from_cluster >= 0) add("ltail=" + m.clusters[e.from_cluster].id);
    if (e.to_cluster >= 0) add("lhead=" + m.clusters[e.to_cluster].id);
    out += fmt::format("  {} -> {}{};\n", m.nodes[e.from].id, m.nodes[e.to].id, attrs.empty() ? "" : " [" + attrs + "]");
  }
  out += "}\n";
  return out;
}

}  // namespace flow::graph

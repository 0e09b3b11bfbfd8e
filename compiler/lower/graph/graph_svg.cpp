#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>
#include <string>

#include "compiler/lower/graph/graph.h"

namespace flow::graph {

namespace {

// Graphviz reports problems through a process-wide callback; collect them
// instead of letting them reach stderr.
std::mutex g_graphviz_mutex;
std::string* g_graphviz_errors = nullptr;

int CollectGraphvizError(char* message) {
  if (g_graphviz_errors && message) *g_graphviz_errors += message;
  return 0;
}

}  // namespace

bool ToSvg(const ir::Program& program, const GraphOptions& options, std::string* svg, std::string* error) {
  std::string dot = ToDot(program, options);
  std::lock_guard<std::mutex> lock(g_graphviz_mutex);
  std::string messages;
  g_graphviz_errors = &messages;
  agseterrf(CollectGraphvizError);
  agseterr(AGERR);
  bool ok = false;
  GVC_t* gvc = gvContext();
  if (!gvc) {
    *error = "cannot start Graphviz";
  } else {
    Agraph_t* graph = agmemread(dot.c_str());
    if (!graph) {
      *error = "Graphviz could not read the graph: " + messages;
    } else {
      if (gvLayout(gvc, graph, "dot") != 0) {
        *error = "Graphviz layout failed: " + messages;
      } else {
        char* data = nullptr;
        unsigned int length = 0;
        if (gvRenderData(gvc, graph, "svg", &data, &length) == 0 && data) {
          svg->assign(data, length);
          ok = true;
        } else {
          *error = "Graphviz could not render SVG (is the Graphviz core plugin installed?) " + messages;
        }
        if (data) gvFreeRenderData(data);
        gvFreeLayout(gvc, graph);
      }
      agclose(graph);
    }
    gvFreeContext(gvc);
  }
  agseterrf(nullptr);
  g_graphviz_errors = nullptr;
  return ok;
}

}  // namespace flow::graph

#include "runtime/report_html.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/progress.h"

namespace flow::runtime {

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

int Rank(const std::string& status) {
  if (status == "failed" || status == "timeout") return 6;
  if (status == "running") return 5;
  if (status == "cancelled") return 4;
  if (status == "skipped") return 3;
  if (status == "done" || status == "succeeded") return 2;
  if (status == "cached") return 1;
  return 0;  // pending
}

const char* Color(const std::string& status) {
  if (status == "failed" || status == "timeout") return "#e5534b";
  if (status == "running") return "#f0b72f";
  if (status == "cancelled") return "#a371f7";
  if (status == "skipped") return "#adbac7";
  if (status == "cached") return "#6cb6ff";
  if (status == "done" || status == "succeeded") return "#57ab5a";
  return "#d0d7de";
}

struct TaskRow {
  std::string path, task, status;
  int attempts = 0;
  int64_t start = 0, end = 0, cpu_ms = 0, rss_kb = 0;
  bool cache_hit = false;
};

}  // namespace

std::map<std::string, std::string> StepStatuses(const ir::Program& program, const std::vector<NodeInfo>& nodes,
                                                const std::vector<AttemptRecord>& attempts) {
  std::map<std::string, bool> cached;
  for (const AttemptRecord& a : attempts)
    if (a.cache_hit) cached[a.path] = true;
  std::map<std::string, std::string> out;
  for (const NodeInfo& n : nodes) {
    std::string status = NodeStateName(n.state);
    // The graph renderer's vocabulary (compiler/lower/graph/graph.h).
    if (n.state == NodeState::Done) status = "succeeded";
    if (n.state == NodeState::Waiting) status = "pending";
    if (n.state == NodeState::Done && n.tolerated) status = "failed";
    if (n.state == NodeState::Done && cached.count(n.path)) status = "cached";
    std::string id = program.step(n.step).id;
    auto it = out.find(id);
    if (it == out.end() || Rank(status) > Rank(it->second)) out[id] = status;
  }
  return out;
}

std::string RenderReportHtml(const ir::Program& program, int32_t workflow, const RunRecord& run,
                             const std::vector<NodeInfo>& nodes, const std::vector<AttemptRecord>& attempts,
                             const std::string& svg) {
  (void)nodes;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += "<title>flow run " + HtmlEscape(run.id) + "</title>\n";
  h += R"css(<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d0d7de}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
#dag svg{max-width:100%;height:auto}
.lane{position:relative;height:18px;margin:2px 0;background:#f6f8fa}
.bar{position:absolute;top:2px;height:14px;border-radius:3px;min-width:2px}
.lane span.label{position:absolute;left:4px;font-size:11px;line-height:18px;white-space:nowrap;z-index:1}
.legend span{margin-right:12px}
</style></head><body>
)css";
  const ir::Workflow& wf = program.workflows[workflow];
  h += fmt::format("<h1>Run <code>{}</code> of <code>{}</code> <span class=\"badge\" style=\"background:{}\">{}</span></h1>\n",
                   HtmlEscape(run.id), HtmlEscape(wf.qualified_name), Color(run.status == "succeeded" ? "done" : run.status),
                   HtmlEscape(run.status));
  h += fmt::format("<p>File <code>{}</code> · started {} · took {} · exit code {}</p>\n", HtmlEscape(run.file),
                   run.started_ms, FormatElapsed(run.ended_ms - run.started_ms), run.exit_code);
  h += "<p class=\"legend\">";
  for (const char* s : {"done", "cached", "failed", "skipped", "cancelled", "running"})
    h += fmt::format("<span><span class=\"badge\" style=\"background:{}\">{}</span></span>", Color(s), s);
  h += "</p>\n";

  // The DAG.
  h += "<h2>Graph</h2>\n<div id=\"dag\">\n";
  if (!svg.empty()) {
    size_t start = svg.find("<svg");  // drop the XML prolog and doctype
    h += start == std::string::npos ? svg : svg.substr(start);
  } else {
    h += "<p>(no graph)</p>";
  }
  h += "\n</div>\n";

  // Tasks: one row per step path, from its attempts.
  std::map<std::string, TaskRow> rows;
  std::vector<std::string> order;
  for (const AttemptRecord& a : attempts) {
    auto [it, inserted] = rows.try_emplace(a.path);
    TaskRow& r = it->second;
    if (inserted) {
      order.push_back(a.path);
      r.path = a.path;
      r.task = a.task;
      r.start = a.started_ms;
    }
    if (!a.cache_hit) ++r.attempts;
    r.status = a.status;
    r.end = std::max(r.end, a.ended_ms);
    r.cpu_ms += a.cpu_ms;
    r.rss_kb = std::max(r.rss_kb, a.max_rss_kb);
    r.cache_hit = r.cache_hit || a.cache_hit;
  }

  // Timeline of attempts.
  int64_t t0 = run.started_ms, t1 = std::max(run.ended_ms, run.started_ms + 1);
  for (const AttemptRecord& a : attempts) {
    if (a.started_ms > 0) t0 = std::min(t0, a.started_ms);
    t1 = std::max(t1, a.ended_ms);
  }
  double span = static_cast<double>(std::max<int64_t>(t1 - t0, 1));
  h += fmt::format("<h2>Timeline</h2>\n<div id=\"timeline\" data-span-ms=\"{}\">\n", t1 - t0);
  for (const AttemptRecord& a : attempts) {
    int64_t end = a.ended_ms > 0 ? a.ended_ms : t1;
    double left = 100.0 * static_cast<double>(a.started_ms - t0) / span;
    double width = 100.0 * static_cast<double>(end - a.started_ms) / span;
    std::string label = a.path + (a.cache_hit ? " (cached)" : fmt::format(" #{}", a.attempt));
    h += fmt::format(
        "<div class=\"lane\" title=\"{} {} {}\"><span class=\"label\">{}</span><div class=\"bar attempt\" "
        "style=\"left:{:.3f}%;width:{:.3f}%;background:{}\"></div></div>\n",
        HtmlEscape(a.path), HtmlEscape(a.status), FormatElapsed(end - a.started_ms), HtmlEscape(label), left, width,
        Color(a.status == "succeeded" ? "done" : a.status));
  }
  h += "</div>\n";

  h += "<h2>Tasks</h2>\n<table id=\"tasks\"><thead><tr><th>step</th><th>task</th><th>status</th><th>attempts</th>"
       "<th>duration</th><th>CPU</th><th>max RSS</th><th>cache</th></tr></thead><tbody>\n";
  for (const std::string& path : order) {
    const TaskRow& r = rows[path];
    std::string status = r.status == "succeeded" ? "done" : r.status;
    h += fmt::format(
        "<tr class=\"task\" data-status=\"{}\"><td><code>{}</code></td><td>{}</td><td><span class=\"badge\" "
        "style=\"background:{}\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{:.1f} MiB</td><td>{}</td></tr>\n",
        HtmlEscape(status), HtmlEscape(r.path), HtmlEscape(r.task), Color(status), HtmlEscape(status), r.attempts,
        FormatElapsed(r.end - r.start), FormatElapsed(r.cpu_ms), static_cast<double>(r.rss_kb) / 1024.0,
        r.cache_hit ? "hit" : "");
  }
  h += "</tbody></table>\n</body></html>\n";
  return h;
}

}  // namespace flow::runtime

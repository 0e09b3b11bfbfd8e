// The HTML report: self-contained, escaped, with the DAG, timeline and table.
#include "runtime/report_html.h"

#include <gtest/gtest.h>

#include "runtime/test_program.h"

namespace flow::runtime {
namespace {

TEST(ReportHtmlTest, HasDagTimelineAndTable) {
  testing::ProgramBuilder b;
  int32_t t = b.Task("t<x>", {}, types::TypeStore::Int(), {std::string("x")});
  ir::StepId s = b.Call("call-t", t, {});
  int32_t wf = b.Workflow("main", {}, {s}, {}, {});
  RunRecord run{"r1", "a&b.flow", "", "failed", 1000, 3000, 1, 1, ""};
  std::vector<NodeInfo> nodes = {NodeInfo{s, wf, "call-t", NodeState::Failed, false, "boom"}};
  AttemptRecord a;
  a.path = "call-t";
  a.task = "t<x>";
  a.attempt = 1;
  a.status = "failed";
  a.started_ms = 1000;
  a.ended_ms = 2000;
  a.max_rss_kb = 2048;
  std::string html = RenderReportHtml(b.program(), wf, run, nodes, {a}, "<?xml version=\"1.0\"?>\n<svg><g/></svg>");
  EXPECT_NE(html.find("<div id=\"dag\">\n<svg><g/></svg>"), std::string::npos);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_NE(html.find("a&amp;b.flow"), std::string::npos);
  EXPECT_NE(html.find("t&lt;x&gt;"), std::string::npos);
  EXPECT_NE(html.find("class=\"bar attempt\" style=\"left:0.000%;width:50.000%"), std::string::npos) << html;
  EXPECT_NE(html.find("<tr class=\"task\" data-status=\"failed\">"), std::string::npos);
  EXPECT_NE(html.find("2.0 MiB"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // nothing external
  std::map<std::string, std::string> statuses = StepStatuses(b.program(), nodes, {a});
  EXPECT_EQ(statuses["call-t"], "failed");
}

TEST(ReportHtmlTest, Escapes) { EXPECT_EQ(HtmlEscape("<a href='x'>&\""), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"); }

}  // namespace
}  // namespace flow::runtime

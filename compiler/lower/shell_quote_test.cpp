// Contextual escaping, verified by running the rendered scripts under the real
// /bin/sh: hostile values must reach the program as literal text.
#include "compiler/lower/shell_quote.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

namespace flow::lower {
namespace {

// Builds a template from alternating pieces: "{{}}" marks an interpolation of
// expression N (in order of appearance), "{{raw}}" a raw one.
ir::Template Tmpl(const std::vector<std::string>& pieces) {
  ir::Template t;
  int32_t next = 0;
  for (const std::string& p : pieces) {
    ir::TemplatePart part;
    if (p == "{{}}" || p == "{{raw}}") {
      part.expr = ir::ExprId{next++};
      part.raw = p == "{{raw}}";
    } else {
      part.text = p;
    }
    t.parts.push_back(part);
  }
  return t;
}

ScriptValue S(std::string text) { return ScriptValue{false, {std::move(text)}}; }
ScriptValue L(std::vector<std::string> texts) { return ScriptValue{true, std::move(texts)}; }

// Runs `script` with /bin/sh -eu and returns its stdout; `*status` gets the exit status.
std::string RunSh(const std::string& script, int* status = nullptr) {
  char path[] = "/tmp/flow_shell_quote_XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << script;
  std::string cmd = std::string("cd /tmp && /bin/sh -eu ") + path + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int rc = pclose(pipe);
  if (status) *status = rc;
  unlink(path);
  return out;
}

std::string Render(const std::vector<std::string>& pieces, const std::vector<ScriptValue>& values) {
  std::string out, error;
  EXPECT_TRUE(RenderLocalScript(Tmpl(pieces), values, &out, &error)) << error;
  return out;
}

const std::vector<std::string> kHostile = {
    "plain",
    "two words",
    "$(touch /tmp/flow_pwned_1)",
    "`touch /tmp/flow_pwned_2`",
    "a; touch /tmp/flow_pwned_3",
    "it's \"quoted\"",
    "*",
    "{{x}} and \\{{y}}",
    "line1\nline2",
    "$HOME ${HOME} $((1+1))",
    "back\\slash\\",
    "",
    "-n",
    "EOF",
    "tab\there",
};

TEST(ShellQuoteTest, PlainWords) {
  EXPECT_TRUE(IsPlainShellWord("abc-1.2_x/y:z=w,v@%+"));
  EXPECT_FALSE(IsPlainShellWord(""));
  EXPECT_FALSE(IsPlainShellWord("a b"));
  EXPECT_FALSE(IsPlainShellWord("a*"));
  EXPECT_EQ(QuoteShellWord("42"), "42");
  EXPECT_EQ(QuoteShellWord("it's"), "'it'\\''s'");
  EXPECT_EQ(QuoteShellWord(""), "''");
}

TEST(ShellQuoteTest, AnalyzeFindsContexts) {
  ir::Template t = Tmpl({"echo ", "{{}}", " \"a ", "{{}}", "\" 'b ", "{{}}", "' $(echo ", "{{}}",
                         ") \"$(echo ", "{{}}", ")\" # c ", "{{}}", "\ncat <<EOF\n", "{{}}",
                         "\nEOF\ncat <<-'X'\n\t", "{{}}", "\n\tX\necho ${A:-", "{{}}", "} $'", "{{}}",
                         "'\n"});
  std::vector<InterpolationSite> sites = AnalyzeScript(t);
  std::vector<ShellContext> want = {
      ShellContext::Bare,    ShellContext::DoubleQuoted, ShellContext::SingleQuoted,
      ShellContext::Bare,    ShellContext::Bare,         ShellContext::Comment,
      ShellContext::Heredoc, ShellContext::QuotedHeredoc, ShellContext::Bare,
      ShellContext::AnsiQuoted};
  ASSERT_EQ(sites.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ(sites[i].context, want[i]) << i << ": " << ShellContextName(sites[i].context);
  EXPECT_EQ(sites[6].heredoc_delimiter, "EOF");
  EXPECT_TRUE(sites[6].at_line_start);
  EXPECT_EQ(sites[7].heredoc_delimiter, "X");
  EXPECT_TRUE(sites[7].heredoc_strip_tabs);
}

TEST(ShellQuoteTest, HashInsideWordIsNotComment) {
  auto sites = AnalyzeScript(Tmpl({"echo a#", "{{}}", " ${#X} ", "{{}}"}));
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].context, ShellContext::Bare);
  EXPECT_EQ(sites[1].context, ShellContext::Bare);
}

TEST(ShellQuoteTest, BareScalarIsOneLiteralWord) {
  for (const std::string& v : kHostile) {
    std::string out = RunSh(Render({"printf '[%s]\\n' ", "{{}}", "\n"}, {S(v)}));
    EXPECT_EQ(out, "[" + v + "]\n") << v;
  }
  EXPECT_NE(access("/tmp/flow_pwned_1", F_OK), 0);
  EXPECT_NE(access("/tmp/flow_pwned_2", F_OK), 0);
  EXPECT_NE(access("/tmp/flow_pwned_3", F_OK), 0);
}

TEST(ShellQuoteTest, BareNumberWorksInArithmetic) {
  EXPECT_EQ(Render({"echo $(( ", "{{}}", " + 1 ))"}, {S("41")}), "echo $(( 41 + 1 ))");
  EXPECT_EQ(RunSh(Render({"echo $(( ", "{{}}", " + 1 ))\n"}, {S("41")})), "42\n");
}

TEST(ShellQuoteTest, BareListIsOneWordPerElement) {
  std::string out = RunSh(Render({"printf '[%s]\\n' ", "{{}}", "\n"}, {L(kHostile)}));
  std::string want;
  for (const std::string& v : kHostile) want += "[" + v + "]\n";
  EXPECT_EQ(out, want);
  EXPECT_EQ(RunSh(Render({"set -- ", "{{}}", "\necho $#\n"}, {L({})})), "0\n");
}

TEST(ShellQuoteTest, DoubleQuotedIsLiteralText) {
  for (const std::string& v : kHostile) {
    std::string out = RunSh(Render({"printf '[%s]\\n' \"<", "{{}}", ">\"\n"}, {S(v)}));
    EXPECT_EQ(out, "[<" + v + ">]\n") << v;
  }
  EXPECT_EQ(RunSh(Render({"echo \"", "{{}}", "\"\n"}, {L({"a", "b  c"})})), "a b  c\n");
}

TEST(ShellQuoteTest, SingleAndAnsiQuotedAreLiteralText) {
  for (const std::string& v : kHostile) {
    std::string out = RunSh(Render({"printf '[%s]\\n' '<", "{{}}", ">'\n"}, {S(v)}));
    EXPECT_EQ(out, "[<" + v + ">]\n") << v;
  }
  std::string ansi = Render({"echo $'a", "{{}}", "b'"}, {S("it's \\n")});
  EXPECT_EQ(ansi, "echo $'ait\\'s \\\\nb'");
}

TEST(ShellQuoteTest, HeredocBodyIsLiteralText) {
  for (const std::string& v : kHostile) {
    std::string out = RunSh(Render({"cat <<EOF\n<", "{{}}", ">\n", "{{}}", "\nEOF\n"}, {S(v), S(v)}));
    EXPECT_EQ(out, "<" + v + ">\n" + v + "\n") << v;
  }
  // A value that tries to close the here-document early.
  std::string evil = "x\nEOF\ntouch /tmp/flow_pwned_4\ncat <<EOF";
  std::string out = RunSh(Render({"cat <<EOF\n", "{{}}", "\nEOF\n"}, {S(evil)}));
  EXPECT_EQ(out, evil + "\n");
  EXPECT_NE(access("/tmp/flow_pwned_4", F_OK), 0);
  // <<- strips leading tabs of the script's lines, never of the value's.
  out = RunSh(Render({"cat <<-EOF\n\t", "{{}}", "\n\tEOF\n"}, {S("\tindented\n\tEOF")}));
  EXPECT_EQ(out, "\tindented\n\tEOF\n");
}

TEST(ShellQuoteTest, QuotedHeredocKeepsTextOrRefuses) {
  std::string out = RunSh(Render({"cat <<'EOF'\n", "{{}}", "\nEOF\n"}, {S("$(x) `y` \\z")}));
  EXPECT_EQ(out, "$(x) `y` \\z\n");
  std::string rendered, error;
  EXPECT_FALSE(RenderLocalScript(Tmpl({"cat <<'EOF'\n", "{{}}", "\nEOF\n"}), {S("a\nEOF\nrm x")},
                                 &rendered, &error));
  EXPECT_NE(error.find("delimiter"), std::string::npos);
}

TEST(ShellQuoteTest, CommentCannotEndEarly) {
  std::string out = RunSh(Render({"# note: ", "{{}}", "\necho ok\n"}, {S("x\necho pwned")}));
  EXPECT_EQ(out, "ok\n");
}

TEST(ShellQuoteTest, RawIsPastedAsIs) {
  EXPECT_EQ(RunSh(Render({"echo ", "{{raw}}", "\n"}, {S("a; echo b")})), "a\nb\n");
}

TEST(ShellQuoteTest, ArgvKeepsTextVerbatim) {
  ir::ArgvElement plain;
  plain.tmpl = Tmpl({"--name=", "{{}}"});
  ir::ArgvElement splice;
  splice.tmpl = Tmpl({"{{}}"});
  splice.splice = true;
  std::vector<std::string> argv;
  RenderLocalArgv(plain, {S("a b; $(c)")}, &argv);
  RenderLocalArgv(splice, {L({"x y", "*"})}, &argv);
  EXPECT_EQ(argv, (std::vector<std::string>{"--name=a b; $(c)", "x y", "*"}));
}

// Cluster mode: the script references variables; run it with the variables set
// the way a backend would.
class ClusterTest : public ::testing::Test {
 protected:
  ir::ExprId AddExpr(types::TypeId type) {
    ir::Expr e;
    e.kind = ir::ExprKind::Input;
    e.type = type;
    program_.exprs.push_back(e);
    return ir::ExprId{static_cast<int32_t>(program_.exprs.size() - 1)};
  }
  ir::Program program_;
};

TEST_F(ClusterTest, ReferencesVariablesPerContext) {
  ir::ExprId s = AddExpr(types::TypeStore::String());
  ir::ExprId n = AddExpr(types::TypeStore::Int());
  ir::ExprId xs = AddExpr(program_.types.List(types::TypeStore::String()));
  ir::Template t;
  auto text = [&](std::string x) { t.parts.push_back({std::move(x), {}, false, {}}); };
  auto val = [&](ir::ExprId e) { t.parts.push_back({"", e, false, {}}); };
  text("printf '[%s]\\n' ");
  val(s);
  text(" \"<");
  val(s);
  text(">\" '<");
  val(s);
  text(">' ");
  val(xs);
  text("\necho $(( ");
  val(n);
  text(" + 1 ))\ncat <<EOF\n");
  val(s);
  text("\nEOF\n");
  ClusterScript cs;
  std::string error;
  ASSERT_TRUE(RenderClusterScript(program_, t, "FLOW_V", &cs, &error)) << error;
  ASSERT_EQ(cs.bindings.size(), 3u);
  EXPECT_EQ(cs.bindings[0].name, "FLOW_V1");
  EXPECT_EQ(cs.bindings[1].encoding, Encoding::JsonList);
  EXPECT_EQ(cs.script.find("touch"), std::string::npos);
  std::string v = "a'b \"$(touch /tmp/flow_pwned_5)\" *";
  setenv("FLOW_V1", v.c_str(), 1);
  setenv("FLOW_V2", R"(["x y", "it's", "\"q\"\\", "tab\tnl\n", "\u0041", "*"])", 1);
  setenv("FLOW_V3", "41", 1);
  std::string out = RunSh(cs.script);
  EXPECT_EQ(out, "[" + v + "]\n[<" + v + ">]\n[<" + v + ">]\n[x y]\n[it's]\n[\"q\"\\]\n[tab\tnl\n]\n[A]\n[*]\n42\n" +
                     v + "\n");
  EXPECT_NE(access("/tmp/flow_pwned_5", F_OK), 0);
  unsetenv("FLOW_V1");
  unsetenv("FLOW_V2");
  unsetenv("FLOW_V3");
}

TEST_F(ClusterTest, EmptyListAndRefusals) {
  ir::ExprId xs = AddExpr(program_.types.List(types::TypeStore::String()));
  ir::ExprId ys = AddExpr(program_.types.List(types::TypeStore::String()));
  ir::Template one;
  one.parts = {{"set -- ", {}, false, {}}, {"", xs, false, {}}, {"\necho $#\n", {}, false, {}}};
  ClusterScript cs;
  std::string error;
  ASSERT_TRUE(RenderClusterScript(program_, one, "V", &cs, &error));
  setenv("V1", "[]", 1);
  EXPECT_EQ(RunSh(cs.script), "0\n");  // "$@" of an empty list is no word at all
  unsetenv("V1");

  ir::Template two;
  two.parts = {{"echo ", {}, false, {}}, {"", xs, false, {}}, {" ", {}, false, {}}, {"", ys, false, {}}};
  EXPECT_FALSE(RenderClusterScript(program_, two, "V", &cs, &error));
  ir::Template quoted;
  quoted.parts = {{"cat <<'E'\n", {}, false, {}}, {"", xs, false, {}}, {"\nE\n", {}, false, {}}};
  EXPECT_FALSE(RenderClusterScript(program_, quoted, "V", &cs, &error));
  EXPECT_NE(error.find("quoted here-document"), std::string::npos);
}

}  // namespace
}  // namespace flow::lower

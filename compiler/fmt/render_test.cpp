// The layout engine on hand-made docs: group decisions, choices, comments
// and blank lines, comment alignment.
#include "compiler/fmt/render.h"

#include <gtest/gtest.h>

namespace flow::format {
namespace {

/// `(a, b, c)` as a group that breaks one item per line with a trailing comma.
DocId Call(DocStore& d, std::vector<std::string> items) {
  std::vector<DocId> inner{d.SoftLine()};
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      inner.push_back(d.Text(","));
      inner.push_back(d.Line());
    }
    inner.push_back(d.Text(items[i]));
  }
  inner.push_back(d.IfBreak(d.Text(","), d.Empty()));
  return d.Group(d.Concat({d.Text("f("), d.Nest(2, d.Concat(inner)), d.SoftLine(), d.Text(")")}));
}

TEST(Render, GroupStaysFlatWhenItFits) {
  DocStore d;
  EXPECT_EQ(Render(d, Call(d, {"a", "b"}), 20, 2), "f(a, b)\n");
}

TEST(Render, GroupBreaksOneItemPerLine) {
  DocStore d;
  EXPECT_EQ(Render(d, Call(d, {"alpha", "beta", "gamma"}), 12, 2), "f(\n  alpha,\n  beta,\n  gamma,\n)\n");
}

TEST(Render, TextAfterTheGroupCountsTowardsTheWidth) {
  DocStore d;
  DocId doc = d.Concat({Call(d, {"a", "b"}), d.Text(" + something_long")});
  EXPECT_EQ(Render(d, doc, 20, 2), "f(\n  a,\n  b,\n) + something_long\n");
}

TEST(Render, HardLineBreaksEnclosingGroups) {
  DocStore d;
  DocId doc = d.Group(d.Concat({d.Text("{"), d.Nest(2, d.Concat({d.Line(), d.Text("x"), d.HardLine(), d.Text("y")})),
                                d.Line(), d.Text("}")}));
  EXPECT_EQ(Render(d, doc, 80, 2), "{\n  x\n  y\n}\n");
}

TEST(Render, ChoiceTakesTheFirstAlternativeWhoseFirstLineFits) {
  DocStore d;
  DocId flat = d.Text("f(aaaa, [1, 2, 3])");
  DocId hug = d.Concat({d.Text("f(aaaa, ["), d.Nest(2, d.Concat({d.HardLine(), d.Text("1, 2, 3")})), d.HardLine(),
                        d.Text("])")});
  DocId broken = d.Text("BROKEN");
  EXPECT_EQ(Render(d, d.Choice({flat, hug, broken}), 40, 2), "f(aaaa, [1, 2, 3])\n");
  EXPECT_EQ(Render(d, d.Choice({flat, hug, broken}), 12, 2), "f(aaaa, [\n  1, 2, 3\n])\n");
  EXPECT_EQ(Render(d, d.Choice({flat, hug, broken}), 5, 2), "BROKEN\n");
}

TEST(Render, TrailingCommentStaysOnItsLineAndContinuationIsIndented) {
  DocStore d;
  DocId doc = d.Concat({d.Text("x ="), d.Comment("# why", true), d.Text(" "), d.Text("1")});
  EXPECT_EQ(Render(d, doc, 80, 4), "x =  # why\n    1\n");
}

TEST(Render, TrailingCommentGoesBeforeAPendingLineBreak) {
  DocStore d;
  DocId doc = d.Concat({d.Text("a"), d.HardLine(), d.Comment("# about a", true), d.Text("b")});
  EXPECT_EQ(Render(d, doc, 80, 2), "a  # about a\nb\n");
}

TEST(Render, TwoTrailingCommentsNeverShareALine) {
  DocStore d;
  DocId doc = d.Concat({d.Text("a"), d.Comment("# one", true), d.Comment("# two", true), d.Text("b")});
  EXPECT_EQ(Render(d, doc, 80, 2), "a  # one\n# two\nb\n");
}

TEST(Render, LeadingCommentStartsItsOwnLine) {
  DocStore d;
  DocId doc = d.Concat({d.Text("a"), d.Comment("# before b", false), d.Text("b")});
  EXPECT_EQ(Render(d, doc, 80, 2), "a\n# before b\nb\n");
}

TEST(Render, BlankLinesCollapseAndNeverFollowAnOpeningBracket) {
  DocStore d;
  DocId doc = d.Concat({d.Text("{"), d.Nest(2, d.Concat({d.HardLine(), d.BlankLine(), d.Text("a"), d.HardLine(),
                                                          d.BlankLine(), d.BlankLine(), d.Text("b")})),
                        d.HardLine(), d.Text("}")});
  EXPECT_EQ(Render(d, doc, 80, 2), "{\n  a\n\n  b\n}\n");
}

TEST(Render, NoTrailingSpacesAndOneFinalNewline) {
  DocStore d;
  DocId doc = d.Concat({d.BlankLine(), d.Text("a   "), d.HardLine(), d.Text("   "), d.HardLine()});
  EXPECT_EQ(Render(d, doc, 80, 2), "a\n");
  EXPECT_EQ(Render(d, d.Empty(), 80, 2), "");
}

TEST(Render, AlignCommentsLinesUpTrailingCommentsOfTheRegion) {
  DocStore d;
  DocId region = d.AlignComments(d.Concat({d.Text("a = 1"), d.Comment("# one", true), d.HardLine(),
                                           d.Text("long = 22"), d.Comment("# two", true), d.HardLine(),
                                           d.Text("b = 3")}));
  DocId doc = d.Concat({d.Text("x"), d.Comment("# before", true), d.HardLine(), region});
  EXPECT_EQ(Render(d, doc, 80, 2), "x  # before\na = 1      # one\nlong = 22  # two\nb = 3\n");
}

TEST(Render, MultiLineTextIsWrittenAsIs) {
  DocStore d;
  DocId doc = d.Nest(4, d.Concat({d.Text("s = \"\"\"\n  raw\n\"\"\""), d.HardLine(), d.Text("next")}));
  EXPECT_EQ(Render(d, doc, 80, 2), "s = \"\"\"\n  raw\n\"\"\"\n    next\n");
}

}  // namespace
}  // namespace flow::format

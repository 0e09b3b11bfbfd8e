#include "compiler/parse/parse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compiler/parse/parse_test_util.h"

namespace flow::parse {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::DumpConst;
using testing::ParseText;

TEST(ParseTest, Declarations) {
  auto parsed = ParseText(R"(import "std/files" as files
import "./lib/train.flow"
## Metrics of a run.
struct Metrics { accuracy: Float, loss: Float = 0.5 }
enum Split { train, test, }
const IMAGE: String = "python:3.12-slim"
)");
  EXPECT_THAT(parsed.diags, IsEmpty());
  EXPECT_EQ(parsed.dump, R"((ImportDecl files "std/files" alias)
(ImportDecl train "./lib/train.flow")
(StructDecl Metrics
  (Doc "Metrics of a run.")
  (Field accuracy
    (NamedType Float))
  (Field loss
    (NamedType Float)
    (FloatLit 0.5)))
(EnumDecl Split
  (Member train)
  (Member test))
(ConstDecl IMAGE
  (NamedType String)
  (StringLit "python:3.12-slim"))
)");
}

// Names are views: into the file's text when spelled there, else into the
// module's arena (an import's stem, computed from the path).
TEST(ParseTest, NamesViewTheSourceText) {
  SourceManager sources;
  FileId file = sources.Add("test.flow", "import \"lib/train.flow\"\nconst answer_to_everything = 42\n");
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  ast::Module module = ParseModule(sources, file, emitter);
  ASSERT_THAT(consumer.diagnostics(), IsEmpty());
  ASSERT_EQ(module.decls.size(), 1u);
  std::string_view text = sources.Text(file);
  const ast::Ident& name = module.decls[0]->name;
  EXPECT_EQ(name.text, "answer_to_everything");
  EXPECT_EQ(name.text.data(), text.data() + name.range.begin);
  ASSERT_EQ(module.imports.size(), 1u);
  EXPECT_EQ(module.imports[0]->name.text, "train");  // saved in the arena: the path is decoded text
}

TEST(ParseTest, TaskWithFieldsAndOutputs) {
  auto parsed = ParseText(R"(task greet(
    ## Who to greet.
    name: String,
    times: Int = 1,
) -> (out: File, n: Int?) {
  let x = times
  image = "alpine"
  script = """
    echo {{name}} > {{out.out}}
  """
}
)");
  EXPECT_THAT(parsed.diags, IsEmpty());
  EXPECT_EQ(parsed.dump, R"((TaskDecl greet
  (Param name
    (Doc "Who to greet.")
    (NamedType String))
  (Param times
    (NamedType Int)
    (IntLit 1))
  (Output
    (RecordType
      (Field out
        (NamedType File))
      (Field n
        (OptionalType
          (NamedType Int)))))
  (LetStmt x
    (NameExpr times))
  (FieldStmt image
    (StringLit "alpine"))
  (FieldStmt script
    (StringLit triple
      (Text "echo ")
      (Interp
        (NameExpr name))
      (Text " > ")
      (Interp
        (FieldExpr .out
          (NameExpr out)))
      (Text "\n"))))
)");
}

TEST(ParseTest, WorkflowStatements) {
  auto parsed = ParseText(R"(workflow main(xs: List[Int] = [1, 2]) -> Map[String, Int] {
  let a: Int = f(1, b: 2) after c, d
  g(a) after a
  finally { cleanup() }
  schedule = "0 3 * * *"
  return a
}
)");
  EXPECT_THAT(parsed.diags, IsEmpty());
  EXPECT_EQ(parsed.dump, R"((WorkflowDecl main
  (Param xs
    (NamedType List
      (NamedType Int))
    (ListExpr
      (IntLit 1)
      (IntLit 2)))
  (Output
    (NamedType Map
      (NamedType String)
      (NamedType Int)))
  (LetStmt a
    (NamedType Int)
    (CallExpr
      (NameExpr f)
      (Arg
        (IntLit 1))
      (Arg b
        (IntLit 2)))
    (After c d))
  (ExprStmt
    (CallExpr
      (NameExpr g)
      (Arg
        (NameExpr a)))
    (After a))
  (FinallyStmt
    (Block
      (Result
        (CallExpr
          (NameExpr cleanup)))))
  (FieldStmt schedule
    (StringLit "0 3 * * *"))
  (ReturnStmt
    (NameExpr a)))
)");
}

TEST(ParseTest, Precedence) {
  EXPECT_EQ(DumpConst("a ?? b ?? c"), R"((BinaryExpr ??
  (NameExpr a)
  (BinaryExpr ??
    (NameExpr b)
    (NameExpr c)))
)");
  EXPECT_EQ(DumpConst("not a == b or c and d"), R"((BinaryExpr or
  (UnaryExpr not
    (BinaryExpr ==
      (NameExpr a)
      (NameExpr b)))
  (BinaryExpr and
    (NameExpr c)
    (NameExpr d)))
)");
  EXPECT_EQ(DumpConst("1 + 2 * -3 - 4 % 5"), R"((BinaryExpr -
  (BinaryExpr +
    (IntLit 1)
    (BinaryExpr *
      (IntLit 2)
      (UnaryExpr -
        (IntLit 3))))
  (BinaryExpr %
    (IntLit 4)
    (IntLit 5)))
)");
  EXPECT_EQ(DumpConst("-x.y[0](z)"), R"((UnaryExpr -
  (CallExpr
    (IndexExpr
      (FieldExpr .y
        (NameExpr x))
      (IntLit 0))
    (Arg
      (NameExpr z))))
)");
  EXPECT_EQ(DumpConst("try f(x) ?? d"), R"((BinaryExpr ??
  (TryExpr
    (CallExpr
      (NameExpr f)
      (Arg
        (NameExpr x))))
  (NameExpr d))
)");
}

TEST(ParseTest, Literals) {
  EXPECT_EQ(DumpConst("[1_000, 3.5, 1e-3, true, false, none, 90s, 1h30m, 250ms, 512Mi, 1G]"), R"((ListExpr
  (IntLit 1000)
  (FloatLit 3.5)
  (FloatLit 0.001)
  (BoolLit true)
  (BoolLit false)
  (NoneLit)
  (DurationLit 90000ms)
  (DurationLit 5400000ms)
  (DurationLit 250ms)
  (SizeLit 536870912 512Mi)
  (SizeLit 1000000000 1G))
)");
  EXPECT_EQ(DumpConst("-9223372036854775808"), "(IntLit -9223372036854775808)\n");
}

TEST(ParseTest, Collections) {
  EXPECT_EQ(DumpConst(R"({"a": 1, "b": 2,})"), R"((MapExpr
  (Entry
    (StringLit "a")
    (IntLit 1))
  (Entry
    (StringLit "b")
    (IntLit 2)))
)");
  EXPECT_EQ(DumpConst("(a: 1, b: \"x\")"), R"((RecordExpr
  (Field a
    (IntLit 1))
  (Field b
    (StringLit "x")))
)");
  EXPECT_EQ(DumpConst("(1)"), "(ParenExpr\n  (IntLit 1))\n");
  EXPECT_EQ(DumpConst("Metrics { accuracy: 1.0 }"), "(StructExpr Metrics\n  (Field accuracy\n    (FloatLit 1)))\n");
  EXPECT_EQ(DumpConst("m.Metrics {}"), "(StructExpr m.Metrics)\n");
}

TEST(ParseTest, ForAndIf) {
  EXPECT_EQ(DumpConst("[for r in runs { r.model }]"), R"((ForExpr bracketed r
  (NameExpr runs)
  (Block
    (Result
      (FieldExpr .model
        (NameExpr r)))))
)");
  EXPECT_EQ(DumpConst("for (i, x) in enumerate(xs) limit 2 { let y = x\n y }"), R"((ForExpr (i, x)
  (CallExpr
    (NameExpr enumerate)
    (Arg
      (NameExpr xs)))
  (Limit
    (IntLit 2))
  (Block
    (LetStmt y
      (NameExpr x))
    (Result
      (NameExpr y))))
)");
  EXPECT_EQ(DumpConst("if a { 1 } else if b { 2 } else { 3 }"), R"((IfExpr
  (NameExpr a)
  (Block
    (Result
      (IntLit 1)))
  (Else
    (Result
      (IfExpr
        (NameExpr b)
        (Block
          (Result
            (IntLit 2)))
        (Else
          (Result
            (IntLit 3)))))))
)");
  // A struct-literal-looking `x {}` is still a block after `if`.
  EXPECT_EQ(DumpConst("if x {} else { y }"), R"((IfExpr
  (NameExpr x)
  (Block)
  (Else
    (Result
      (NameExpr y))))
)");
}

TEST(ParseTest, CallWithOverrides) {
  EXPECT_EQ(DumpConst("train(d) with { memory = 32Gi\n retries = 5, }"), R"((CallExpr
  (NameExpr train)
  (Arg
    (NameExpr d))
  (With
    (Set memory
      (SizeLit 34359738368 32Gi))
    (Set retries
      (IntLit 5))))
)");
}

TEST(ParseTest, StringInterpolationNests) {
  EXPECT_EQ(DumpConst(R"("a\t\{{b}} {{ {"k": if c {1} else {2}} }} {{ "n{{x}}" }}")"), R"((StringLit
  (Text "a\t{{b}} ")
  (Interp
    (MapExpr
      (Entry
        (StringLit "k")
        (IfExpr
          (NameExpr c)
          (Block
            (Result
              (IntLit 1)))
          (Else
            (Result
              (IntLit 2)))))))
  (Text " ")
  (Interp
    (StringLit
      (Text "n")
      (Interp
        (NameExpr x)))))
)");
}

TEST(ParseTest, TripleStringIsRaw) {
  auto parsed = ParseText("const S = \"\"\"\n    sed 's/\\./x/' \\\n      | printf \"a\\n\" \\{{x}} \\\"\"\"\n    \"\"\"\n");
  EXPECT_THAT(parsed.diags, IsEmpty());
  EXPECT_EQ(parsed.dump,
            "(ConstDecl S\n  (StringLit triple \"sed 's/\\\\./x/' \\\\\\n  | printf \\\"a\\\\n\\\" {{x}} "
            "\\\"\\\"\\\"\\n\"))\n");
}

TEST(ParseTest, ContextualKeywordsAsNames) {
  auto parsed = ParseText("const limit = 1\nconst as = limit\n");
  EXPECT_THAT(parsed.diags, IsEmpty());
  EXPECT_EQ(parsed.dump, "(ConstDecl limit\n  (IntLit 1))\n(ConstDecl as\n  (NameExpr limit))\n");
}

TEST(ParseErrorTest, ExpectedToken) {
  auto parsed = ParseText("task t(a: Int -> File {\n}\n");
  EXPECT_THAT(parsed.diags, ElementsAre("1:15 E0001 expected `)` or `,`, found `->`"));
}

TEST(ParseErrorTest, ExpectedExpression) {
  auto parsed = ParseText("workflow w() {\n  let y = let\n  let z = (1 + )\n}\n");
  EXPECT_THAT(parsed.diags, ElementsAre("2:11 E0001 expected an expression, found `let`",
                                        "3:16 E0001 expected an expression, found `)`"));
}

TEST(ParseErrorTest, RecoversAndKeepsLaterDeclarations) {
  auto parsed = ParseText("const A = )\nconst B = 2\n");
  ASSERT_EQ(parsed.diags.size(), 1u);
  EXPECT_NE(parsed.dump.find("(ConstDecl B"), std::string::npos);
}

TEST(ParseErrorTest, LiteralErrors) {
  std::vector<std::string> diags;
  DumpConst("99999999999999999999", &diags);
  EXPECT_THAT(diags, ElementsAre("1:11 E0004 integer literal `99999999999999999999` does not fit in 64 bits"));
  DumpConst("1m30h", &diags);
  EXPECT_THAT(diags, ElementsAre("1:11 E0005 invalid duration literal `1m30h`"));
  DumpConst("2min", &diags);
  EXPECT_THAT(diags, ElementsAre("1:11 E0005 invalid duration literal `2min`"));
  DumpConst("1.5Gi", &diags);
  EXPECT_THAT(diags, ElementsAre("1:11 E0006 invalid size literal `1.5Gi`"));
  DumpConst("1e999", &diags);
  EXPECT_THAT(diags, ElementsAre("1:11 E0013 invalid float literal `1e999`"));
  DumpConst("5x", &diags);
  EXPECT_THAT(diags, ElementsAre("1:11 E0001 invalid number literal `5x`"));
  DumpConst(R"("a\qb")", &diags);
  EXPECT_THAT(diags, ElementsAre("1:13 E0010 unknown escape sequence `\\q`"));
  EXPECT_EQ(DumpConst("1 < 2 < 3", &diags), "(ErrorExpr)\n");
  EXPECT_THAT(diags, ElementsAre("1:17 E0001 comparison operators cannot be chained; write `a < b and b < c`"));
}

TEST(ParseErrorTest, UnterminatedStrings) {
  auto parsed = ParseText("const A = \"abc\nconst B = 1\n");
  EXPECT_THAT(parsed.diags, ElementsAre("1:11 E0002 unterminated string literal"));
  EXPECT_NE(parsed.dump.find("(ConstDecl B"), std::string::npos);
  parsed = ParseText("const A = \"\"\"abc\n");
  EXPECT_THAT(parsed.diags, ElementsAre("1:11 E0002 unterminated string literal"));
}

TEST(ParseErrorTest, StrayCharacters) {
  auto parsed = ParseText("const A = 1 @\nconst B = `\x01 2\n");
  EXPECT_THAT(parsed.diags, ElementsAre("1:13 E0003 unexpected character `@`", "2:11 E0003 unexpected character ```",
                                        "2:12 E0003 unexpected character `\\u{1}`"));
  EXPECT_NE(parsed.dump.find("(ConstDecl B\n  (IntLit 2))"), std::string::npos);
}

TEST(ParseErrorTest, InvalidUtf8) {
  auto parsed = ParseText("const A = \"\xff\xfe\"\nconst B = 1\n");
  EXPECT_THAT(parsed.diags, ElementsAre("1:12 E0007 file is not valid UTF-8"));
  EXPECT_NE(parsed.dump.find("(ConstDecl B"), std::string::npos);
}

TEST(ParseErrorTest, FieldInBlock) {
  auto parsed = ParseText("workflow w() { for x in xs { y = 1 } }\n");
  EXPECT_THAT(parsed.diags,
              ElementsAre("1:30 E0001 a field assignment is only allowed in a task or workflow body"));
}

}  // namespace
}  // namespace flow::parse

#include "compiler/ir/eval.h"

#include <gtest/gtest.h>

#include <limits>

#include "compiler/ir/eval_builtin.h"

namespace flow::ir {
namespace {

using types::TypeStore;

// Builds expressions into a Program by hand.
class EvalTest : public ::testing::Test {
 protected:
  ExprId Add(Expr e) {
    program_.exprs.push_back(std::move(e));
    return ExprId{static_cast<int32_t>(program_.exprs.size() - 1)};
  }
  ExprId Lit(Value v, TypeId type) {
    Expr e;
    e.kind = ExprKind::Literal;
    e.literal = std::move(v);
    e.type = type;
    return Add(std::move(e));
  }
  ExprId I(int64_t i) { return Lit(Value::Int(i), TypeStore::Int()); }
  ExprId F(double d) { return Lit(Value::Float(d), TypeStore::Float()); }
  ExprId S(std::string s) { return Lit(Value::String(std::move(s)), TypeStore::String()); }
  ExprId B(bool b) { return Lit(Value::Bool(b), TypeStore::Bool()); }
  ExprId NoneOf(TypeId t) { return Lit(Value::None(), program_.types.Optional(t)); }
  ExprId Ints(std::vector<int64_t> xs) {
    std::vector<Value> vs;
    for (int64_t x : xs) vs.push_back(Value::Int(x));
    return Lit(Value::List(std::move(vs)), program_.types.List(TypeStore::Int()));
  }
  ExprId Strs(std::vector<std::string> xs) {
    std::vector<Value> vs;
    for (auto& x : xs) vs.push_back(Value::String(x));
    return Lit(Value::List(std::move(vs)), program_.types.List(TypeStore::String()));
  }
  ExprId Bin(BinaryOp op, ExprId a, ExprId b, TypeId type = TypeStore::Int()) {
    Expr e;
    e.kind = ExprKind::Binary;
    e.binary_op = op;
    e.operands = {a, b};
    e.type = type;
    return Add(std::move(e));
  }
  ExprId Call(BuiltinId id, std::vector<ExprId> args, TypeId type = TypeStore::Int()) {
    Expr e;
    e.kind = ExprKind::Builtin;
    e.builtin = id;
    e.operands = std::move(args);
    e.type = type;
    return Add(std::move(e));
  }
  // An expression that fails when evaluated (to test short-circuits).
  ExprId Boom() { return Bin(BinaryOp::Div, I(1), I(0)); }

  EvalResult Run(ExprId id) { return Eval(program_, id, env_); }
  Value Ok(ExprId id) {
    EvalResult r = Run(id);
    EXPECT_TRUE(r.ok) << r.error;
    return r.value;
  }
  std::string Err(ExprId id) {
    EvalResult r = Run(id);
    EXPECT_FALSE(r.ok);
    return r.error;
  }

  Program program_;
  EvalEnv env_;
};

std::vector<Value> IntValues(std::vector<int64_t> xs) {
  std::vector<Value> vs;
  for (int64_t x : xs) vs.push_back(Value::Int(x));
  return vs;
}

TEST_F(EvalTest, Arithmetic) {
  EXPECT_EQ(Ok(Bin(BinaryOp::Add, I(2), I(3))), Value::Int(5));
  EXPECT_EQ(Ok(Bin(BinaryOp::Sub, I(2), I(3))), Value::Int(-1));
  EXPECT_EQ(Ok(Bin(BinaryOp::Mul, I(4), I(3))), Value::Int(12));
  EXPECT_EQ(Ok(Bin(BinaryOp::Div, I(7), I(2))), Value::Int(3));
  EXPECT_EQ(Ok(Bin(BinaryOp::Div, I(-7), I(2))), Value::Int(-3));
  EXPECT_EQ(Ok(Bin(BinaryOp::Mod, I(7), I(3))), Value::Int(1));
  EXPECT_EQ(Ok(Bin(BinaryOp::Add, F(0.5), F(0.25), TypeStore::Float())), Value::Float(0.75));
  EXPECT_EQ(Ok(Bin(BinaryOp::Div, F(1), F(4), TypeStore::Float())), Value::Float(0.25));
  EXPECT_EQ(Ok(Bin(BinaryOp::Mul, I(2), F(1.5), TypeStore::Float())), Value::Float(3.0));
  EXPECT_EQ(Ok(Bin(BinaryOp::Add, S("ab"), S("cd"), TypeStore::String())), Value::String("abcd"));
  Value joined = Ok(Bin(BinaryOp::Add, Ints({1}), Ints({2, 3}), program_.types.List(TypeStore::Int())));
  EXPECT_EQ(joined, Value::List(IntValues({1, 2, 3})));
}

TEST_F(EvalTest, ArithmeticErrors) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(Err(Bin(BinaryOp::Div, I(1), I(0))), "division by zero");
  EXPECT_EQ(Err(Bin(BinaryOp::Mod, I(1), I(0))), "remainder by zero");
  EXPECT_EQ(Err(Bin(BinaryOp::Div, F(1), F(0), TypeStore::Float())), "division by zero");
  EXPECT_EQ(Err(Bin(BinaryOp::Add, I(max), I(1))), "integer overflow in `+`");
  EXPECT_EQ(Err(Bin(BinaryOp::Sub, I(min), I(1))), "integer overflow in `-`");
  EXPECT_EQ(Err(Bin(BinaryOp::Mul, I(max), I(2))), "integer overflow in `*`");
  EXPECT_EQ(Err(Bin(BinaryOp::Div, I(min), I(-1))), "integer overflow in `/`");
  EXPECT_EQ(Ok(Bin(BinaryOp::Mod, I(min), I(-1))), Value::Int(0));
  EXPECT_EQ(Err(Bin(BinaryOp::Mul, F(1e308), F(10), TypeStore::Float())), "float overflow in `*`");
  Expr neg;
  neg.kind = ExprKind::Unary;
  neg.unary_op = UnaryOp::Neg;
  neg.operands = {I(min)};
  neg.type = TypeStore::Int();
  EXPECT_EQ(Err(Add(neg)), "integer overflow in `-`");
}

TEST_F(EvalTest, ErrorCarriesLocation) {
  ExprId div = Bin(BinaryOp::Div, I(1), I(0));
  program_.exprs[div.index].loc = Loc{0, 3, 7, 20, 25};
  EvalResult r = Run(div);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.loc.line, 3u);
  EXPECT_EQ(r.loc.column, 7u);
}

TEST_F(EvalTest, Comparisons) {
  EXPECT_EQ(Ok(Bin(BinaryOp::Eq, I(2), I(2), TypeStore::Bool())), Value::Bool(true));
  EXPECT_EQ(Ok(Bin(BinaryOp::Ne, I(2), I(2), TypeStore::Bool())), Value::Bool(false));
  EXPECT_EQ(Ok(Bin(BinaryOp::Eq, I(2), F(2.0), TypeStore::Bool())), Value::Bool(true));
  EXPECT_EQ(Ok(Bin(BinaryOp::Lt, I(1), I(2), TypeStore::Bool())), Value::Bool(true));
  EXPECT_EQ(Ok(Bin(BinaryOp::Le, I(2), I(2), TypeStore::Bool())), Value::Bool(true));
  EXPECT_EQ(Ok(Bin(BinaryOp::Gt, S("b"), S("a"), TypeStore::Bool())), Value::Bool(true));
  EXPECT_EQ(Ok(Bin(BinaryOp::Ge, F(1.5), I(2), TypeStore::Bool())), Value::Bool(false));
  EXPECT_EQ(Ok(Bin(BinaryOp::Eq, Strs({"a"}), Strs({"a"}), TypeStore::Bool())), Value::Bool(true));
}

TEST_F(EvalTest, ShortCircuit) {
  EXPECT_EQ(Ok(Bin(BinaryOp::And, B(false), Boom(), TypeStore::Bool())), Value::Bool(false));
  EXPECT_EQ(Ok(Bin(BinaryOp::Or, B(true), Boom(), TypeStore::Bool())), Value::Bool(true));
  EXPECT_EQ(Ok(Bin(BinaryOp::And, B(true), B(false), TypeStore::Bool())), Value::Bool(false));
  EXPECT_EQ(Ok(Bin(BinaryOp::Or, B(false), B(true), TypeStore::Bool())), Value::Bool(true));
  EXPECT_EQ(Err(Bin(BinaryOp::And, B(true), Boom(), TypeStore::Bool())), "division by zero");
  EXPECT_EQ(Ok(Bin(BinaryOp::Coalesce, I(4), Boom())), Value::Int(4));
  EXPECT_EQ(Ok(Bin(BinaryOp::Coalesce, NoneOf(TypeStore::Int()), I(9))), Value::Int(9));
  // `??` converts to its own type: Int? ?? Float is a Float.
  EXPECT_EQ(Ok(Bin(BinaryOp::Coalesce, Lit(Value::Int(2), program_.types.Optional(TypeStore::Int())), F(1.5),
                   TypeStore::Float()))
                .kind(),
            Value::Kind::Float);
}

TEST_F(EvalTest, UnaryNot) {
  Expr e;
  e.kind = ExprKind::Unary;
  e.unary_op = UnaryOp::Not;
  e.operands = {B(true)};
  e.type = TypeStore::Bool();
  EXPECT_EQ(Ok(Add(e)), Value::Bool(false));
}

TEST_F(EvalTest, CondEvaluatesOneBranch) {
  Expr e;
  e.kind = ExprKind::Cond;
  e.operands = {B(true), I(1), Boom()};
  e.type = TypeStore::Int();
  EXPECT_EQ(Ok(Add(e)), Value::Int(1));
  e.operands = {B(false), Boom(), I(2)};
  EXPECT_EQ(Ok(Add(e)), Value::Int(2));
}

TEST_F(EvalTest, IndexFieldAndErrors) {
  Expr idx;
  idx.kind = ExprKind::Index;
  idx.operands = {Ints({10, 20}), I(1)};
  idx.type = TypeStore::Int();
  EXPECT_EQ(Ok(Add(idx)), Value::Int(20));
  idx.operands = {Ints({10, 20}), I(2)};
  EXPECT_EQ(Err(Add(idx)), "index 2 is out of range for a list of length 2");
  idx.operands = {Ints({10, 20}), I(-1)};
  EXPECT_EQ(Err(Add(idx)), "index -1 is out of range for a list of length 2");

  TypeId map_type = program_.types.Map(TypeStore::String(), TypeStore::Int());
  ExprId m = Lit(Value::Map({{Value::String("a"), Value::Int(1)}}), map_type);
  idx.operands = {m, S("a")};
  EXPECT_EQ(Ok(Add(idx)), Value::Int(1));
  idx.operands = {m, S("zz")};
  EXPECT_EQ(Err(Add(idx)), "key \"zz\" is not in the map");

  Expr field;
  field.kind = ExprKind::Field;
  field.name = "b";
  field.operands = {Lit(Value::Record({{"a", Value::Int(1)}, {"b", Value::Int(2)}}), TypeId{})};
  EXPECT_EQ(Ok(Add(field)), Value::Int(2));
}

TEST_F(EvalTest, ContainersAndInterpolation) {
  Expr list;
  list.kind = ExprKind::List;
  list.operands = {I(1), I(2)};
  EXPECT_EQ(Ok(Add(list)), Value::List(IntValues({1, 2})));

  Expr map;
  map.kind = ExprKind::Map;
  map.operands = {S("a"), I(1), S("b"), I(2), S("a"), I(3)};
  EXPECT_EQ(Ok(Add(map)), Value::Map({{Value::String("a"), Value::Int(3)}, {Value::String("b"), Value::Int(2)}}));

  Expr rec;
  rec.kind = ExprKind::Record;
  rec.names = {"x", "y"};
  rec.operands = {I(1), S("s")};
  EXPECT_EQ(Ok(Add(rec)), Value::Record({{"x", Value::Int(1)}, {"y", Value::String("s")}}));

  Expr interp;
  interp.kind = ExprKind::Interpolate;
  interp.text_parts = {"n=", ", d=", ", f=", ""};
  interp.operands = {I(3), Lit(Value::Int(5'400'000), TypeStore::Duration()), F(0.5)};
  interp.type = TypeStore::String();
  EXPECT_EQ(Ok(Add(interp)), Value::String("n=3, d=1h30m, f=0.5"));
}

TEST_F(EvalTest, ComprehensionAndLet) {
  program_.vars.push_back(Var{"x", TypeStore::Int(), {}});
  program_.vars.push_back(Var{"y", TypeStore::Int(), {}});
  Expr var_x;
  var_x.kind = ExprKind::Var;
  var_x.var = VarId{0};
  var_x.type = TypeStore::Int();
  ExprId x = Add(var_x);
  Expr comp;
  comp.kind = ExprKind::Comprehension;
  comp.vars = {VarId{0}};
  comp.operands = {Ints({1, 2, 3}), Bin(BinaryOp::Mul, x, I(10))};
  EXPECT_EQ(Ok(Add(comp)), Value::List(IntValues({10, 20, 30})));

  // for (k, v) in {"a": 1} { k + string(v) }
  Expr var_y = var_x;
  var_y.var = VarId{1};
  ExprId y = Add(var_y);
  Expr over_map;
  over_map.kind = ExprKind::Comprehension;
  over_map.vars = {VarId{0}, VarId{1}};
  over_map.operands = {Lit(Value::Map({{Value::Int(7), Value::Int(1)}}), program_.types.Map(TypeStore::Int(), TypeStore::Int())),
                       Bin(BinaryOp::Add, x, y)};
  EXPECT_EQ(Ok(Add(over_map)), Value::List(IntValues({8})));

  // for (i, v) in enumerate([5, 6]) { i * v }
  Expr over_pairs = over_map;
  over_pairs.operands = {Call(BuiltinId::Enumerate, {Ints({5, 6})}), Bin(BinaryOp::Mul, x, y)};
  EXPECT_EQ(Ok(Add(over_pairs)), Value::List(IntValues({0, 6})));

  Expr let;
  let.kind = ExprKind::Let;
  let.var = VarId{0};
  let.operands = {I(4), Bin(BinaryOp::Add, x, x)};
  EXPECT_EQ(Ok(Add(let)), Value::Int(8));
  // Outside the let, `x` is unbound.
  EXPECT_EQ(Err(x), "variable `x` is not available");
}

TEST_F(EvalTest, EnvironmentLookups) {
  Value input = Value::Int(42);
  Value step = Value::String("out.txt");
  Value var = Value::Int(7);
  env_.input = [&](int32_t i) { return i == 0 ? &input : nullptr; };
  env_.step_value = [&](StepId s) { return s.index == 3 ? &step : nullptr; };
  env_.var = [&](VarId v) { return v.index == 0 ? &var : nullptr; };
  env_.output_path = [&](int32_t i) { return i == 0 ? &step : nullptr; };
  Expr e;
  e.kind = ExprKind::Input;
  e.index = 0;
  EXPECT_EQ(Ok(Add(e)), input);
  e.index = 1;
  EXPECT_EQ(Err(Add(e)), "input #1 is not available");
  Expr s;
  s.kind = ExprKind::StepValue;
  s.step = StepId{3};
  EXPECT_EQ(Ok(Add(s)), step);
  Expr v;
  v.kind = ExprKind::Var;
  v.var = VarId{0};
  program_.vars.push_back(Var{"n", TypeStore::Int(), {}});
  EXPECT_EQ(Ok(Add(v)), var);
  Expr o;
  o.kind = ExprKind::OutputPath;
  o.index = 0;
  EXPECT_EQ(Ok(Add(o)), step);
}

TEST_F(EvalTest, ConvertWidens) {
  Expr c;
  c.kind = ExprKind::Convert;
  c.type = program_.types.List(TypeStore::Float());
  c.operands = {Ints({1, 2})};
  Value v = Ok(Add(c));
  ASSERT_EQ(v.list().size(), 2u);
  EXPECT_EQ(v.list()[0].kind(), Value::Kind::Float);
  c.type = program_.types.Optional(TypeStore::Float());
  c.operands = {I(3)};
  EXPECT_EQ(Ok(Add(c)).kind(), Value::Kind::Float);
}

TEST_F(EvalTest, BuiltinsCollections) {
  EXPECT_EQ(Ok(Call(BuiltinId::Len, {Ints({1, 2, 3})})), Value::Int(3));
  EXPECT_EQ(Ok(Call(BuiltinId::Len, {S("héllo")})), Value::Int(6));
  EXPECT_EQ(Ok(Call(BuiltinId::Range, {I(3)})), Value::List(IntValues({0, 1, 2})));
  EXPECT_EQ(Ok(Call(BuiltinId::Range, {I(2), I(4)})), Value::List(IntValues({2, 3})));
  EXPECT_EQ(Ok(Call(BuiltinId::Range, {I(-2)})), Value::List({}));
  EXPECT_NE(Err(Call(BuiltinId::Range, {I(std::numeric_limits<int64_t>::min()), I(std::numeric_limits<int64_t>::max())})).find("too long"),
            std::string::npos);
  EXPECT_EQ(Ok(Call(BuiltinId::Enumerate, {Strs({"a"})})),
            Value::List({Value::Record({{"index", Value::Int(0)}, {"value", Value::String("a")}})}));
  EXPECT_EQ(Ok(Call(BuiltinId::Zip, {Ints({1, 2, 3}), Strs({"a", "b"})})),
            Value::List({Value::Record({{"left", Value::Int(1)}, {"right", Value::String("a")}}),
                         Value::Record({{"left", Value::Int(2)}, {"right", Value::String("b")}})}));
  ExprId nested = Lit(Value::List({Value::List(IntValues({1})), Value::List(IntValues({2, 3}))}),
                      program_.types.List(program_.types.List(TypeStore::Int())));
  EXPECT_EQ(Ok(Call(BuiltinId::Flatten, {nested})), Value::List(IntValues({1, 2, 3})));
  TypeId map_type = program_.types.Map(TypeStore::String(), TypeStore::Int());
  ExprId m = Lit(Value::Map({{Value::String("b"), Value::Int(2)}, {Value::String("a"), Value::Int(1)}}), map_type);
  EXPECT_EQ(Ok(Call(BuiltinId::Keys, {m})), Value::List({Value::String("b"), Value::String("a")}));
  EXPECT_EQ(Ok(Call(BuiltinId::Values, {m})), Value::List(IntValues({2, 1})));
  EXPECT_EQ(Ok(Call(BuiltinId::Contains, {m, S("a")})), Value::Bool(true));
  EXPECT_EQ(Ok(Call(BuiltinId::Contains, {m, S("c")})), Value::Bool(false));
  EXPECT_EQ(Ok(Call(BuiltinId::Contains, {Ints({1, 2}), I(2)})), Value::Bool(true));
  EXPECT_EQ(Ok(Call(BuiltinId::Contains, {S("hello"), S("ell")})), Value::Bool(true));
  EXPECT_EQ(Ok(Call(BuiltinId::Sort, {Ints({3, 1, 2})})), Value::List(IntValues({1, 2, 3})));
  EXPECT_EQ(Ok(Call(BuiltinId::Sum, {Ints({1, 2, 3})})), Value::Int(6));
  EXPECT_EQ(Ok(Call(BuiltinId::Sum, {Ints({})})), Value::Int(0));
  EXPECT_EQ(Err(Call(BuiltinId::Sum, {Ints({std::numeric_limits<int64_t>::max(), 1})})), "`sum`: integer overflow");
  ExprId floats = Lit(Value::List({Value::Float(0.5), Value::Float(0.25)}), program_.types.List(TypeStore::Float()));
  EXPECT_EQ(Ok(Call(BuiltinId::Sum, {floats})), Value::Float(0.75));
  EXPECT_EQ(Ok(Call(BuiltinId::Min, {Ints({3, 1, 2})})), Value::Int(1));
  EXPECT_EQ(Ok(Call(BuiltinId::Max, {Ints({3, 1, 2})})), Value::Int(3));
  EXPECT_EQ(Ok(Call(BuiltinId::Min, {I(4), I(2)})), Value::Int(2));
  EXPECT_EQ(Ok(Call(BuiltinId::Max, {F(4.5), F(2)})), Value::Float(4.5));
  EXPECT_EQ(Err(Call(BuiltinId::Min, {Ints({})})), "`min`: the list is empty");
  EXPECT_EQ(Err(Call(BuiltinId::Max, {Ints({})})), "`max`: the list is empty");
}

TEST_F(EvalTest, BuiltinsOptionals) {
  TypeId opt_int = program_.types.Optional(TypeStore::Int());
  ExprId xs = Lit(Value::List({Value::None(), Value::Int(5), Value::Int(6)}), program_.types.List(opt_int));
  EXPECT_EQ(Ok(Call(BuiltinId::SelectFirst, {xs})), Value::Int(5));
  ExprId nones = Lit(Value::List({Value::None()}), program_.types.List(opt_int));
  EXPECT_EQ(Err(Call(BuiltinId::SelectFirst, {nones})), "`select_first`: every element is `none`");
  EXPECT_EQ(Ok(Call(BuiltinId::Defined, {NoneOf(TypeStore::Int())})), Value::Bool(false));
  EXPECT_EQ(Ok(Call(BuiltinId::Defined, {I(1)})), Value::Bool(true));
}

TEST_F(EvalTest, BuiltinsStrings) {
  auto str = [](const char* s) { return Value::String(s); };
  EXPECT_EQ(Ok(Call(BuiltinId::Join, {Strs({"a", "b"}), S(", ")})), str("a, b"));
  EXPECT_EQ(Ok(Call(BuiltinId::Join, {Ints({1, 2})})), str("12"));
  EXPECT_EQ(Ok(Call(BuiltinId::Split, {S("a,b,,c"), S(",")})),
            Value::List({str("a"), str("b"), str(""), str("c")}));
  EXPECT_EQ(Err(Call(BuiltinId::Split, {S("abc"), S("")})), "`split`: the separator is empty");
  EXPECT_EQ(Ok(Call(BuiltinId::Replace, {S("a-b-c"), S("-"), S("+")})), str("a+b+c"));
  EXPECT_EQ(Err(Call(BuiltinId::Replace, {S("abc"), S(""), S("x")})), "`replace`: the text to replace is empty");
  EXPECT_EQ(Ok(Call(BuiltinId::Basename, {S("/data/in/x.tar.gz")})), str("x.tar.gz"));
  EXPECT_EQ(Ok(Call(BuiltinId::Basename, {S("dir/sub/")})), str("sub"));
  EXPECT_EQ(Ok(Call(BuiltinId::Basename, {S("/")})), str("/"));
  EXPECT_EQ(Ok(Call(BuiltinId::Dirname, {S("/data/in/x.csv")})), str("/data/in"));
  EXPECT_EQ(Ok(Call(BuiltinId::Dirname, {S("x.csv")})), str("."));
  EXPECT_EQ(Ok(Call(BuiltinId::Dirname, {S("/x.csv")})), str("/"));
  EXPECT_EQ(Ok(Call(BuiltinId::Dirname, {S("s3://bucket/k/x.csv")})), str("s3://bucket/k"));
  EXPECT_EQ(Ok(Call(BuiltinId::Stem, {S("/data/x.tar.gz")})), str("x.tar"));
  EXPECT_EQ(Ok(Call(BuiltinId::Stem, {S(".bashrc")})), str(".bashrc"));
  EXPECT_EQ(Ok(Call(BuiltinId::Lower, {S("AbC")})), str("abc"));
  EXPECT_EQ(Ok(Call(BuiltinId::Upper, {S("AbC")})), str("ABC"));
  EXPECT_EQ(Ok(Call(BuiltinId::Trim, {S("  x y \n")})), str("x y"));
  EXPECT_EQ(Ok(Call(BuiltinId::StartsWith, {S("prefix"), S("pre")})), Value::Bool(true));
  EXPECT_EQ(Ok(Call(BuiltinId::EndsWith, {S("prefix"), S("pre")})), Value::Bool(false));
}

TEST_F(EvalTest, BuiltinsConversions) {
  EXPECT_EQ(Ok(Call(BuiltinId::String, {I(42)})), Value::String("42"));
  EXPECT_EQ(Ok(Call(BuiltinId::String, {F(2)})), Value::String("2.0"));
  EXPECT_EQ(Ok(Call(BuiltinId::String, {Lit(Value::Int(512 << 20), TypeStore::Size())})), Value::String("512Mi"));
  EXPECT_EQ(Ok(Call(BuiltinId::String, {Ints({1, 2})})), Value::String("[1,2]"));
  EXPECT_EQ(Ok(Call(BuiltinId::String, {NoneOf(TypeStore::Int())})), Value::String("none"));
  EXPECT_EQ(Ok(Call(BuiltinId::Int, {S(" 12 ")})), Value::Int(12));
  EXPECT_EQ(Ok(Call(BuiltinId::Int, {F(-2.9)})), Value::Int(-2));
  EXPECT_EQ(Ok(Call(BuiltinId::Int, {B(true)})), Value::Int(1));
  EXPECT_EQ(Err(Call(BuiltinId::Int, {S("x")})), "`int`: \"x\" is not an integer");
  EXPECT_EQ(Err(Call(BuiltinId::Int, {S("99999999999999999999")})), "`int`: \"99999999999999999999\" is not an integer");
  EXPECT_EQ(Err(Call(BuiltinId::Int, {F(1e300)})), "`int`: 1e+300 does not fit in an `Int`");
  EXPECT_EQ(Ok(Call(BuiltinId::Float, {S("1e-3")})), Value::Float(0.001));
  EXPECT_EQ(Ok(Call(BuiltinId::Float, {I(2)})), Value::Float(2.0));
  EXPECT_EQ(Err(Call(BuiltinId::Float, {S("nan")})), "`float`: \"nan\" is not a number");
  EXPECT_EQ(Ok(Call(BuiltinId::Round, {F(2.5)})), Value::Int(3));
  EXPECT_EQ(Ok(Call(BuiltinId::Round, {F(-2.5)})), Value::Int(-3));
  EXPECT_EQ(Ok(Call(BuiltinId::Round, {F(2.4)})), Value::Int(2));
  EXPECT_FALSE(Run(Call(BuiltinId::Round, {F(1e19)})).ok);
  EXPECT_EQ(Ok(Call(BuiltinId::Abs, {I(-3)})), Value::Int(3));
  EXPECT_EQ(Ok(Call(BuiltinId::Abs, {F(-1.5)})), Value::Float(1.5));
  EXPECT_EQ(Err(Call(BuiltinId::Abs, {I(std::numeric_limits<int64_t>::min())})), "`abs`: integer overflow");
  EXPECT_EQ(Ok(Call(BuiltinId::Raw, {S("$HOME"), S("")})), Value::String("$HOME"));
}

TEST_F(EvalTest, EveryBuiltinHasAName) {
#define FLOW_BUILTIN(id, name, signature, doc) EXPECT_STREQ(BuiltinName(BuiltinId::id), name);
#include "stdlib/builtins.def"
}

TEST_F(EvalTest, BadArgumentsAreErrorsNotCrashes) {
  // Every builtin with no arguments at all reports an error (or a value) without crashing.
#define FLOW_BUILTIN(id, name, signature, doc) (void)Run(Call(BuiltinId::id, {}));
#include "stdlib/builtins.def"
  EXPECT_FALSE(Run(Call(BuiltinId::Len, {I(1)})).ok);
  EXPECT_FALSE(Run(ExprId{9999}).ok);
}

TEST_F(EvalTest, DeepNestingIsAnError) {
  ExprId e = I(1);
  for (int i = 0; i < 5000; ++i) e = Bin(BinaryOp::Add, e, I(1));
  EXPECT_EQ(Err(e), "expression nests too deeply");
}

}  // namespace
}  // namespace flow::ir

namespace flow::ir {
namespace {

TEST_F(EvalTest, BudgetStopsNestedBlowUp) {
  // [for x in range(1000) { range(1000) }] with a budget of 10k elements.
  program_.vars.push_back(Var{"x", TypeStore::Int(), {}});
  Expr comp;
  comp.kind = ExprKind::Comprehension;
  comp.vars = {VarId{0}};
  comp.operands = {Call(BuiltinId::Range, {I(1000)}), Call(BuiltinId::Range, {I(1000)})};
  ExprId id = Add(comp);
  env_.max_length = 10'000;
  EXPECT_EQ(Err(id), "the expression builds more than 40000 list elements");
  env_.max_length = kMaxRangeLength;
  EXPECT_EQ(Ok(id).list().size(), 1000u);
  env_.max_length = 10;
  EXPECT_EQ(Err(Call(BuiltinId::Range, {I(11)})), "`range`: a range of 11 elements is too long (the limit is 10)");
  EXPECT_EQ(Err(Bin(BinaryOp::Add, Ints({1, 2, 3, 4, 5, 6}), Ints({1, 2, 3, 4, 5}), program_.types.List(TypeStore::Int()))),
            "the list would be longer than 10 elements");
}

}  // namespace
}  // namespace flow::ir

#include "compiler/ir/value_json.h"

#include <gtest/gtest.h>

namespace flow::ir {
namespace {

using types::TypeId;
using types::TypeStore;

TEST(DurationTest, FormatAndParse) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(90'000), "1m30s");
  EXPECT_EQ(FormatDuration(5'400'000), "1h30m");
  EXPECT_EQ(FormatDuration(86'400'000), "1d");
  EXPECT_EQ(FormatDuration(1'500), "1s500ms");
  EXPECT_EQ(FormatDuration(-2'000), "-2s");
  int64_t ms = 0;
  EXPECT_TRUE(ParseDuration("90s", &ms));
  EXPECT_EQ(ms, 90'000);
  EXPECT_TRUE(ParseDuration("1h30m", &ms));
  EXPECT_EQ(ms, 5'400'000);
  EXPECT_TRUE(ParseDuration("250ms", &ms));
  EXPECT_EQ(ms, 250);
  EXPECT_TRUE(ParseDuration(" 2d ", &ms));
  EXPECT_EQ(ms, 172'800'000);
  EXPECT_FALSE(ParseDuration("", &ms));
  EXPECT_FALSE(ParseDuration("90", &ms));
  EXPECT_FALSE(ParseDuration("s", &ms));
  EXPECT_FALSE(ParseDuration("5x", &ms));
  EXPECT_FALSE(ParseDuration("99999999999999999999d", &ms));
  EXPECT_FALSE(ParseDuration("9999999999999999d", &ms));
}

TEST(SizeTest, FormatAndParse) {
  EXPECT_EQ(FormatSize(512LL << 20), "512Mi");
  EXPECT_EQ(FormatSize(2LL << 30), "2Gi");
  EXPECT_EQ(FormatSize(1'000'000'000), "1G");
  EXPECT_EQ(FormatSize(100'000), "100K");
  EXPECT_EQ(FormatSize(1500), "1500");
  EXPECT_EQ(FormatSize(0), "0");
  int64_t b = 0;
  EXPECT_TRUE(ParseSize("512Mi", &b));
  EXPECT_EQ(b, 512LL << 20);
  EXPECT_TRUE(ParseSize("1G", &b));
  EXPECT_EQ(b, 1'000'000'000);
  EXPECT_TRUE(ParseSize("100k", &b));
  EXPECT_EQ(b, 100'000);
  EXPECT_TRUE(ParseSize("1.5Gi", &b));
  EXPECT_EQ(b, 3LL << 29);
  EXPECT_TRUE(ParseSize("1024", &b));
  EXPECT_EQ(b, 1024);
  EXPECT_FALSE(ParseSize("1.0000001K", &b));
  EXPECT_FALSE(ParseSize("Mi", &b));
  EXPECT_FALSE(ParseSize("12Xi", &b));
  EXPECT_FALSE(ParseSize("99999999Pi", &b));
}

TEST(FloatTest, Format) {
  EXPECT_EQ(FormatFloat(3.0), "3.0");
  EXPECT_EQ(FormatFloat(0.001), "0.001");
  EXPECT_EQ(FormatFloat(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatFloat(1e20), "1e+20");
  double d;
  EXPECT_TRUE(ParseFloatText("1e-3", &d));
  EXPECT_FALSE(ParseFloatText("inf", &d));
  EXPECT_FALSE(ParseFloatText("0x10", &d));
  EXPECT_FALSE(ParseFloatText("1e999", &d));
  int64_t i;
  EXPECT_TRUE(ParseIntText("-9223372036854775808", &i));
  EXPECT_EQ(i, INT64_MIN);
  EXPECT_FALSE(ParseIntText("9223372036854775808", &i));
  EXPECT_TRUE(ParseIntText("1_000", &i));
  EXPECT_EQ(i, 1000);
  EXPECT_FALSE(ParseIntText("1__0", &i));
  EXPECT_FALSE(ParseIntText("", &i));
  EXPECT_FALSE(ParseIntText("-", &i));
}

class ValueJsonTest : public ::testing::Test {
 protected:
  TypeStore types_;
  ReadOptions options_;
  Value Read(const std::string& json, TypeId type) {
    Value v;
    std::string error;
    EXPECT_TRUE(ValueFromJson(Json::parse(json), type, types_, options_, &v, &error)) << error;
    return v;
  }
  std::string ReadError(const std::string& json, TypeId type) {
    Value v;
    std::string error;
    EXPECT_FALSE(ValueFromJson(Json::parse(json), type, types_, options_, &v, &error));
    return error;
  }
  std::string TextError(const std::string& text, TypeId type) {
    Value v;
    std::string error;
    EXPECT_FALSE(ValueFromText(text, type, types_, options_, &v, &error));
    return error;
  }
  Value Text(const std::string& text, TypeId type) {
    Value v;
    std::string error;
    EXPECT_TRUE(ValueFromText(text, type, types_, options_, &v, &error)) << error;
    return v;
  }
};

TEST_F(ValueJsonTest, ToJson) {
  TypeId rec = types_.Record({{"model", TypeStore::File()}, {"mem", TypeStore::Size()}, {"t", TypeStore::Duration()}});
  Value v = Value::Record({{"model", Value::String("/m.pt")}, {"mem", Value::Int(512LL << 20)}, {"t", Value::Int(90'000)}});
  EXPECT_EQ(ValueToJson(v, rec, types_).dump(), R"({"model":"/m.pt","mem":"512Mi","t":"1m30s"})");
  TypeId by_int = types_.Map(TypeStore::Int(), TypeStore::Float());
  Value m = Value::Map({{Value::Int(2), Value::Float(0.5)}, {Value::Int(1), Value::Int(3)}});
  EXPECT_EQ(ValueToJson(m, by_int, types_).dump(), R"({"2":0.5,"1":3.0})");
  EXPECT_EQ(ValueToJson(Value::None(), types_.Optional(TypeStore::Int()), types_).dump(), "null");
  EXPECT_EQ(ValueToJson(Value::List({Value::Bool(true)}), TypeId{}, types_).dump(), "[true]");
}

TEST_F(ValueJsonTest, FromJson) {
  TypeId list = types_.List(types_.Optional(TypeStore::Int()));
  EXPECT_EQ(Read("[1, null]", list), Value::List({Value::Int(1), Value::None()}));
  EXPECT_EQ(Read("3", TypeStore::Float()), Value::Float(3.0));
  EXPECT_EQ(Read("\"2h\"", TypeStore::Duration()), Value::Int(7'200'000));
  EXPECT_EQ(Read("\"1Ki\"", TypeStore::Size()), Value::Int(1024));
  EXPECT_EQ(Read("2048", TypeStore::Size()), Value::Int(2048));
  TypeId e = types_.DeclareEnum("Split", {"train", "test"});
  EXPECT_EQ(Read("\"test\"", e), Value::String("test"));
  EXPECT_EQ(ReadError("\"dev\"", e), "expected `Split` (one of `train`, `test`), found `dev`");
  TypeId m = types_.Map(TypeStore::Int(), TypeStore::String());
  EXPECT_EQ(Read(R"({"1": "a"})", m), Value::Map({{Value::Int(1), Value::String("a")}}));
  EXPECT_EQ(ReadError(R"({"x": "a"})", m), "map key `x` is not an `Int`");
  EXPECT_EQ(ReadError("[1, \"a\"]", types_.List(TypeStore::Int())), "at `[1]`: expected `Int`, found `\"a\"`");
  EXPECT_EQ(ReadError("1.5", TypeStore::Int()), "expected `Int`, found `1.5`");
  EXPECT_EQ(ReadError("18446744073709551615", TypeStore::Int()), "expected `Int`, found `18446744073709551615`");
}

TEST_F(ValueJsonTest, Structs) {
  TypeId s = types_.DeclareStruct("Cfg");
  types_.SetStructFields(s, {{"name", TypeStore::String(), false},
                             {"n", TypeStore::Int(), true},
                             {"note", types_.Optional(TypeStore::String()), false}});
  EXPECT_EQ(ReadError(R"({"name": "x"})", s), "missing field `n` of `Cfg`");
  options_.struct_default = [&](TypeId type, size_t field) -> std::optional<Value> {
    if (type == s && field == 1) return Value::Int(7);
    return std::nullopt;
  };
  EXPECT_EQ(Read(R"({"name": "x"})", s),
            Value::Record({{"name", Value::String("x")}, {"n", Value::Int(7)}, {"note", Value::None()}}));
  EXPECT_EQ(ReadError(R"({"name": "x", "nmae": 1})", s), "`Cfg` has no field `nmae`");
  EXPECT_EQ(ReadError(R"({"name": 1})", s), "at `name`: expected `String`, found `1`");
}

TEST_F(ValueJsonTest, FromText) {
  EXPECT_EQ(Text(" 42 ", TypeStore::Int()), Value::Int(42));
  EXPECT_EQ(Text("1e-3", TypeStore::Float()), Value::Float(0.001));
  EXPECT_EQ(Text("true", TypeStore::Bool()), Value::Bool(true));
  EXPECT_EQ(Text(" a b ", TypeStore::String()), Value::String(" a b "));
  EXPECT_EQ(Text("data/x.csv", TypeStore::File()), Value::String("data/x.csv"));
  EXPECT_EQ(Text("none", types_.Optional(TypeStore::Int())), Value::None());
  EXPECT_EQ(Text("5", types_.Optional(TypeStore::Int())), Value::Int(5));
  EXPECT_EQ(Text("[1,2]", types_.List(TypeStore::Int())), Value::List({Value::Int(1), Value::Int(2)}));
  EXPECT_EQ(TextError("abc", TypeStore::Int()), "expected `Int`, found `abc`");
  EXPECT_EQ(TextError("yes", TypeStore::Bool()), "expected `Bool`, found `yes`");
  EXPECT_EQ(TextError("[1,", types_.List(TypeStore::Int())), "expected `List[Int]` as JSON, found `[1,`");
  // YAML-style: strings stand for scalars.
  options_.scalars_from_strings = true;
  EXPECT_EQ(Read(R"(["1", "2"])", types_.List(TypeStore::Int())), Value::List({Value::Int(1), Value::Int(2)}));
}

TEST_F(ValueJsonTest, TextOfValues) {
  EXPECT_EQ(FormatValueText(Value::Int(3), TypeStore::Int(), types_), "3");
  EXPECT_EQ(FormatValueText(Value::Int(3), TypeStore::Float(), types_), "3.0");
  EXPECT_EQ(FormatValueText(Value::Bool(false), TypeStore::Bool(), types_), "false");
  EXPECT_EQ(FormatValueText(Value::Int(5'400'000), TypeStore::Duration(), types_), "1h30m");
  EXPECT_EQ(FormatValueText(Value::Int(512LL << 20), TypeStore::Size(), types_), "512Mi");
  EXPECT_EQ(FormatValueText(Value::List({Value::String("a"), Value::String("b")}), types_.List(TypeStore::String()),
                            types_),
            "a b");
  EXPECT_EQ(FormatValueText(Value::None(), types_.Optional(TypeStore::Int()), types_), "");
  EXPECT_EQ(FormatValueText(Value::Record({{"a", Value::Int(1)}}), TypeId{}, types_), R"({"a":1})");
}

}  // namespace
}  // namespace flow::ir

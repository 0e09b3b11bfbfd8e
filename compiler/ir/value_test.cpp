#include "compiler/ir/value.h"

#include <gtest/gtest.h>

namespace flow::ir {
namespace {

TEST(ValueTest, EqualityAcrossNumbers) {
  EXPECT_EQ(Value::Int(2), Value::Float(2.0));
  EXPECT_NE(Value::Int(2), Value::String("2"));
  EXPECT_EQ(Value::None(), Value());
  EXPECT_NE(Value::None(), Value::Bool(false));
  EXPECT_EQ(Value::List({Value::Int(1)}), Value::List({Value::Float(1)}));
  EXPECT_NE(Value::Record({{"a", Value::Int(1)}}), Value::Record({{"b", Value::Int(1)}}));
  EXPECT_EQ(Value::Map({{Value::String("k"), Value::Int(1)}}), Value::Map({{Value::String("k"), Value::Int(1)}}));
}

TEST(ValueTest, TotalOrder) {
  EXPECT_LT(Value::None(), Value::Bool(false));
  EXPECT_LT(Value::Bool(true), Value::Int(0));
  EXPECT_LT(Value::Int(1), Value::Float(1.5));
  EXPECT_LT(Value::Float(1.5), Value::Int(2));
  EXPECT_LT(Value::Int(9), Value::String(""));
  EXPECT_LT(Value::String("a"), Value::String("b"));
  EXPECT_LT(Value::List({Value::Int(1)}), Value::List({Value::Int(1), Value::Int(0)}));
  EXPECT_FALSE(Value::Int(2) < Value::Float(2.0));
  EXPECT_FALSE(Value::Float(2.0) < Value::Int(2));
}

TEST(ValueTest, FieldLookup) {
  Value r = Value::Record({{"a", Value::Int(1)}, {"b", Value::String("x")}});
  ASSERT_NE(r.field("b"), nullptr);
  EXPECT_EQ(*r.field("b"), Value::String("x"));
  EXPECT_EQ(r.field("c"), nullptr);
  EXPECT_EQ(Value::Int(3).field("a"), nullptr);
}

}  // namespace
}  // namespace flow::ir

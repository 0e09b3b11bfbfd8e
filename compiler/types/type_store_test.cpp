#include "compiler/types/type_store.h"

#include <gtest/gtest.h>

namespace flow::types {
namespace {

class TypeStoreTest : public ::testing::Test {
 protected:
  TypeStore ts;
  TypeId Int() { return TypeStore::Int(); }
  TypeId Float() { return TypeStore::Float(); }
  TypeId Str() { return TypeStore::String(); }
  TypeId File() { return TypeStore::File(); }
  TypeId Dir() { return TypeStore::Dir(); }
  TypeId None() { return TypeStore::None(); }
  TypeId Err() { return TypeStore::Error(); }
};

TEST_F(TypeStoreTest, SingletonsHaveTheirKinds) {
  EXPECT_EQ(ts.KindOf(TypeStore::Error()), TypeKind::Error);
  EXPECT_EQ(ts.KindOf(TypeStore::None()), TypeKind::None);
  EXPECT_EQ(ts.KindOf(TypeStore::Int()), TypeKind::Int);
  EXPECT_EQ(ts.KindOf(TypeStore::Float()), TypeKind::Float);
  EXPECT_EQ(ts.KindOf(TypeStore::Bool()), TypeKind::Bool);
  EXPECT_EQ(ts.KindOf(TypeStore::String()), TypeKind::String);
  EXPECT_EQ(ts.KindOf(TypeStore::File()), TypeKind::File);
  EXPECT_EQ(ts.KindOf(TypeStore::Dir()), TypeKind::Dir);
  EXPECT_EQ(ts.KindOf(TypeStore::Duration()), TypeKind::Duration);
  EXPECT_EQ(ts.KindOf(TypeStore::Size()), TypeKind::Size);
}

TEST_F(TypeStoreTest, StructuralTypesAreInterned) {
  EXPECT_EQ(ts.List(Int()), ts.List(Int()));
  EXPECT_NE(ts.List(Int()), ts.List(Float()));
  EXPECT_EQ(ts.Map(Str(), Int()), ts.Map(Str(), Int()));
  EXPECT_NE(ts.Map(Str(), Int()), ts.Map(Int(), Str()));
  EXPECT_EQ(ts.Record({{"a", Int()}, {"b", File()}}), ts.Record({{"a", Int()}, {"b", File()}}));
  EXPECT_NE(ts.Record({{"a", Int()}}), ts.Record({{"b", Int()}}));
  size_t before = ts.size();
  ts.List(ts.Map(Str(), TypeStore::Bool()));
  ts.List(ts.Map(Str(), TypeStore::Bool()));
  EXPECT_EQ(ts.size(), before + 2);
}

TEST_F(TypeStoreTest, NominalTypesAreDistinct) {
  TypeId a = ts.DeclareStruct("S");
  TypeId b = ts.DeclareStruct("S");
  EXPECT_NE(a, b);
  TypeId e1 = ts.DeclareEnum("E", {"x"});
  TypeId e2 = ts.DeclareEnum("E", {"x"});
  EXPECT_NE(e1, e2);
  ts.SetStructFields(a, {{"n", Int(), true}});
  ASSERT_NE(ts.FindField(a, "n"), nullptr);
  EXPECT_TRUE(ts.FindField(a, "n")->has_default);
  EXPECT_EQ(ts.FindField(a, "m"), nullptr);
  EXPECT_EQ(ts.FindField(Int(), "n"), nullptr);
}

TEST_F(TypeStoreTest, OptionalCollapses) {
  TypeId oi = ts.Optional(Int());
  EXPECT_EQ(ts.Optional(oi), oi);
  EXPECT_EQ(ts.Optional(None()), None());
  EXPECT_EQ(ts.Optional(Err()), Err());
  EXPECT_EQ(ts.StripOptional(oi), Int());
  EXPECT_EQ(ts.StripOptional(Int()), Int());
}

TEST_F(TypeStoreTest, ToString) {
  EXPECT_EQ(ts.ToString(ts.Optional(ts.List(ts.Map(Str(), Int())))), "List[Map[String, Int]]?");
  EXPECT_EQ(ts.ToString(ts.Record({{"a", Int()}, {"b", File()}})), "(a: Int, b: File)");
  EXPECT_EQ(ts.ToString(ts.Record({})), "()");
  EXPECT_EQ(ts.ToString(None()), "none");
  EXPECT_EQ(ts.ToString(TypeStore::Duration()), "Duration");
  EXPECT_EQ(ts.ToString(TypeStore::Size()), "Size");
  EXPECT_EQ(ts.ToString(Dir()), "Dir");
  EXPECT_EQ(ts.ToString(ts.DeclareStruct("train.Metrics")), "train.Metrics");
  EXPECT_EQ(ts.ToString(ts.DeclareEnum("Split", {"a"})), "Split");
}

TEST_F(TypeStoreTest, AssignabilityScalars) {
  EXPECT_TRUE(ts.IsAssignable(Int(), Int()));
  EXPECT_TRUE(ts.IsAssignable(Int(), Float()));
  EXPECT_FALSE(ts.IsAssignable(Float(), Int()));
  EXPECT_TRUE(ts.IsAssignable(Str(), File()));
  EXPECT_TRUE(ts.IsAssignable(Str(), Dir()));
  EXPECT_FALSE(ts.IsAssignable(File(), Str()));
  EXPECT_FALSE(ts.IsAssignable(File(), Dir()));
  EXPECT_FALSE(ts.IsAssignable(Int(), Str()));
  EXPECT_FALSE(ts.IsAssignable(TypeStore::Bool(), Int()));
  EXPECT_FALSE(ts.IsAssignable(TypeStore::Duration(), TypeStore::Size()));
}

TEST_F(TypeStoreTest, AssignabilityOptionals) {
  TypeId oi = ts.Optional(Int());
  TypeId of = ts.Optional(Float());
  EXPECT_TRUE(ts.IsAssignable(Int(), oi));
  EXPECT_TRUE(ts.IsAssignable(None(), oi));
  EXPECT_TRUE(ts.IsAssignable(oi, of));
  EXPECT_TRUE(ts.IsAssignable(Int(), of));
  EXPECT_FALSE(ts.IsAssignable(oi, Int()));  // never narrows silently
  EXPECT_FALSE(ts.IsAssignable(None(), Int()));
  EXPECT_TRUE(ts.IsAssignable(Str(), ts.Optional(File())));
}

TEST_F(TypeStoreTest, AssignabilityContainers) {
  EXPECT_TRUE(ts.IsAssignable(ts.List(Int()), ts.List(Float())));
  EXPECT_TRUE(ts.IsAssignable(ts.List(Str()), ts.List(File())));
  EXPECT_FALSE(ts.IsAssignable(ts.List(Float()), ts.List(Int())));
  EXPECT_TRUE(ts.IsAssignable(ts.Map(Str(), Int()), ts.Map(Str(), Float())));
  EXPECT_FALSE(ts.IsAssignable(ts.Map(Int(), Int()), ts.Map(Str(), Int())));
  EXPECT_TRUE(ts.IsAssignable(ts.List(Int()), ts.List(ts.Optional(Int()))));
  TypeId r1 = ts.Record({{"a", Int()}, {"b", Str()}});
  TypeId r2 = ts.Record({{"a", Float()}, {"b", File()}});
  TypeId r3 = ts.Record({{"b", Str()}, {"a", Int()}});
  EXPECT_TRUE(ts.IsAssignable(r1, r2));
  EXPECT_FALSE(ts.IsAssignable(r2, r1));
  EXPECT_FALSE(ts.IsAssignable(r1, r3));
  EXPECT_FALSE(ts.IsAssignable(ts.Record({{"a", Int()}}), r1));
  TypeId s = ts.DeclareStruct("S");
  EXPECT_FALSE(ts.IsAssignable(r1, s));
  EXPECT_TRUE(ts.IsAssignable(s, s));
}

TEST_F(TypeStoreTest, ErrorIsAssignableBothWays) {
  EXPECT_TRUE(ts.IsAssignable(Err(), Int()));
  EXPECT_TRUE(ts.IsAssignable(Str(), Err()));
  EXPECT_TRUE(ts.IsAssignable(ts.List(Err()), ts.List(Int())));
  EXPECT_FALSE(ts.IsAssignable(TypeId{}, Int()));
}

TEST_F(TypeStoreTest, Unify) {
  EXPECT_EQ(ts.Unify(Int(), Int()), Int());
  EXPECT_EQ(ts.Unify(Int(), Float()), Float());
  EXPECT_EQ(ts.Unify(Float(), Int()), Float());
  EXPECT_EQ(ts.Unify(Int(), None()), ts.Optional(Int()));
  EXPECT_EQ(ts.Unify(None(), Str()), ts.Optional(Str()));
  EXPECT_EQ(ts.Unify(None(), None()), None());
  EXPECT_EQ(ts.Unify(ts.Optional(Int()), Int()), ts.Optional(Int()));
  EXPECT_EQ(ts.Unify(ts.Optional(Int()), Float()), ts.Optional(Float()));
  EXPECT_EQ(ts.Unify(Str(), File()), File());
  EXPECT_EQ(ts.Unify(Dir(), Str()), Dir());
  EXPECT_FALSE(ts.Unify(File(), Dir()).valid());
  EXPECT_FALSE(ts.Unify(Int(), Str()).valid());
  EXPECT_EQ(ts.Unify(Err(), Str()), Err());
}

TEST_F(TypeStoreTest, UnifyContainers) {
  EXPECT_EQ(ts.Unify(ts.List(Int()), ts.List(Float())), ts.List(Float()));
  EXPECT_FALSE(ts.Unify(ts.List(Int()), ts.List(Str())).valid());
  EXPECT_EQ(ts.Unify(ts.Map(Str(), Int()), ts.Map(Str(), None())), ts.Map(Str(), ts.Optional(Int())));
  EXPECT_FALSE(ts.Unify(ts.Map(Str(), Int()), ts.Map(Int(), Int())).valid());
  TypeId r1 = ts.Record({{"a", Int()}, {"b", Str()}});
  TypeId r2 = ts.Record({{"a", Float()}, {"b", File()}});
  EXPECT_EQ(ts.Unify(r1, r2), ts.Record({{"a", Float()}, {"b", File()}}));
  EXPECT_FALSE(ts.Unify(r1, ts.Record({{"a", Int()}})).valid());
  EXPECT_FALSE(ts.Unify(ts.DeclareStruct("A"), ts.DeclareStruct("A")).valid());
  EXPECT_FALSE(ts.Unify(ts.List(Int()), Int()).valid());
}

TEST_F(TypeStoreTest, Predicates) {
  EXPECT_TRUE(ts.IsScalar(Int()));
  EXPECT_TRUE(ts.IsScalar(File()));
  EXPECT_TRUE(ts.IsScalar(ts.DeclareEnum("E", {"a"})));
  EXPECT_FALSE(ts.IsScalar(ts.List(Int())));
  EXPECT_FALSE(ts.IsScalar(ts.Optional(Int())));
  EXPECT_TRUE(ts.IsNumeric(Float()));
  EXPECT_FALSE(ts.IsNumeric(Str()));
  EXPECT_TRUE(ts.ContainsError(ts.List(ts.Map(Str(), Err()))));
  EXPECT_FALSE(ts.ContainsError(ts.List(Int())));
  EXPECT_TRUE(ts.ContainsPath(ts.Record({{"m", ts.List(File())}})));
  EXPECT_FALSE(ts.ContainsPath(ts.Map(Str(), Int())));
  TypeId s = ts.DeclareStruct("S");
  ts.SetStructFields(s, {{"self", ts.List(s)}, {"d", Dir()}});
  EXPECT_TRUE(ts.ContainsPath(s));
  TypeId t = ts.DeclareStruct("T");
  ts.SetStructFields(t, {{"self", ts.List(t)}});
  EXPECT_FALSE(ts.ContainsPath(t));
}

}  // namespace
}  // namespace flow::types

// Flow's types as interned values. The checker creates them; the IR carries the
// same TypeStore, so backends and the runtime read types without the checker.
//
// A TypeId is an index into the store. Structurally equal types get the same id
// (interned), so `a == b` compares types. `TypeId::Error()` is the poison type:
// checks stay silent on operands of this type.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flow::types {

struct TypeId {
  int32_t index = -1;
  bool valid() const { return index >= 0; }
  friend bool operator==(TypeId a, TypeId b) { return a.index == b.index; }
  friend bool operator!=(TypeId a, TypeId b) { return a.index != b.index; }
  friend bool operator<(TypeId a, TypeId b) { return a.index < b.index; }
};

enum class TypeKind : uint8_t {
  Error,     // poison: the result of a failed check
  None,      // the type of the literal `none` (only assignable to optionals)
  Int,
  Float,
  Bool,
  String,
  File,
  Dir,
  Duration,
  Size,
  List,      // elem
  Map,       // key, value
  Optional,  // elem
  Record,    // fields (anonymous, ordered)
  Struct,    // nominal: name + fields (with defaults recorded by the declaration)
  Enum,      // nominal: name + members
};

struct Field {
  std::string name;
  TypeId type;
  bool has_default = false;  // structs only
};

struct Type {
  TypeKind kind = TypeKind::Error;
  TypeId elem;                      // List, Optional
  TypeId key, value;                // Map
  std::vector<Field> fields;        // Record, Struct
  std::string name;                 // Struct, Enum: qualified name ("Metrics", "train.Metrics")
  std::vector<std::string> members; // Enum
};

class TypeStore {
 public:
  TypeStore();

  // Singletons, created by the constructor in TypeKind order.
  static TypeId Error() { return TypeId{0}; }
  static TypeId None() { return TypeId{1}; }
  static TypeId Int() { return TypeId{2}; }
  static TypeId Float() { return TypeId{3}; }
  static TypeId Bool() { return TypeId{4}; }
  static TypeId String() { return TypeId{5}; }
  static TypeId File() { return TypeId{6}; }
  static TypeId Dir() { return TypeId{7}; }
  static TypeId Duration() { return TypeId{8}; }
  static TypeId Size() { return TypeId{9}; }

  TypeId List(TypeId elem);
  TypeId Map(TypeId key, TypeId value);
  /// `T?`. Optional(Optional(T)) is Optional(T); Optional(None) is None; Optional(Error) is Error.
  TypeId Optional(TypeId elem);
  TypeId Record(std::vector<Field> fields);
  /// Declares a new nominal struct. Fields may be set later (recursive references).
  TypeId DeclareStruct(std::string name);
  void SetStructFields(TypeId id, std::vector<Field> fields);
  TypeId DeclareEnum(std::string name, std::vector<std::string> members);

  const Type& Get(TypeId id) const { return types_[id.index]; }
  TypeKind KindOf(TypeId id) const { return types_[id.index].kind; }
  size_t size() const { return types_.size(); }

  bool IsError(TypeId id) const { return KindOf(id) == TypeKind::Error; }
  bool IsOptional(TypeId id) const { return KindOf(id) == TypeKind::Optional; }
  /// The `T` of `T?`, or `id` itself.
  TypeId StripOptional(TypeId id) const;
  /// True if the type or anything inside it is Error.
  bool ContainsError(TypeId id) const;
  /// Int, Float, Bool, String, File, Dir, Duration, Size, Enum.
  bool IsScalar(TypeId id) const;
  bool IsNumeric(TypeId id) const;  // Int or Float
  /// File, Dir, or a container/record holding one (values that carry paths).
  bool ContainsPath(TypeId id) const;
  /// Looks up a record/struct field; null if absent.
  const Field* FindField(TypeId id, std::string_view name) const;

  /// How Flow spells the type: `List[Map[String, Int]]?`, `(a: Int, b: File)`.
  std::string ToString(TypeId id) const;

  /// Can a value of type `from` be used where `to` is expected, with only the
  /// implicit conversions of the language: Int → Float, T → T?, none → T?,
  /// String → File/Dir, and these applied element-wise inside List, Map values,
  /// Optional and Record fields (values are immutable, so this is sound).
  /// Error is assignable both ways (poison).
  bool IsAssignable(TypeId from, TypeId to) const;

  /// The least type both can be used as (for `if` branches, list elements, `??`):
  /// equal types → that type; Int/Float → Float; T/none → T?; T/T? → T?;
  /// String/File → File; element-wise through containers. Returns nullopt-like
  /// invalid TypeId when there is none.
  TypeId Unify(TypeId a, TypeId b);

 private:
  TypeId Intern(Type type);
  /// Whether `id` or a type inside it (list/optional elements, map keys and
  /// values, record fields, and struct fields when `enter_structs`) has a
  /// kind for which `match` is true. Iterative; recursive structs are safe.
  bool AnyComponent(TypeId id, bool enter_structs, bool (*match)(TypeKind)) const;
  std::vector<Type> types_;
  std::map<std::string, int32_t> interned_;  // structural key → index
};

}  // namespace flow::types

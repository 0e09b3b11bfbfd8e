#include "compiler/types/type_store.h"

#include <fmt/format.h>

#include <utility>

namespace flow::types {

namespace {

// The interning key of a structural type: its kind and its children's ids. Nominal
// types (Struct, Enum) are never interned by structure: each declaration is new.
std::string StructuralKey(const Type& type) {
  std::string key = fmt::format("{}", static_cast<int>(type.kind));
  switch (type.kind) {
    case TypeKind::List:
    case TypeKind::Optional:
      key += fmt::format(":{}", type.elem.index);
      break;
    case TypeKind::Map:
      key += fmt::format(":{}:{}", type.key.index, type.value.index);
      break;
    case TypeKind::Record:
      for (const Field& field : type.fields) key += fmt::format(":{}={}", field.name, field.type.index);
      break;
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Struct:
    case TypeKind::Enum:
      break;
  }
  return key;
}

}  // namespace

TypeStore::TypeStore() {
  // The singletons, in TypeKind order, so that Error() == TypeId{0} and so on.
  const TypeKind singletons[] = {TypeKind::Error,  TypeKind::None, TypeKind::Int,  TypeKind::Float,
                                 TypeKind::Bool,   TypeKind::String, TypeKind::File, TypeKind::Dir,
                                 TypeKind::Duration, TypeKind::Size};
  for (TypeKind kind : singletons) {
    Type type;
    type.kind = kind;
    Intern(std::move(type));
  }
}

TypeId TypeStore::Intern(Type type) {
  std::string key = StructuralKey(type);
  auto it = interned_.find(key);
  if (it != interned_.end()) return TypeId{it->second};
  int32_t index = static_cast<int32_t>(types_.size());
  types_.push_back(std::move(type));
  interned_.emplace(std::move(key), index);
  return TypeId{index};
}

TypeId TypeStore::List(TypeId elem) {
  Type type;
  type.kind = TypeKind::List;
  type.elem = elem;
  return Intern(std::move(type));
}

TypeId TypeStore::Map(TypeId key, TypeId value) {
  Type type;
  type.kind = TypeKind::Map;
  type.key = key;
  type.value = value;
  return Intern(std::move(type));
}

TypeId TypeStore::Optional(TypeId elem) {
  switch (KindOf(elem)) {
    case TypeKind::Optional:
    case TypeKind::None:
    case TypeKind::Error:
      return elem;
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Record:
    case TypeKind::Struct:
    case TypeKind::Enum:
      break;
  }
  Type type;
  type.kind = TypeKind::Optional;
  type.elem = elem;
  return Intern(std::move(type));
}

TypeId TypeStore::Record(std::vector<Field> fields) {
  Type type;
  type.kind = TypeKind::Record;
  type.fields = std::move(fields);
  for (Field& field : type.fields) field.has_default = false;
  return Intern(std::move(type));
}

TypeId TypeStore::DeclareStruct(std::string name) {
  // Nominal: never shared with another declaration, so no interning.
  Type type;
  type.kind = TypeKind::Struct;
  type.name = std::move(name);
  types_.push_back(std::move(type));
  return TypeId{static_cast<int32_t>(types_.size() - 1)};
}

void TypeStore::SetStructFields(TypeId id, std::vector<Field> fields) {
  types_[id.index].fields = std::move(fields);
}

TypeId TypeStore::DeclareEnum(std::string name, std::vector<std::string> members) {
  Type type;
  type.kind = TypeKind::Enum;
  type.name = std::move(name);
  type.members = std::move(members);
  types_.push_back(std::move(type));
  return TypeId{static_cast<int32_t>(types_.size() - 1)};
}

TypeId TypeStore::StripOptional(TypeId id) const {
  return IsOptional(id) ? Get(id).elem : id;
}

bool TypeStore::ContainsError(TypeId id) const {
  // A struct's fields were checked at its declaration: it is not poisoned by them.
  return AnyComponent(id, /*enter_structs=*/false, [](TypeKind kind) { return kind == TypeKind::Error; });
}

bool TypeStore::IsScalar(TypeId id) const {
  switch (KindOf(id)) {
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum:
      return true;
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Optional:
    case TypeKind::Record:
    case TypeKind::Struct:
      return false;
  }
  return false;
}

bool TypeStore::IsNumeric(TypeId id) const {
  return KindOf(id) == TypeKind::Int || KindOf(id) == TypeKind::Float;
}

bool TypeStore::ContainsPath(TypeId id) const {
  return AnyComponent(id, /*enter_structs=*/true,
                      [](TypeKind kind) { return kind == TypeKind::File || kind == TypeKind::Dir; });
}

bool TypeStore::AnyComponent(TypeId id, bool enter_structs, bool (*match)(TypeKind)) const {
  if (!id.valid()) return false;
  TypeKind top = Get(id).kind;
  if (top != TypeKind::List && top != TypeKind::Optional && top != TypeKind::Map && top != TypeKind::Record &&
      top != TypeKind::Struct)
    return match(top);  // a scalar: the common case, without allocating
  // Struct fields may refer back to the struct; track the types already seen.
  std::vector<TypeId> stack{id};
  std::vector<bool> seen(types_.size(), false);
  while (!stack.empty()) {
    TypeId cur = stack.back();
    stack.pop_back();
    if (!cur.valid() || seen[cur.index]) continue;
    seen[cur.index] = true;
    const Type& type = Get(cur);
    if (match(type.kind)) return true;
    switch (type.kind) {
      case TypeKind::List:
      case TypeKind::Optional:
        stack.push_back(type.elem);
        break;
      case TypeKind::Map:
        stack.push_back(type.key);
        stack.push_back(type.value);
        break;
      case TypeKind::Struct:
        if (!enter_structs) break;
        [[fallthrough]];
      case TypeKind::Record:
        for (const Field& field : type.fields) stack.push_back(field.type);
        break;
      case TypeKind::Error:
      case TypeKind::None:
      case TypeKind::Int:
      case TypeKind::Float:
      case TypeKind::Bool:
      case TypeKind::String:
      case TypeKind::File:
      case TypeKind::Dir:
      case TypeKind::Duration:
      case TypeKind::Size:
      case TypeKind::Enum:
        break;
    }
  }
  return false;
}

const Field* TypeStore::FindField(TypeId id, std::string_view name) const {
  const Type& type = Get(id);
  if (type.kind != TypeKind::Record && type.kind != TypeKind::Struct) return nullptr;
  for (const Field& field : type.fields)
    if (field.name == name) return &field;
  return nullptr;
}

std::string TypeStore::ToString(TypeId id) const {
  if (!id.valid()) return "<invalid>";
  const Type& type = Get(id);
  switch (type.kind) {
    case TypeKind::Error:
      return "<error>";
    case TypeKind::None:
      return "none";
    case TypeKind::Int:
      return "Int";
    case TypeKind::Float:
      return "Float";
    case TypeKind::Bool:
      return "Bool";
    case TypeKind::String:
      return "String";
    case TypeKind::File:
      return "File";
    case TypeKind::Dir:
      return "Dir";
    case TypeKind::Duration:
      return "Duration";
    case TypeKind::Size:
      return "Size";
    case TypeKind::List:
      return "List[" + ToString(type.elem) + "]";
    case TypeKind::Map:
      return "Map[" + ToString(type.key) + ", " + ToString(type.value) + "]";
    case TypeKind::Optional:
      return ToString(type.elem) + "?";
    case TypeKind::Record: {
      std::string text = "(";
      for (size_t i = 0; i < type.fields.size(); ++i) {
        if (i) text += ", ";
        text += type.fields[i].name + ": " + ToString(type.fields[i].type);
      }
      return text + ")";
    }
    case TypeKind::Struct:
    case TypeKind::Enum:
      return type.name;
  }
  return "<invalid>";
}

bool TypeStore::IsAssignable(TypeId from, TypeId to) const {
  if (!from.valid() || !to.valid()) return false;
  if (from == to) return true;
  const Type& f = Get(from);
  const Type& t = Get(to);
  if (f.kind == TypeKind::Error || t.kind == TypeKind::Error) return true;
  if (t.kind == TypeKind::Optional) {
    if (f.kind == TypeKind::None) return true;
    if (f.kind == TypeKind::Optional) return IsAssignable(f.elem, t.elem);
    return IsAssignable(from, t.elem);
  }
  switch (f.kind) {
    case TypeKind::Int:
      return t.kind == TypeKind::Float;
    case TypeKind::String:
      return t.kind == TypeKind::File || t.kind == TypeKind::Dir;
    case TypeKind::List:
      return t.kind == TypeKind::List && IsAssignable(f.elem, t.elem);
    case TypeKind::Map:
      return t.kind == TypeKind::Map && f.key == t.key && IsAssignable(f.value, t.value);
    case TypeKind::Record:
      if (t.kind != TypeKind::Record || f.fields.size() != t.fields.size()) return false;
      for (size_t i = 0; i < f.fields.size(); ++i) {
        if (f.fields[i].name != t.fields[i].name) return false;
        if (!IsAssignable(f.fields[i].type, t.fields[i].type)) return false;
      }
      return true;
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Optional:
    case TypeKind::Struct:
    case TypeKind::Enum:
      return false;
  }
  return false;
}

TypeId TypeStore::Unify(TypeId a, TypeId b) {
  if (!a.valid() || !b.valid()) return TypeId{};
  if (a == b) return a;
  TypeKind ka = KindOf(a), kb = KindOf(b);
  if (ka == TypeKind::Error || kb == TypeKind::Error) return Error();
  if (ka == TypeKind::None) return Optional(b);
  if (kb == TypeKind::None) return Optional(a);
  if (ka == TypeKind::Optional || kb == TypeKind::Optional) {
    TypeId inner = Unify(StripOptional(a), StripOptional(b));
    return inner.valid() ? Optional(inner) : TypeId{};
  }
  auto either = [&](TypeKind x, TypeKind y) {
    return (ka == x && kb == y) || (ka == y && kb == x);
  };
  if (either(TypeKind::Int, TypeKind::Float)) return Float();
  if (either(TypeKind::String, TypeKind::File)) return File();
  if (either(TypeKind::String, TypeKind::Dir)) return Dir();
  if (ka != kb) return TypeId{};
  switch (ka) {
    case TypeKind::List: {
      TypeId elem = Unify(Get(a).elem, Get(b).elem);
      return elem.valid() ? List(elem) : TypeId{};
    }
    case TypeKind::Map: {
      if (Get(a).key != Get(b).key) return TypeId{};
      TypeId value = Unify(Get(a).value, Get(b).value);
      return value.valid() ? Map(Get(a).key, value) : TypeId{};
    }
    case TypeKind::Record: {
      // Copy: Unify may intern new types and reallocate types_.
      std::vector<Field> fa = Get(a).fields, fb = Get(b).fields;
      if (fa.size() != fb.size()) return TypeId{};
      std::vector<Field> fields;
      for (size_t i = 0; i < fa.size(); ++i) {
        if (fa[i].name != fb[i].name) return TypeId{};
        TypeId t = Unify(fa[i].type, fb[i].type);
        if (!t.valid()) return TypeId{};
        fields.push_back({fa[i].name, t, false});
      }
      return Record(std::move(fields));
    }
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Optional:
    case TypeKind::Struct:
    case TypeKind::Enum:
      return TypeId{};
  }
  return TypeId{};
}

}  // namespace flow::types

#include "runtime/value_paths.h"

#include <utility>

namespace flow::runtime {

namespace {

using types::TypeKind;

// Calls `fn` on each path string inside `value`, rebuilding the value from its results.
template <typename Fn>
ir::Value MapPaths(const types::TypeStore& types, types::TypeId type, const ir::Value& value, Fn& fn,
                   int depth) {
  if (!type.valid() || value.is_none() || depth > 200 || !types.ContainsPath(type)) return value;
  const types::Type& t = types.Get(type);
  switch (t.kind) {
    case TypeKind::File:
    case TypeKind::Dir:
      return value.kind() == ir::Value::Kind::String ? ir::Value::String(fn(value.as_string())) : value;
    case TypeKind::Optional: return MapPaths(types, t.elem, value, fn, depth + 1);
    case TypeKind::List: {
      std::vector<ir::Value> out;
      for (const ir::Value& v : value.list()) out.push_back(MapPaths(types, t.elem, v, fn, depth + 1));
      return ir::Value::List(std::move(out));
    }
    case TypeKind::Map: {
      std::vector<std::pair<ir::Value, ir::Value>> out;
      for (const auto& [k, v] : value.map()) out.emplace_back(k, MapPaths(types, t.value, v, fn, depth + 1));
      return ir::Value::Map(std::move(out));
    }
    case TypeKind::Record:
    case TypeKind::Struct: {
      std::vector<std::pair<std::string, ir::Value>> out;
      for (const auto& [name, v] : value.record()) {
        const types::Field* f = types.FindField(type, name);
        out.emplace_back(name, f ? MapPaths(types, f->type, v, fn, depth + 1) : v);
      }
      return ir::Value::Record(std::move(out));
    }
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum: return value;
  }
  return value;
}

}  // namespace

void CollectPaths(const types::TypeStore& types, types::TypeId type, const ir::Value& value,
                  std::vector<std::string>* paths) {
  auto fn = [paths](const std::string& p) {
    paths->push_back(p);
    return p;
  };
  MapPaths(types, type, value, fn, 0);
}

ir::Value AbsolutizePaths(const types::TypeStore& types, types::TypeId type, const ir::Value& value,
                          const std::string& base_dir) {
  auto fn = [&base_dir](const std::string& p) -> std::string {
    if (p.empty() || p[0] == '/' || p.find("://") != std::string::npos) return p;
    std::string joined = base_dir + "/" + p;
    // Fold "./" prefixes for readability; ".." is left to the OS.
    // (Built by appending rather than string::replace, which trips a GCC 12
    // -Wrestrict false positive.)
    for (size_t at = joined.find("/./"); at != std::string::npos; at = joined.find("/./")) {
      std::string folded = joined.substr(0, at + 1);
      folded.append(joined, at + 3, std::string::npos);
      joined = std::move(folded);
    }
    if (joined.size() > 2 && joined.compare(joined.size() - 2, 2, "/.") == 0) joined.resize(joined.size() - 2);
    return joined;
  };
  return MapPaths(types, type, value, fn, 0);
}

}  // namespace flow::runtime

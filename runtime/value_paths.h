// Walking the File/Dir paths inside typed values.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/value.h"
#include "compiler/types/type_store.h"

namespace flow::runtime {

/// Appends every File/Dir path inside `value` (of Flow type `type`) to `*paths`.
void CollectPaths(const types::TypeStore& types, types::TypeId type, const ir::Value& value,
                  std::vector<std::string>* paths);

/// `value` with every relative File/Dir path made absolute against `base_dir`
/// (URIs such as `s3://...` are kept): tasks run in their own directories, so
/// a path given relative to where `flowc run` started must not change meaning.
ir::Value AbsolutizePaths(const types::TypeStore& types, types::TypeId type, const ir::Value& value,
                          const std::string& base_dir);

}  // namespace flow::runtime

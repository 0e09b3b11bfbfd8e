#include "compiler/ir/ir.h"

#include <fmt/format.h>

namespace flow::ir {

const char* TaskFieldName(TaskField field) {
  switch (field) {
#define FLOW_TASK_FIELD(id, name, type) \
  case TaskField::id:                   \
    return name;
#include "compiler/ir/task_fields.def"
  }
  return "?";
}

std::string Program::Where(Loc loc) const {
  std::string file = loc.file >= 0 && static_cast<size_t>(loc.file) < files.size()
                         ? files[loc.file]
                         : std::string("<unknown>");
  return fmt::format("{}:{}:{}", file, loc.line, loc.column);
}

}  // namespace flow::ir

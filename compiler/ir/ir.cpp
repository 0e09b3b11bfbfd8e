#include "compiler/ir/ir.h"

#include <fmt/format.h>

namespace flow::ir {

const char* Spelling(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg: return "-";
    case UnaryOp::Not: return "not";
  }
  return "?";
}

const char* Spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::And: return "and";
    case BinaryOp::Or: return "or";
    case BinaryOp::Coalesce: return "??";
  }
  return "?";
}

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

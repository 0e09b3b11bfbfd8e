#include "compiler/lower/tekton/eval_program.h"

#include <fmt/format.h>

#include "compiler/ir/eval.h"

namespace flow::lower::tekton {

using ir::ExprKind;
using types::TypeKind;

namespace {

constexpr int kMaxDepth = 500;

const char* BinaryName(ir::BinaryOp op) {
  switch (op) {
    case ir::BinaryOp::Add: return "add";
    case ir::BinaryOp::Sub: return "sub";
    case ir::BinaryOp::Mul: return "mul";
    case ir::BinaryOp::Div: return "div";
    case ir::BinaryOp::Mod: return "mod";
    case ir::BinaryOp::Eq: return "eq";
    case ir::BinaryOp::Ne: return "ne";
    case ir::BinaryOp::Lt: return "lt";
    case ir::BinaryOp::Le: return "le";
    case ir::BinaryOp::Gt: return "gt";
    case ir::BinaryOp::Ge: return "ge";
    case ir::BinaryOp::And: return "and";
    case ir::BinaryOp::Or: return "or";
    case ir::BinaryOp::Coalesce: return "coalesce";
  }
  return "?";
}

const char* BuiltinText(ir::BuiltinId id) {
  switch (id) {
#define FLOW_BUILTIN(id, name, signature, doc) \
  case ir::BuiltinId::id:                      \
    return name;
#include "stdlib/builtins.def"
  }
  return "?";
}

}  // namespace

std::string TektonText(const ir::Value& value, ir::TypeId type, const types::TypeStore& types) {
  TypeKind kind = types.KindOf(types.StripOptional(type));
  if (kind == TypeKind::List || kind == TypeKind::Map || kind == TypeKind::Record || kind == TypeKind::Struct) {
    return ir::DumpJson(ir::ValueToJson(value, type, types));
  }
  if (value.is_none()) return "";
  return ir::FormatValueText(value, types.StripOptional(type), types);
}

int EvalProgram::Type(ir::TypeId type) {
  if (!type.valid()) return -1;
  auto found = type_index_.find(type.index);
  if (found != type_index_.end()) return found->second;
  const types::TypeStore& ts = program_.types;
  const types::Type& t = ts.Get(type);
  // Reserve the slot first: a struct's fields may refer back to it.
  int index = static_cast<int>(types_.size());
  type_index_[type.index] = index;
  types_.push_back(nullptr);
  ir::Json entry = ir::Json::array();
  switch (t.kind) {
    case TypeKind::Error: entry.push_back("error"); break;
    case TypeKind::None: entry.push_back("none"); break;
    case TypeKind::Int: entry.push_back("int"); break;
    case TypeKind::Float: entry.push_back("float"); break;
    case TypeKind::Bool: entry.push_back("bool"); break;
    case TypeKind::String: entry.push_back("string"); break;
    case TypeKind::File: entry.push_back("file"); break;
    case TypeKind::Dir: entry.push_back("dir"); break;
    case TypeKind::Duration: entry.push_back("duration"); break;
    case TypeKind::Size: entry.push_back("size"); break;
    case TypeKind::List:
      entry.push_back("list");
      entry.push_back(Type(t.elem));
      break;
    case TypeKind::Optional:
      entry.push_back("opt");
      entry.push_back(Type(t.elem));
      break;
    case TypeKind::Map:
      entry.push_back("map");
      entry.push_back(Type(t.key));
      entry.push_back(Type(t.value));
      break;
    case TypeKind::Record:
    case TypeKind::Struct: {
      entry.push_back(t.kind == TypeKind::Record ? "rec" : "struct");
      ir::Json fields = ir::Json::array();
      for (const types::Field& f : t.fields) fields.push_back(ir::Json::array({f.name, Type(f.type)}));
      entry.push_back(std::move(fields));
      if (t.kind == TypeKind::Struct) {
        // Defaults complete objects that omit a field (as ReadOptions::struct_default does).
        ir::Json defaults = ir::Json::array();
        auto it = program_.struct_defaults.find(type.index);
        for (size_t i = 0; i < t.fields.size(); ++i) {
          ir::ExprId d = it != program_.struct_defaults.end() && i < it->second.size() ? it->second[i] : ir::ExprId{};
          ir::EvalResult r = d.valid() ? ir::Eval(program_, d, ir::EvalEnv{}) : ir::EvalResult::Error("", {});
          if (r.ok) {
            defaults.push_back(ir::Json::array({ir::ValueToJson(r.value, t.fields[i].type, ts)}));
          } else {
            defaults.push_back(nullptr);
          }
        }
        entry.push_back(std::move(defaults));
        entry.push_back(t.name);
      }
      break;
    }
    case TypeKind::Enum: {
      entry.push_back("enum");
      ir::Json members = ir::Json::array();
      for (const std::string& m : t.members) members.push_back(m);
      entry.push_back(std::move(members));
      entry.push_back(t.name);
      break;
    }
  }
  types_[index] = std::move(entry);
  return index;
}

int EvalProgram::Node(ir::Json node) {
  exprs_.push_back(std::move(node));
  return static_cast<int>(exprs_.size()) - 1;
}

int EvalProgram::AddSource(bool array, ir::TypeId type, int segment) {
  sources_.push_back(ir::Json::array({array ? "array" : "string", Type(type), segment}));
  return static_cast<int>(sources_.size()) - 1;
}

int EvalProgram::AddExpr(ir::ExprId expr, const std::function<Leaf(ir::ExprId)>& leaf, ir::ExprId* failed) {
  return Serialize(expr, leaf, failed, 0);
}

void EvalProgram::AddOutput(int node, const std::string& mode) { outputs_.push_back(ir::Json::array({node, mode})); }

int EvalProgram::AddRecordType(const std::vector<std::pair<std::string, ir::TypeId>>& fields) {
  ir::Json list = ir::Json::array();
  for (const auto& [name, type] : fields) list.push_back(ir::Json::array({name, Type(type)}));
  types_.push_back(ir::Json::array({"rec", std::move(list)}));
  return static_cast<int>(types_.size()) - 1;
}

int EvalProgram::AddSourceOfIndex(bool array, int type_index, int segment) {
  sources_.push_back(ir::Json::array({array ? "array" : "string", type_index, segment}));
  return static_cast<int>(sources_.size()) - 1;
}

int EvalProgram::AddListType(ir::TypeId elem) { return AddListOfIndex(Type(elem)); }

int EvalProgram::AddListOfIndex(int elem_index) {
  types_.push_back(ir::Json::array({"list", elem_index}));
  return static_cast<int>(types_.size()) - 1;
}

int EvalProgram::AddOptionalOfIndex(int elem_index) {
  if (elem_index >= 0 && static_cast<size_t>(elem_index) < types_.size() && types_[elem_index].is_array() &&
      !types_[elem_index].empty() && types_[elem_index][0] == "opt") {
    return elem_index;
  }
  types_.push_back(ir::Json::array({"opt", elem_index}));
  return static_cast<int>(types_.size()) - 1;
}

int EvalProgram::AddLaxOfIndex(int elem_index) {
  types_.push_back(ir::Json::array({"lax", elem_index}));
  return static_cast<int>(types_.size()) - 1;
}

int EvalProgram::AddRecordOfIndices(const std::vector<std::pair<std::string, int>>& fields) {
  ir::Json list = ir::Json::array();
  for (const auto& [name, index] : fields) list.push_back(ir::Json::array({name, index}));
  types_.push_back(ir::Json::array({"rec", std::move(list)}));
  return static_cast<int>(types_.size()) - 1;
}

int EvalProgram::AddFileSource(ir::TypeId type) {
  sources_.push_back(ir::Json::array({"file", Type(type), -1}));
  return static_cast<int>(sources_.size()) - 1;
}

int EvalProgram::AddRawSource(int type_index) {
  sources_.push_back(ir::Json::array({"string", type_index, -1}));
  return static_cast<int>(sources_.size()) - 1;
}

int EvalProgram::AddRawFileSource(int type_index) {
  sources_.push_back(ir::Json::array({"file", type_index, -1}));
  return static_cast<int>(sources_.size()) - 1;
}

int EvalProgram::Serialize(ir::ExprId id, const std::function<Leaf(ir::ExprId)>& leaf, ir::ExprId* failed,
                           int depth) {
  if (depth > kMaxDepth) {
    *failed = id;
    return -1;
  }
  auto cached = expr_index_.find(id.index);
  if (cached != expr_index_.end()) return cached->second;
  const ir::Expr& e = program_.expr(id);
  int t = Type(e.type);
  Leaf l = leaf(id);
  switch (l.kind) {
    case Leaf::Kind::Expand: break;
    case Leaf::Kind::Source: return Node(ir::Json::array({"src", t, l.source}));
    case Leaf::Kind::Node: return l.source;
    case Leaf::Kind::Substitute: return Serialize(l.substitute, leaf, failed, depth + 1);
    case Leaf::Kind::Fail: *failed = id; return -1;
  }
  auto sub = [&](ir::ExprId op) -> int {
    if (!op.valid()) return -2;  // absent operand (a `Cond` without else)
    return Serialize(op, leaf, failed, depth + 1);
  };
  auto subs = [&](const std::vector<ir::ExprId>& ops, ir::Json* out) {
    for (ir::ExprId op : ops) {
      int n = sub(op);
      if (n < 0) return false;
      out->push_back(n);
    }
    return true;
  };
  ir::Json node = ir::Json::array();
  switch (e.kind) {
    case ExprKind::Literal:
      node = ir::Json::array({"lit", t, ir::ValueToJson(e.literal, e.type, program_.types)});
      break;
    case ExprKind::Var:
      node = ir::Json::array({"var", t, e.var.index});
      break;
    case ExprKind::Field: {
      int base = sub(e.operands[0]);
      if (base < 0) return -1;
      node = ir::Json::array({"field", t, base, e.name});
      break;
    }
    case ExprKind::Index: {
      int a = sub(e.operands[0]);
      if (a < 0) return -1;
      int b = sub(e.operands[1]);
      if (b < 0) return -1;
      node = ir::Json::array({"index", t, a, b});
      break;
    }
    case ExprKind::Unary: {
      int a = sub(e.operands[0]);
      if (a < 0) return -1;
      node = ir::Json::array({e.unary_op == ir::UnaryOp::Neg ? "neg" : "not", t, a});
      break;
    }
    case ExprKind::Binary: {
      int a = sub(e.operands[0]);
      if (a < 0) return -1;
      int b = sub(e.operands[1]);
      if (b < 0) return -1;
      node = ir::Json::array({"bin", t, BinaryName(e.binary_op), a, b});
      break;
    }
    case ExprKind::List:
    case ExprKind::Map: {
      ir::Json ops = ir::Json::array();
      if (!subs(e.operands, &ops)) return -1;
      node = ir::Json::array({e.kind == ExprKind::List ? "list" : "map", t, std::move(ops)});
      break;
    }
    case ExprKind::Record: {
      ir::Json ops = ir::Json::array();
      if (!subs(e.operands, &ops)) return -1;
      ir::Json names = ir::Json::array();
      for (const std::string& n : e.names) names.push_back(n);
      node = ir::Json::array({"rec", t, std::move(names), std::move(ops)});
      break;
    }
    case ExprKind::Cond: {
      int c = sub(e.operands[0]);
      if (c < 0) return -1;
      int a = sub(e.operands[1]);
      if (a == -1) return -1;
      int b = e.operands.size() > 2 ? sub(e.operands[2]) : -2;
      if (b == -1) return -1;
      node = ir::Json::array({"cond", t, c, a < 0 ? ir::Json(nullptr) : ir::Json(a),
                              b < 0 ? ir::Json(nullptr) : ir::Json(b)});
      break;
    }
    case ExprKind::Comprehension: {
      int over = sub(e.operands[0]);
      if (over < 0) return -1;
      int body = sub(e.operands[1]);
      if (body < 0) return -1;
      ir::Json vars = ir::Json::array();
      for (ir::VarId v : e.vars) vars.push_back(v.index);
      node = ir::Json::array({"comp", t, std::move(vars), over, body});
      break;
    }
    case ExprKind::Let: {
      int a = sub(e.operands[0]);
      if (a < 0) return -1;
      int b = sub(e.operands[1]);
      if (b < 0) return -1;
      node = ir::Json::array({"let", t, e.var.index, a, b});
      break;
    }
    case ExprKind::Builtin: {
      ir::Json ops = ir::Json::array();
      if (!subs(e.operands, &ops)) return -1;
      node = ir::Json::array({"call", t, BuiltinText(e.builtin), std::move(ops)});
      break;
    }
    case ExprKind::Interpolate: {
      ir::Json ops = ir::Json::array();
      if (!subs(e.operands, &ops)) return -1;
      ir::Json parts = ir::Json::array();
      for (const std::string& p : e.text_parts) parts.push_back(p);
      node = ir::Json::array({"interp", t, std::move(parts), std::move(ops)});
      break;
    }
    case ExprKind::Convert: {
      int a = sub(e.operands[0]);
      if (a < 0) return -1;
      node = ir::Json::array({"conv", t, Type(program_.expr(e.operands[0]).type), a});
      break;
    }
    case ExprKind::Input:
    case ExprKind::StepValue:
    case ExprKind::OutputPath:
      // Only the leaf callback knows where these come from.
      *failed = id;
      return -1;
  }
  int index = Node(std::move(node));
  expr_index_[id.index] = index;
  return index;
}

std::string EvalProgram::Json() const {
  ir::Json program = ir::Json::object();
  program["types"] = types_;
  program["exprs"] = exprs_;
  program["sources"] = sources_;
  program["outputs"] = outputs_;
  if (!where_.empty()) program["where"] = where_;
  if (matrix_limit_ > 0) program["matrix"] = ir::Json::array({matrix_limit_, matrix_where_, matrix_note_});
  return ir::DumpJson(program);
}

}  // namespace flow::lower::tekton

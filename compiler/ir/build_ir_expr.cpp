// Expressions: AST → IR Expr, with implicit conversions made explicit, constants
// folded, and calls handed to the workflow lowering (build_ir_workflow.cpp).
#include <cassert>

#include "compiler/ir/build_ir_internal.h"

namespace flow::ir {

using check::RefKind;
using types::TypeKind;
using types::TypeStore;

namespace {

const ast::Expr* StripParens(const ast::Expr* expr) {
  while (expr && expr->Is<ast::ParenExpr>()) expr = expr->As<ast::ParenExpr>()->inner;
  return expr;
}

}  // namespace

ExprId IrBuilder::LowerAs(const ast::Expr* expr, TypeId want) { return ConvertTo(LowerExpr(expr), want); }

ExprId IrBuilder::LowerExpr(const ast::Expr* expr) {
  if (!expr) return Literal(Value::None(), TypeStore::Error(), SourceRange{});
  TypeId type = TypeOf(expr);
  SourceRange range = expr->range;
  auto make = [&](ExprKind kind, std::vector<ExprId> operands) {
    Expr e;
    e.kind = kind;
    e.type = type;
    e.loc = ToLoc(range);
    e.operands = std::move(operands);
    return e;
  };
  switch (expr->kind) {
    case ast::Kind::IntLit: return Literal(Value::Int(expr->As<ast::IntLit>()->value), type, range);
    case ast::Kind::FloatLit: return Literal(Value::Float(expr->As<ast::FloatLit>()->value), type, range);
    case ast::Kind::BoolLit: return Literal(Value::Bool(expr->As<ast::BoolLit>()->value), type, range);
    case ast::Kind::NoneLit: return Literal(Value::None(), type, range);
    case ast::Kind::DurationLit: return Literal(Value::Int(expr->As<ast::DurationLit>()->millis), type, range);
    case ast::Kind::SizeLit: return Literal(Value::Int(expr->As<ast::SizeLit>()->bytes), type, range);
    case ast::Kind::StringLit: return LowerString(expr->As<ast::StringLit>());
    case ast::Kind::NameExpr: return LowerName(expr->As<ast::NameExpr>());
    case ast::Kind::FieldExpr: return LowerField(expr->As<ast::FieldExpr>());
    case ast::Kind::IndexExpr: {
      const auto* e = expr->As<ast::IndexExpr>();
      ExprId base = LowerExpr(e->base);
      TypeId base_type = out_.types.StripOptional(out_.expr(base).type);
      TypeId key_type = out_.types.KindOf(base_type) == TypeKind::Map ? out_.types.Get(base_type).key
                                                                      : TypeStore::Int();
      ExprId index = LowerAs(e->index, key_type);
      return AddExpr(make(ExprKind::Index, {base, index}));
    }
    case ast::Kind::CallExpr: {
      const auto* call = expr->As<ast::CallExpr>();
      const check::CallBinding* binding = CallOf(call);
      if (binding && binding->callee.kind == RefKind::Builtin) return LowerBuiltin(call, *binding);
      return LowerCall(call, /*is_try=*/false, range);
    }
    case ast::Kind::UnaryExpr: {
      const auto* e = expr->As<ast::UnaryExpr>();
      Expr u = make(ExprKind::Unary, {LowerExpr(e->operand)});
      u.unary_op = e->op;
      return AddExpr(std::move(u));
    }
    case ast::Kind::BinaryExpr: return LowerBinary(expr->As<ast::BinaryExpr>());
    case ast::Kind::ListExpr: {
      TypeId elem = out_.types.KindOf(type) == TypeKind::List ? out_.types.Get(type).elem : TypeId{};
      std::vector<ExprId> elems;
      for (const ast::Expr* e : expr->As<ast::ListExpr>()->elements) elems.push_back(LowerAs(e, elem));
      return AddExpr(make(ExprKind::List, std::move(elems)));
    }
    case ast::Kind::MapExpr: {
      TypeId key, value;
      if (out_.types.KindOf(type) == TypeKind::Map) {
        key = out_.types.Get(type).key;
        value = out_.types.Get(type).value;
      }
      std::vector<ExprId> operands;
      for (const auto& entry : expr->As<ast::MapExpr>()->entries) {
        operands.push_back(LowerAs(entry.key, key));
        operands.push_back(LowerAs(entry.value, value));
      }
      return AddExpr(make(ExprKind::Map, std::move(operands)));
    }
    case ast::Kind::RecordExpr: {
      Expr rec = make(ExprKind::Record, {});
      for (const ast::FieldInit& init : expr->As<ast::RecordExpr>()->fields) {
        const types::Field* field = out_.types.FindField(type, init.name.text);
        rec.names.emplace_back(init.name.text);
        rec.operands.push_back(LowerAs(init.value, field ? field->type : TypeId{}));
      }
      return AddExpr(std::move(rec));
    }
    case ast::Kind::StructExpr: return LowerStruct(expr->As<ast::StructExpr>());
    case ast::Kind::IfExpr:
      if (region_ && ContainsCall(expr)) return LowerCondStep(expr->As<ast::IfExpr>());
      return LowerPureIf(expr->As<ast::IfExpr>());
    case ast::Kind::ForExpr:
      if (region_ && ContainsCall(expr)) return LowerScatter(expr->As<ast::ForExpr>());
      return LowerPureFor(expr->As<ast::ForExpr>());
    case ast::Kind::TryExpr: {
      const ast::Expr* operand = StripParens(expr->As<ast::TryExpr>()->operand);
      if (operand && operand->Is<ast::CallExpr>()) return LowerCall(operand->As<ast::CallExpr>(), true, range);
      return LowerExpr(operand);
    }
    case ast::Kind::ParenExpr: return LowerExpr(expr->As<ast::ParenExpr>()->inner);
    case ast::Kind::ErrorExpr:
    case ast::Kind::NamedType:
    case ast::Kind::OptionalType:
    case ast::Kind::RecordType:
    case ast::Kind::ErrorType:
    case ast::Kind::LetStmt:
    case ast::Kind::ExprStmt:
    case ast::Kind::FieldStmt:
    case ast::Kind::FinallyStmt:
    case ast::Kind::ReturnStmt:
    case ast::Kind::ErrorStmt:
    case ast::Kind::Block:
    case ast::Kind::ImportDecl:
    case ast::Kind::StructDecl:
    case ast::Kind::EnumDecl:
    case ast::Kind::ConstDecl:
    case ast::Kind::TaskDecl:
    case ast::Kind::WorkflowDecl:
    case ast::Kind::ErrorDecl: break;
  }
  return Literal(Value::None(), TypeStore::Error(), range);
}

ExprId IrBuilder::LowerName(const ast::NameExpr* expr) {
  const check::DeclRef* ref = RefOf(expr);
  TypeId type = TypeOf(expr);
  Expr e;
  e.type = type;
  e.loc = ToLoc(expr->range);
  if (!ref) return Literal(Value::None(), TypeStore::Error(), expr->range);
  switch (ref->kind) {
    case RefKind::Param:
      e.kind = ExprKind::Input;
      e.index = ref->index;
      return AddExpr(std::move(e));
    case RefKind::Let: return LetRef(ref->node->As<ast::LetStmt>(), expr->range);
    case RefKind::LoopVar: {
      auto it = loop_vars_.find(ref->node);
      if (it == loop_vars_.end() || ref->index < 0 || static_cast<size_t>(ref->index) >= it->second.size()) break;
      e.kind = ExprKind::Var;
      e.var = it->second[ref->index];
      e.type = out_.var(e.var).type;
      return AddExpr(std::move(e));
    }
    case RefKind::Const: {
      ExprId value = ConstValue(ref->node->As<ast::ConstDecl>());
      Expr copy = out_.expr(value);
      copy.loc = e.loc;
      return AddExpr(std::move(copy));
    }
    case RefKind::Output:
      e.kind = ExprKind::OutputPath;
      e.index = ref->index < 0 ? 0 : ref->index;
      return AddExpr(std::move(e));
    case RefKind::None:
    case RefKind::Task:
    case RefKind::Workflow:
    case RefKind::Struct:
    case RefKind::Enum:
    case RefKind::EnumMember:
    case RefKind::Module:
    case RefKind::Builtin: break;
  }
  return Literal(Value::None(), TypeStore::Error(), expr->range);
}

ExprId IrBuilder::LowerField(const ast::FieldExpr* expr) {
  TypeId type = TypeOf(expr);
  if (const check::DeclRef* ref = RefOf(expr)) {
    switch (ref->kind) {
      case RefKind::EnumMember: return Literal(Value::String(std::string(expr->field.text)), type, expr->range);
      case RefKind::Const: {
        Expr copy = out_.expr(ConstValue(ref->node->As<ast::ConstDecl>()));
        copy.loc = ToLoc(expr->range);
        return AddExpr(std::move(copy));
      }
      case RefKind::Output: {
        Expr e;
        e.kind = ExprKind::OutputPath;
        e.index = ref->index;
        e.type = type;
        e.loc = ToLoc(expr->range);
        return AddExpr(std::move(e));
      }
      case RefKind::None:
      case RefKind::Param:
      case RefKind::Let:
      case RefKind::LoopVar:
      case RefKind::Task:
      case RefKind::Workflow:
      case RefKind::Struct:
      case RefKind::Enum:
      case RefKind::Module:
      case RefKind::Builtin: break;
    }
  }
  Expr e;
  e.kind = ExprKind::Field;
  e.type = type;
  e.loc = ToLoc(expr->range);
  e.name = expr->field.text;
  e.operands = {LowerExpr(expr->base)};
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerString(const ast::StringLit* lit) {
  TypeId type = TypeOf(lit);
  bool interpolated = false;
  for (const ast::StringPart& part : lit->parts) interpolated = interpolated || part.expr;
  if (!interpolated) {
    std::string text;
    for (const ast::StringPart& part : lit->parts) text += part.text;
    return Literal(Value::String(std::move(text)), type, lit->range);
  }
  Expr e;
  e.kind = ExprKind::Interpolate;
  e.type = type;
  e.loc = ToLoc(lit->range);
  e.text_parts.emplace_back();
  for (const ast::StringPart& part : lit->parts) {
    if (!part.expr) {
      e.text_parts.back() += part.text;
      continue;
    }
    e.operands.push_back(LowerExpr(part.expr));
    e.text_parts.emplace_back();
  }
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerBinary(const ast::BinaryExpr* expr) {
  TypeId type = TypeOf(expr);
  ExprId lhs = LowerExpr(expr->lhs);
  ExprId rhs = LowerExpr(expr->rhs);
  Expr e;
  e.kind = ExprKind::Binary;
  e.type = type;
  e.loc = ToLoc(expr->range);
  e.binary_op = expr->op;  // one operator enum for the AST and the IR
  switch (e.binary_op) {
    case BinaryOp::Add:
    case BinaryOp::Sub:
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Mod:
      // Int + Float is a Float sum: widen the Int side explicitly.
      lhs = ConvertTo(lhs, type);
      rhs = ConvertTo(rhs, type);
      break;
    case BinaryOp::Eq:
    case BinaryOp::Ne:
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: {
      TypeId lt = out_.expr(lhs).type, rt = out_.expr(rhs).type;
      if (lt != rt && !out_.types.ContainsError(lt) && !out_.types.ContainsError(rt)) {
        TypeId common = out_.types.Unify(lt, rt);
        if (common.valid()) {
          lhs = ConvertTo(lhs, common);
          rhs = ConvertTo(rhs, common);
        }
      }
      break;
    }
    case BinaryOp::And:
    case BinaryOp::Or: break;
    case BinaryOp::Coalesce: rhs = ConvertTo(rhs, type); break;
  }
  e.operands = {lhs, rhs};
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerStruct(const ast::StructExpr* expr) {
  TypeId type = TypeOf(expr);
  Expr e;
  e.kind = ExprKind::Record;
  e.type = type;
  e.loc = ToLoc(expr->range);
  if (out_.types.KindOf(type) != TypeKind::Struct) return Literal(Value::None(), TypeStore::Error(), expr->range);
  std::vector<types::Field> fields = out_.types.Get(type).fields;  // copy: lowering may intern types
  for (size_t i = 0; i < fields.size(); ++i) {
    const ast::Expr* given = nullptr;
    for (const ast::FieldInit& init : expr->fields) {
      if (init.name.text == fields[i].name) given = init.value;
    }
    ExprId value;
    if (given) {
      value = LowerAs(given, fields[i].type);
    } else {
      value = StructFieldDefault(type, i);
      if (!value.valid()) value = Literal(Value::None(), fields[i].type, expr->range);
    }
    e.names.push_back(fields[i].name);
    e.operands.push_back(value);
  }
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerBuiltin(const ast::CallExpr* call, const check::CallBinding& binding) {
  TypeId type = TypeOf(call);
  Expr e;
  e.kind = ExprKind::Builtin;
  e.type = type;
  e.loc = ToLoc(call->range);
  e.builtin = binding.callee.builtin;
  for (const ast::Expr* arg : binding.args) {
    if (arg) {
      e.operands.push_back(LowerExpr(arg));
      continue;
    }
    // The only defaulted builtin parameters are string separators/reasons.
    if (e.builtin == BuiltinId::Join || e.builtin == BuiltinId::Raw) {
      e.operands.push_back(Literal(Value::String(""), TypeStore::String(), call->range));
    }
  }
  if ((e.builtin == BuiltinId::Min || e.builtin == BuiltinId::Max) && e.operands.size() == 2) {
    for (ExprId& op : e.operands) op = ConvertTo(op, type);
  }
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerPureIf(const ast::IfExpr* expr) {
  TypeId type = TypeOf(expr);
  TypeId branch = expr->else_block ? type : out_.types.StripOptional(type);
  Expr e;
  e.kind = ExprKind::Cond;
  e.type = type;
  e.loc = ToLoc(expr->range);
  ExprId cond = LowerAs(expr->cond, TypeStore::Bool());
  ExprId then_value = ConvertTo(LowerPureBlock(expr->then_block, branch), type);
  ExprId else_value = expr->else_block ? ConvertTo(LowerPureBlock(expr->else_block, type), type)
                                       : Literal(Value::None(), type, expr->range);
  e.operands = {cond, then_value, else_value};
  return AddExpr(std::move(e));
}

std::vector<VarId> IrBuilder::LoopVars(const ast::ForExpr* expr, TypeId iterable) {
  std::vector<TypeId> var_types(expr->vars.size(), TypeStore::Error());
  TypeId it = out_.types.StripOptional(iterable);
  const types::Type& t = out_.types.Get(it);
  if (t.kind == TypeKind::List) {
    if (var_types.size() == 1) {
      var_types[0] = t.elem;
    } else if (var_types.size() == 2) {
      const types::Type& elem = out_.types.Get(t.elem);
      if (elem.fields.size() == 2) {
        var_types[0] = elem.fields[0].type;
        var_types[1] = elem.fields[1].type;
      }
    }
  } else if (t.kind == TypeKind::Map) {
    if (!var_types.empty()) var_types[0] = t.key;
    if (var_types.size() == 2) var_types[1] = t.value;
  }
  std::vector<VarId> vars;
  for (size_t i = 0; i < expr->vars.size(); ++i) {
    vars.push_back(AddVar(std::string(expr->vars[i].text), var_types[i], expr->vars[i].range));
  }
  loop_vars_[expr] = vars;
  return vars;
}

ExprId IrBuilder::LowerPureFor(const ast::ForExpr* expr) {
  TypeId type = TypeOf(expr);
  TypeId elem = out_.types.KindOf(type) == TypeKind::List ? out_.types.Get(type).elem : TypeId{};
  Expr e;
  e.kind = ExprKind::Comprehension;
  e.type = type;
  e.loc = ToLoc(expr->range);
  ExprId iterable = LowerExpr(expr->iterable);
  e.vars = LoopVars(expr, out_.expr(iterable).type);
  ExprId body = LowerPureBlock(expr->body, elem);
  e.operands = {iterable, body};
  return AddExpr(std::move(e));
}

ExprId IrBuilder::LowerPureBlock(const ast::Block* block, TypeId want) {
  if (!block) return Literal(Value::None(), TypeStore::Error(), SourceRange{});
  PureBlock pure;
  pure_blocks_.push_back(&pure);
  let_scopes_.emplace_back();
  DeclareLets(block->stmts, /*pure=*/true);
  for (const ast::Stmt* stmt : block->stmts) {
    if (const auto* let = stmt->TryAs<ast::LetStmt>()) EnsureLet(let);
  }
  ExprId result = block->result ? LowerAs(block->result, want)
                                : Literal(Value::Record({}), out_.types.Record({}), block->range);
  // Wrap the result in the lets, innermost last: `let a = ..; let b = ..; r`
  // becomes Let(a, .., Let(b, .., r)), dependencies first.
  for (auto it = pure.order.rbegin(); it != pure.order.rend(); ++it) {
    const LetBinding& binding = lets_[*it];
    Expr e;
    e.kind = ExprKind::Let;
    e.type = out_.expr(result).type;
    e.loc = ToLoc((*it)->range);
    e.var = binding.var;
    e.operands = {binding.value, result};
    result = AddExpr(std::move(e));
  }
  let_scopes_.pop_back();
  pure_blocks_.pop_back();
  return result;
}

ExprId IrBuilder::LetRef(const ast::LetStmt* let, SourceRange use) {
  EnsureLet(let);
  auto it = lets_.find(let);
  Expr e;
  e.loc = ToLoc(use);
  if (it == lets_.end() || it->second.state != LetBinding::State::Done) {
    return Literal(Value::None(), TypeStore::Error(), use);
  }
  const LetBinding& binding = it->second;
  if (binding.pure) {
    e.kind = ExprKind::Var;
    e.var = binding.var;
    e.type = out_.var(binding.var).type;
  } else {
    e.kind = ExprKind::StepValue;
    e.step = binding.step;
    e.type = out_.step(binding.step).type;
  }
  return AddExpr(std::move(e));
}

void IrBuilder::EnsureLet(const ast::LetStmt* let) {
  auto it = lets_.find(let);
  if (it == lets_.end()) {
    // Not declared by an enclosing block (should not happen): treat it as pure here.
    LetBinding binding;
    binding.pure = true;
    lets_[let] = binding;
    it = lets_.find(let);
  }
  if (it->second.state != LetBinding::State::Unlowered) return;  // done, or a cycle (diagnosed by the checker)
  it->second.state = LetBinding::State::InProgress;
  if (!it->second.pure) {
    LowerRegionLet(let);
    lets_[let].state = LetBinding::State::Done;
    return;
  }
  TypeId want = let->type ? TypeOfTypeExpr(let->type) : TypeId{};
  ExprId value = LowerAs(let->value, want);
  TypeId type = want.valid() ? want : out_.expr(value).type;
  VarId var = AddVar(std::string(let->name.text), type, let->name.range);
  LetBinding& binding = lets_[let];  // re-find: lowering may have grown the map
  binding.var = var;
  binding.value = value;
  binding.state = LetBinding::State::Done;
  if (binding.block) binding.block->order.push_back(let);
}

ExprId IrBuilder::ConstValue(const ast::ConstDecl* decl) {
  auto it = const_values_.find(decl);
  if (it != const_values_.end()) return it->second;
  // Placeholder while in progress: a cycle (already diagnosed) reads as an error value.
  const_values_[decl] = Literal(Value::None(), TypeStore::Error(), decl->range);
  int32_t saved_module = module_;
  RegionBuilder* saved_region = region_;
  module_ = decl_module_.lookup(decl);
  region_ = nullptr;
  auto type_it = checked_.decl_types.find(decl);
  TypeId type = decl->type ? TypeOfTypeExpr(decl->type)
                           : (type_it != checked_.decl_types.end() ? type_it->second : TypeOf(decl->value));
  ExprId value = Fold(LowerAs(decl->value, type));
  module_ = saved_module;
  region_ = saved_region;
  const_values_[decl] = value;
  return value;
}

ExprId IrBuilder::StructFieldDefault(TypeId struct_type, size_t field) {
  auto it = struct_decls_.find(struct_type.index);
  if (it == struct_decls_.end() || field >= it->second->fields.size()) return ExprId{};
  const ast::Param& param = it->second->fields[field];
  if (!param.default_value) return ExprId{};
  const auto& fields = out_.types.Get(struct_type).fields;
  TypeId type = field < fields.size() ? fields[field].type : TypeId{};
  RegionBuilder* saved_region = region_;
  region_ = nullptr;
  ExprId value = Fold(LowerAs(param.default_value, type));
  region_ = saved_region;
  return value;
}

}  // namespace flow::ir

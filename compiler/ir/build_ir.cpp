// CheckedProgram → Program: declarations, locations and the helpers every
// build_ir_*.cpp file shares. See build_ir_internal.h for the design.
#include "compiler/ir/build_ir.h"

#include <cassert>

#include "compiler/ir/build_ir_internal.h"
#include "compiler/ir/eval.h"
#include "compiler/ir/verify_ir.h"

namespace flow::ir {

using types::TypeKind;
using types::TypeStore;

IrBuilder::IrBuilder(check::CheckedProgram& checked, const SourceManager& sources, Program& out)
    : checked_(checked), sources_(sources), out_(out) {
  // Sized from the checker's tables so the two big arrays are allocated once:
  // growing by doubling would briefly hold old and new copies, which is the
  // peak memory of checking a large workflow.
  out_.exprs.reserve(out_.exprs.size() + checked_.expr_types.size() + 64);
  out_.steps.reserve(out_.steps.size() + checked_.calls.size() + 64);
}

Loc IrBuilder::ToLoc(SourceRange range) const {
  Loc loc;
  if (!range.valid() || static_cast<size_t>(range.file.index) >= sources_.file_count()) return loc;
  loc.file = range.file.index;
  LineCol lc = sources_.ToLineCol(range.file, range.begin);
  loc.line = lc.line;
  loc.column = lc.column;
  loc.begin = range.begin;
  loc.end = range.end;
  return loc;
}

TypeId IrBuilder::TypeOf(const ast::Node* node) const {
  auto it = checked_.expr_types.find(node);
  return it == checked_.expr_types.end() ? TypeStore::Error() : it->second;
}

TypeId IrBuilder::TypeOfTypeExpr(const ast::TypeExpr* type) const {
  if (!type) return TypeId{};
  auto it = checked_.type_exprs.find(type);
  return it == checked_.type_exprs.end() ? TypeStore::Error() : it->second;
}

ExprId IrBuilder::AddExpr(Expr expr) {
  if (!expr.type.valid()) expr.type = TypeStore::Error();
  out_.exprs.push_back(std::move(expr));
  return ExprId{static_cast<int32_t>(out_.exprs.size() - 1)};
}

bool IrBuilder::HasAfter(const ast::Node* stmt) {
  if (const auto* let = stmt->TryAs<ast::LetStmt>()) return !let->after.empty();
  if (const auto* expr_stmt = stmt->TryAs<ast::ExprStmt>()) return !expr_stmt->after.empty();
  return false;
}

StepId IrBuilder::AddStep(Step step) {
  out_.steps.push_back(std::move(step));
  StepId id{static_cast<int32_t>(out_.steps.size() - 1)};
  step_region_.push_back(region_ ? region_->id : -1);
  if (current_stmt_ && HasAfter(current_stmt_)) stmt_steps_[current_stmt_].push_back(id);
  if (region_) region_->steps.push_back(id);
  return id;
}

VarId IrBuilder::AddVar(std::string name, TypeId type, SourceRange range) {
  out_.vars.push_back(Var{std::move(name), type, ToLoc(range)});
  return VarId{static_cast<int32_t>(out_.vars.size() - 1)};
}

ExprId IrBuilder::Literal(Value value, TypeId type, SourceRange range) {
  Expr e;
  e.kind = ExprKind::Literal;
  e.literal = std::move(value);
  e.type = type;
  e.loc = ToLoc(range);
  return AddExpr(std::move(e));
}

ExprId IrBuilder::ConvertTo(ExprId expr, TypeId to) {
  if (!expr.valid() || !to.valid()) return expr;
  TypeId from = out_.expr(expr).type;
  if (from == to || out_.types.IsError(to) || out_.types.ContainsError(from)) return expr;
  if (!out_.types.IsAssignable(from, to)) return expr;
  const Expr& source = out_.expr(expr);
  if (source.kind == ExprKind::Literal && source.literal.is_none()) {
    // `none` needs no conversion: it is a none of the wanted type.
    Expr retyped = source;
    retyped.type = to;
    return AddExpr(std::move(retyped));
  }
  Expr e;
  e.kind = ExprKind::Convert;
  e.type = to;
  e.loc = source.loc;
  e.operands = {expr};
  ExprId converted = AddExpr(std::move(e));
  // A literal converts at compile time (Int → Float, element-wise).
  if (out_.expr(expr).kind == ExprKind::Literal) return Fold(converted);
  return converted;
}

ExprId IrBuilder::Fold(ExprId expr) {
  if (!expr.valid() || out_.expr(expr).kind == ExprKind::Literal) return expr;
  // Constants stay small in the IR: a huge folded list would cost memory in
  // every phase, so such values are computed where they are used instead.
  EvalEnv env;
  env.max_length = 10'000;
  EvalResult r = Eval(out_, expr, env);
  if (!r.ok) return expr;  // needs run-time values, or fails at run time with its message
  Expr lit;
  lit.kind = ExprKind::Literal;
  lit.literal = std::move(r.value);
  lit.type = out_.expr(expr).type;
  lit.loc = out_.expr(expr).loc;
  return AddExpr(std::move(lit));
}

const check::DeclRef* IrBuilder::RefOf(const ast::Node* node) const {
  auto it = checked_.refs.find(node);
  return it == checked_.refs.end() ? nullptr : &it->second;
}

const check::CallBinding* IrBuilder::CallOf(const ast::CallExpr* call) const {
  auto it = checked_.calls.find(call);
  return it == checked_.calls.end() ? nullptr : &it->second;
}

namespace {

bool IsStepCall(const check::CallBinding* binding) {
  return binding &&
         (binding->callee.kind == check::RefKind::Task || binding->callee.kind == check::RefKind::Workflow);
}

}  // namespace

bool IrBuilder::ContainsCall(const ast::Node* node) {
  if (!node) return false;
  auto cached = contains_call_.find(node);
  if (cached != contains_call_.end()) return cached->second;
  bool result = false;
  auto any = [&](auto&& range) {
    for (const auto* child : range) result = result || ContainsCall(child);
  };
  switch (node->kind) {
    case ast::Kind::CallExpr: {
      const auto* call = node->As<ast::CallExpr>();
      result = IsStepCall(CallOf(call));
      for (const auto& arg : call->args) result = result || ContainsCall(arg.value);
      for (const auto& field : call->with) result = result || ContainsCall(field.value);
      break;
    }
    case ast::Kind::StringLit:
      for (const auto& part : node->As<ast::StringLit>()->parts) result = result || ContainsCall(part.expr);
      break;
    case ast::Kind::FieldExpr: result = ContainsCall(node->As<ast::FieldExpr>()->base); break;
    case ast::Kind::IndexExpr:
      result = ContainsCall(node->As<ast::IndexExpr>()->base) || ContainsCall(node->As<ast::IndexExpr>()->index);
      break;
    case ast::Kind::UnaryExpr: result = ContainsCall(node->As<ast::UnaryExpr>()->operand); break;
    case ast::Kind::BinaryExpr:
      result = ContainsCall(node->As<ast::BinaryExpr>()->lhs) || ContainsCall(node->As<ast::BinaryExpr>()->rhs);
      break;
    case ast::Kind::ListExpr: any(node->As<ast::ListExpr>()->elements); break;
    case ast::Kind::MapExpr:
      for (const auto& entry : node->As<ast::MapExpr>()->entries) {
        result = result || ContainsCall(entry.key) || ContainsCall(entry.value);
      }
      break;
    case ast::Kind::RecordExpr:
      for (const auto& field : node->As<ast::RecordExpr>()->fields) result = result || ContainsCall(field.value);
      break;
    case ast::Kind::StructExpr:
      for (const auto& field : node->As<ast::StructExpr>()->fields) result = result || ContainsCall(field.value);
      break;
    case ast::Kind::IfExpr: {
      const auto* e = node->As<ast::IfExpr>();
      result = ContainsCall(e->cond) || ContainsCall(e->then_block) || ContainsCall(e->else_block);
      break;
    }
    case ast::Kind::ForExpr: {
      const auto* e = node->As<ast::ForExpr>();
      result = ContainsCall(e->iterable) || ContainsCall(e->limit) || ContainsCall(e->body);
      break;
    }
    case ast::Kind::TryExpr: result = ContainsCall(node->As<ast::TryExpr>()->operand); break;
    case ast::Kind::ParenExpr: result = ContainsCall(node->As<ast::ParenExpr>()->inner); break;
    case ast::Kind::Block: {
      const auto* block = node->As<ast::Block>();
      any(block->stmts);
      result = result || ContainsCall(block->result);
      break;
    }
    case ast::Kind::LetStmt: result = ContainsCall(node->As<ast::LetStmt>()->value); break;
    case ast::Kind::ExprStmt: result = ContainsCall(node->As<ast::ExprStmt>()->expr); break;
    case ast::Kind::FieldStmt: result = ContainsCall(node->As<ast::FieldStmt>()->field.value); break;
    case ast::Kind::FinallyStmt: result = ContainsCall(node->As<ast::FinallyStmt>()->body); break;
    case ast::Kind::ReturnStmt: result = ContainsCall(node->As<ast::ReturnStmt>()->value); break;
    case ast::Kind::IntLit:
    case ast::Kind::FloatLit:
    case ast::Kind::BoolLit:
    case ast::Kind::NoneLit:
    case ast::Kind::DurationLit:
    case ast::Kind::SizeLit:
    case ast::Kind::NameExpr:
    case ast::Kind::ErrorExpr:
    case ast::Kind::ErrorStmt:
    case ast::Kind::NamedType:
    case ast::Kind::OptionalType:
    case ast::Kind::RecordType:
    case ast::Kind::ErrorType:
    case ast::Kind::ImportDecl:
    case ast::Kind::StructDecl:
    case ast::Kind::EnumDecl:
    case ast::Kind::ConstDecl:
    case ast::Kind::TaskDecl:
    case ast::Kind::WorkflowDecl:
    case ast::Kind::ErrorDecl: break;
  }
  contains_call_[node] = result;
  return result;
}

void IrBuilder::Run() {
  for (size_t i = 0; i < sources_.file_count(); ++i) {
    out_.files.emplace_back(sources_.Path(FileId{static_cast<int32_t>(i)}));
  }
  const load::LoadedProgram* loaded = checked_.loaded;
  if (!loaded) return;
  // Index every task and workflow first: bodies call each other in any order.
  std::vector<std::pair<const ast::TaskDecl*, int32_t>> tasks;
  std::vector<std::pair<const ast::WorkflowDecl*, int32_t>> workflows;
  for (size_t m = 0; m < loaded->modules.size(); ++m) {
    const load::LoadedModule& module = loaded->modules[m];
    for (const ast::Decl* decl : module.module.decls) {
      decl_module_[decl] = static_cast<int32_t>(m);
      std::string module_name = m == 0 ? std::string() : module.name;
      std::string qualified =
          module_name.empty() ? std::string(decl->name.text) : module_name + "." + std::string(decl->name.text);
      if (const auto* task = decl->TryAs<ast::TaskDecl>()) {
        task_index_[task] = static_cast<int32_t>(out_.tasks.size());
        Task t;
        t.name = decl->name.text;
        t.module = module_name;
        t.qualified_name = qualified;
        out_.tasks.push_back(std::move(t));
        tasks.emplace_back(task, static_cast<int32_t>(m));
      } else if (const auto* wf = decl->TryAs<ast::WorkflowDecl>()) {
        workflow_index_[wf] = static_cast<int32_t>(out_.workflows.size());
        Workflow w;
        w.name = decl->name.text;
        w.module = module_name;
        w.qualified_name = qualified;
        out_.workflows.push_back(std::move(w));
        workflows.emplace_back(wf, static_cast<int32_t>(m));
      } else if (const auto* s = decl->TryAs<ast::StructDecl>()) {
        auto it = checked_.decl_types.find(s);
        if (it != checked_.decl_types.end()) struct_decls_[it->second.index] = s;
      }
    }
  }
  for (auto& [decl, module] : tasks) {
    module_ = module;
    BuildTask(decl, out_.tasks[task_index_[decl]]);
  }
  for (auto& [decl, module] : workflows) {
    module_ = module;
    BuildWorkflow(decl, out_.workflows[workflow_index_[decl]]);
  }
  // Struct defaults, for values read from JSON (`-i`, task outputs).
  for (const auto& [type_index, decl] : struct_decls_) {
    std::vector<ExprId> defaults;
    for (size_t i = 0; i < decl->fields.size(); ++i) {
      module_ = decl_module_.lookup(decl);
      defaults.push_back(StructFieldDefault(TypeId{type_index}, i));
    }
    out_.struct_defaults[type_index] = std::move(defaults);
  }
  if (checked_.entry) {
    auto it = workflow_index_.find(checked_.entry);
    if (it != workflow_index_.end()) out_.entry = it->second;
  }
}

Program BuildIR(check::CheckedProgram&& checked, const SourceManager& sources) {
  Program program;
  program.types = std::move(checked.types);
  IrBuilder builder(checked, sources, program);
  builder.Run();
#ifndef NDEBUG
  std::string error;
  bool valid = VerifyProgram(program, &error);
  assert(valid && "BuildIR produced an invalid program");
  (void)valid;
#endif
  return program;
}

}  // namespace flow::ir

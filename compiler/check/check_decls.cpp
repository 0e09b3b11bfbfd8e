// Module-level declarations: constants (checked on demand, so they may refer to
// each other in any order), parameter and struct-field defaults, then the
// bodies of tasks and workflows.
#include "compiler/check/checker.h"

namespace flow::check {

TypeId Checker::EnsureConst(const ast::ConstDecl* decl, int module) {
  int& state = const_state_[decl];
  if (state == 2) return out_.decl_types.lookup(decl);
  if (state == 1) {
    diags_.Build(decl->name.range, diag::Kind::DependencyCycle,
                 fmt::format("constant `{}` depends on itself", decl->name.text))
        .Emit();
    out_.decl_types[decl] = TypeStore::Error();
    state = 2;
    return TypeStore::Error();
  }
  state = 1;
  BeginFunction(Context::Const, module, nullptr);
  TypeId want = decl->type ? ResolveType(decl->type, module) : TypeId{};
  TypeId type = want.valid() ? CheckExprAs(decl->value, want, decl->type->range, "expected because of this type")
                             : CheckExpr(decl->value);
  if (want.valid()) type = want;
  EndFunction();
  // A cycle found while checking may already have settled this constant.
  int& settled = const_state_[decl];
  if (settled != 2) out_.decl_types[decl] = type;
  settled = 2;
  return out_.decl_types.lookup(decl);
}

void Checker::CheckModuleDecls(int module) {
  const ast::Module& ast_module = ModuleAst(module);
  for (const ast::Decl* decl : ast_module.decls) {
    if (const auto* c = decl->TryAs<ast::ConstDecl>()) {
      EnsureConst(c, module);
    } else if (const auto* s = decl->TryAs<ast::StructDecl>()) {
      TypeId struct_type = out_.decl_types.lookup(s);
      for (const ast::Param& field : s->fields) {
        if (!field.default_value) continue;
        BeginFunction(Context::Default, module, nullptr);
        const types::Field* f = types().FindField(struct_type, field.name.text);
        CheckExprAs(field.default_value, f ? f->type : TypeStore::Error(), field.type ? field.type->range : SourceRange{},
                    "field declared with this type");
        EndFunction();
      }
    } else if (const auto* callable = static_cast<const ast::CallableDecl*>(
                   decl->Is<ast::TaskDecl>() || decl->Is<ast::WorkflowDecl>() ? decl : nullptr)) {
      const Signature& sig = SignatureOf(callable);
      for (size_t i = 0; i < callable->params.size(); ++i) {
        const ast::Param& param = callable->params[i];
        if (!param.default_value) continue;
        BeginFunction(Context::Default, module, nullptr);
        CheckExprAs(param.default_value, sig.params[i], param.type ? param.type->range : SourceRange{},
                    "parameter declared with this type");
        EndFunction();
      }
      if (const auto* task = decl->TryAs<ast::TaskDecl>()) CheckTask(task, module);
      if (const auto* workflow = decl->TryAs<ast::WorkflowDecl>()) CheckWorkflow(workflow, module);
    }
  }
}

}  // namespace flow::check

// `File`/`Dir` values as Argo artifacts across DAG templates.
//
// A file's value is its key in the artifact repository (a parameter, see
// context.h), and the file itself travels as an artifact: a task call's input
// artifact comes `from` the artifact that holds it — the Workflow's input
// artifact, a sibling task's output artifact, or an input artifact of the DAG
// template the call sits in. Nested DAG templates (sub-workflows, `for` and
// `if` bodies, `finally` handlers) declare `inputs.artifacts` and their callers
// pass `arguments.artifacts`, so every reference resolves inside its own
// template. A value no artifact holds (computed: `if` values, `??`, list
// elements) is handed over by its key-only repository location instead.
#include <algorithm>

#include "compiler/lower/argo/context.h"

namespace flow::lower::argo {

using types::TypeKind;

namespace {

bool IsPathKind(TypeKind kind) { return kind == TypeKind::File || kind == TypeKind::Dir; }

}  // namespace

bool Lowering::IsArtifactParam(const ir::Param& param) const { return IsPathKind(types().KindOf(param.type)); }

std::optional<std::string> Lowering::ArtifactFrom(ir::ExprId id, Scope& scope) {
  if (scope.task != nullptr) return std::nullopt;
  const ir::Expr* e = &program_.expr(id);
  while (e->kind == ir::ExprKind::Convert) e = &program_.expr(e->operands[0]);
  if (!IsPathKind(types().KindOf(e->type))) return std::nullopt;
  if (e->kind == ir::ExprKind::Input) return RefArtifact(FreeRef{FreeRef::Kind::Input, e->index, e->type}, scope);
  if (e->kind == ir::ExprKind::StepValue) {
    const ir::Step& step = program_.step(e->step);
    // `let f = g` names the same value: follow it (lets form a DAG, so this ends).
    if (step.kind == ir::StepKind::Value) return ArtifactFrom(step.value, scope);
    if (step.kind == ir::StepKind::Call && !step.is_try && step.callee_kind == ir::CalleeKind::Task &&
        program_.tasks[step.callee].single_output) {
      return RefArtifact(FreeRef{FreeRef::Kind::Step, e->step.index, e->type}, scope);
    }
    // A sub-workflow returning a file: its DAG template's output artifact `value`.
    if (WorkflowOutputArtifact(step, "value")) {
      return RefArtifact(FreeRef{FreeRef::Kind::Step, e->step.index, e->type}, scope);
    }
    return std::nullopt;
  }
  if (std::optional<FreeRef> field = TaskOutputField(*e)) return RefArtifact(*field, scope);
  if (e->kind == ir::ExprKind::Field) {
    // A file field of a record a sub-workflow returned: its output artifact of that name.
    const ir::Expr& base = program_.expr(e->operands[0]);
    if (base.kind == ir::ExprKind::StepValue &&
        WorkflowOutputArtifact(program_.step(base.step), ParamName(e->name))) {
      return RefArtifact(FreeRef{FreeRef::Kind::StepField, base.step.index, e->type, e->name}, scope);
    }
  }
  return std::nullopt;
}

bool Lowering::WorkflowOutputArtifact(const ir::Step& step, const std::string& name) const {
  if (step.kind != ir::StepKind::Call || step.is_try || step.callee_kind != ir::CalleeKind::Workflow) return false;
  auto found = workflow_output_artifacts_.find(step.callee);
  return found != workflow_output_artifacts_.end() && found->second.count(name) != 0;
}

YNode Lowering::WorkflowOutputArtifacts(ir::ExprId result, Scope& scope) {
  YNode artifacts = YNode::Seq();
  if (!result.valid() || !scope.top || scope.global_inputs) return artifacts;
  int32_t index = static_cast<int32_t>(scope.workflow - program_.workflows.data());
  std::set<std::string>& declared = workflow_output_artifacts_[index];
  auto add = [&](const std::string& name, ir::ExprId value) {
    // A computed file (`a ?? b`, an `if` value, a `try` call's output) has no
    // artifact to come `from`: callers keep reading it by key.
    // Only outputs of this DAG's own tasks: a file the workflow received is
    // already held by an artifact in its caller.
    std::optional<std::string> from = ArtifactFrom(value, scope);
    if (!from || from->rfind("{{tasks.", 0) != 0) return;
    YNode& art = artifacts.Push(YNode::Map());
    art.Set("name", YNode::Str(name));
    art.Set("from", YNode::Str(*from));
    declared.insert(name);
  };
  const ir::Expr* e = &program_.expr(result);
  while (e->kind == ir::ExprKind::Convert) e = &program_.expr(e->operands[0]);
  if (IsPathKind(types().KindOf(e->type))) {
    add("value", result);
  } else if (e->kind == ir::ExprKind::Record) {
    for (size_t i = 0; i < e->operands.size() && i < e->names.size(); ++i) {
      if (IsPathKind(types().KindOf(program_.expr(e->operands[i]).type))) add(ParamName(e->names[i]), e->operands[i]);
    }
  }
  return artifacts;
}

std::optional<std::string> Lowering::RefArtifact(const FreeRef& ref, Scope& scope) {
  std::string hint;
  switch (ref.kind) {
    case FreeRef::Kind::Input: {
      if (ref.index < 0 || ref.index >= static_cast<int32_t>(scope.workflow->params.size())) return std::nullopt;
      const ir::Param& param = scope.workflow->params[ref.index];
      if (!IsArtifactParam(param)) return std::nullopt;
      std::string name = ParamName(param.name);
      // A workflow's own DAG template declares every file input.
      if (scope.top) return "{{inputs.artifacts." + name + "}}";
      // The entry's exit handler receives the Workflow's arguments, matched by name.
      if (scope.root && scope.global_inputs) {
        if (std::find(scope.global_artifacts.begin(), scope.global_artifacts.end(), ref.index) ==
            scope.global_artifacts.end()) {
          scope.global_artifacts.push_back(ref.index);
        }
        return "{{inputs.artifacts." + name + "}}";
      }
      hint = name;
      break;
    }
    case FreeRef::Kind::Var:
      return std::nullopt;  // a loop variable is an element of a list: no artifact of its own
    case FreeRef::Kind::Step:
    case FreeRef::Kind::StepField: {
      std::string output = ref.kind == FreeRef::Kind::Step ? "value" : ParamName(ref.field);
      auto local = scope.local_steps.find(ref.index);
      if (local != scope.local_steps.end()) return "{{tasks." + local->second + ".outputs.artifacts." + output + "}}";
      const ir::Step& step = program_.steps[ref.index];
      hint = step.binding.empty() ? step.id : step.binding;
      if (ref.kind == FreeRef::Kind::StepField) hint += "-" + ref.field;
      break;
    }
  }
  // Received from the enclosing template (which resolves it the same way).
  for (const auto& [known, name] : scope.free_artifacts) {
    if (!(known < ref) && !(ref < known)) return "{{inputs.artifacts." + name + "}}";
  }
  std::string name = scope.artifact_names.Unique(ParamName(hint));
  scope.free_artifacts.emplace_back(ref, name);
  return "{{inputs.artifacts." + name + "}}";
}

void Lowering::AddArtifactArgument(YNode& artifacts, const std::string& name, ir::ExprId expr,
                                   const std::string& key, Scope& scope) {
  YNode& art = artifacts.Push(YNode::Map());
  art.Set("name", YNode::Str(name));
  if (std::optional<std::string> from = ArtifactFrom(expr, scope)) {
    art.Set("from", YNode::Str(*from));
  } else {
    art.Set("s3", YNode::Map()).Set("key", YNode::Str(key));
  }
}

YNode Lowering::ArtifactInputs(const Scope& scope) const {
  YNode artifacts = YNode::Seq();
  if (scope.top) {
    for (const ir::Param& p : scope.workflow->params) {
      if (IsArtifactParam(p)) artifacts.Push(YNode::Map()).Set("name", YNode::Str(ParamName(p.name)));
    }
  }
  for (int32_t index : scope.global_artifacts) {
    artifacts.Push(YNode::Map()).Set("name", YNode::Str(ParamName(scope.workflow->params[index].name)));
  }
  for (const auto& [ref, name] : scope.free_artifacts) artifacts.Push(YNode::Map()).Set("name", YNode::Str(name));
  return artifacts;
}

YNode Lowering::PassFreeArtifacts(const Scope& inner, Scope& outer, ir::Loc loc) {
  YNode artifacts = YNode::Seq();
  for (const auto& [ref, name] : inner.free_artifacts) {
    YNode& art = artifacts.Push(YNode::Map());
    art.Set("name", YNode::Str(name));
    if (std::optional<std::string> from = RefArtifact(ref, outer)) {
      art.Set("from", YNode::Str(*from));
    } else if (std::optional<std::string> key = FreeRefValue(ref, outer, loc)) {
      art.Set("s3", YNode::Map()).Set("key", YNode::Str(*key));
    }
  }
  return artifacts;
}

}  // namespace flow::lower::argo

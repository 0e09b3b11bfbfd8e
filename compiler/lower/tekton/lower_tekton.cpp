// The Tekton documents: one Task per task variant, the Pipeline of the entry
// workflow (params, tasks, finally, results, the shared workspace) and, with
// `--kind run`, a PipelineRun binding the arguments and a volumeClaimTemplate.
#include "compiler/lower/tekton/lower_tekton.h"

#include <fmt/format.h>

#include "compiler/ir/value_json.h"
#include "compiler/lower/tekton/context.h"

namespace flow::lower::tekton {

using types::TypeKind;

namespace {

constexpr size_t kEtcdLimit = 1024 * 1024;

YNode ParamValueNode(const Lowering& l, const ir::Value& value, ir::TypeId type) {
  if (l.types().KindOf(type) == TypeKind::List) {
    YNode items = YNode::Seq();
    ir::TypeId elem = l.types().Get(type).elem;
    for (const ir::Value& item : value.list()) items.Push(YNode::Str(l.EncodeConstant(item, elem)));
    return items;
  }
  return YNode::Str(l.EncodeConstant(value, type));
}

}  // namespace

bool Lowering::Run(std::vector<Document>* out) {
  if (program_.entry < 0 || program_.entry >= static_cast<int32_t>(program_.workflows.size())) {
    Unsupported(ir::Loc{}, "a program without an entry workflow", "a Pipeline runs one workflow");
    return false;
  }
  const ir::Workflow& entry = program_.workflows[program_.entry];
  std::string base = DnsLabel(entry.qualified_name, 63);
  workflow_stack_.push_back(program_.entry);
  task_names_.Reserve(base);

  Scope top;
  top.workflow = &entry;
  YNode params = YNode::Seq();
  for (const ir::Param& p : entry.params) {
    bool list = types().KindOf(p.type) == TypeKind::List;
    std::string name = ParamName(p.name);
    top.inputs.push_back(list ? TValue{fmt::format("$(params.{}[*])", name), true, false, {}, false, false}
                              : TValue{fmt::format("$(params.{})", name), false, false, {}, false, false});
    YNode& param = params.Push(YNode::Map());
    param.Set("name", YNode::Str(name));
    param.Set("type", YNode::Str(list ? "array" : "string"));
    param.Set("description", YNode::Str(p.doc.empty() ? types().ToString(p.type)
                                                       : fmt::format("{} ({})", p.doc, types().ToString(p.type))));
    if (p.default_value.valid()) {
      if (std::optional<ir::Value> v = Constant(p.default_value)) param.Set("default", ParamValueNode(*this, *v, p.type));
    }
    if (types().KindOf(p.type) == TypeKind::Enum) {
      YNode members = YNode::Seq();
      for (const std::string& m : types().Get(p.type).members) members.Push(YNode::Str(m));
      param.Set("enum", std::move(members));
    }
  }

  YNode tasks = YNode::Seq();
  YNode finally_tasks = YNode::Seq();
  finally_tasks_ = &finally_tasks;
  dag_tasks_ = &tasks;
  LowerRegion(entry.body, top, &tasks);
  if (!entry.finally_body.steps.empty()) {
    Scope fin = top;
    fin.finally = true;
    LowerRegion(entry.finally_body, fin, &finally_tasks);
  }
  if (tasks.empty()) {
    Unsupported(entry.loc, "a workflow that calls no task", "a Pipeline needs at least one task");
    return false;
  }

  YNode results = YNode::Seq();
  top.tasks = &tasks;  // a computed result gets its expression task
  if (entry.result.valid()) {
    const ir::Expr& result = program_.expr(entry.result);
    auto add = [&](const std::string& name, ir::ExprId expr) {
      std::optional<TValue> v = Value(expr, top);
      if (!v) return;
      YNode& r = results.Push(YNode::Map());
      r.Set("name", YNode::Str(ParamName(name)));
      if (v->literal_array) {
        r.Set("type", YNode::Str("array"));
        YNode items = YNode::Seq();
        for (const std::string& item : v->items) items.Push(YNode::Str(item));
        r.Set("value", std::move(items));
      } else {
        r.Set("type", YNode::Str(v->array ? "array" : "string"));
        r.Set("value", YNode::Str(v->text));
      }
    };
    if (entry.record_output && result.kind == ir::ExprKind::Record) {
      for (size_t i = 0; i < result.names.size(); ++i) add(result.names[i], result.operands[i]);
    } else {
      add("value", entry.result);
    }
  }
  if (entry.schedule) {
    diags_.Emit(Range(entry.loc), diag::Kind::TargetApproximation,
                "Tekton Pipelines has no schedule: `schedule` is ignored (use a CronJob or Tekton Triggers to "
                "create the PipelineRun)");
  }

  // Documents: Tasks (creation order), the Pipeline, then the PipelineRun.
  for (YNode& t : task_docs_) {
    out->push_back(Document{t.Find("metadata")->Find("name")->str() + ".task.tekton.yaml", EmitYaml(t)});
  }
  YNode spec = YNode::Map();
  if (!entry.doc.empty()) spec.Set("description", YNode::Str(entry.doc));
  if (!params.empty()) spec.Set("params", params);
  YNode ws = YNode::Seq();
  ws.Push(YNode::Map()).Set("name", YNode::Str(kWorkspace));
  spec.Set("workspaces", std::move(ws));
  spec.Set("tasks", std::move(tasks));
  if (!finally_tasks.empty()) spec.Set("finally", std::move(finally_tasks));
  if (!results.empty()) spec.Set("results", std::move(results));
  out->push_back(
      Document{base + ".pipeline.tekton.yaml", EmitYaml(Resource("Pipeline", "name", base, std::move(spec)))});

  if (options_.kind.empty() || options_.kind == "run") {
    YNode rspec = YNode::Map();
    rspec.Set("pipelineRef", YNode::Map()).Set("name", YNode::Str(base));
    YNode args = YNode::Seq();
    for (const ir::Param& p : entry.params) {
      auto given = options_.arguments.find(p.name);
      if (given == options_.arguments.end()) {
        if (!p.default_value.valid()) {
          diags_.Emit(Range(p.loc), diag::Kind::TargetApproximation,
                      fmt::format("required input `{}` has no value in the PipelineRun; pass `-p {}=...`", p.name,
                                  p.name));
        }
        continue;
      }
      if (types().KindOf(p.type) == TypeKind::List && given->second.list().size() > MatrixLimit()) {
        Unsupported(p.loc, fmt::format("a list of {} elements for `{}`", given->second.list().size(), p.name),
                    fmt::format("a `for` over it would exceed the matrix limit of {} combinations{}", MatrixLimit(),
                                options_.tekton_max_matrix > 0 ? " (`--tekton-max-matrix`)"
                                                               : " (Tekton's default-max-matrix-combinations-count)"));
      }
      YNode& a = args.Push(YNode::Map());
      a.Set("name", YNode::Str(ParamName(p.name)));
      a.Set("value", ParamValueNode(*this, given->second, p.type));
    }
    if (!args.empty()) rspec.Set("params", std::move(args));
    YNode rws = YNode::Seq();
    YNode& w = rws.Push(YNode::Map());
    w.Set("name", YNode::Str(kWorkspace));
    YNode& claim = w.Set("volumeClaimTemplate", YNode::Map()).Set("spec", YNode::Map());
    YNode modes = YNode::Seq();
    modes.Push(YNode::Str("ReadWriteOnce"));
    claim.Set("accessModes", std::move(modes));
    claim.Set("resources", YNode::Map()).Set("requests", YNode::Map()).Set("storage", YNode::Str("1Gi"));
    rspec.Set("workspaces", std::move(rws));
    YNode run = Resource("PipelineRun", "generateName", base.substr(0, 57) + "-", std::move(rspec));
    out->push_back(Document{base + ".pipelinerun.tekton.yaml", EmitYaml(run)});
  }
  for (const Document& d : *out) {
    if (d.yaml.size() > kEtcdLimit) {
      diags_.Emit(Range(entry.loc), diag::Kind::ManifestTooLarge,
                  fmt::format("`{}` is {} bytes, over the 1 MiB that etcd stores per object", d.filename,
                              d.yaml.size()));
    }
  }
  return ok_;
}

std::string Lowering::MatrixLimitNote() const {
  if (options_.tekton_max_matrix > 0) {
    return "the cluster's matrix allows (`--tekton-max-matrix`; it must match default-max-matrix-combinations-count "
           "in the config-defaults ConfigMap of Tekton Pipelines), or split the list";
  }
  return "Tekton's matrix allows by default (raise default-max-matrix-combinations-count in the config-defaults "
         "ConfigMap of Tekton Pipelines and pass `--tekton-max-matrix N`, or split the list)";
}

std::string Lowering::MatrixLimitReason() const {
  if (options_.tekton_max_matrix > 0) {
    return fmt::format("the cluster's matrix allows at most {} combinations (`--tekton-max-matrix`)", MatrixLimit());
  }
  return fmt::format("Tekton's matrix allows at most {} combinations by default "
                     "(default-max-matrix-combinations-count; pass `--tekton-max-matrix N` for a cluster that raised it)",
                     kMatrixLimit);
}

bool Lower(const ir::Program& program, const BuildOptions& options, diag::DiagnosticEmitter& diags,
           std::vector<Document>* out) {
  if (options.kind != "" && options.kind != "pipeline" && options.kind != "run") {
    diags.Emit(SourceRange{}, diag::Kind::UnsupportedOnTarget, fmt::format("`--kind {}`", options.kind), "tekton",
               "expected `pipeline` or `run`");
    return false;
  }
  Lowering lowering(program, options, diags);
  std::vector<Document> documents;
  if (!lowering.Run(&documents)) return false;
  for (Document& d : documents) out->push_back(std::move(d));
  return true;
}

}  // namespace flow::lower::tekton

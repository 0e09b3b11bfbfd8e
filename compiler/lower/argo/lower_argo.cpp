// The Argo document: Workflow (generateName), WorkflowTemplate or CronWorkflow
// around the entry workflow's DAG, with its arguments and exit handler.
#include "compiler/lower/argo/lower_argo.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/context.h"

namespace flow::lower::argo {

using types::TypeKind;

namespace {

constexpr size_t kEtcdLimit = 1024 * 1024;

}  // namespace

bool Lowering::Run(YNode* document) {
  if (program_.entry < 0 || program_.entry >= static_cast<int32_t>(program_.workflows.size())) {
    ok_ = false;
    diags_.Emit(SourceRange{}, diag::Kind::UnsupportedOnTarget, "a program without an entry workflow", "argo",
                "Argo runs one workflow");
    return false;
  }
  const ir::Workflow& entry = program_.workflows[program_.entry];
  workflow_stack_.push_back(program_.entry);
  std::string entry_template = WorkflowTemplate(program_.entry);
  Scope* fin_scope = nullptr;
  std::string exit_template = FinallyTemplate(program_.entry, true, &fin_scope);

  std::string kind = options_.kind;
  if (kind.empty()) kind = entry.schedule ? "cron" : "workflow";
  std::string base = DnsLabel(entry.qualified_name, kind == "cron" ? 52 : 63);

  YNode spec = YNode::Map();
  spec.Set("entrypoint", YNode::Str(entry_template));
  if (!options_.artifact_repo.empty()) {
    spec.Set("artifactRepositoryRef", YNode::Map()).Set("key", YNode::Str(options_.artifact_repo));
  }
  YNode params = YNode::Seq();
  for (const ir::Param& p : entry.params) {
    YNode& param = params.Push(YNode::Map());
    param.Set("name", YNode::Str(ParamName(p.name)));
    auto given = options_.arguments.find(p.name);
    std::optional<ir::Value> value;
    if (given != options_.arguments.end()) {
      value = given->second;
    } else if (p.default_value.valid()) {
      value = Constant(p.default_value);
    }
    if (value) {
      std::string text = IsJsonType(p.type) ? ir::ValueToJson(*value, p.type, types()).dump()
                                            : ir::FormatValueText(*value, p.type, types());
      param.Set("value", YNode::Str(EscapeBraces(text)));
    }
    if (types().KindOf(p.type) == TypeKind::Enum) {
      YNode members = YNode::Seq();
      for (const std::string& m : types().Get(p.type).members) members.Push(YNode::Str(m));
      param.Set("enum", std::move(members));
    }
    std::string doc = p.doc;
    if (IsArtifactParam(p)) {
      doc += std::string(doc.empty() ? "" : " ") + "(the key of the input artifact `" + ParamName(p.name) +
             "` in the artifact repository)";
    }
    if (!doc.empty()) param.Set("description", YNode::Str(EscapeBraces(doc)));
  }
  // `File`/`Dir` inputs are also input artifacts of the Workflow, keyed in the
  // artifact repository by the parameter of the same name (`-p raw=KEY` at build
  // time, `argo submit -p raw=KEY` at submit time); the entry DAG hands them to
  // the tasks it calls as artifacts (lower_dag.cpp, LowerCall).
  YNode artifacts = YNode::Seq();
  for (const ir::Param& p : entry.params) {
    if (!IsArtifactParam(p)) continue;
    YNode& art = artifacts.Push(YNode::Map());
    art.Set("name", YNode::Str(ParamName(p.name)));
    art.Set("s3", YNode::Map()).Set("key", YNode::Str("{{workflow.parameters." + ParamName(p.name) + "}}"));
  }
  if (!params.empty() || !artifacts.empty()) {
    YNode& arguments = spec.Set("arguments", YNode::Map());
    if (!params.empty()) arguments.Set("parameters", std::move(params));
    if (!artifacts.empty()) arguments.Set("artifacts", std::move(artifacts));
  }
  if (!exit_template.empty()) spec.Set("onExit", YNode::Str(exit_template));

  // Entry template first, then the others in creation order (deterministic).
  YNode ordered = YNode::Seq();
  for (YNode& t : templates_.items()) {
    if (t.Find("name")->str() == entry_template) ordered.Push(std::move(t));
  }
  for (YNode& t : templates_.items()) {
    if (t.kind() == YNode::Kind::Map && t.Find("name") != nullptr && t.Find("name")->str() != entry_template) {
      ordered.Push(std::move(t));
    }
  }
  spec.Set("templates", std::move(ordered));

  YNode& doc = *document;
  doc = YNode::Map();
  doc.Set("apiVersion", YNode::Str("argoproj.io/v1alpha1"));
  YNode metadata = YNode::Map();
  if (kind == "workflow") {
    doc.Set("kind", YNode::Str("Workflow"));
    metadata.Set("generateName", YNode::Str(base + "-"));
  } else if (kind == "template") {
    doc.Set("kind", YNode::Str("WorkflowTemplate"));
    metadata.Set("name", YNode::Str(base));
  } else {
    doc.Set("kind", YNode::Str("CronWorkflow"));
    metadata.Set("name", YNode::Str(base));
  }
  if (!entry.doc.empty()) {
    metadata.Set("annotations", YNode::Map())
        .Set("workflows.argoproj.io/description", YNode::Str(EscapeBraces(entry.doc)));
  }
  doc.Set("metadata", std::move(metadata));
  if (kind == "cron") {
    YNode cron = YNode::Map();
    if (!entry.schedule) {
      ok_ = false;
      diags_.Build(Range(entry.loc), diag::Kind::UnsupportedOnTarget, "`--kind cron`", "argo",
                   "the entry workflow has no `schedule`")
          .Note("add `schedule = \"0 3 * * *\"` to the workflow")
          .Emit();
    } else {
      YNode schedules = YNode::Seq();
      schedules.Push(YNode::Str(*entry.schedule));
      cron.Set("schedules", std::move(schedules));
    }
    cron.Set("workflowSpec", std::move(spec));
    doc.Set("spec", std::move(cron));
  } else {
    if (entry.schedule && kind == "workflow") {
      diags_.Emit(Range(entry.loc), diag::Kind::TargetApproximation,
                  "`schedule` is ignored by `--kind workflow`; the workflow runs once when submitted");
    }
    doc.Set("spec", std::move(spec));
  }
  return ok_;
}

bool Lower(const ir::Program& program, const BuildOptions& options, diag::DiagnosticEmitter& diags,
           std::vector<Document>* out) {
  if (options.kind != "" && options.kind != "workflow" && options.kind != "template" && options.kind != "cron") {
    diags.Emit(SourceRange{}, diag::Kind::UnsupportedOnTarget, fmt::format("`--kind {}`", options.kind), "argo",
               "expected `workflow`, `template` or `cron`");
    return false;
  }
  Lowering lowering(program, options, diags);
  YNode document;
  if (!lowering.Run(&document)) return false;
  std::string yaml = EmitYaml(document);
  const ir::Workflow& entry = program.workflows[program.entry];
  if (yaml.size() > kEtcdLimit) {
    diags.Emit(lowering.Range(entry.loc), diag::Kind::ManifestTooLarge,
               fmt::format("the Argo manifest is {} bytes, over the 1 MiB that etcd stores per object; "
                           "split the workflow or use `--kind template` with smaller parts",
                           yaml.size()));
  }
  out->push_back(Document{DnsLabel(entry.qualified_name) + ".argo.yaml", std::move(yaml)});
  return true;
}

}  // namespace flow::lower::argo

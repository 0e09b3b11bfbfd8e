#include "compiler/lower/graph/graph_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "compiler/ir/eval_builtin.h"
#include "compiler/ir/value_json.h"

namespace flow::graph {

using ir::CalleeKind;
using ir::Expr;
using ir::ExprId;
using ir::ExprKind;
using ir::Program;
using ir::Region;
using ir::Step;
using ir::StepId;
using ir::StepKind;

namespace {

class ModelBuilder {
 public:
  ModelBuilder(const Program& program, const GraphOptions& options, const ir::Workflow& wf)
      : p_(program), options_(options), wf_(wf) {}

  GraphModel Build() {
    model_.title = wf_.qualified_name;
    for (size_t i = 0; i < wf_.params.size(); ++i) {
      input_nodes_.push_back(AddNode("in: " + wf_.params[i].name, "", ir::StepId{}, NodeShape::Input, -1));
    }
    AddRegion(wf_.body, -1);
    if (!wf_.finally_body.steps.empty()) {
      int cluster = AddCluster("finally", -1, "");
      AddRegion(wf_.finally_body, cluster);
    }
    if (wf_.result.valid()) {
      int out = AddNode("outputs", "", ir::StepId{}, NodeShape::Output, -1);
      std::vector<StepId> steps;
      std::vector<int32_t> inputs;
      Collect(wf_.result, &steps, &inputs);
      for (StepId s : Unique(steps)) EdgeFromStep(s, out, false, "", -1);
      for (int32_t i : Unique(inputs)) AddEdge(input_nodes_[i], out, false, "", -1, -1);
    }
    return std::move(model_);
  }

 private:
  template <typename T>
  static std::vector<T> Unique(std::vector<T> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }

  std::string StatusOf(const std::string& step_id) const {
    auto it = options_.status.find(step_id);
    return it == options_.status.end() ? "" : it->second;
  }

  int AddNode(std::string label, std::string step_id, StepId step, NodeShape shape, int cluster) {
    GraphNode n;
    n.id = fmt::format("n{}", model_.nodes.size());
    n.label = std::move(label);
    n.status = StatusOf(step_id);
    n.step = std::move(step_id);
    n.shape = shape;
    n.cluster = cluster;
    model_.nodes.push_back(std::move(n));
    int index = static_cast<int>(model_.nodes.size() - 1);
    if (step.valid()) step_node_[step.index] = index;
    return index;
  }

  int AddCluster(std::string label, int parent, const std::string& step_id) {
    GraphCluster c;
    c.id = fmt::format("cluster_{}", model_.clusters.size());
    c.label = std::move(label);
    c.parent = parent;
    c.status = StatusOf(step_id);
    model_.clusters.push_back(std::move(c));
    return static_cast<int>(model_.clusters.size() - 1);
  }

  void AddEdge(int from, int to, bool after, std::string label, int from_cluster, int to_cluster) {
    GraphEdge e;
    e.from = from;
    e.to = to;
    e.after = after;
    e.label = std::move(label);
    e.from_cluster = from_cluster;
    e.to_cluster = to_cluster;
    model_.edges.push_back(std::move(e));
  }

  void EdgeFromStep(StepId from, int to, bool after, std::string label, int to_cluster) {
    auto it = step_node_.find(from.index);
    if (it == step_node_.end()) return;
    auto cluster = step_cluster_.find(from.index);
    AddEdge(it->second, to, after, std::move(label), cluster == step_cluster_.end() ? -1 : cluster->second,
            to_cluster);
  }

  // Step references and inputs used by an expression (iteratively).
  void Collect(ExprId root, std::vector<StepId>* steps, std::vector<int32_t>* inputs) const {
    std::vector<ExprId> stack{root};
    while (!stack.empty()) {
      ExprId id = stack.back();
      stack.pop_back();
      if (!id.valid()) continue;
      const Expr& e = p_.expr(id);
      if (e.kind == ExprKind::StepValue) steps->push_back(e.step);
      if (e.kind == ExprKind::Input && e.index >= 0 && static_cast<size_t>(e.index) < wf_.params.size()) {
        inputs->push_back(e.index);
      }
      for (ExprId op : e.operands) stack.push_back(op);
    }
  }

  std::vector<int32_t> InputsOf(const Step& s) const {
    std::vector<StepId> steps;
    std::vector<int32_t> inputs;
    switch (s.kind) {
      case StepKind::Call:
        for (ExprId a : s.args) Collect(a, &steps, &inputs);
        for (const auto& o : s.overrides) Collect(o.value, &steps, &inputs);
        break;
      case StepKind::Scatter:
        Collect(s.iterable, &steps, &inputs);
        Collect(s.limit, &steps, &inputs);
        break;
      case StepKind::Cond: Collect(s.cond, &steps, &inputs); break;
      case StepKind::Value: Collect(s.value, &steps, &inputs); break;
    }
    return Unique(inputs);
  }

  std::string Short(ExprId id) const {
    if (!id.valid()) return "";
    const Expr& e = p_.expr(id);
    switch (e.kind) {
      case ExprKind::Input:
        return e.index >= 0 && static_cast<size_t>(e.index) < wf_.params.size() ? wf_.params[e.index].name : "input";
      case ExprKind::StepValue: {
        const Step& s = p_.step(e.step);
        return s.binding.empty() ? s.id : s.binding;
      }
      case ExprKind::Var: return p_.var(e.var).name;
      case ExprKind::Field: return Short(e.operands[0]) + "." + e.name;
      case ExprKind::Literal: {
        std::string text = ir::DumpJson(ir::ValueToJson(e.literal, e.type, p_.types));
        return text.size() > 24 ? text.substr(0, 21) + "..." : text;
      }
      case ExprKind::Builtin: {
        std::string args;
        for (ExprId op : e.operands) args += (args.empty() ? "" : ", ") + Short(op);
        return fmt::format("{}({})", ir::BuiltinName(e.builtin), args);
      }
      case ExprKind::Convert: return Short(e.operands[0]);
      case ExprKind::Unary:
        return fmt::format("{} {}", ir::Spelling(e.unary_op), Short(e.operands[0]));
      case ExprKind::Binary:
        return fmt::format("{} {} {}", Short(e.operands[0]), ir::Spelling(e.binary_op), Short(e.operands[1]));
      case ExprKind::OutputPath:
      case ExprKind::Index:
      case ExprKind::List:
      case ExprKind::Map:
      case ExprKind::Record:
      case ExprKind::Cond:
      case ExprKind::Comprehension:
      case ExprKind::Let:
      case ExprKind::Interpolate: return "...";
    }
    return "...";
  }

  std::string CalleeName(const Step& s) const {
    if (s.callee < 0) return "?";
    if (s.callee_kind == CalleeKind::Task) return p_.tasks[s.callee].qualified_name;
    return p_.workflows[s.callee].qualified_name;
  }

  // Adds the nodes of `region` inside `cluster`; returns the nodes of its entry
  // steps (those without deps in the region).
  std::vector<int> AddRegion(const Region& region, int cluster) {
    std::vector<int> entries;
    for (StepId id : region.steps) {
      const Step& s = p_.step(id);
      int node = -1;
      switch (s.kind) {
        case StepKind::Call: {
          std::string label = (s.is_try ? "try " : "") + CalleeName(s);
          if (!s.binding.empty()) label = s.binding + " = " + label;
          node = AddNode(label, s.id, id, NodeShape::Call, cluster);
          break;
        }
        case StepKind::Value:
          node = AddNode("let " + (s.binding.empty() ? s.id : s.binding), s.id, id, NodeShape::Value, cluster);
          break;
        case StepKind::Scatter: {
          std::string vars;
          for (ir::VarId v : s.vars) vars += (vars.empty() ? "" : ", ") + p_.var(v).name;
          if (s.vars.size() == 2) vars = "(" + vars + ")";
          std::string header = fmt::format("for {} in {}", vars, Short(s.iterable));
          if (s.limit.valid()) header += " limit " + Short(s.limit);
          int inner = AddCluster(s.binding.empty() ? s.id : s.binding + " (" + s.id + ")", cluster, s.id);
          node = AddNode(header, s.id, id, NodeShape::ScatterHeader, inner);
          step_cluster_[id.index] = inner;
          for (int entry : AddRegion(s.body, inner)) AddEdge(node, entry, false, "", -1, -1);
          break;
        }
        case StepKind::Cond: {
          int inner = AddCluster(s.binding.empty() ? s.id : s.binding + " (" + s.id + ")", cluster, s.id);
          node = AddNode("if " + Short(s.cond), s.id, id, NodeShape::CondHeader, inner);
          step_cluster_[id.index] = inner;
          for (int entry : AddRegion(s.then_body, inner)) AddEdge(node, entry, false, "then", -1, -1);
          if (s.has_else) {
            for (int entry : AddRegion(s.else_body, inner)) AddEdge(node, entry, false, "else", -1, -1);
          }
          break;
        }
      }
      for (int32_t input : InputsOf(s)) AddEdge(input_nodes_[input], node, false, "", -1, -1);
      for (StepId dep : s.deps) {
        bool after = std::binary_search(s.after_deps.begin(), s.after_deps.end(), dep);
        EdgeFromStep(dep, node, after, "", -1);
      }
      if (s.deps.empty()) entries.push_back(node);
    }
    return entries;
  }

  const Program& p_;
  const GraphOptions& options_;
  const ir::Workflow& wf_;
  GraphModel model_;
  std::vector<int> input_nodes_;
  std::map<int32_t, int> step_node_;     // step index → node
  std::map<int32_t, int> step_cluster_;  // compound step index → cluster
};

}  // namespace

GraphModel BuildGraphModel(const Program& program, const GraphOptions& options) {
  int32_t index = options.workflow >= 0 ? options.workflow : program.entry;
  if (index < 0 || static_cast<size_t>(index) >= program.workflows.size()) return GraphModel{};
  return ModelBuilder(program, options, program.workflows[index]).Build();
}

std::string StatusColor(const std::string& status) {
  if (status == "succeeded") return "#c8e6c9";
  if (status == "failed") return "#ffcdd2";
  if (status == "running") return "#fff9c4";
  if (status == "cached") return "#bbdefb";
  if (status == "skipped") return "#eeeeee";
  if (status == "pending") return "#ffffff";
  return "";
}

}  // namespace flow::graph

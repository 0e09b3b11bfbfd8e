// Hand-built IR programs shared by the Argo backend's tests (test-only).
#pragma once

#include "compiler/ir/ir.h"
#include "compiler/lower/argo/ir_builder_for_test.h"

namespace flow::lower::argo::testing {

/// task greet(name: String) -> File; task merge(files: List[File]) -> File;
/// workflow main(names = ["ada", "grace"]) { merge(files: for n in names { greet(name: n) }) }
inline IrBuilder ScatterGather() {
  IrBuilder b;
  ir::Task greet;
  greet.name = "greet";
  greet.params = {IrBuilder::Param("name", TypeStore::String())};
  greet.outputs = {ir::Output{"", TypeStore::File()}};
  greet.single_output = true;
  greet.output_type = TypeStore::File();
  greet.has_script = true;
  int32_t greet_id = b.AddTask(greet);
  b.p.tasks[greet_id].script = b.Script({{"echo \"Hello, ", b.Input(0, TypeStore::String())},
                                         {"\" > ", b.Out(0, TypeStore::File())},
                                         {"\n", ir::ExprId{}}});
  b.SetField(greet_id, ir::TaskField::Image, b.Str("alpine:3.20"));

  ir::Task merge;
  merge.name = "merge";
  ir::TypeId files = b.ListOf(TypeStore::File());
  merge.params = {IrBuilder::Param("files", files)};
  merge.outputs = {ir::Output{"", TypeStore::File()}};
  merge.single_output = true;
  merge.output_type = TypeStore::File();
  merge.has_script = true;
  int32_t merge_id = b.AddTask(merge);
  b.p.tasks[merge_id].script =
      b.Script({{"cat ", b.Input(0, files)}, {" > ", b.Out(0, TypeStore::File())}, {"\n", ir::ExprId{}}});
  b.SetField(merge_id, ir::TaskField::Image, b.Str("alpine:3.20"));

  ir::TypeId names_t = b.ListOf(TypeStore::String());
  ir::VarId n = b.NewVar("n", TypeStore::String());
  ir::StepId call_greet = b.Call("call-greet", greet_id, {b.VarRef(n)});
  ir::Step scatter;
  scatter.kind = ir::StepKind::Scatter;
  scatter.id = "for-greet-l9";
  scatter.binding = "greetings";
  scatter.vars = {n};
  scatter.iterable = b.Input(0, names_t);
  scatter.body.steps = {call_greet};
  scatter.body_value = b.StepRef(call_greet, TypeStore::File());
  scatter.type = TypeStore::File();
  ir::StepId for_step = b.AddStep(scatter);
  ir::StepId call_merge = b.Call("call-merge", merge_id, {b.StepRef(for_step, files)}, {for_step});

  ir::Workflow wf;
  wf.name = "main";
  wf.params = {IrBuilder::Param(
      "names", names_t,
      b.Lit(ir::Value::List({ir::Value::String("ada"), ir::Value::String("grace")}), names_t))};
  wf.output_type = TypeStore::File();
  wf.body.steps = {for_step, call_merge};
  wf.result = b.StepRef(call_merge, TypeStore::File());
  b.p.entry = b.AddWorkflow(wf);
  return b;
}

/// Records, resources and retries, `try`, `if`/`else`, `after`, `for ... limit`
/// over constants, a sub-workflow with `finally`, and the entry's `finally`.
inline IrBuilder Pipeline() {
  IrBuilder b;
  ir::TypeId score_t = TypeStore::Float();
  ir::TypeId rec = b.p.types.Record({{"model", TypeStore::File(), false}, {"score", score_t, false}});

  ir::Task train;
  train.name = "train";
  train.params = {IrBuilder::Param("data", TypeStore::File()),
                  IrBuilder::Param("epochs", TypeStore::Int(), b.Int(10))};
  train.outputs = {ir::Output{"model", TypeStore::File()}, ir::Output{"score", score_t}};
  train.output_type = rec;
  train.has_script = true;
  int32_t train_id = b.AddTask(train);
  b.p.tasks[train_id].script = b.Script({{"python train.py --data ", b.Input(0, TypeStore::File())},
                                         {" --epochs ", b.Input(1, TypeStore::Int())},
                                         {" --model-out ", b.Out(0, TypeStore::File())},
                                         {" --score-out ", b.Out(1, TypeStore::String())},
                                         {"\n", ir::ExprId{}}});
  b.SetField(train_id, ir::TaskField::Image, b.Str("pytorch/pytorch:2.3.0"));
  b.SetField(train_id, ir::TaskField::Cpu, b.Lit(ir::Value::Float(4), TypeStore::Float()));
  b.SetField(train_id, ir::TaskField::Memory, b.Lit(ir::Value::Int(16LL << 30), TypeStore::Size()));
  b.SetField(train_id, ir::TaskField::Gpu, b.Int(1));
  b.SetField(train_id, ir::TaskField::Retries, b.Int(2));
  b.SetField(train_id, ir::TaskField::Backoff, b.Lit(ir::Value::Int(10'000), TypeStore::Duration()));
  b.SetField(train_id, ir::TaskField::Timeout, b.Lit(ir::Value::Int(7'200'000), TypeStore::Duration()));

  ir::Task report;
  report.name = "report";
  report.params = {IrBuilder::Param("score", score_t), IrBuilder::Param("note", TypeStore::String())};
  report.outputs = {ir::Output{"", TypeStore::String()}};
  report.single_output = true;
  report.output_type = TypeStore::String();
  report.has_script = true;
  int32_t report_id = b.AddTask(report);
  b.p.tasks[report_id].script = b.Script({{"echo '", b.Input(1, TypeStore::String())},
                                          {"': ", b.Input(0, score_t)},
                                          {" > ", b.Out(0)},
                                          {"\n", ir::ExprId{}}});
  b.SetField(report_id, ir::TaskField::Image, b.Str("alpine:3.20"));

  ir::Task echo;
  echo.name = "echo";
  echo.params = {IrBuilder::Param("msg", TypeStore::String())};
  echo.has_script = false;
  int32_t echo_id = b.AddTask(echo);
  ir::ArgvElement a0;
  a0.tmpl = b.Script({{"echo", ir::ExprId{}}});
  ir::ArgvElement a1;
  a1.tmpl = b.Script({{"msg=", b.Input(0, TypeStore::String())}});
  b.p.tasks[echo_id].command = {a0, a1};
  b.SetField(echo_id, ir::TaskField::Image, b.Str("busybox:1.36"));

  // workflow notify(msg: String) { echo(msg: msg) finally { echo(msg: "done " + msg) } }
  ir::StepId n_call = b.Call("call-echo", echo_id, {b.Input(0, TypeStore::String())});
  ir::StepId n_fin = b.Call("call-echo-2", echo_id,
                            {b.Bin(ir::BinaryOp::Add, b.Str("done "), b.Input(0, TypeStore::String()),
                                   TypeStore::String())});
  ir::Workflow notify;
  notify.name = "notify";
  notify.params = {IrBuilder::Param("msg", TypeStore::String())};
  notify.body.steps = {n_call};
  notify.finally_body.steps = {n_fin};
  int32_t notify_id = b.AddWorkflow(notify);

  // main(data: File, fast: Bool = false, tag: String = "v1") -> String
  ir::StepId t1 = b.Call("call-train", train_id, {b.Input(0, TypeStore::File()), b.Int(5)});
  b.step(t1).is_try = true;
  b.step(t1).type = b.Opt(rec);
  ir::StepId t2 = b.Call("call-train-2", train_id, {b.Input(0, TypeStore::File()), ir::ExprId{}});
  ir::StepId rep_then = b.Call("call-report", report_id,
                               {b.Field(b.StepRef(t2, rec), "score", score_t), b.Str("fast")});
  ir::StepId rep_else = b.Call("call-report-2", report_id,
                               {b.Lit(ir::Value::Float(0.5), score_t), b.Input(2, TypeStore::String())});
  ir::Step cond;
  cond.kind = ir::StepKind::Cond;
  cond.id = "if-l20";
  cond.binding = "r";
  cond.cond = b.Input(1, TypeStore::Bool());
  cond.then_body.steps = {rep_then};
  cond.then_value = b.StepRef(rep_then, TypeStore::String());
  cond.has_else = true;
  cond.else_body.steps = {rep_else};
  cond.else_value = b.StepRef(rep_else, TypeStore::String());
  cond.type = TypeStore::String();
  cond.deps = {t2};
  ir::StepId if_step = b.AddStep(cond);
  ir::StepId after_try = b.Call("call-report-3", report_id,
                                {b.Lit(ir::Value::Float(1), score_t), b.StepRef(if_step, TypeStore::String())},
                                {t1, if_step});
  b.step(after_try).after_deps = {t1};
  ir::StepId sub = b.Call("call-notify", notify_id, {b.StepRef(after_try, TypeStore::String())}, {after_try},
                          ir::CalleeKind::Workflow);

  // for e in [1, 2] limit 2 { train(data: data, epochs: e) }
  ir::VarId e = b.NewVar("e", TypeStore::Int());
  ir::StepId t3 = b.Call("call-train-3", train_id, {b.Input(0, TypeStore::File()), b.VarRef(e)});
  ir::Step loop;
  loop.kind = ir::StepKind::Scatter;
  loop.id = "for-train-l24";
  loop.vars = {e};
  ir::TypeId ints = b.ListOf(TypeStore::Int());
  loop.iterable = b.Lit(ir::Value::List({ir::Value::Int(1), ir::Value::Int(2)}), ints);
  loop.limit = b.Int(2);
  loop.body.steps = {t3};
  loop.body_value = b.StepRef(t3, rec);
  loop.type = rec;
  ir::StepId for_step = b.AddStep(loop);
  // best = scores of the loop, as a list: [for r in runs { r.score }]
  ir::VarId rv = b.NewVar("r", rec);
  ir::TypeId floats = b.ListOf(score_t);
  ir::StepId best = b.Call("call-echo-3", echo_id,
                           {b.Builtin(ir::BuiltinId::String,
                                      {b.Comprehension(rv, b.StepRef(for_step, b.ListOf(rec)),
                                                       b.Field(b.VarRef(rv), "score", score_t), floats)},
                                      TypeStore::String())},
                           {for_step});

  ir::StepId cleanup = b.Call("call-echo", echo_id, {b.Input(2, TypeStore::String())});
  ir::Workflow wf;
  wf.name = "main";
  wf.params = {IrBuilder::Param("data", TypeStore::File()),
               IrBuilder::Param("fast", TypeStore::Bool(), b.Lit(ir::Value::Bool(false), TypeStore::Bool())),
               IrBuilder::Param("tag", TypeStore::String(), b.Str("v1"))};
  wf.output_type = TypeStore::String();
  wf.body.steps = {t1, t2, if_step, after_try, sub, for_step, best};
  wf.finally_body.steps = {cleanup};
  wf.result = b.StepRef(if_step, TypeStore::String());
  b.p.entry = b.AddWorkflow(wf);
  return b;
}

}  // namespace flow::lower::argo::testing

#include "compiler/ir/params.h"

#include <gtest/gtest.h>

namespace flow::ir {
namespace {

using types::TypeId;
using types::TypeStore;

class ParamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TypeStore& t = program_.types;
    split_ = t.DeclareEnum("Split", {"train", "test"});
    cfg_ = t.DeclareStruct("Cfg");
    t.SetStructFields(cfg_, {{"name", TypeStore::String(), false}, {"n", TypeStore::Int(), true}});
    Expr seven;
    seven.kind = ExprKind::Literal;
    seven.literal = Value::Int(7);
    seven.type = TypeStore::Int();
    program_.exprs.push_back(seven);
    program_.struct_defaults[cfg_.index] = {ExprId{}, ExprId{0}};
    Expr two = seven;
    two.literal = Value::Int(2);
    program_.exprs.push_back(two);

    Workflow wf;
    wf.name = wf.qualified_name = "main";
    auto add = [&](std::string name, TypeId type, ExprId def = ExprId{}) {
      Param p;
      p.name = std::move(name);
      p.type = type;
      p.default_value = def;
      wf.params.push_back(p);
    };
    add("n", TypeStore::Int(), ExprId{1});
    add("data", TypeStore::File());
    add("lr", TypeStore::Float(), ExprId{1});
    add("split", split_, ExprId{});
    add("tags", t.List(TypeStore::String()), ExprId{});
    add("cfg", cfg_, ExprId{});
    add("timeout", TypeStore::Duration(), ExprId{});
    add("note", t.Optional(TypeStore::String()), ExprId{});
    program_.workflows.push_back(wf);
    program_.entry = 0;
  }

  bool Parse(std::vector<std::string> assignments, std::string inputs_path = "", std::string inputs_text = "") {
    ParamSources sources;
    sources.assignments = std::move(assignments);
    sources.inputs_path = std::move(inputs_path);
    sources.inputs_text = std::move(inputs_text);
    sources.base_dir = base_dir_;
    values_.clear();
    errors_.clear();
    return ParseParams(program_, 0, sources, &values_, &errors_);
  }

  std::vector<std::string> Required() {
    return {"data=in.csv", "split=test", "tags=[\"a\"]", "cfg={\"name\": \"x\"}", "timeout=90s", "note=none"};
  }

  Program program_;
  TypeId split_, cfg_;
  std::string base_dir_;
  std::map<std::string, Value> values_;
  std::vector<std::string> errors_;
};

TEST_F(ParamsTest, AssignmentsAndDefaults) {
  ASSERT_TRUE(Parse(Required())) << (errors_.empty() ? "" : errors_[0]);
  EXPECT_EQ(values_["n"], Value::Int(2));
  EXPECT_EQ(values_["lr"], Value::Int(2));
  EXPECT_EQ(values_["data"], Value::String("in.csv"));
  EXPECT_EQ(values_["split"], Value::String("test"));
  EXPECT_EQ(values_["tags"], Value::List({Value::String("a")}));
  EXPECT_EQ(values_["cfg"], Value::Record({{"name", Value::String("x")}, {"n", Value::Int(7)}}));
  EXPECT_EQ(values_["timeout"], Value::Int(90'000));
  EXPECT_EQ(values_["note"], Value::None());
  auto args = Required();
  args.push_back("n=5");
  args.push_back("lr=1e-3");
  args.push_back("note=hello");
  ASSERT_TRUE(Parse(args));
  EXPECT_EQ(values_["n"], Value::Int(5));
  EXPECT_EQ(values_["lr"], Value::Float(0.001));
  EXPECT_EQ(values_["note"], Value::String("hello"));
}

TEST_F(ParamsTest, Errors) {
  auto args = Required();
  args.push_back("n=abc");
  args.push_back("nn=3");
  args.push_back("split=dev");
  args.push_back("oops");
  EXPECT_FALSE(Parse(args));
  ASSERT_EQ(errors_.size(), 4u);
  EXPECT_EQ(errors_[0], "parameter `n`: expected `Int`, found `abc`");
  EXPECT_NE(errors_[1].find("unknown parameter `nn`"), std::string::npos);
  EXPECT_NE(errors_[1].find("did you mean `n`?"), std::string::npos);
  EXPECT_EQ(errors_[2], "parameter `split`: expected `Split` (one of `train`, `test`), found `dev`");
  EXPECT_EQ(errors_[3], "`-p oops`: expected `name=value`");
}

TEST_F(ParamsTest, MissingRequired) {
  EXPECT_FALSE(Parse({"data=x"}));
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_EQ(errors_[0],
            "missing required parameter(s) of workflow `main`: `split` (Split), `tags` (List[String]), `cfg` (Cfg), "
            "`timeout` (Duration), `note` (String?); pass them with `-p name=value`");
}

TEST_F(ParamsTest, YamlInputs) {
  std::string yaml =
      "data: in.csv\n"
      "split: train\n"
      "tags: [a, b]\n"
      "cfg: {name: x, n: 3}\n"
      "timeout: 1h30m\n"
      "note: ~\n"
      "n: 4\n";
  ASSERT_TRUE(Parse({"n=9"}, "inputs.yaml", yaml)) << errors_[0];
  EXPECT_EQ(values_["n"], Value::Int(9));  // -p wins
  EXPECT_EQ(values_["tags"], Value::List({Value::String("a"), Value::String("b")}));
  EXPECT_EQ(values_["cfg"], Value::Record({{"name", Value::String("x")}, {"n", Value::Int(3)}}));
  EXPECT_EQ(values_["timeout"], Value::Int(5'400'000));
  EXPECT_EQ(values_["note"], Value::None());
  EXPECT_FALSE(Parse({}, "inputs.yaml", "data: [unclosed\n"));
  EXPECT_NE(errors_[0].find("is not valid YAML"), std::string::npos);
  EXPECT_FALSE(Parse({}, "inputs.yaml", "- a\n- b\n"));
  EXPECT_EQ(errors_[0], "`inputs.yaml` must map parameter names to values");
}

TEST_F(ParamsTest, JsonInputs) {
  std::string json = R"({"data": "in.csv", "split": "test", "tags": [], "cfg": {"name": "y"},
                          "timeout": "5m", "note": null, "lr": 0.5})";
  ASSERT_TRUE(Parse({}, "in.json", json));
  EXPECT_EQ(values_["lr"], Value::Float(0.5));
  EXPECT_FALSE(Parse({}, "in.json", R"({"data": 3})"));
  EXPECT_EQ(errors_[0], "parameter `data` in `in.json`: expected `File`, found `3`");
  EXPECT_FALSE(Parse({}, "in.json", "{"));
  EXPECT_EQ(errors_[0], "`in.json` is not valid JSON");
}

TEST_F(ParamsTest, RelativePathsJoinBaseDir) {
  base_dir_ = "/work/run";
  auto args = Required();
  args.push_back("data=../in.csv");
  ASSERT_TRUE(Parse(args));
  EXPECT_EQ(values_["data"], Value::String("/work/in.csv"));
  args.push_back("data=s3://bucket/x.csv");
  ASSERT_TRUE(Parse(args));
  EXPECT_EQ(values_["data"], Value::String("s3://bucket/x.csv"));
}

}  // namespace
}  // namespace flow::ir

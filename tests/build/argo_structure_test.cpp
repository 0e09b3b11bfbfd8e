// Every example and tests/build program lowered to Argo passes the structural
// checks that the CRD schema cannot make (argo_structure_for_test.h).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/emitter.h"
#include "compiler/driver/compile.h"
#include "compiler/lower/argo/argo_structure_for_test.h"
#include "compiler/lower/argo/lower_argo.h"
#include "tests/build/argo_vs_runtime_harness.h"

namespace flow::argo_vs_runtime {
namespace {

// passes the structural checks the CRD schema cannot make (every `depends` and
// template exists, no cycle, every parameter and artifact reference resolves,
// every input artifact is supplied by each caller).
TEST(ArgoStructure, EveryProgramAndExample) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "tests/build"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(FLOW_SOURCE_DIR) / dir)) {
      std::string name = entry.path().filename().string();
      if (entry.path().extension() == ".flow" && name.rfind("fail_", 0) != 0) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 20u);
  RealFileSystem disk;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    std::stringstream out, err;
    driver::Context ctx;
    ctx.fs = &disk;
    ctx.out = &out;
    ctx.err = &err;
    ctx.cwd = file.parent_path().string();
    ctx.stdlib_dir = std::string(FLOW_SOURCE_DIR) + "/stdlib";
    driver::FrontEndOptions opts;
    opts.color = driver::ColorMode::Never;
    driver::Compilation c;
    driver::Compile(ctx, opts, file.string(), &c);
    ASSERT_TRUE(c.program.has_value()) << err.str();
    diag::CollectingConsumer consumer;
    diag::DiagnosticEmitter emitter(consumer);
    std::vector<lower::Document> docs;
    lower::BuildOptions options;
    options.default_image = "alpine:3.20";
    bool lowered = lower::argo::Lower(*c.program, options, emitter, &docs);
    // What Argo cannot express fails with E0502 alone (validate_argo.sh keeps
    // the list of such programs); anything else must lower.
    bool inexpressible = !consumer.diagnostics().empty();
    for (const diag::Diagnostic& d : consumer.diagnostics()) {
      if (d.severity == diag::Severity::Error) inexpressible = inexpressible && d.kind == diag::Kind::UnsupportedOnTarget;
    }
    if (!lowered && inexpressible) continue;
    ASSERT_TRUE(lowered) << (consumer.diagnostics().empty() ? "" : consumer.diagnostics()[0].message);
    ASSERT_EQ(docs.size(), 1u);
    for (const std::string& problem : lower::argo::testing::CheckArgoStructure(YAML::Load(docs[0].yaml))) {
      ADD_FAILURE() << problem;
    }
  }
}

}  // namespace
}  // namespace flow::argo_vs_runtime

// Helpers for the language server's unit tests: a small two-file program in
// memory and cursors placed by searching for text.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "compiler/base/file_system.h"
#include "compiler/lsp/analysis.h"
#include "compiler/lsp/features.h"

namespace flow::lsp::testing {

inline constexpr const char* kLibPath = "/w/lib/train.flow";
inline constexpr const char* kMainPath = "/w/main.flow";

inline const char* kLibText = R"(## A trained model and its score.
struct Metrics {
  ## fraction of correct answers
  accuracy: Float
  loss: Float
}

enum Split { train, test }

## Trains a model.
task train(data: File, epochs: Int = 10) -> (model: File, metrics: Metrics) {
  image  = "python:3.12"
  script = "train {{data}} {{epochs}} {{out.model}} {{out.metrics}}"
}
)";

inline const char* kMainText = R"(import "./lib/train.flow" as tr

## Says hello.
task greet(name: String, times: Int = 1) -> File {
  image  = "alpine:3.20"
  script = "echo {{name}} {{times}} > {{out}}"
}

workflow main(names: List[String] = ["ada", "grace"], data: File = "d.csv") -> Float {
  let files = for n in names { greet(name: n) }
  let run = tr.train(data: data, epochs: 3)
  let m = tr.Metrics { accuracy: 1.0, loss: 0.5 }
  return run.metrics.accuracy + m.loss + float(len(files))
}
)";

inline MemoryFileSystem ProgramFs() {
  MemoryFileSystem fs;
  fs.Add(kLibPath, kLibText);
  fs.Add(kMainPath, kMainText);
  return fs;
}

/// Offset of the `occurrence`-th (0-based) `needle` in `text`, plus `delta`.
inline uint32_t At(std::string_view text, std::string_view needle, int delta = 0, int occurrence = 0) {
  size_t at = text.find(needle);
  for (int i = 0; i < occurrence && at != std::string_view::npos; ++i) at = text.find(needle, at + 1);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return static_cast<uint32_t>(at + delta);
}

inline std::unique_ptr<Analysis> AnalyzeMain(const MemoryFileSystem& fs, std::string text = kMainText) {
  return Analyze(fs, kMainPath, std::move(text), "/stdlib");
}

}  // namespace flow::lsp::testing

// Helpers shared by the parser's unit tests: parse a snippet, get the AST dump
// and the diagnostics as "line:col CODE message" lines.
#pragma once

#include <string>
#include <vector>

#include "compiler/ast/ast_dump.h"
#include "compiler/diag/emitter.h"
#include "compiler/parse/parse.h"

namespace flow::parse::testing {

struct Parsed {
  std::string dump;
  std::vector<std::string> diags;  // "line:col CODE message"
};

inline Parsed ParseText(const std::string& text) {
  SourceManager sources;
  FileId file = sources.Add("test.flow", text);
  diag::CollectingConsumer consumer;
  diag::DiagnosticEmitter emitter(consumer);
  ast::Module module = ParseModule(sources, file, emitter);
  Parsed out;
  out.dump = ast::DumpAst(module, sources);
  for (const diag::Diagnostic& d : consumer.diagnostics()) {
    LineCol lc = d.range.valid() ? sources.ToLineCol(file, d.range.begin) : LineCol{};
    out.diags.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " +
                        std::string(diag::Info(d.kind).code) + " " + d.message);
  }
  return out;
}

/// The dump of the first declaration's single expression: `const X = <expr>`.
inline std::string DumpConst(const std::string& expr, std::vector<std::string>* diags = nullptr) {
  Parsed parsed = ParseText("const X = " + expr + "\n");
  if (diags) *diags = parsed.diags;
  std::string dump = parsed.dump;
  // Drop the `(ConstDecl X` header and re-indent the value.
  size_t nl = dump.find('\n');
  if (nl == std::string::npos) return dump;
  std::string body = dump.substr(nl + 1);
  std::string out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(pos, end - pos);
    if (line.size() >= 2) line = line.substr(2);
    out += line + "\n";
    pos = end + 1;
  }
  // The last line closes the ConstDecl too.
  if (out.size() >= 2 && out[out.size() - 2] == ')') out.erase(out.size() - 2, 1);
  return out;
}

}  // namespace flow::parse::testing

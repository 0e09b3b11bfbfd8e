#include "compiler/driver/dump.h"

#include <fmt/format.h>

#include <iterator>
#include <ostream>

#include "compiler/ast/ast_dump.h"
#include "compiler/diag/emitter.h"
#include "compiler/parse/parse.h"

namespace flow::driver {
namespace {

/// Token text as one printable line: newlines and control bytes escaped, long
/// texts cut.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, std::min<size_t>(text.size(), 60))) {
    if (c == '\n')
      out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  if (text.size() > 60) out += "...";
  return out;
}

}  // namespace

int DumpFile(Context& ctx, DumpKind kind, const std::string& file) {
  SourceManager sources;
  std::string text;
  if (file == "-") {
    if (ctx.in != nullptr) text.assign(std::istreambuf_iterator<char>(*ctx.in), std::istreambuf_iterator<char>());
  } else {
    std::string error;
    std::optional<std::string> read = ctx.fs->Read(file, &error);
    if (!read) {
      *ctx.err << fmt::format("error[E0012]: cannot read `{}`: {}\n", file, error);
      return 1;
    }
    text = std::move(*read);
  }
  FileId id = sources.Add(file == "-" ? "<stdin>" : file, std::move(text));
  switch (kind) {
    case DumpKind::Tokens:
      for (const parse::Token& token : parse::Tokenize(sources, id)) {
        LineCol lc = sources.ToLineCol(id, token.range.begin);
        *ctx.out << fmt::format("{}:{} {} `{}`\n", lc.line, lc.column, parse::TokenKindName(token.kind),
                                Printable(sources.Text(token.range)));
      }
      return 0;
    case DumpKind::Ast: {
      diag::CollectingConsumer ignored;  // `check` reports these; the dump shows the error nodes
      diag::DiagnosticEmitter diags(ignored);
      ast::Module module = parse::ParseModule(sources, id, diags);
      *ctx.out << ast::DumpAst(module, sources);
      return 0;
    }
  }
  return 0;
}

}  // namespace flow::driver

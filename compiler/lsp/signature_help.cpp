// textDocument/signatureHelp: the signature of the task, workflow or built-in
// whose call's parentheses hold the cursor, with the active parameter.
#include <regex>

#include "compiler/lsp/describe.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/text_context.h"

namespace flow::lsp {
namespace {

/// A SignatureInformation whose parameters are label ranges (UTF-16 offsets) into `label`.
json Signature(const std::string& label, const std::vector<std::string>& params, const std::string& doc) {
  json parameters = json::array();
  size_t search = label.find('(');
  for (const std::string& param : params) {
    size_t at = label.find(param, search == std::string::npos ? 0 : search);
    if (at == std::string::npos) continue;
    uint32_t begin = Utf16Length(std::string_view(label).substr(0, at));
    uint32_t end = begin + Utf16Length(param);
    parameters.push_back({{"label", json::array({begin, end})}});
    search = at + param.size();
  }
  json info{{"label", label}, {"parameters", std::move(parameters)}};
  if (!doc.empty()) info["documentation"] = {{"kind", "markdown"}, {"value", doc}};
  return info;
}

/// The name written before `:` at the start of an argument (`epochs: 3` → "epochs").
std::string ArgName(std::string_view item) {
  static const std::regex kNamed(R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:)");
  std::match_results<std::string_view::const_iterator> m;
  if (std::regex_search(item.begin(), item.end(), m, kNamed)) return m[1].str();
  return "";
}

}  // namespace

json SignatureHelp(const Cursor& cursor) {
  const Analysis& a = cursor.analysis;
  std::string_view text = a.sources->Text(a.loaded.modules[cursor.module].module.file);
  TextContext ctx = ScanTo(text, cursor.offset);
  if (ctx.in_string || ctx.in_comment) return nullptr;
  const Frame* frame = nullptr;
  for (size_t k = ctx.frames.size(); k > 0 && !frame; --k)
    if (ctx.frames[k - 1].open == '(') frame = &ctx.frames[k - 1];
  if (!frame) return nullptr;
  std::vector<std::string> chain = ChainBefore(text, frame->offset);
  if (chain.empty()) return nullptr;
  int builtin = -1;
  const ast::CallableDecl* callee = ResolveCallee(a, cursor.module, chain, &builtin);
  if (!callee && builtin < 0) return nullptr;

  size_t item = frame->items.size() - 1;
  uint32_t item_start = frame->items.back();
  std::string name = ArgName(text.substr(item_start, cursor.offset - item_start));
  json signatures = json::array();
  int active_param = static_cast<int>(item);
  int active_signature = 0;
  if (callee) {
    std::vector<std::string> params;
    for (size_t i = 0; i < callee->params.size(); ++i) {
      params.push_back(ParamText(a, callee->params[i]));
      if (!name.empty() && callee->params[i].name.text == name) active_param = static_cast<int>(i);
    }
    signatures.push_back(Signature(CallableSignature(a, callee), params, callee->doc));
  } else {
    const BuiltinInfo& info = Builtins()[builtin];
    std::vector<std::string> overloads = SplitOverloads(info.signature);
    bool chosen = false;
    for (size_t o = 0; o < overloads.size(); ++o) {
      std::vector<std::string> params = OverloadParams(overloads[o]);
      // The first overload that takes this many arguments is the active one.
      if (!chosen && params.size() > item) {
        active_signature = static_cast<int>(o);
        chosen = true;
        for (size_t i = 0; i < params.size() && !name.empty(); ++i)
          if (params[i].compare(0, name.size() + 1, name + ":") == 0) active_param = static_cast<int>(i);
      }
      signatures.push_back(Signature(overloads[o], params, std::string(info.doc)));
    }
  }
  return json{{"signatures", std::move(signatures)},
              {"activeSignature", active_signature},
              {"activeParameter", active_param}};
}

}  // namespace flow::lsp

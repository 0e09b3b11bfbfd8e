#include "compiler/lsp/describe.h"

#include <cctype>

namespace flow::lsp {

std::string Collapse(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string TypeText(const Analysis& analysis, const ast::TypeExpr* type) {
  if (!type) return "";
  auto it = analysis.checked.type_exprs.find(type);
  if (it != analysis.checked.type_exprs.end() && !analysis.checked.types.ContainsError(it->second))
    return analysis.checked.types.ToString(it->second);
  return Collapse(analysis.sources->Text(type->range));
}

std::string ParamText(const Analysis& analysis, const ast::Param& param) {
  std::string text(param.name.text);
  if (param.type) text += ": " + TypeText(analysis, param.type);
  if (param.default_value) text += " = " + Collapse(analysis.sources->Text(param.default_value->range));
  return text;
}

std::optional<types::TypeId> LoopVarType(const Analysis& a, const ast::ForExpr* loop, int index) {
  auto iterable = a.TypeOf(loop->iterable);
  if (!iterable) return std::nullopt;
  const types::Type& type = a.checked.types.Get(*iterable);
  if (type.kind == types::TypeKind::Map && loop->vars.size() == 2) return index == 0 ? type.key : type.value;
  if (type.kind != types::TypeKind::List) return std::nullopt;
  if (loop->vars.size() == 1) return type.elem;
  const types::Type& elem = a.checked.types.Get(type.elem);
  if (elem.kind == types::TypeKind::Record && index >= 0 && static_cast<size_t>(index) < elem.fields.size())
    return elem.fields[index].type;
  return std::nullopt;
}

std::string_view CallableKeyword(const ast::CallableDecl* decl) {
  return decl->Is<ast::TaskDecl>() ? "task" : "workflow";
}

std::string CallableSignature(const Analysis& analysis, const ast::CallableDecl* decl) {
  std::string text = std::string(decl->name.text) + "(";
  for (size_t i = 0; i < decl->params.size(); ++i) {
    if (i > 0) text += ", ";
    text += ParamText(analysis, decl->params[i]);
  }
  text += ")";
  if (decl->output) text += " -> " + TypeText(analysis, decl->output);
  return text;
}

const std::vector<BuiltinInfo>& Builtins() {
  static const std::vector<BuiltinInfo> builtins = {
#define FLOW_BUILTIN(id, name, signature, doc) {name, signature, doc},
#include "stdlib/builtins.def"
  };
  return builtins;
}

std::vector<std::string> SplitOverloads(std::string_view signature) {
  // " | " separates overloads only at bracket depth 0 and right after a result
  // type; inside parentheses it separates accepted parameter types.
  std::vector<std::string> overloads;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < signature.size(); ++i) {
    char c = signature[i];
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (depth == 0 && signature.compare(i, 3, " | ") == 0) {
      overloads.emplace_back(signature.substr(start, i - start));
      start = i + 3;
      i += 2;
    }
  }
  overloads.emplace_back(signature.substr(start));
  return overloads;
}

std::vector<std::string> OverloadParams(std::string_view overload) {
  std::vector<std::string> params;
  size_t open = overload.find('(');
  if (open == std::string_view::npos) return params;
  int depth = 0;
  size_t start = open + 1;
  for (size_t i = open + 1; i < overload.size(); ++i) {
    char c = overload[i];
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) {
      --depth;
      continue;
    }
    if (depth == 0 && (c == ',' || c == ')')) {
      std::string param(overload.substr(start, i - start));
      size_t first = param.find_first_not_of(' ');
      if (first != std::string::npos) params.push_back(param.substr(first));
      start = i + 1;
      if (c == ')') break;
    }
  }
  return params;
}

int ImportedModule(const Analysis& analysis, int module, std::string_view alias) {
  if (module < 0 || static_cast<size_t>(module) >= analysis.loaded.modules.size()) return -1;
  const load::LoadedModule& mod = analysis.loaded.modules[module];
  for (size_t i = 0; i < mod.module.imports.size() && i < mod.imports.size(); ++i)
    if (mod.module.imports[i]->name.text == alias) return mod.imports[i];
  return -1;
}

const ast::CallableDecl* ResolveCallee(const Analysis& analysis, int module, const std::vector<std::string>& chain,
                                       int* builtin) {
  *builtin = -1;
  if (chain.empty() || chain.size() > 2) return nullptr;
  int target = chain.size() == 2 ? ImportedModule(analysis, module, chain[0]) : module;
  if (target < 0 || static_cast<size_t>(target) >= analysis.loaded.modules.size()) return nullptr;
  for (const ast::Decl* decl : analysis.loaded.modules[target].module.decls) {
    if (decl->name.text != chain.back()) continue;
    if (decl->Is<ast::TaskDecl>() || decl->Is<ast::WorkflowDecl>()) return static_cast<const ast::CallableDecl*>(decl);
    return nullptr;  // shadowed by a struct, enum or const of that name
  }
  if (chain.size() == 1) {
    for (size_t i = 0; i < Builtins().size(); ++i)
      if (Builtins()[i].name == chain[0]) *builtin = static_cast<int>(i);
  }
  return nullptr;
}

const std::vector<TaskFieldInfo>& TaskFields() {
  static const std::vector<TaskFieldInfo> fields = [] {
    std::vector<TaskFieldInfo> list = {
        {"script", "String", "the shell script the task runs (`/bin/sh -eu`, or the `shell` field)"},
        {"command", "List[String]", "the argv the task runs, without a shell"},
    };
#define FLOW_TASK_FIELD(id, name, type) list.push_back({name, type, ""});
#include "compiler/ir/task_fields.def"
    // What each field means (docs/language.md, tasks), for hover and completion.
    static const std::pair<std::string_view, std::string_view> kDocs[] = {
        {"image", "the container image the task runs in"},
        {"cpu", "CPU cores requested (Int or Float)"},
        {"memory", "memory requested, e.g. `16Gi`"},
        {"gpu", "GPUs requested"},
        {"retries", "extra attempts after a failure"},
        {"backoff", "delay before the first retry; doubles each retry"},
        {"timeout", "time limit per attempt"},
        {"cache", "reuse the result of an identical earlier call (default true)"},
        {"env", "environment variables of the program"},
        {"shell", "the interpreter that runs `script` (default `/bin/sh -eu`)"},
    };
    for (TaskFieldInfo& field : list)
      for (const auto& [name, doc] : kDocs)
        if (field.name == name) field.doc = doc;
    return list;
  }();
  return fields;
}

}  // namespace flow::lsp

// textDocument/completion. The context comes from the text before the cursor
// (text_context.h), the candidates from the analysis:
//   after `.`       members: struct/record fields, enum members, module members, `out.NAME`
//   in a type       built-in types, structs, enums, modules
//   in a call       the callee's parameters not given yet, as `name: `
//   in a task body  task fields, as `name = `
//   elsewhere       names in scope, module declarations, built-ins, keywords
#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "compiler/lsp/describe.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/symbols.h"
#include "compiler/lsp/text_context.h"

namespace flow::lsp {
namespace {

// LSP CompletionItemKind values.
constexpr int kFunction = 3;
constexpr int kField = 5;
constexpr int kVariable = 6;
constexpr int kClass = 7;
constexpr int kModule = 9;
constexpr int kProperty = 10;
constexpr int kEnum = 13;
constexpr int kKeyword = 14;
constexpr int kEnumMember = 20;
constexpr int kConstant = 21;
constexpr int kStruct = 22;
constexpr int kEvent = 23;

/// Spliced in at the cursor so that `base.` parses as a field access whose base the checker types.
constexpr std::string_view kSentinel = "__flow_completion__";

class Items {
 public:
  /// Adds an item unless one with that label exists (inner scopes are added first and win).
  void Add(std::string_view label_view, int kind, const std::string& detail, const std::string& insert = "",
           const std::string& doc = "", const char* sort_group = "5") {
    std::string label(label_view);
    if (label.empty() || !seen_.insert(label).second) return;
    json item{{"label", label}, {"kind", kind}, {"sortText", std::string(sort_group) + label}};
    if (!detail.empty()) item["detail"] = detail;
    if (!insert.empty()) item["insertText"] = insert;
    if (!doc.empty()) item["documentation"] = {{"kind", "markdown"}, {"value", doc}};
    list_.push_back(std::move(item));
  }
  json Take() { return json{{"isIncomplete", false}, {"items", std::move(list_)}}; }

 private:
  std::set<std::string> seen_;
  json list_ = json::array();
};

std::string TypeName(const Analysis& a, std::optional<types::TypeId> type) {
  return type ? a.checked.types.ToString(*type) : "";
}

void AddModuleMembers(const Analysis& a, int module, Items& items) {
  if (module < 0 || static_cast<size_t>(module) >= a.loaded.modules.size()) return;
  for (const ast::Decl* decl : a.loaded.modules[module].module.decls) {
    if (decl->Is<ast::TaskDecl>() || decl->Is<ast::WorkflowDecl>()) {
      const auto* callable = static_cast<const ast::CallableDecl*>(decl);
      items.Add(decl->name.text, decl->Is<ast::TaskDecl>() ? kFunction : kEvent,
                std::string(CallableKeyword(callable)) + " " + CallableSignature(a, callable), "", decl->doc);
    } else if (decl->Is<ast::StructDecl>()) {
      items.Add(decl->name.text, kStruct, "struct", "", decl->doc);
    } else if (decl->Is<ast::EnumDecl>()) {
      items.Add(decl->name.text, kEnum, "enum", "", decl->doc);
    } else if (decl->Is<ast::ConstDecl>()) {
      auto it = a.checked.decl_types.find(decl);
      items.Add(decl->name.text, kConstant,
                it == a.checked.decl_types.end() ? "const" : "const: " + a.checked.types.ToString(it->second), "",
                decl->doc);
    }
  }
}

void AddFields(const Analysis& a, types::TypeId type, Items& items) {
  type = a.checked.types.StripOptional(type);
  const types::Type& t = a.checked.types.Get(type);
  if (t.kind != types::TypeKind::Struct && t.kind != types::TypeKind::Record) return;
  const ast::Decl* decl = a.DeclOfType(type);
  for (size_t i = 0; i < t.fields.size(); ++i) {
    std::string doc;
    if (decl && decl->Is<ast::StructDecl>() && i < decl->As<ast::StructDecl>()->fields.size())
      doc = decl->As<ast::StructDecl>()->fields[i].doc;
    items.Add(t.fields[i].name, kField, a.checked.types.ToString(t.fields[i].type), "", doc);
  }
}

/// Members of the expression before the `.` at `dot`, typed on a patched copy of the text.
json MemberCompletion(const Cursor& cursor, std::string_view text, uint32_t word_start, const Reanalyze& reanalyze) {
  Items items;
  std::string patched(text.substr(0, word_start));
  patched += kSentinel;
  patched += text.substr(cursor.offset);
  std::unique_ptr<Analysis> copy = reanalyze ? reanalyze(std::move(patched)) : nullptr;
  if (!copy) return items.Take();
  const Analysis& a = *copy;
  const ast::FieldExpr* access = nullptr;
  WalkCallbacks callbacks;
  callbacks.expr = [&](const ast::Expr* expr) {
    if (const auto* field = expr->TryAs<ast::FieldExpr>(); field && field->field.text == kSentinel) access = field;
  };
  WalkModule(a, cursor.module, callbacks);
  if (!access || !access->base) return items.Take();
  auto ref = a.checked.refs.find(access->base);
  if (ref != a.checked.refs.end()) {
    const check::DeclRef& r = ref->second;
    if (r.kind == check::RefKind::Module) {
      AddModuleMembers(a, r.module_index, items);
      return items.Take();
    }
    if (r.kind == check::RefKind::Enum) {
      for (const ast::Ident& member : r.node->As<ast::EnumDecl>()->members)
        items.Add(member.text, kEnumMember, std::string(r.node->As<ast::EnumDecl>()->name.text));
      return items.Take();
    }
    if (r.kind == check::RefKind::Output) {
      const auto* task = static_cast<const ast::CallableDecl*>(r.node);
      if (task->output && task->output->Is<ast::RecordType>())
        for (const auto& field : task->output->As<ast::RecordType>()->fields)
          items.Add(field.name.text, kField, "output path: " + TypeText(a, field.type));
      return items.Take();
    }
  }
  if (auto type = a.TypeOf(access->base)) AddFields(a, *type, items);
  return items.Take();
}

bool IsDeclHeader(std::string_view text, uint32_t paren) {
  uint32_t start = 0;
  if (IdentBefore(text, paren, &start).empty()) return false;
  std::string keyword = IdentBefore(text, start);
  return keyword == "task" || keyword == "workflow";
}

/// Whether a type is expected at `word_start`.
bool InTypePosition(std::string_view text, const TextContext& ctx, uint32_t word_start) {
  int64_t p = PrevNonSpace(text, word_start);
  if (p < 0) return false;
  char c = text[p];
  const Frame* frame = ctx.frames.empty() ? nullptr : &ctx.frames.back();
  if (c == '>' && p > 0 && text[p - 1] == '-') return true;  // `-> T`
  if (c == ':') {
    uint32_t start = 0;
    IdentBefore(text, static_cast<uint32_t>(p), &start);
    std::string keyword = IdentBefore(text, start);
    if (keyword == "let" || keyword == "const") return true;
    if (!frame) return false;
    if (frame->open == '(') {
      int64_t before = PrevNonSpace(text, frame->offset);
      bool record_output = before > 0 && text[before] == '>' && text[before - 1] == '-';
      return record_output || IsDeclHeader(text, frame->offset);
    }
    if (frame->open == '{') {
      uint32_t name_start = 0;
      if (IdentBefore(text, frame->offset, &name_start).empty()) return false;
      return IdentBefore(text, name_start) == "struct";
    }
    return false;
  }
  if ((c == '[' || c == ',') && frame && frame->open == '[') {
    std::string container = IdentBefore(text, frame->offset);
    return container == "List" || container == "Map";
  }
  return false;
}

void AddTypes(const Analysis& a, int module, Items& items) {
  for (const char* name : {"Int", "Float", "Bool", "String", "File", "Dir", "Duration", "Size"})
    items.Add(name, kClass, "built-in type");
  items.Add("List", kClass, "built-in type", "List[$0]");
  items.Add("Map", kClass, "built-in type", "Map[$0]");
  for (const ast::Decl* decl : a.loaded.modules[module].module.decls) {
    if (decl->Is<ast::StructDecl>()) items.Add(decl->name.text, kStruct, "struct", "", decl->doc);
    if (decl->Is<ast::EnumDecl>()) items.Add(decl->name.text, kEnum, "enum", "", decl->doc);
  }
  for (const ast::ImportDecl* import : a.loaded.modules[module].module.imports)
    items.Add(import->name.text, kModule, "module \"" + import->path + "\"");
}

const ast::CallableDecl* EnclosingCallable(const Analysis& a, int module, uint32_t offset) {
  for (const ast::Decl* decl : a.loaded.modules[module].module.decls) {
    if ((decl->Is<ast::TaskDecl>() || decl->Is<ast::WorkflowDecl>()) && decl->range.begin <= offset &&
        offset <= decl->range.end)
      return static_cast<const ast::CallableDecl*>(decl);
  }
  return nullptr;
}

void AddLets(const Analysis& a, const std::vector<ast::Stmt*>& stmts, Items& items) {
  for (const ast::Stmt* stmt : stmts) {
    if (const auto* let = stmt->TryAs<ast::LetStmt>())
      items.Add(let->name.text, kVariable, TypeName(a, a.TypeOf(let->value)), "", "", "1");
  }
}

bool BlockHolds(const ast::Block* block, uint32_t offset) {
  return block && block->range.begin <= offset && offset <= block->range.end;
}

/// Bindings visible at `offset`: loop variables and block lets around it, then the callable's lets and parameters.
void AddScope(const Analysis& a, int module, uint32_t offset, const ast::CallableDecl* callable, Items& items) {
  // Innermost blocks first, so that a shadowing binding wins.
  std::vector<const ast::Expr*> around;
  WalkCallbacks callbacks;
  callbacks.expr = [&](const ast::Expr* expr) {
    if (expr->range.begin <= offset && offset <= expr->range.end) around.push_back(expr);
  };
  WalkModule(a, module, callbacks);
  for (size_t k = around.size(); k > 0; --k) {
    const ast::Expr* expr = around[k - 1];
    if (const auto* loop = expr->TryAs<ast::ForExpr>(); loop && BlockHolds(loop->body, offset)) {
      AddLets(a, loop->body->stmts, items);
      for (size_t i = 0; i < loop->vars.size(); ++i)
        items.Add(loop->vars[i].text, kVariable, TypeName(a, LoopVarType(a, loop, static_cast<int>(i))), "", "", "1");
    } else if (const auto* branch = expr->TryAs<ast::IfExpr>()) {
      if (BlockHolds(branch->then_block, offset)) AddLets(a, branch->then_block->stmts, items);
      if (BlockHolds(branch->else_block, offset)) AddLets(a, branch->else_block->stmts, items);
    }
  }
  if (!callable) return;
  AddLets(a, callable->body, items);
  for (const ast::Param& param : callable->params)
    items.Add(param.name.text, kVariable, TypeText(a, param.type), "", param.doc, "1");
  if (callable->Is<ast::TaskDecl>() && callable->output)
    items.Add("out", kVariable, "output path: " + TypeText(a, callable->output), "", "", "1");
}

/// Parameters of the call whose parentheses hold the cursor, minus those already named.
void AddCallParams(const Analysis& a, int module, std::string_view text, const Frame& frame, Items& items) {
  if (IsDeclHeader(text, frame.offset)) return;
  int builtin = -1;
  const ast::CallableDecl* callee = ResolveCallee(a, module, ChainBefore(text, frame.offset), &builtin);
  if (!callee) return;
  std::set<std::string> given;
  for (size_t i = 0; i < frame.items.size(); ++i) {
    uint32_t start = frame.items[i];
    uint32_t end = i + 1 < frame.items.size() ? frame.items[i + 1] : static_cast<uint32_t>(text.size());
    std::string_view item = text.substr(start, end - start);
    size_t colon = item.find(':');
    if (colon != std::string_view::npos) given.insert(Collapse(item.substr(0, colon)));
  }
  for (const ast::Param& param : callee->params) {
    if (given.count(std::string(param.name.text))) continue;
    std::string name(param.name.text);
    items.Add(name + ":", kProperty, ParamText(a, param), name + ": ", param.doc, "0");
  }
}

/// Whether the innermost `{` is a task body or a `with { }` block, with only spaces before the word on its line.
bool AtTaskFieldStart(const Analysis& a, int module, std::string_view text, const TextContext& ctx,
                      uint32_t word_start) {
  if (ctx.frames.empty() || ctx.frames.back().open != '{') return false;
  size_t line_start = text.rfind('\n', word_start == 0 ? 0 : word_start - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  if (word_start > 0 && line_start < word_start) {
    for (size_t i = line_start; i < word_start; ++i)
      if (text[i] != ' ' && text[i] != '\t' && !(i == ctx.frames.back().offset)) return false;
  }
  uint32_t brace = ctx.frames.back().offset;
  if (IdentBefore(text, brace) == "with") return true;
  for (const ast::Decl* decl : a.loaded.modules[module].module.decls) {
    const auto* task = decl->TryAs<ast::TaskDecl>();
    if (task && task->body_range.valid() && task->body_range.begin == brace) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string_view>& Keywords() {
  static const std::vector<std::string_view> keywords = {
      "import", "as",  "struct", "enum", "const", "task", "workflow", "let", "after", "finally", "return",
      "if",     "else", "for",   "in",   "limit", "try",  "with",     "and", "or",    "not",     "true",
      "false",  "none"};
  return keywords;
}

bool IsIdentifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!IsIdentChar(c)) return false;
  for (std::string_view keyword : Keywords())
    if (keyword == name) return false;
  return true;
}

json Completion(const Cursor& cursor, const Reanalyze& reanalyze) {
  const Analysis& a = cursor.analysis;
  std::string_view text = a.sources->Text(a.loaded.modules[cursor.module].module.file);
  uint32_t offset = std::min<uint32_t>(cursor.offset, static_cast<uint32_t>(text.size()));
  TextContext ctx = ScanTo(text, offset);
  Items items;
  if (ctx.in_comment || ctx.in_string) return items.Take();
  uint32_t word_start = offset - static_cast<uint32_t>(WordBefore(text, offset).size());
  int64_t prev = PrevNonSpace(text, word_start);
  if (prev >= 0 && text[prev] == '.' && !(prev > 0 && text[prev - 1] == '.'))
    return MemberCompletion(Cursor{a, cursor.module, offset}, text, word_start, reanalyze);
  if (InTypePosition(text, ctx, word_start)) {
    AddTypes(a, cursor.module, items);
    return items.Take();
  }
  if (AtTaskFieldStart(a, cursor.module, text, ctx, word_start)) {
    for (const TaskFieldInfo& field : TaskFields())
      items.Add(std::string(field.name), kProperty, std::string(field.type), std::string(field.name) + " = ",
                std::string(field.doc), "0");
  }
  for (size_t k = ctx.frames.size(); k > 0; --k) {
    if (ctx.frames[k - 1].open == '(') {
      AddCallParams(a, cursor.module, text, ctx.frames[k - 1], items);
      break;
    }
    if (ctx.frames[k - 1].open == '{') break;
  }
  AddScope(a, cursor.module, offset, EnclosingCallable(a, cursor.module, offset), items);
  AddModuleMembers(a, cursor.module, items);
  for (const ast::ImportDecl* import : a.loaded.modules[cursor.module].module.imports)
    items.Add(import->name.text, kModule, "module \"" + import->path + "\"");
  for (const BuiltinInfo& builtin : Builtins())
    items.Add(std::string(builtin.name), kFunction, std::string(SplitOverloads(builtin.signature)[0]), "",
              std::string(builtin.doc), "7");
  for (std::string_view keyword : Keywords()) items.Add(std::string(keyword), kKeyword, "", "", "", "8");
  return items.Take();
}

}  // namespace flow::lsp

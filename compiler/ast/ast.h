// The abstract syntax tree of one `.flow` module.
//
// Built by compiler/parse (the only code that sees ANTLR), immutable afterwards.
// Every node is owned by the module's Arena, carries the SourceRange of the
// text it came from and a dense id (unique within a loaded program) that later
// phases use to keep side tables in arrays (NodeMap) instead of hash maps. Syntax errors leave ErrorExpr / ErrorType nodes behind so
// later phases can keep going; checks on a poisoned node stay silent.
//
// Nodes are tagged with a Kind (ast_kinds.def); use `node->As<T>()` after checking
// `node->kind` (or `Is<T>()`), never dynamic_cast.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <llvm/Support/Allocator.h>

#include "compiler/base/operators.h"
#include "compiler/base/source.h"

namespace flow::ast {

enum class Kind : uint8_t {
#define FLOW_AST_NODE(Name) Name,
#include "compiler/ast/ast_kinds.def"
};

/// How many node kinds there are (for per-kind arrays).
inline constexpr size_t kNumKinds = 0
#define FLOW_AST_NODE(Name) +1
#include "compiler/ast/ast_kinds.def"
    ;

// Not polymorphic: the Arena destroys each node as its concrete type, so a
// node carries no vtable pointer.
struct Node {
  explicit Node(Kind k, SourceRange r) : kind(k), range(r) {}
  Kind kind;
  uint32_t id = 0;  // dense, set by the Arena: module's first id + creation order
  SourceRange range;

  template <typename T>
  bool Is() const { return kind == T::kKind; }
  template <typename T>
  T* As() { assert(Is<T>()); return static_cast<T*>(this); }
  template <typename T>
  const T* As() const { assert(Is<T>()); return static_cast<const T*>(this); }
  template <typename T>
  const T* TryAs() const { return Is<T>() ? static_cast<const T*>(this) : nullptr; }
};

#define FLOW_NODE_KIND(Name) \
  static constexpr Kind kKind = Kind::Name; \
  explicit Name(SourceRange r) : Base(Kind::Name, r) {}

/// A name as written, with its own range (for carets and rename).
///
/// `text` views the characters of the name in the file's text, owned by the
/// SourceManager (which outlives every AST), or, for the rare name that is not
/// spelled in the source (an import's computed stem, a name made by a test),
/// characters saved with Arena::Save. A view instead of a std::string keeps
/// the AST small (32 bytes instead of 48 per name, no heap block for long
/// names); a phase whose result outlives the AST (TypeStore, IR) copies it.
struct Ident {
  std::string_view text;
  SourceRange range;
};

// ---------------------------------------------------------------------------
// Type expressions
// ---------------------------------------------------------------------------
struct TypeExpr : Node { using Node::Node; };

/// `Int`, `List[T]`, `Map[K, V]`, `Metrics`, `train.Metrics`.
struct NamedType : TypeExpr {
  using Base = TypeExpr;
  FLOW_NODE_KIND(NamedType)
  Ident module;  // empty text when unqualified
  Ident name;
  std::vector<TypeExpr*> args;  // `[...]` arguments, in order
};

/// `T?`
struct OptionalType : TypeExpr {
  using Base = TypeExpr;
  FLOW_NODE_KIND(OptionalType)
  TypeExpr* inner = nullptr;
};

/// `(a: T, b: U)`
struct RecordType : TypeExpr {
  using Base = TypeExpr;
  FLOW_NODE_KIND(RecordType)
  struct Field {
    Ident name;
    TypeExpr* type = nullptr;
  };
  std::vector<Field> fields;
};

/// Where a type failed to parse.
struct ErrorType : TypeExpr {
  using Base = TypeExpr;
  FLOW_NODE_KIND(ErrorType)
};

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------
struct Expr : Node { using Node::Node; };
struct Block;

struct IntLit : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(IntLit)
  int64_t value = 0;
};

struct FloatLit : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(FloatLit)
  double value = 0;
};

struct BoolLit : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(BoolLit)
  bool value = false;
};

struct NoneLit : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(NoneLit)
};

/// `90s`, `1h30m`, `250ms`. Stored in milliseconds.
struct DurationLit : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(DurationLit)
  int64_t millis = 0;
};

/// `512Mi`, `1G`. Stored in bytes; `text` keeps the spelling (Kubernetes quantities).
struct SizeLit : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(SizeLit)
  int64_t bytes = 0;
  std::string text;
};

/// One piece of a string literal: literal text (escapes already decoded) or an
/// interpolated expression `{{expr}}`.
struct StringPart {
  SourceRange range;        // of the text, or of the whole `{{...}}`
  std::string text;         // decoded literal text (empty for an interpolation)
  Expr* expr = nullptr;     // non-null for an interpolation
};

/// `"..."` or `"""..."""`. Triple-quoted strings have their first newline and
/// common indentation already removed from the literal parts.
struct StringLit : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(StringLit)
  bool triple = false;
  std::vector<StringPart> parts;
  bool IsPlain() const { return parts.empty() || (parts.size() == 1 && !parts[0].expr); }
  std::string PlainText() const { return parts.empty() ? std::string() : parts[0].text; }
};

/// A bare name: a binding, parameter, const, task, workflow, enum, struct or module.
struct NameExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(NameExpr)
  Ident name;
};

/// `base.field` — record/struct field, enum member, module member, `out.NAME`.
struct FieldExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(FieldExpr)
  Expr* base = nullptr;
  Ident field;
};

/// `base[index]`
struct IndexExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(IndexExpr)
  Expr* base = nullptr;
  Expr* index = nullptr;
};

struct Argument {
  Ident name;               // empty text for a positional argument
  Expr* value = nullptr;
  SourceRange range;        // the whole argument
};

/// `name = value` inside a task body, `with { ... }` or a workflow (`schedule`).
struct FieldAssign {
  Ident name;
  Expr* value = nullptr;
  SourceRange range;
};

/// `callee(args) [with { field = value, ... }]`
struct CallExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(CallExpr)
  Expr* callee = nullptr;  // NameExpr or FieldExpr (module.member)
  std::vector<Argument> args;
  bool has_with = false;
  std::vector<FieldAssign> with;
  SourceRange with_range;
};

using flow::BinaryOp;  // compiler/base/operators.h, shared with the IR
using flow::Precedence;
using flow::Spelling;
using flow::UnaryOp;

struct UnaryExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(UnaryExpr)
  UnaryOp op = UnaryOp::Neg;
  SourceRange op_range;
  Expr* operand = nullptr;
};

struct BinaryExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(BinaryExpr)
  BinaryOp op = BinaryOp::Add;
  SourceRange op_range;
  Expr* lhs = nullptr;
  Expr* rhs = nullptr;
};

/// `[a, b, c]`
struct ListExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(ListExpr)
  std::vector<Expr*> elements;
};

/// `{k: v, ...}`
struct MapExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(MapExpr)
  struct Entry {
    Expr* key = nullptr;
    Expr* value = nullptr;
  };
  std::vector<Entry> entries;
};

struct FieldInit {
  Ident name;
  Expr* value = nullptr;
};

/// `(a: 1, b: "x")`
struct RecordExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(RecordExpr)
  std::vector<FieldInit> fields;
};

/// `Metrics { accuracy: 1.0, loss: 0.5 }` or `mod.Metrics { ... }`
struct StructExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(StructExpr)
  Ident module;  // empty text when unqualified
  Ident type_name;
  std::vector<FieldInit> fields;
};

/// `if cond { ... } [else { ... } | else if ...]`. An `else if` is an IfExpr
/// wrapped as the sole result of the else block.
struct IfExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(IfExpr)
  Expr* cond = nullptr;
  Block* then_block = nullptr;
  Block* else_block = nullptr;  // null without `else`
};

/// `for x in xs [limit N] { ... }`, `for (i, x) in enumerate(xs) { ... }`,
/// `for (k, v) in m { ... }`. `[for ...]` parses to the same node with
/// `bracketed = true` (same meaning: the list of body values).
struct ForExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(ForExpr)
  std::vector<Ident> vars;  // one or two names
  bool tuple_pattern = false;  // written `(a, b)`
  Expr* iterable = nullptr;
  Expr* limit = nullptr;    // null without `limit`
  Block* body = nullptr;
  bool bracketed = false;
};

/// `try call`
struct TryExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(TryExpr)
  Expr* operand = nullptr;
};

/// `(expr)` — kept so that ranges and the formatter see the parentheses.
struct ParenExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(ParenExpr)
  Expr* inner = nullptr;
};

/// Where an expression failed to parse.
struct ErrorExpr : Expr {
  using Base = Expr;
  FLOW_NODE_KIND(ErrorExpr)
};

// ---------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------
struct Stmt : Node { using Node::Node; };

/// `let name [: Type] = value [after a, b]`
struct LetStmt : Stmt {
  using Base = Stmt;
  FLOW_NODE_KIND(LetStmt)
  Ident name;
  TypeExpr* type = nullptr;  // optional annotation
  Expr* value = nullptr;
  std::vector<Ident> after;
};

/// `expr [after a, b]` — a call, `for` or `if` whose value is unused.
struct ExprStmt : Stmt {
  using Base = Stmt;
  FLOW_NODE_KIND(ExprStmt)
  Expr* expr = nullptr;
  std::vector<Ident> after;
};

/// `name = value` — a task field, or a workflow field such as `schedule`.
struct FieldStmt : Stmt {
  using Base = Stmt;
  FLOW_NODE_KIND(FieldStmt)
  FieldAssign field;
};

/// `finally { ... }`
struct FinallyStmt : Stmt {
  using Base = Stmt;
  FLOW_NODE_KIND(FinallyStmt)
  Block* body = nullptr;
};

/// `return expr`
struct ReturnStmt : Stmt {
  using Base = Stmt;
  FLOW_NODE_KIND(ReturnStmt)
  Expr* value = nullptr;
};

/// Where a statement failed to parse.
struct ErrorStmt : Stmt {
  using Base = Stmt;
  FLOW_NODE_KIND(ErrorStmt)
};

/// `{ stmt* [expr] }` — the body of `for`, `if`, `finally`. `result` is the final
/// expression (the block's value), or null.
struct Block : Node {
  using Base = Node;
  FLOW_NODE_KIND(Block)
  std::vector<Stmt*> stmts;
  Expr* result = nullptr;
};

// ---------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------
struct Decl : Node {
  using Node::Node;
  Ident name;
  std::string doc;  // text of the `##` comments right before it, `## ` stripped, lines joined by '\n'
};

/// A task/workflow parameter or a struct field: `name: Type [= default]`.
struct Param {
  Ident name;
  TypeExpr* type = nullptr;
  Expr* default_value = nullptr;
  std::string doc;  // `##` comment before it, if any
  SourceRange range;
};

/// `import "path" [as alias]`. `name` is the alias, or the file stem.
struct ImportDecl : Decl {
  using Base = Decl;
  FLOW_NODE_KIND(ImportDecl)
  std::string path;         // as written, without quotes
  SourceRange path_range;
  bool has_alias = false;
};

struct StructDecl : Decl {
  using Base = Decl;
  FLOW_NODE_KIND(StructDecl)
  std::vector<Param> fields;
};

struct EnumDecl : Decl {
  using Base = Decl;
  FLOW_NODE_KIND(EnumDecl)
  std::vector<Ident> members;
};

struct ConstDecl : Decl {
  using Base = Decl;
  FLOW_NODE_KIND(ConstDecl)
  TypeExpr* type = nullptr;  // optional annotation
  Expr* value = nullptr;
};

/// Shared shape of tasks and workflows.
struct CallableDecl : Decl {
  using Decl::Decl;
  std::vector<Param> params;
  TypeExpr* output = nullptr;  // null: no outputs. A RecordType: named outputs.
  std::vector<Stmt*> body;     // in source order
  SourceRange body_range;      // `{ ... }`
};

/// `task name(params) -> out { let ...; field = value ... }`
struct TaskDecl : CallableDecl {
  using Base = CallableDecl;
  FLOW_NODE_KIND(TaskDecl)
};

/// `workflow name(params) -> out { statements }`
struct WorkflowDecl : CallableDecl {
  using Base = CallableDecl;
  FLOW_NODE_KIND(WorkflowDecl)
};

/// Where a declaration failed to parse.
struct ErrorDecl : Decl {
  using Base = Decl;
  FLOW_NODE_KIND(ErrorDecl)
};

/// Owns all nodes of one module: one bump allocator per node kind, so a node
/// costs exactly its size (no malloc header, no owning pointer) and is
/// destroyed as its own type when the arena goes.
class Arena {
 public:
  /// Ids are given from `first_id` on; the loader makes them unique across a
  /// program by starting each module where the previous one ended.
  explicit Arena(uint32_t first_id = 0) : first_id_(first_id), next_id_(first_id) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  template <typename T>
  T* Make(SourceRange range) {
    T* node = new (std::get<llvm::SpecificBumpPtrAllocator<T>>(pools_).Allocate()) T(range);
    node->id = next_id_++;
    ++counts_[static_cast<size_t>(T::kKind)];
    return node;
  }
  size_t size() const { return next_id_ - first_id_; }
  /// How many nodes of `kind` this arena made (checkers size their tables
  /// with it instead of growing them by doubling).
  uint32_t count(Kind kind) const { return counts_[static_cast<size_t>(kind)]; }
  /// One past the last id given.
  uint32_t end_id() const { return next_id_; }

  /// Copies `text` into storage owned by this arena and returns a view of the
  /// copy, valid as long as the arena: for an Ident whose text is not a
  /// substring of the source. One bump allocation, no per-string malloc.
  std::string_view Save(std::string_view text) {
    if (text.empty()) return {};
    char* copy = static_cast<char*>(strings_.Allocate(text.size(), 1));
    std::memcpy(copy, text.data(), text.size());
    return {copy, text.size()};
  }

 private:
  struct ListEnd {};  // closes the generated list after its last comma; never allocated
  uint32_t first_id_;
  uint32_t next_id_;
  std::array<uint32_t, kNumKinds> counts_{};
  llvm::BumpPtrAllocator strings_;  // characters of Save()d names
  std::tuple<
#define FLOW_AST_NODE(Name) llvm::SpecificBumpPtrAllocator<Name>,
#include "compiler/ast/ast_kinds.def"
      llvm::SpecificBumpPtrAllocator<ListEnd>>
      pools_;
};

/// One parsed file.
struct Module {
  FileId file;
  std::vector<ImportDecl*> imports;
  std::vector<Decl*> decls;  // struct, enum, const, task, workflow (and ErrorDecl), in order
  std::unique_ptr<Arena> arena = std::make_unique<Arena>();
};

}  // namespace flow::ast

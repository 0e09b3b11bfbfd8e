// Type expressions → TypeIds: built-in types, structs and enums (possibly from
// another module, `train.Metrics`), and the signatures of tasks and workflows.
#include <algorithm>

#include "compiler/check/checker.h"
#include "compiler/diag/suggest.h"

namespace flow::check {

namespace {

struct BuiltinType {
  const char* name;
  int arity;  // number of `[...]` arguments
};

const BuiltinType kBuiltinTypes[] = {
    {"Int", 0},      {"Float", 0}, {"Bool", 0}, {"String", 0}, {"File", 0}, {"Dir", 0},
    {"Duration", 0}, {"Size", 0},  {"List", 1}, {"Map", 2},
};

}  // namespace

void Checker::DeclareNominalTypes() {
  for (size_t m = 0; m < program_.modules.size(); ++m) {
    for (const ast::Decl* decl : program_.modules[m].module.decls) {
      if (const auto* s = decl->TryAs<ast::StructDecl>()) {
        out_.decl_types[s] = types().DeclareStruct(modules_[m].prefix + std::string(s->name.text));
      } else if (const auto* e = decl->TryAs<ast::EnumDecl>()) {
        std::vector<std::string> members;
        llvm::StringMap<SourceRange> seen;
        for (const ast::Ident& member : e->members) {
          auto [it, inserted] = seen.try_emplace(member.text, member.range);
          if (!inserted) {
            diags_.Build(member.range, diag::Kind::DuplicateDeclaration, member.text)
                .Label(it->second, "first declared here")
                .Emit();
            continue;
          }
          members.emplace_back(member.text);
        }
        out_.decl_types[e] = types().DeclareEnum(modules_[m].prefix + std::string(e->name.text), std::move(members));
      }
    }
  }
}

void Checker::ResolveStructFields() {
  for (size_t m = 0; m < program_.modules.size(); ++m) {
    for (const ast::Decl* decl : program_.modules[m].module.decls) {
      const auto* s = decl->TryAs<ast::StructDecl>();
      if (!s) continue;
      std::vector<types::Field> fields;
      llvm::StringMap<SourceRange> seen;
      for (const ast::Param& field : s->fields) {
        TypeId type = ResolveType(field.type, static_cast<int>(m));
        auto [it, inserted] = seen.try_emplace(field.name.text, field.name.range);
        if (!inserted) {
          diags_.Build(field.name.range, diag::Kind::DuplicateDeclaration, field.name.text)
              .Label(it->second, "first declared here")
              .Emit();
          continue;
        }
        fields.push_back({std::string(field.name.text), type, field.default_value != nullptr});
      }
      types().SetStructFields(out_.decl_types[s], std::move(fields));
    }
  }
}

TypeId Checker::ResolveType(const ast::TypeExpr* type, int module) {
  if (!type) return TypeStore::Error();
  TypeId result = TypeStore::Error();
  if (const auto* opt = type->TryAs<ast::OptionalType>()) {
    result = types().Optional(ResolveType(opt->inner, module));
  } else if (const auto* rec = type->TryAs<ast::RecordType>()) {
    std::vector<types::Field> fields;
    llvm::StringMap<SourceRange> seen;
    for (const auto& field : rec->fields) {
      TypeId t = ResolveType(field.type, module);
      auto [it, inserted] = seen.try_emplace(field.name.text, field.name.range);
      if (!inserted) {
        diags_.Build(field.name.range, diag::Kind::DuplicateDeclaration, field.name.text)
            .Label(it->second, "first declared here")
            .Emit();
        continue;
      }
      fields.push_back({std::string(field.name.text), t, false});
    }
    result = types().Record(std::move(fields));
  } else if (const auto* named = type->TryAs<ast::NamedType>()) {
    std::vector<TypeId> args;
    for (const ast::TypeExpr* arg : named->args) args.push_back(ResolveType(arg, module));
    std::string_view name = named->name.text;
    if (!named->module.text.empty()) {
      auto import = modules_[module].imports.find(named->module.text);
      if (import == modules_[module].imports.end()) {
        auto builder = diags_.Build(named->module.range, diag::Kind::UnknownName, named->module.text);
        std::vector<std::string> names;
        for (const auto& entry : modules_[module].imports) names.push_back(entry.first().str());
        std::sort(names.begin(), names.end());
        if (auto suggestion = diag::Suggest(named->module.text, names)) builder.Note(diag::DidYouMean(*suggestion));
        builder.Emit();
      } else {
        modules_[module].used_imports.insert(named->module.text);
        int target = import->second;
        if (target >= 0) {
          auto member = LookupMember(target, name);
          if (!member) {
            ReportUnknownMember(named->name.range, target, named->module.text, name);
          } else if (member->kind == RefKind::Struct || member->kind == RefKind::Enum) {
            result = out_.decl_types[member->node];
          } else {
            diags_.Build(named->name.range, diag::Kind::UnknownType, fmt::format("{}.{}", named->module.text, name))
                .Note(fmt::format("`{}.{}` is a {}, not a type", named->module.text, name,
                                  RefKindName(member->kind)))
                .Emit();
          }
          if (!named->args.empty() && result != TypeStore::Error()) {
            diags_.Emit(named->range, diag::Kind::WrongTypeArguments, fmt::format("{}.{}", named->module.text, name),
                        "no type arguments");
            result = TypeStore::Error();
          }
        }
      }
    } else {
      const BuiltinType* builtin = nullptr;
      for (const BuiltinType& b : kBuiltinTypes)
        if (name == b.name) builtin = &b;
      if (builtin) {
        if (static_cast<int>(args.size()) != builtin->arity) {
          const char* takes = builtin->arity == 0   ? "no type arguments"
                              : builtin->arity == 1 ? "1 type argument: `List[T]`"
                                                    : "2 type arguments: `Map[K, V]`";
          diags_.Emit(named->range, diag::Kind::WrongTypeArguments, name, takes);
        } else if (name == "Int") {
          result = TypeStore::Int();
        } else if (name == "Float") {
          result = TypeStore::Float();
        } else if (name == "Bool") {
          result = TypeStore::Bool();
        } else if (name == "String") {
          result = TypeStore::String();
        } else if (name == "File") {
          result = TypeStore::File();
        } else if (name == "Dir") {
          result = TypeStore::Dir();
        } else if (name == "Duration") {
          result = TypeStore::Duration();
        } else if (name == "Size") {
          result = TypeStore::Size();
        } else if (name == "List") {
          result = types().List(args[0]);
        } else {
          TypeId key = args[0];
          if (key != TypeStore::String() && key != TypeStore::Int() && !types().IsError(key)) {
            diags_.Build(named->args[0]->range, diag::Kind::InvalidMapKey, Str(key)).Emit();
            key = TypeStore::Error();
          }
          result = types().Map(key, args[1]);
        }
      } else {
        auto member = LookupMember(module, name);
        if (member && (member->kind == RefKind::Struct || member->kind == RefKind::Enum)) {
          result = out_.decl_types[member->node];
          if (!named->args.empty()) {
            diags_.Emit(named->range, diag::Kind::WrongTypeArguments, name, "no type arguments");
            result = TypeStore::Error();
          }
        } else if (member) {
          diags_.Build(named->name.range, diag::Kind::UnknownType, name)
              .Note(fmt::format("`{}` is a {}, not a type", name, RefKindName(member->kind)))
              .Emit();
        } else {
          std::vector<std::string> candidates;
          for (const BuiltinType& b : kBuiltinTypes) candidates.push_back(b.name);
          for (const std::string& decl_name : modules_[module].decl_names) {
            auto ref = LookupMember(module, decl_name);
            if (ref && (ref->kind == RefKind::Struct || ref->kind == RefKind::Enum)) candidates.push_back(decl_name);
          }
          std::sort(candidates.begin(), candidates.end());
          auto builder = diags_.Build(named->name.range, diag::Kind::UnknownType, name);
          if (auto suggestion = diag::Suggest(name, candidates)) builder.Note(diag::DidYouMean(*suggestion));
          builder.Emit();
        }
      }
    }
  }
  // ErrorType: already diagnosed by the parser; stays Error.
  out_.type_exprs[type] = result;
  return result;
}

void Checker::ResolveSignatures() {
  for (size_t m = 0; m < program_.modules.size(); ++m) {
    int module = static_cast<int>(m);
    for (const ast::Decl* decl : program_.modules[m].module.decls) {
      const ast::CallableDecl* callable = nullptr;
      if (const auto* task = decl->TryAs<ast::TaskDecl>()) callable = task;
      if (const auto* workflow = decl->TryAs<ast::WorkflowDecl>()) callable = workflow;
      if (!callable) continue;
      Signature sig;
      for (const ast::Param& param : callable->params) sig.params.push_back(ResolveType(param.type, module));
      if (callable->output) {
        sig.has_output = true;
        sig.output = ResolveType(callable->output, module);
        if (const auto* rec = callable->output->TryAs<ast::RecordType>()) {
          sig.record_output = true;
          for (const auto& field : rec->fields) {
            sig.output_names.emplace_back(field.name.text);
            const types::Field* f = types().FindField(sig.output, field.name.text);
            sig.output_types.push_back(f ? f->type : TypeStore::Error());
          }
        } else {
          sig.output_names.push_back("");
          sig.output_types.push_back(sig.output);
        }
        // A task either writes each output or fails: an optional output has no meaning.
        if (decl->Is<ast::TaskDecl>()) {
          for (size_t i = 0; i < sig.output_types.size(); ++i) {
            if (types().IsOptional(sig.output_types[i]) || sig.output_types[i] == TypeStore::None()) {
              const ast::TypeExpr* where = callable->output;
              if (const auto* rec = callable->output->TryAs<ast::RecordType>())
                where = rec->fields[i].type ? rec->fields[i].type : callable->output;
              diags_.Build(where->range, diag::Kind::InvalidOutputType, Str(sig.output_types[i]))
                  .Note("a task writes every output or fails; declare the output without `?`")
                  .Emit();
            }
          }
        }
      } else {
        sig.output = types().Record({});
      }
      signatures_[callable] = std::move(sig);
    }
  }
}

}  // namespace flow::check

// Run arguments: `-p name=value` (repeatable) and `-i inputs.yaml|json`, parsed
// per the entry workflow's declared parameter types (LANGUAGE.md §7), with the
// defaults of the IR filled in. Used by `flowc run` and `flowc build`.
//
//   -p: scalars from their text (`n=3`, `lr=1e-3`, `flag=true`, `t=90s`,
//       `mem=512Mi`, an enum by member name, a File/Dir as a path, a String as
//       is); List/Map/struct/record as JSON; an optional accepts `null`/`none`.
//   -i: a JSON object, or a YAML mapping (any file not ending in `.json`),
//       from parameter name to value; YAML scalars are read by the type.
//   A `-p` wins over the same name in `-i`; parameters given by neither take
//   their default; a required one missing is an error.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/value.h"

namespace flow::ir {

struct ParamSources {
  std::vector<std::string> assignments;  // "-p" texts, "name=value", in command-line order
  std::string inputs_path;               // "-i" file (for messages and its format); empty: none
  std::string inputs_text;               // its contents
  /// Relative File/Dir paths are joined to this directory (so a later `cd`
  /// does not change them); empty keeps them as given. URIs ("s3://...") are kept.
  std::string base_dir;
};

/// Reads the `-i` file named `path` into `sources`. False with `*error` if it cannot be read.
bool LoadInputsFile(const FileSystem& fs, const std::string& path, ParamSources* sources, std::string* error);

/// The arguments of workflow `workflow` of `program`, one per declared
/// parameter (after defaults). False with one message per problem in `errors`
/// (each names the parameter, its type and the offending text).
bool ParseParams(const Program& program, int32_t workflow, const ParamSources& sources,
                 std::map<std::string, Value>* values, std::vector<std::string>* errors);

/// The default of struct field `field` of struct type `type`, from
/// Program::struct_defaults; nullopt if it has none (or it cannot be computed).
std::optional<Value> StructFieldDefaultValue(const Program& program, TypeId type, size_t field);

}  // namespace flow::ir

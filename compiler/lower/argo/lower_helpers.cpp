// Synthesized helper steps: small containers (image `--helper-image`) that do
// what Argo's expression language cannot do with Flow's exact meaning.
//
// `flow-map-items` turns a JSON object (a `Map` computed at run time) into the
// JSON list of its `{"key": K, "value": V}` entries, in the object's own order
// (Flow iterates a map in insertion order; expr-lang's `keys()` has none), so a
// `for (k, v) in m` loops over it with `withParam`.
#include "compiler/lower/argo/context.h"

namespace flow::lower::argo {

namespace {

/// POSIX awk (busybox's too): splits the top-level members of the object in
/// FLOW_MAP, tracking strings and nesting, and keeps each key and value's JSON text.
constexpr const char* kMapItemsScript = R"(mkdir -p /tmp/flow/out
awk 'function trim(x) { gsub(/^[ \t\r\n]+|[ \t\r\n]+$/, "", x); return x }
function bad(why) { printf "flow: the map of a for is not a JSON object: %s\n", why > "/dev/stderr"; exit 1 }
BEGIN {
  s = ENVIRON["FLOW_MAP"]; n = length(s); i = 1
  while (i <= n && index(" \t\r\n", substr(s, i, 1)) > 0) i++
  if (substr(s, i, 1) != "{") bad("it does not start with {")
  depth = 0; instr = 0; part = ""; key = ""; haskey = 0; out = ""; sep = ""; done = 0
  for (i++; i <= n; i++) {
    c = substr(s, i, 1)
    if (instr) {
      part = part c
      if (c == "\\") { i++; part = part substr(s, i, 1) } else if (c == "\"") instr = 0
      continue
    }
    if (c == "\"") { instr = 1; part = part c; continue }
    if (depth == 0 && c == ":" && !haskey) { key = trim(part); haskey = 1; part = ""; continue }
    if (depth == 0 && (c == "," || c == "}")) {
      if (haskey) {
        if (trim(part) == "") bad("a key without a value")
        out = out sep "{\"key\":" key ",\"value\":" trim(part) "}"; sep = ","
      } else if (trim(part) != "" || c == ",") {
        bad("a member without a key")
      }
      if (c == "}") { done = 1; break }
      part = ""; key = ""; haskey = 0
      continue
    }
    if (c == "{" || c == "[") depth++
    if (c == "}" || c == "]") depth--
    part = part c
  }
  if (!done || trim(substr(s, i + 1)) != "") bad("it is not one complete object")
  printf "[%s]", out > "/tmp/flow/out/value"
}'
)";

}  // namespace

std::string Lowering::MapItemsTemplate() {
  if (!map_items_template_.empty()) return map_items_template_;
  map_items_template_ = template_names_.Unique("flow-map-items");
  YNode tmpl = YNode::Map();
  tmpl.Set("name", YNode::Str(map_items_template_));
  tmpl.Set("inputs", YNode::Map()).Set("parameters", YNode::Seq()).Push(YNode::Map()).Set("name", YNode::Str("map"));
  YNode& out = tmpl.Set("outputs", YNode::Map()).Set("parameters", YNode::Seq()).Push(YNode::Map());
  out.Set("name", YNode::Str("value"));
  out.Set("valueFrom", YNode::Map()).Set("path", YNode::Str("/tmp/flow/out/value"));
  YNode& container = tmpl.Set("container", YNode::Map());
  container.Set("image", YNode::Str(options_.helper_image.empty() ? kHelperImage : options_.helper_image));
  YNode command = YNode::FlowSeq();
  for (const char* a : {"/bin/sh", "-eu", "-c"}) command.Push(YNode::Str(a));
  container.Set("command", std::move(command));
  container.Set("args", YNode::Seq()).Push(YNode::Str(kMapItemsScript));
  // The value arrives in an environment variable: never pasted into the script.
  YNode& env = container.Set("env", YNode::Seq()).Push(YNode::Map());
  env.Set("name", YNode::Str("FLOW_MAP"));
  env.Set("value", YNode::Str("{{inputs.parameters.map}}"));
  templates_.Push(std::move(tmpl));
  return map_items_template_;
}

}  // namespace flow::lower::argo

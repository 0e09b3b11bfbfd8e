// Native expr-lang values → the exact text `flowc run` gives them.
//
// Argo's `toJson` is Go's encoding/json: whole floats lose `.0` (`[2]` for
// `[2.0]`), objects come out with their keys sorted, and `string(x)` of a float
// is Go's `%v`. `flowc run` prints compact JSON with record/struct fields in
// declaration order and floats as nlohmann's dump does (`2.0`, `1e+15`). The
// static Flow type of every value is known here, so each part gets its own
// formatting expression; parts whose Go text is already Flow's (Int, Bool,
// strings, lists of those) keep the short `toJson`.
#include <fmt/format.h>

#include "compiler/ir/value_json.h"
#include "compiler/lower/argo/context.h"

namespace flow::lower::argo {

using types::TypeKind;

namespace {

/// Shared by FloatText and JsonFloatText: Flow's shortest digits, plainly with
/// `.0` when whole for magnitudes in [1e-4, `limit`), else Go's exponent form.
std::string FloatTextBelow(const std::string& code, const std::string& limit) {
  // Go's %v (`string`) has the same shortest digits and exponent form but goes
  // exponential from 1e6 and drops `.0`: keep Go's text where both agree,
  // rebuild it where they do not. Comparing with the literals is exact: 1e6,
  // 1e15 and 1e16 are doubles, and no double other than the one nearest 0.0001
  // has shortest digits 0.0001. Whole values below the limit are ints exactly;
  // a non-whole one's shortest digits start with its integer part (an integer
  // between them would be the double).
  return "(let flowF = " + code +
         "; let flowA = flowF < 0 ? -flowF : flowF; "
         "flowA >= " + limit + " || (flowA > 0 && flowA < 0.0001) ? string(flowF) : "
         "flowF == float(int(flowF)) ? (string(flowF) == '-0' ? '-0.0' : string(int(flowF)) + '.0') : "
         "flowA < 1000000.0 ? string(flowF) : "
         "string(int(flowF)) + '.' + sprig.trimPrefix(string(int(flowA)), "
         "sprig.replace('.', '', sprig.replace('-', '', sprig.splitList('e', string(flowF))[0]))))";
}

constexpr int kMaxJsonDepth = 8;

bool IsStringKind(TypeKind kind) {
  return kind == TypeKind::String || kind == TypeKind::File || kind == TypeKind::Dir || kind == TypeKind::Enum ||
         kind == TypeKind::Duration || kind == TypeKind::Size;
}

}  // namespace

std::string Lowering::FloatText(const std::string& code) {
  // Flow's scalar text (ir::FormatFloat): plain below 1e16 (`1000000000000000.0`).
  return FloatTextBelow(code, "10000000000000000.0");
}

std::string Lowering::JsonFloatText(const std::string& code) {
  // Inside JSON `flowc run` prints with nlohmann's dump, plain only below 1e15 (`1e+15`).
  return FloatTextBelow(code, "1000000000000000.0");
}

std::string Lowering::ScalarText(const std::string& code, ir::TypeId type) const {
  TypeKind kind = types().KindOf(type);
  if (kind == TypeKind::Float) return FloatText(code);
  if (IsStringKind(kind)) return code;
  return "string(" + code + ")";
}

bool Lowering::NeedsJsonText(ir::TypeId type, int depth) const {
  // Recursive structs (a field holding a list of the struct itself) end here.
  if (depth > kMaxJsonDepth) return true;
  switch (types().KindOf(type)) {
    case TypeKind::Float:
      return true;
    case TypeKind::Record:
    case TypeKind::Struct: {
      // Go writes the fields sorted by name: right when they are declared so.
      const auto& fields = types().Get(type).fields;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0 && !(fields[i - 1].name < fields[i].name)) return true;
        if (NeedsJsonText(fields[i].type, depth + 1)) return true;
      }
      return false;
    }
    case TypeKind::Map:
      // A map read back from JSON has no order left; Go's sorted keys are kept.
      return NeedsJsonText(types().Get(type).value, depth + 1);
    case TypeKind::List:
    case TypeKind::Optional:
      return NeedsJsonText(types().Get(type).elem, depth + 1);
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum:
      return false;
  }
  return false;
}

std::string Lowering::JsonText(const std::string& code, ir::TypeId type, int depth) const {
  // Past kMaxJsonDepth (recursive structs; each level also grows the code) Go's text is kept.
  if (!NeedsJsonText(type) || depth > kMaxJsonDepth) return "toJson(" + code + ")";
  // expr-lang refuses to redeclare a `let` name in scope: one name per nesting level.
  std::string v = "flowJ" + std::to_string(depth);
  const types::Type& info = types().Get(type);
  switch (types().KindOf(type)) {
    case TypeKind::Float:
      return JsonFloatText(code);
    case TypeKind::Optional:
      return "(let " + v + " = " + code + "; " + v + " == nil ? 'null' : " + JsonText(v, info.elem, depth + 1) + ")";
    case TypeKind::List:
      return "(let " + v + " = " + code + "; '[' + sprig.join(',', map(" + v + ", {let " + v + "e = #; " +
             JsonText(v + "e", info.elem, depth + 1) + "})) + ']')";
    case TypeKind::Map:
      // A map read back from JSON has no order left in Go; sorted keys are
      // deterministic and are Go's own `toJson` order.
      return "(let " + v + " = " + code + "; '{' + sprig.join(',', map(sort(keys(" + v + ")), {let " + v +
             "k = #; toJson(" + v + "k) + ':' + " + JsonText(v + "[" + v + "k]", info.value, depth + 1) +
             "})) + '}')";
    case TypeKind::Record:
    case TypeKind::Struct: {
      std::string out = "(let " + v + " = " + code + "; '{'";
      for (size_t i = 0; i < info.fields.size(); ++i) {
        const types::Field& f = info.fields[i];
        std::string key = ir::DumpJson(ir::Json(f.name)) + ":";
        out += " + " + ExprString((i > 0 ? "," : "") + key) + " + " +
               JsonText(v + "[" + ExprString(f.name) + "]", f.type, depth + 1);
      }
      return out + " + '}')";
    }
    case TypeKind::Error:
    case TypeKind::None:
    case TypeKind::Int:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::File:
    case TypeKind::Dir:
    case TypeKind::Duration:
    case TypeKind::Size:
    case TypeKind::Enum:
      break;
  }
  return "toJson(" + code + ")";
}

std::optional<std::string> Lowering::JsonTextOf(ir::ExprId id, Scope& scope) {
  const ir::Expr& e = program_.expr(id);
  if (std::optional<ir::Value> constant = Constant(id)) {
    return ExprString(ir::DumpJson(ir::ValueToJson(*constant, e.type, types())));
  }
  // `let m = {...}` names the literal itself (expressions are inlined).
  if (e.kind == ir::ExprKind::StepValue && program_.step(e.step).kind == ir::StepKind::Value) {
    ir::ExprId value = program_.step(e.step).value;
    if (program_.expr(value).type == e.type) return JsonTextOf(value, scope);
  }
  // Literals keep their written order (a Go map would sort the keys): the text
  // is assembled from the parts' texts. Anything else goes through JsonText.
  bool assemble = false;
  if (e.kind == ir::ExprKind::List && types().KindOf(e.type) == TypeKind::List) {
    assemble = NeedsJsonText(types().Get(e.type).elem);
  } else if (e.kind == ir::ExprKind::Record) {
    assemble = NeedsJsonText(e.type);
  } else if (e.kind == ir::ExprKind::Map && types().KindOf(e.type) == TypeKind::Map) {
    // Written order, unless it is Go's sorted order anyway.
    assemble = NeedsJsonText(types().Get(e.type).value);
    std::optional<std::string> last;
    for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
      std::optional<ir::Value> key = Constant(e.operands[i]);
      if (!key) break;
      std::string text = ir::FormatValueText(*key, program_.expr(e.operands[i]).type, types());
      if (last && !(*last < text)) assemble = true;
      last = text;
    }
  }
  if (assemble) {
    ir::TypeId elem = types().KindOf(e.type) == TypeKind::List ? types().Get(e.type).elem : ir::TypeId{};
    std::string out = e.kind == ir::ExprKind::List ? "'['" : "'{'";
    size_t step = e.kind == ir::ExprKind::Map ? 2 : 1;
    for (size_t i = 0; i + step - 1 < e.operands.size(); i += step) {
      std::string sep = i > 0 ? "," : "";
      if (e.kind == ir::ExprKind::Map) {
        std::optional<ir::Value> key = Constant(e.operands[i]);
        if (!key) break;  // Native reports the computed key
        sep += ir::DumpJson(ir::Json(ir::FormatValueText(*key, program_.expr(e.operands[i]).type, types()))) + ":";
      } else if (e.kind == ir::ExprKind::Record) {
        if (i >= e.names.size()) break;
        sep += ir::DumpJson(ir::Json(e.names[i])) + ":";
      }
      ir::ExprId part = e.operands[i + step - 1];
      std::optional<std::string> text;
      // A list element is spelled as the list's element type (an Int inside a List[Float?] ...).
      if (elem.valid() && program_.expr(part).type.index != elem.index) {
        std::optional<NativeExpr> native = Native(part, scope);
        if (native) text = JsonText(native->code, elem);
      } else {
        text = JsonTextOf(part, scope);
      }
      if (!text) return std::nullopt;
      out += (sep.empty() ? "" : " + " + ExprString(sep)) + " + " + *text;
    }
    if (!(e.kind == ir::ExprKind::Map && e.operands.size() % 2 != 0)) {
      bool complete = true;
      if (e.kind == ir::ExprKind::Map) {
        for (size_t i = 0; i < e.operands.size(); i += 2) complete = complete && Constant(e.operands[i]).has_value();
      }
      if (e.kind == ir::ExprKind::Record) complete = e.names.size() == e.operands.size() && StructInOrder(e);
      if (complete) return "(" + out + " + " + (e.kind == ir::ExprKind::List ? "']'" : "'}'") + ")";
    }
  }
  std::optional<NativeExpr> native = Native(id, scope);
  if (!native) return std::nullopt;
  return JsonText(native->code, e.type);
}

bool Lowering::StructInOrder(const ir::Expr& e) const {
  // `flowc run` prints a struct's fields in declaration order: a literal
  // written in another order goes through JsonText, which uses the type's order.
  if (types().KindOf(e.type) != TypeKind::Struct) return true;
  const auto& fields = types().Get(e.type).fields;
  if (fields.size() != e.names.size()) return false;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != e.names[i]) return false;
  }
  return true;
}

}  // namespace flow::lower::argo

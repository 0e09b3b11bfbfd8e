// A small interpreter of the expr-lang subset the Argo backend emits inside
// `{{=...}}` tags (test-only, header-only): literals, `nil`, `#`, member and
// index access, `! - * / % + - == != < <= > >= in contains startsWith
// endsWith && || ?: ?? ?.`, list/map literals, and the functions asInt, asFloat,
// string, int, float, toJson, jsonpath(x, '$'), len, map, filter and the
// sprig.* helpers used by the backend. Values are JSON. Errors (like Argo's)
// make evaluation fail: `ok == false`.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <charconv>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace flow::lower::argo::testing {

using SimJson = nlohmann::ordered_json;

class ExprEval {
 public:
  /// `env` maps top-level names (inputs, tasks, workflow, item) to values.
  ExprEval(const std::string& code, const SimJson& env) : src_(code), env_(env) {}

  bool Run(SimJson* out) {
    ok_ = true;
    auto node = ParseTernary();
    Skip();
    if (pos_ != src_.size()) return Fail("trailing input at " + std::to_string(pos_));
    if (!ok_) return false;
    *out = Eval(*node, nullptr);
    return ok_;
  }
  const std::string& error() const { return error_; }

  /// Go's %v spelling of a JSON value, as Argo's `string()` gives it (lists and
  /// objects as Argo substitutes them into `{{...}}`: Go's JSON).
  static std::string Text(const SimJson& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_float()) return GoFloat(v.get<double>());
    if (v.is_null()) return "<nil>";
    return GoJson(v);
  }

  /// Go's encoding/json text of a value (Argo's `toJson`): a float64 in plain
  /// shortest digits from 1e-6 up to 1e21 (`2`, not `2.0`), else `1e+21`/`1e-7`;
  /// object keys sorted; `<`, `>`, `&`, U+2028 and U+2029 escaped.
  static std::string GoJson(const SimJson& v) {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return v.dump();
    if (v.is_number_float()) {
      double d = v.get<double>();
      double a = std::fabs(d);
      char buf[64];
      bool exp = a != 0 && (a < 1e-6 || a >= 1e21);
      std::to_chars_result r =
          std::to_chars(buf, buf + sizeof buf, d, exp ? std::chars_format::scientific : std::chars_format::fixed);
      std::string text(buf, r.ptr);
      size_t n = text.size();
      if (exp && n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0') text.erase(n - 2, 1);
      return text;
    }
    if (v.is_string()) {
      std::string out = "\"";
      const std::string& s = v.get_ref<const std::string&>();
      for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c == '\n') {
          out += "\\n";
        } else if (c == '\r') {
          out += "\\r";
        } else if (c == '\t') {
          out += "\\t";
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\u%04x", c);
          out += hex;
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
      }
      return out + "\"";
    }
    std::string out;
    if (v.is_array()) {
      out = "[";
      for (size_t i = 0; i < v.size(); ++i) out += (i > 0 ? "," : "") + GoJson(v[i]);
      return out + "]";
    }
    std::vector<std::string> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    out = "{";
    for (size_t i = 0; i < keys.size(); ++i) {
      out += (i > 0 ? "," : "") + GoJson(SimJson(keys[i])) + ":" + GoJson(v[keys[i]]);
    }
    return out + "}";
  }

  /// Go's `%v` of a float64 (strconv 'g', shortest): the shortest digits that
  /// read back as `d`, in exponent form when the decimal exponent is below -4
  /// or at least 6 (`1e+06`, `1.5e-05`), else plainly (`123456.5`, `3`).
  static std::string GoFloat(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
    char buf[64];
    std::to_chars_result sci = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string text(buf, sci.ptr);
    int exp = d == 0 ? 0 : std::stoi(text.substr(text.find('e') + 1));
    if (exp < -4 || exp >= 6) return text;  // to_chars writes at least two exponent digits, as Go
    std::to_chars_result fixed = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    return std::string(buf, fixed.ptr);
  }

 private:
  struct Node {
    std::string op;  // "lit", "name", "hash", "member", "index", "call", "unary", "bin", "cond", "list", "map", "closure"
    SimJson value;
    std::string name;
    std::vector<std::unique_ptr<Node>> kids;
  };
  using P = std::unique_ptr<Node>;

  bool Fail(const std::string& message) {
    if (ok_) error_ = message;
    ok_ = false;
    return false;
  }
  void Skip() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
  }
  bool Eat(const std::string& token) {
    Skip();
    if (src_.compare(pos_, token.size(), token) != 0) return false;
    // Word operators must not be a prefix of a longer identifier.
    if (std::isalpha(static_cast<unsigned char>(token[0])) && pos_ + token.size() < src_.size() &&
        (std::isalnum(static_cast<unsigned char>(src_[pos_ + token.size()])) || src_[pos_ + token.size()] == '_')) {
      return false;
    }
    pos_ += token.size();
    return true;
  }
  P Make(std::string op) {
    auto n = std::make_unique<Node>();
    n->op = std::move(op);
    return n;
  }
  P Bin(std::string name, P a, P b) {
    P n = Make("bin");
    n->name = std::move(name);
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return n;
  }

  P ParseTernary() {
    if (Eat("let")) {
      P n = Make("let");
      n->name = Ident();
      if (!Eat("=")) Fail("expected `=`");
      n->kids.push_back(ParseTernary());
      if (!Eat(";")) Fail("expected `;`");
      n->kids.push_back(ParseTernary());
      return n;
    }
    P c = ParseOr();
    if (Eat("?")) {
      P a = ParseTernary();
      if (!Eat(":")) Fail("expected `:`");
      P b = ParseTernary();
      P n = Make("cond");
      n->kids.push_back(std::move(c));
      n->kids.push_back(std::move(a));
      n->kids.push_back(std::move(b));
      return n;
    }
    return c;
  }
  P ParseOr() {
    P a = ParseAnd();
    while (ok_) {
      if (Eat("||")) {
        a = Bin("||", std::move(a), ParseAnd());
      } else if (Eat("??")) {
        a = Bin("??", std::move(a), ParseAnd());
      } else {
        break;
      }
    }
    return a;
  }
  P ParseAnd() {
    P a = ParseCmp();
    while (ok_ && Eat("&&")) a = Bin("&&", std::move(a), ParseCmp());
    return a;
  }
  P ParseCmp() {
    P a = ParseRange();
    for (const char* op : {"==", "!=", "<=", ">=", "<", ">", "in", "contains", "startsWith", "endsWith"}) {
      if (Eat(op)) return Bin(op, std::move(a), ParseRange());
    }
    return a;
  }
  P ParseRange() {
    P a = ParseAdd();
    if (ok_ && Eat("..")) a = Bin("..", std::move(a), ParseAdd());
    return a;
  }
  P ParseAdd() {
    P a = ParseMul();
    while (ok_) {
      if (Eat("+")) {
        a = Bin("+", std::move(a), ParseMul());
      } else if (Eat("-")) {
        a = Bin("-", std::move(a), ParseMul());
      } else {
        break;
      }
    }
    return a;
  }
  P ParseMul() {
    P a = ParseUnary();
    while (ok_) {
      if (Eat("*")) {
        a = Bin("*", std::move(a), ParseUnary());
      } else if (Eat("/")) {
        a = Bin("/", std::move(a), ParseUnary());
      } else if (Eat("%")) {
        a = Bin("%", std::move(a), ParseUnary());
      } else {
        break;
      }
    }
    return a;
  }
  P ParseUnary() {
    if (Eat("!")) {
      P n = Make("unary");
      n->name = "!";
      n->kids.push_back(ParseUnary());
      return n;
    }
    if (Eat("-")) {
      P n = Make("unary");
      n->name = "-";
      n->kids.push_back(ParseUnary());
      return n;
    }
    return ParsePostfix();
  }
  P ParsePostfix() {
    P a = ParsePrimary();
    while (ok_) {
      if (Eat("[")) {
        P n = Make("index");
        n->kids.push_back(std::move(a));
        n->kids.push_back(ParseTernary());
        if (!Eat("]")) Fail("expected `]`");
        a = std::move(n);
      } else if (Eat("?.")) {
        // Optional chaining: nil (not an error) when the base is nil or lacks the key.
        P n = Make("member");
        n->name = Ident();
        n->value = true;
        n->kids.push_back(std::move(a));
        a = std::move(n);
      } else if (src_.compare(pos_, 2, "..") != 0 && Eat(".")) {
        P n = Make("member");
        n->name = Ident();
        n->kids.push_back(std::move(a));
        a = std::move(n);
      } else {
        break;
      }
    }
    return a;
  }
  std::string Ident() {
    Skip();
    size_t start = pos_;
    while (pos_ < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_')) ++pos_;
    if (start == pos_) Fail("expected a name at " + std::to_string(pos_));
    return src_.substr(start, pos_ - start);
  }
  P ParsePrimary() {
    Skip();
    if (pos_ >= src_.size()) {
      Fail("unexpected end");
      return Make("lit");
    }
    char c = src_[pos_];
    if (c == '(') {
      ++pos_;
      P e = ParseTernary();
      if (!Eat(")")) Fail("expected `)`");
      return e;
    }
    if (c == '#') {
      ++pos_;
      return Make("hash");
    }
    if (c == '\'' || c == '"') {
      ++pos_;
      std::string s;
      while (pos_ < src_.size() && src_[pos_] != c) {
        if (src_[pos_] == '\\' && pos_ + 1 < src_.size()) {
          char d = src_[++pos_];
          s += d == 'n' ? '\n' : d == 't' ? '\t' : d == 'r' ? '\r' : d;
        } else {
          s += src_[pos_];
        }
        ++pos_;
      }
      ++pos_;
      P n = Make("lit");
      n->value = s;
      return n;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = pos_;
      bool is_float = false;
      while (pos_ < src_.size() && (std::isdigit(static_cast<unsigned char>(src_[pos_])) ||
                                    (src_[pos_] == '.' && src_.compare(pos_, 2, "..") != 0) ||
                                    src_[pos_] == 'e' || src_[pos_] == 'E' ||
                                    ((src_[pos_] == '+' || src_[pos_] == '-') && (src_[pos_ - 1] == 'e' || src_[pos_ - 1] == 'E')))) {
        if (src_[pos_] == '.' || src_[pos_] == 'e' || src_[pos_] == 'E') is_float = true;
        ++pos_;
      }
      P n = Make("lit");
      std::string text = src_.substr(start, pos_ - start);
      n->value = is_float ? SimJson(std::stod(text)) : SimJson(std::stoll(text));
      return n;
    }
    if (c == '[') {
      ++pos_;
      P n = Make("list");
      if (!Eat("]")) {
        do n->kids.push_back(ParseTernary());
        while (ok_ && Eat(","));
        if (!Eat("]")) Fail("expected `]`");
      }
      return n;
    }
    if (c == '{') {
      ++pos_;
      P n = Make("map");
      if (!Eat("}")) {
        do {
          n->kids.push_back(ParseTernary());
          if (!Eat(":")) Fail("expected `:`");
          n->kids.push_back(ParseTernary());
        } while (ok_ && Eat(","));
        if (!Eat("}")) Fail("expected `}`");
      }
      return n;
    }
    std::string name = Ident();
    if (name == "nil" || name == "true" || name == "false") {
      P n = Make("lit");
      n->value = name == "nil" ? SimJson() : SimJson(name == "true");
      return n;
    }
    if (name == "sprig") {
      if (!Eat(".")) Fail("expected `.`");
      name = "sprig." + Ident();
    }
    if (Eat("(")) {
      P n = Make("call");
      n->name = name;
      if (!Eat(")")) {
        size_t arg = 0;
        do {
          if ((name == "map" || name == "filter") && arg == 1) {
            if (!Eat("{")) Fail("expected a closure");
            P closure = Make("closure");
            closure->kids.push_back(ParseTernary());
            if (!Eat("}")) Fail("expected `}`");
            n->kids.push_back(std::move(closure));
          } else {
            n->kids.push_back(ParseTernary());
          }
          ++arg;
        } while (ok_ && Eat(","));
        if (!Eat(")")) Fail("expected `)`");
      }
      return n;
    }
    P n = Make("name");
    n->name = name;
    return n;
  }

  static bool Truthy(const SimJson& v) { return v.is_boolean() && v.get<bool>(); }

  SimJson Eval(const Node& n, const SimJson* hash) {
    if (!ok_) return nullptr;
    auto kid = [&](size_t i) { return Eval(*n.kids[i], hash); };
    if (n.op == "lit") return n.value;
    if (n.op == "hash") return hash != nullptr ? *hash : SimJson();
    if (n.op == "let") {
      // expr-lang: "cannot redeclare variable" while a `let` of that name is in scope.
      for (const auto& [name, unused] : locals_) {
        if (name == n.name) Fail("cannot redeclare variable " + n.name);
      }
      SimJson value = kid(0);
      locals_.emplace_back(n.name, value);
      SimJson body = kid(1);
      locals_.pop_back();
      return body;
    }
    if (n.op == "name") {
      for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
        if (it->first == n.name) return it->second;
      }
      if (!env_.contains(n.name)) Fail("unknown name " + n.name);
      return env_.contains(n.name) ? env_[n.name] : SimJson();
    }
    if (n.op == "member" || n.op == "index") {
      SimJson base = kid(0);
      SimJson key = n.op == "member" ? SimJson(n.name) : kid(1);
      if (n.op == "member" && n.value.is_boolean() &&
          (base.is_null() || (base.is_object() && !base.contains(n.name)))) {
        return nullptr;
      }
      if (base.is_object() && key.is_string() && base.contains(key.get<std::string>())) {
        return base[key.get<std::string>()];
      }
      if (base.is_array() && key.is_number_integer()) {
        int64_t i = key.get<int64_t>();
        if (i >= 0 && i < static_cast<int64_t>(base.size())) return base[static_cast<size_t>(i)];
      }
      Fail("cannot index " + base.dump() + " with " + key.dump());
      return nullptr;
    }
    if (n.op == "list") {
      SimJson out = SimJson::array();
      for (size_t i = 0; i < n.kids.size(); ++i) out.push_back(kid(i));
      return out;
    }
    if (n.op == "map") {
      SimJson out = SimJson::object();
      for (size_t i = 0; i + 1 < n.kids.size(); i += 2) out[Text(kid(i))] = kid(i + 1);
      return out;
    }
    if (n.op == "cond") return Truthy(kid(0)) ? kid(1) : kid(2);
    if (n.op == "unary") {
      SimJson v = kid(0);
      if (n.name == "!") return !Truthy(v);
      if (v.is_number_integer()) return -v.get<int64_t>();
      return -v.get<double>();
    }
    if (n.op == "bin") return Binary(n, hash);
    if (n.op == "call") return Call(n, hash);
    Fail("bad node " + n.op);
    return nullptr;
  }

  SimJson Binary(const Node& n, const SimJson* hash) {
    const std::string& op = n.name;
    if (op == "&&") return Truthy(Eval(*n.kids[0], hash)) && Truthy(Eval(*n.kids[1], hash));
    if (op == "||") return Truthy(Eval(*n.kids[0], hash)) || Truthy(Eval(*n.kids[1], hash));
    if (op == "??") {
      SimJson a = Eval(*n.kids[0], hash);
      return a.is_null() ? Eval(*n.kids[1], hash) : a;
    }
    SimJson a = Eval(*n.kids[0], hash);
    SimJson b = Eval(*n.kids[1], hash);
    if (op == "==") return a == b || (a.is_number() && b.is_number() && a.get<double>() == b.get<double>());
    if (op == "!=") return !(a == b || (a.is_number() && b.is_number() && a.get<double>() == b.get<double>()));
    if (op == "in") {
      if (b.is_object()) return a.is_string() && b.contains(a.get<std::string>());
      for (const auto& x : b) {
        if (x == a) return true;
      }
      return false;
    }
    if (a.is_string() && b.is_string()) {
      std::string x = a.get<std::string>(), y = b.get<std::string>();
      if (op == "+") return x + y;
      if (op == "contains") return x.find(y) != std::string::npos;
      if (op == "startsWith") return x.rfind(y, 0) == 0;
      if (op == "endsWith") return x.size() >= y.size() && x.compare(x.size() - y.size(), y.size(), y) == 0;
      if (op == "<") return x < y;
      if (op == "<=") return x <= y;
      if (op == ">") return x > y;
      if (op == ">=") return x >= y;
    }
    if (!a.is_number() || !b.is_number()) {
      Fail("operator " + op + " on " + a.dump() + " and " + b.dump());
      return nullptr;
    }
    bool ints = a.is_number_integer() && b.is_number_integer();
    if (op == "..") {
      SimJson out = SimJson::array();
      if (!ints) Fail(".. needs integers");
      for (int64_t i = ints ? a.get<int64_t>() : 0; ints && i <= b.get<int64_t>(); ++i) out.push_back(i);
      return out;
    }
    if (ints && op != "/") {
      int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
      if (op == "+") return x + y;
      if (op == "-") return x - y;
      if (op == "*") return x * y;
      if (op == "%") {
        if (y == 0) Fail("division by zero");
        return y == 0 ? 0 : x % y;
      }
    }
    double x = a.get<double>(), y = b.get<double>();
    if (op == "+") return x + y;
    if (op == "-") return x - y;
    if (op == "*") return x * y;
    if (op == "/") return x / y;  // expr-lang: always a float
    if (op == "<") return x < y;
    if (op == "<=") return x <= y;
    if (op == ">") return x > y;
    if (op == ">=") return x >= y;
    Fail("operator " + op);
    return nullptr;
  }

  SimJson Call(const Node& n, const SimJson* hash) {
    const std::string& f = n.name;
    if (f == "map" || f == "filter") {
      SimJson list = Eval(*n.kids[0], hash);
      SimJson out = SimJson::array();
      if (!list.is_array()) {
        Fail(f + " over a non-list");
        return out;
      }
      for (const SimJson& item : list) {
        SimJson v = Eval(*n.kids[1]->kids[0], &item);
        if (f == "map") out.push_back(v);
        if (f == "filter" && Truthy(v)) out.push_back(item);
      }
      return out;
    }
    std::vector<SimJson> args;
    for (const auto& k : n.kids) args.push_back(Eval(*k, hash));
    if (!ok_) return nullptr;
    auto str = [&](size_t i) { return i < args.size() ? Text(args[i]) : std::string(); };
    if (f == "asInt" || f == "int") {
      if (args[0].is_number()) return static_cast<int64_t>(args[0].get<double>());
      std::string s = str(0);
      size_t used = 0;
      int64_t v = 0;
      bool good = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-');
      if (good) v = std::stoll(s, &used);
      if (!good || used != s.size()) Fail("asInt: not an integer: " + s);
      return v;
    }
    if (f == "asFloat" || f == "float") {
      if (args[0].is_number()) return args[0].get<double>();
      std::string s = str(0);
      size_t used = 0;
      double v = 0;
      bool good = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '.');
      if (good) v = std::stod(s, &used);
      if (!good || used != s.size()) Fail("asFloat: not a number: " + s);
      return v;
    }
    if (f == "string") return Text(args[0]);
    if (f == "toJson") return GoJson(args[0]);
    if (f == "keys") {
      SimJson out = SimJson::array();
      if (!args[0].is_object()) Fail("keys of a non-map");
      for (auto it = args[0].begin(); args[0].is_object() && it != args[0].end(); ++it) out.push_back(it.key());
      return out;
    }
    if (f == "sort") {
      SimJson out = args[0];
      if (!out.is_array()) Fail("sort of a non-list");
      if (out.is_array()) std::sort(out.begin(), out.end());
      return out;
    }
    if (f == "jsonpath") {
      if (str(1) != "$") Fail("jsonpath: only `$` is supported");
      SimJson parsed = SimJson::parse(str(0), nullptr, false);
      if (parsed.is_discarded()) Fail("jsonpath: not JSON: " + str(0));
      return parsed;
    }
    if (f == "concat") {
      SimJson out = SimJson::array();
      for (const SimJson& a : args) {
        for (const SimJson& x : a) out.push_back(x);
      }
      return out;
    }
    if (f == "sum") {
      double total = 0;
      bool ints = true;
      for (const SimJson& x : args[0]) {
        total += x.get<double>();
        ints = ints && x.is_number_integer();
      }
      return ints ? SimJson(static_cast<int64_t>(total)) : SimJson(total);
    }
    if (f == "len") return args[0].is_string() ? args[0].get<std::string>().size() : args[0].size();
    if (f == "sprig.join") {
      std::string out;
      for (size_t i = 0; i < args[1].size(); ++i) out += (i > 0 ? str(0) : "") + Text(args[1][i]);
      return out;
    }
    if (f == "sprig.replace") {
      std::string s = str(2), from = str(0), to = str(1), out;
      for (size_t i = 0; i < s.size();) {
        if (!from.empty() && s.compare(i, from.size(), from) == 0) {
          out += to;
          i += from.size();
        } else {
          out += s[i++];
        }
      }
      return out;
    }
    if (f == "sprig.lower" || f == "sprig.upper") {
      std::string s = str(0);
      for (char& c : s) c = static_cast<char>(f == "sprig.lower" ? std::tolower(c) : std::toupper(c));
      return s;
    }
    if (f == "round") return std::round(args[0].get<double>());
    if (f == "sprig.fail") {
      Fail("fail: " + str(0));
      return nullptr;
    }
    if (f == "sprig.ext") {
      std::string s = str(0);
      size_t dot = s.rfind('.');
      return dot == std::string::npos || s.find('/', dot) != std::string::npos ? std::string() : s.substr(dot);
    }
    if (f == "sprig.trimSuffix") {
      std::string suffix = str(0), s = str(1);
      if (s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
        s.resize(s.size() - suffix.size());
      }
      return s;
    }
    if (f == "sprig.trimPrefix") {
      std::string prefix = str(0), s = str(1);
      return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : s;
    }
    if (f == "sprig.splitList") {
      std::string sep = str(0), s = str(1);
      SimJson out = SimJson::array();
      size_t start = 0;
      for (size_t at = s.find(sep); !sep.empty() && at != std::string::npos; at = s.find(sep, start)) {
        out.push_back(s.substr(start, at - start));
        start = at + sep.size();
      }
      out.push_back(s.substr(start));
      return out;
    }
    if (f == "sprig.base") {
      std::string s = str(0);
      return s.substr(s.rfind('/') == std::string::npos ? 0 : s.rfind('/') + 1);
    }
    Fail("unknown function " + f);
    return nullptr;
  }

  std::string src_;
  const SimJson& env_;
  size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
  std::vector<std::pair<std::string, SimJson>> locals_;  // `let` bindings, innermost last
};

}  // namespace flow::lower::argo::testing

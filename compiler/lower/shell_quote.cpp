// Contextual escaping of script interpolations: a small POSIX-sh lexer over the
// literal text of a template (AnalyzeScript), then per-context rendering for
// local runs (values known) and cluster backends (environment references).
#include "compiler/lower/shell_quote.h"

#include <algorithm>
#include <map>
#include <utility>

namespace flow::lower {

std::vector<std::string> ShellWords(const std::string& text) {
  std::vector<std::string> words;
  size_t at = 0;
  while (true) {
    size_t begin = text.find_first_not_of(" \t\n", at);
    if (begin == std::string::npos) break;
    size_t end = text.find_first_of(" \t\n", begin);
    words.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) break;
    at = end;
  }
  return words;
}

bool IsPosixShell(const std::string& shell) {
  std::vector<std::string> words = ShellWords(shell);
  auto program = [&](size_t i) {
    if (i >= words.size()) return std::string();
    size_t slash = words[i].rfind('/');
    return slash == std::string::npos ? words[i] : words[i].substr(slash + 1);
  };
  std::string name = program(0);
  if (name == "env") name = program(1);
  for (const char* sh : {"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "yash", "posh", "busybox"}) {
    if (name == sh) return true;
  }
  return words.empty();  // no interpreter named: /bin/sh
}

std::string HereDocDelimiter(const std::string& base, const std::string& body) {
  std::string delimiter = base;
  for (int n = 1;; ++n) {
    bool clash = false;
    size_t start = 0;
    while (start <= body.size()) {
      size_t end = body.find('\n', start);
      if (end == std::string::npos) end = body.size();
      if (body.compare(start, end - start, delimiter) == 0) clash = true;
      start = end + 1;
    }
    if (!clash) return delimiter;
    delimiter = base + "_" + std::to_string(n);
  }
}

const char* ShellContextName(ShellContext context) {
  switch (context) {
    case ShellContext::Bare: return "bare";
    case ShellContext::DoubleQuoted: return "double-quoted";
    case ShellContext::SingleQuoted: return "single-quoted";
    case ShellContext::AnsiQuoted: return "ansi-quoted";
    case ShellContext::Heredoc: return "heredoc";
    case ShellContext::QuotedHeredoc: return "quoted-heredoc";
    case ShellContext::Comment: return "comment";
  }
  return "bare";
}

namespace {

enum class Mode : uint8_t { Bare, Double, Single, Ansi, Backtick, Comment };

struct Frame {
  Mode mode;
  char close = 0;  // ')' for $(...) and (...) nesting, '}' for ${...}; 0: none
  int depth = 0;
};

struct Heredoc {
  std::string delimiter;
  bool strip_tabs = false;
  bool quoted = false;
};

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsOperatorChar(char c) {
  return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')';
}

/// The lexer state carried across literal parts.
class Lexer {
 public:
  Lexer() { stack_.push_back({Mode::Bare, 0, 0}); }

  /// The context an interpolation placed now would have.
  InterpolationSite Site(size_t part) const {
    InterpolationSite site;
    site.part = part;
    if (in_heredoc_) {
      const Heredoc& h = heredocs_.front();
      site.context = h.quoted ? ShellContext::QuotedHeredoc : ShellContext::Heredoc;
      site.heredoc_delimiter = h.delimiter;
      site.heredoc_strip_tabs = h.strip_tabs;
      site.at_line_start = std::all_of(line_.begin(), line_.end(), [](char c) { return c == '\t'; });
      return site;
    }
    switch (stack_.back().mode) {
      case Mode::Bare:
      case Mode::Backtick: site.context = ShellContext::Bare; break;
      case Mode::Double: site.context = ShellContext::DoubleQuoted; break;
      case Mode::Single: site.context = ShellContext::SingleQuoted; break;
      case Mode::Ansi: site.context = ShellContext::AnsiQuoted; break;
      case Mode::Comment: site.context = ShellContext::Comment; break;
    }
    return site;
  }

  /// An interpolated value was placed: it is part of a word / of a body line.
  void AfterValue() {
    word_start_ = false;
    escape_ = false;
    if (in_heredoc_) line_ += '\x01';  // a line holding a value never matches the delimiter
  }

  void Feed(const std::string& text) {
    for (size_t i = 0; i < text.size(); ++i) i = Step(text, i);
  }

 private:
  // Processes text[i] (and possibly a few following characters); returns the
  // index of the last character consumed.
  size_t Step(const std::string& text, size_t i) {
    char c = text[i];
    if (in_heredoc_) {
      if (c != '\n') {
        line_ += c;
        return i;
      }
      const Heredoc& h = heredocs_.front();
      std::string line = line_;
      if (h.strip_tabs) line.erase(0, line.find_first_not_of('\t') == std::string::npos
                                          ? line.size()
                                          : line.find_first_not_of('\t'));
      line_.clear();
      if (line == h.delimiter) {
        heredocs_.erase(heredocs_.begin());
        in_heredoc_ = !heredocs_.empty();
      }
      return i;
    }
    if (escape_) {
      escape_ = false;
      word_start_ = false;
      return i;
    }
    Frame& top = stack_.back();
    switch (top.mode) {
      case Mode::Comment:
        if (c == '\n') {
          stack_.pop_back();
          return Newline(i);
        }
        return i;
      case Mode::Single:
        if (c == '\'') stack_.pop_back();
        return i;
      case Mode::Ansi:
        if (c == '\\') escape_ = true;
        else if (c == '\'') stack_.pop_back();
        return i;
      case Mode::Double:
        if (c == '\\') {
          escape_ = true;
        } else if (c == '"') {
          stack_.pop_back();
        } else if (c == '`') {
          stack_.push_back({Mode::Backtick, 0, 0});
        } else if (c == '$') {
          return Dollar(text, i, Mode::Double);
        } else if (c == '}' && top.close == '}' && --top.depth == 0) {
          stack_.pop_back();
        }
        return i;
      case Mode::Bare:
      case Mode::Backtick:
        return BareChar(text, i);
    }
    return i;
  }

  size_t Dollar(const std::string& text, size_t i, Mode mode) {
    char next = i + 1 < text.size() ? text[i + 1] : 0;
    if (next == '(') {
      stack_.push_back({Mode::Bare, ')', 1});
      word_start_ = true;
      return i + 1;
    }
    if (next == '{') {
      stack_.push_back({mode, '}', 1});
      word_start_ = false;  // `${#x}` is a length, not a comment
      return i + 1;
    }
    if (next == '\'' && mode != Mode::Double) {
      stack_.push_back({Mode::Ansi, 0, 0});
      return i + 1;
    }
    word_start_ = false;
    return i;
  }

  size_t Newline(size_t i) {
    word_start_ = true;
    if (!heredocs_.empty()) {
      in_heredoc_ = true;
      line_.clear();
    }
    return i;
  }

  size_t BareChar(const std::string& text, size_t i) {
    Frame& top = stack_.back();
    char c = text[i];
    switch (c) {
      case '\\': escape_ = true; return i;
      case '\'': stack_.push_back({Mode::Single, 0, 0}); word_start_ = false; return i;
      case '"': stack_.push_back({Mode::Double, 0, 0}); word_start_ = false; return i;
      case '`':
        if (top.mode == Mode::Backtick) stack_.pop_back();
        else stack_.push_back({Mode::Backtick, 0, 0});
        word_start_ = true;
        return i;
      case '$': return Dollar(text, i, Mode::Bare);
      case '\n': return Newline(i);
      case '#':
        if (word_start_) {
          stack_.push_back({Mode::Comment, 0, 0});
          return i;
        }
        word_start_ = false;
        return i;
      case '(':
        if (top.close == ')') ++top.depth;
        word_start_ = true;
        return i;
      case ')':
        if (top.close == ')' && --top.depth == 0) stack_.pop_back();
        word_start_ = true;
        return i;
      case '{':
        if (top.close == '}') ++top.depth;
        word_start_ = false;
        return i;
      case '}':
        if (top.close == '}' && --top.depth == 0) stack_.pop_back();
        word_start_ = false;
        return i;
      case '<':
        if (i + 1 < text.size() && text[i + 1] == '<') return HeredocOperator(text, i);
        word_start_ = true;
        return i;
      default:
        word_start_ = IsBlank(c) || IsOperatorChar(c);
        return i;
    }
  }

  // At `<<`: reads the optional `-` and the delimiter word; returns the index of
  // its last character.
  size_t HeredocOperator(const std::string& text, size_t i) {
    size_t j = i + 2;
    if (j < text.size() && text[j] == '<') {  // `<<<` here-string: a plain word follows
      word_start_ = true;
      return j;
    }
    Heredoc h;
    if (j < text.size() && text[j] == '-') {
      h.strip_tabs = true;
      ++j;
    }
    while (j < text.size() && IsBlank(text[j])) ++j;
    size_t start = j;
    char quote = 0;
    for (; j < text.size(); ++j) {
      char c = text[j];
      if (quote) {
        if (c == quote) quote = 0;
        else h.delimiter += c;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        h.quoted = true;
        continue;
      }
      if (c == '\\' && j + 1 < text.size()) {
        h.quoted = true;
        h.delimiter += text[++j];
        continue;
      }
      if (IsBlank(c) || c == '\n' || IsOperatorChar(c)) break;
      h.delimiter += c;
    }
    if (j == start) {  // no word here (e.g. an interpolation follows): nothing to track
      word_start_ = true;
      return i + 1;
    }
    heredocs_.push_back(std::move(h));
    word_start_ = true;
    return j - 1;
  }

  std::vector<Frame> stack_;
  std::vector<Heredoc> heredocs_;  // pending, then active at the front
  bool in_heredoc_ = false;
  std::string line_;               // the current here-document body line
  bool word_start_ = true;
  bool escape_ = false;
};

std::string JoinTexts(const ScriptValue& value) {
  std::string out;
  for (size_t i = 0; i < value.texts.size(); ++i) {
    if (i) out += ' ';
    out += value.texts[i];
  }
  return out;
}

std::string EscapeChars(const std::string& text, const char* specials) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (std::string_view(specials).find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A word that expands to nothing: keeps a value's line from matching a
// here-document delimiter, and keeps `<<-` from stripping its leading tabs.
constexpr const char* kEmptyExpansion = "${-:+}";

std::string RenderHeredoc(const std::string& text, bool at_line_start) {
  std::string out;
  bool line_start = at_line_start;
  for (char c : text) {
    if (line_start) out += kEmptyExpansion;
    line_start = c == '\n';
    if (c == '\\' || c == '$' || c == '`') out += '\\';
    out += c;
  }
  return out;
}

bool CheckQuotedHeredoc(const InterpolationSite& site, const std::string& text, std::string* error) {
  size_t pos = 0;
  bool first = true;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (site.heredoc_strip_tabs) {
      size_t k = line.find_first_not_of('\t');
      line = k == std::string::npos ? "" : line.substr(k);
    }
    if ((!first || site.at_line_start) && line == site.heredoc_delimiter) {
      *error = "a value interpolated into the quoted here-document `" + site.heredoc_delimiter +
               "` contains its delimiter as a line";
      return false;
    }
    first = false;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return true;
}

}  // namespace

std::vector<InterpolationSite> AnalyzeScript(const ir::Template& tmpl) {
  std::vector<InterpolationSite> sites;
  Lexer lexer;
  for (size_t p = 0; p < tmpl.parts.size(); ++p) {
    const ir::TemplatePart& part = tmpl.parts[p];
    if (!part.expr.valid()) {
      lexer.Feed(part.text);
      continue;
    }
    sites.push_back(lexer.Site(p));
    lexer.AfterValue();
  }
  return sites;
}

bool IsPlainShellWord(const std::string& word) {
  if (word.empty()) return false;
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

std::string QuoteShellWord(const std::string& text) {
  if (IsPlainShellWord(text)) return text;
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  out += '\'';
  return out;
}

bool RenderLocalScript(const ir::Template& tmpl, const std::vector<ScriptValue>& values,
                       std::string* out, std::string* error) {
  std::vector<InterpolationSite> sites = AnalyzeScript(tmpl);
  out->clear();
  size_t next = 0;
  for (size_t p = 0; p < tmpl.parts.size(); ++p) {
    const ir::TemplatePart& part = tmpl.parts[p];
    if (!part.expr.valid()) {
      *out += part.text;
      continue;
    }
    if (next >= values.size() || next >= sites.size()) {
      *error = "internal error: missing value for an interpolation";
      return false;
    }
    const ScriptValue& value = values[next];
    const InterpolationSite& site = sites[next];
    ++next;
    if (part.raw) {
      *out += JoinTexts(value);
      continue;
    }
    switch (site.context) {
      case ShellContext::Bare:
        for (size_t i = 0; i < value.texts.size(); ++i) {
          if (i) *out += ' ';
          *out += QuoteShellWord(value.texts[i]);
        }
        break;
      case ShellContext::DoubleQuoted: *out += EscapeChars(JoinTexts(value), "\\\"$`"); break;
      case ShellContext::SingleQuoted: {
        for (char c : JoinTexts(value)) {
          if (c == '\'') *out += "'\\''";
          else *out += c;
        }
        break;
      }
      case ShellContext::AnsiQuoted: *out += EscapeChars(JoinTexts(value), "\\'"); break;
      case ShellContext::Heredoc: *out += RenderHeredoc(JoinTexts(value), site.at_line_start); break;
      case ShellContext::QuotedHeredoc: {
        std::string text = JoinTexts(value);
        if (!CheckQuotedHeredoc(site, text, error)) return false;
        *out += text;
        break;
      }
      case ShellContext::Comment: {
        std::string text = JoinTexts(value);
        std::replace(text.begin(), text.end(), '\n', ' ');
        *out += text;
        break;
      }
    }
  }
  return true;
}

namespace {

bool IsUnquotedSafeType(const types::TypeStore& types, types::TypeId type) {
  switch (types.KindOf(type)) {
    case types::TypeKind::Int:
    case types::TypeKind::Float:
    case types::TypeKind::Bool:
    case types::TypeKind::Enum: return true;
    case types::TypeKind::Error:
    case types::TypeKind::None:
    case types::TypeKind::String:
    case types::TypeKind::File:
    case types::TypeKind::Dir:
    case types::TypeKind::Duration:
    case types::TypeKind::Size:
    case types::TypeKind::List:
    case types::TypeKind::Map:
    case types::TypeKind::Optional:
    case types::TypeKind::Record:
    case types::TypeKind::Struct: return false;
  }
  return false;
}

}  // namespace

namespace {

constexpr const char* kListMarker = "@@FLOW_LIST_";

/// The awk program (with its `awk '...'` invocation) that prints the JSON array
/// of strings on its input as single-quoted shell words, each preceded by a space.
std::string ListWordsAwk();

/// RenderClusterScript; with `many_lists`, bare List sites become markers
/// (`@@FLOW_LIST_<var>@@`) and `*lists` receives their variables, in order.
bool RenderCluster(const ir::Program& program, const ir::Template& tmpl, const std::string& env_prefix,
                   bool many_lists, std::vector<std::string>* lists, ClusterScript* out, std::string* error);

}  // namespace

bool RenderClusterScript(const ir::Program& program, const ir::Template& tmpl,
                         const std::string& env_prefix, ClusterScript* out, std::string* error) {
  return RenderCluster(program, tmpl, env_prefix, false, nullptr, out, error);
}

bool RenderClusterScriptManyLists(const ir::Program& program, const ir::Template& tmpl,
                                  const std::string& env_prefix, ClusterScript* out, std::string* error) {
  for (const ir::TemplatePart& part : tmpl.parts) {
    if (!part.expr.valid() && part.text.find(kListMarker) != std::string::npos) {
      *error = std::string("the script text contains `") + kListMarker + "`, which marks list sites";
      return false;
    }
  }
  std::vector<std::string> lists;
  if (!RenderCluster(program, tmpl, env_prefix, true, &lists, out, error)) return false;
  std::string body = out->script;
  std::string delimiter = HereDocDelimiter("FLOW_SCRIPT_EOF", body);
  std::string s = "flow_words() {\n  printf '%s' \"$1\" | " + ListWordsAwk() + "\n}\n";
  for (const std::string& var : lists) {
    s += "FLOW_W_" + var + "=$(flow_words \"$" + var + "\")\nexport FLOW_W_" + var + "\n";
  }
  s += "flow_script=$(cat <<'" + delimiter + "'\n" + body;
  if (!body.empty() && body.back() != '\n') s += "\n";
  s += delimiter + "\n)\n";
  // Splices each list's words in place of its marker (index/substr: the words
  // are inserted as they are, `&` and `\` included), then runs the script.
  s += "eval \"$(printf '%s\\n' \"$flow_script\" | awk '{ line = $0; out = \"\"\n"
       "  while ((i = index(line, \"" + std::string(kListMarker) + "\")) > 0) {\n"
       "    rest = substr(line, i + " + std::to_string(std::string(kListMarker).size()) + "); j = index(rest, \"@@\")\n"
       "    out = out substr(line, 1, i - 1) ENVIRON[\"FLOW_W_\" substr(rest, 1, j - 1)]; line = substr(rest, j + 2) }\n"
       "  print out line }')\"\n";
  out->script = s;
  return true;
}

namespace {

bool RenderCluster(const ir::Program& program, const ir::Template& tmpl, const std::string& env_prefix,
                   bool many_lists, std::vector<std::string>* lists, ClusterScript* out, std::string* error) {
  std::vector<InterpolationSite> sites = AnalyzeScript(tmpl);
  std::map<std::pair<int32_t, Encoding>, std::string> names;
  out->script.clear();
  out->bindings.clear();
  auto bind = [&](ir::ExprId expr, Encoding encoding) -> std::string {
    auto key = std::make_pair(expr.index, encoding);
    auto it = names.find(key);
    if (it != names.end()) return it->second;
    std::string name = env_prefix + std::to_string(out->bindings.size() + 1);
    names.emplace(key, name);
    out->bindings.push_back({name, expr, encoding});
    return name;
  };
  std::string body;
  std::string list_var;
  int32_t list_expr = -1;
  size_t next = 0;
  for (size_t p = 0; p < tmpl.parts.size(); ++p) {
    const ir::TemplatePart& part = tmpl.parts[p];
    if (!part.expr.valid()) {
      body += part.text;
      continue;
    }
    const InterpolationSite& site = sites[next++];
    types::TypeId type = program.expr(part.expr).type;
    bool is_list = type.valid() && program.types.KindOf(type) == types::TypeKind::List;
    if (part.raw) {
      body += "${" + bind(part.expr, Encoding::Text) + "}";
      continue;
    }
    switch (site.context) {
      case ShellContext::Bare:
        if (is_list && IsUnquotedSafeType(program.types, program.types.Get(type).elem)) {
          // A list of numbers or booleans splits into exactly one word per
          // element and never globs, so it is referenced unquoted (`${V}`, the
          // texts joined by spaces): exact, and it leaves the one-bare-list
          // budget for lists of strings and files.
          body += "${" + bind(part.expr, Encoding::Text) + "}";
        } else if (is_list && many_lists) {
          std::string var = bind(part.expr, Encoding::JsonList);
          if (std::find(lists->begin(), lists->end(), var) == lists->end()) lists->push_back(var);
          body += kListMarker + var + "@@";
        } else if (is_list) {
          if (list_expr >= 0 && list_expr != part.expr.index) {
            *error = "a script may interpolate at most one distinct bare list on cluster targets";
            return false;
          }
          list_expr = part.expr.index;
          list_var = bind(part.expr, Encoding::JsonList);
          body += "\"$@\"";
        } else if (type.valid() && IsUnquotedSafeType(program.types, type)) {
          body += "${" + bind(part.expr, Encoding::Text) + "}";
        } else {
          body += "\"${" + bind(part.expr, Encoding::Text) + "}\"";
        }
        break;
      case ShellContext::DoubleQuoted:
      case ShellContext::Heredoc:
      case ShellContext::Comment: body += "${" + bind(part.expr, Encoding::Text) + "}"; break;
      case ShellContext::SingleQuoted: body += "'\"${" + bind(part.expr, Encoding::Text) + "}\"'"; break;
      case ShellContext::AnsiQuoted: body += "'\"${" + bind(part.expr, Encoding::Text) + "}\"$'"; break;
      case ShellContext::QuotedHeredoc:
        *error = "an interpolation inside the quoted here-document `" + site.heredoc_delimiter +
                 "` cannot be expanded on cluster targets; use an unquoted here-document";
        return false;
    }
  }
  if (!list_var.empty()) out->script = ListPrelude(list_var);
  out->script += body;
  return true;
}

std::string ListWordsAwk() {
  // awk decodes a JSON array of strings into single-quoted shell words; `eval`
  // then only ever sees quoted literals. The program avoids `'` (it sits inside
  // a single-quoted shell word) by building the quote with sprintf.
  return "awk 'BEGIN { RS = \"\\001\"; q = sprintf(\"%c\", 39) }\n"
         "{ s = $0; n = length(s); out = \"\"; inq = 0; cur = \"\"; i = 1\n"
         "  while (i <= n) { c = substr(s, i, 1)\n"
         "    if (!inq) { if (c == \"\\\"\") { inq = 1; cur = \"\" }; i++; continue }\n"
         "    if (c == \"\\\\\") { d = substr(s, i + 1, 1); i += 2\n"
         "      if (d == \"n\") cur = cur \"\\n\"; else if (d == \"t\") cur = cur \"\\t\"\n"
         "      else if (d == \"r\") cur = cur \"\\r\"; else if (d == \"b\") cur = cur \"\\b\"\n"
         "      else if (d == \"f\") cur = cur \"\\f\"\n"
         "      else if (d == \"u\") { v = 0; for (k = 0; k < 4; k++) v = v * 16 + index(\"0123456789abcdef\", tolower(substr(s, i + k, 1))) - 1; i += 4; cur = cur sprintf(\"%c\", v) }\n"
         "      else cur = cur d\n"
         "      continue }\n"
         "    if (c == \"\\\"\") { inq = 0; gsub(q, q \"\\\\\\\\\" q q, cur); out = out \" \" q cur q; i++; continue }\n"
         "    cur = cur c; i++ }\n"
         "  printf \"%s\", out }'";
}

}  // namespace

std::string ListPrelude(const std::string& var) {
  return "eval \"set -- $(printf '%s' \"$" + var + "\" | " + ListWordsAwk() + ")\"\n";
}

void RenderLocalArgv(const ir::ArgvElement& element, const std::vector<ScriptValue>& values,
                     std::vector<std::string>* argv) {
  if (element.splice) {
    for (const ScriptValue& value : values)
      for (const std::string& text : value.texts) argv->push_back(text);
    return;
  }
  std::string arg;
  size_t next = 0;
  for (const ir::TemplatePart& part : element.tmpl.parts) {
    if (!part.expr.valid()) {
      arg += part.text;
      continue;
    }
    if (next < values.size()) arg += JoinTexts(values[next++]);
  }
  argv->push_back(std::move(arg));
}

}  // namespace flow::lower

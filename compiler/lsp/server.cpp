#include "compiler/lsp/server.h"

#include <ostream>

#include "compiler/lsp/features.h"
#include "compiler/lsp/uri.h"

namespace flow::lsp {
namespace {

/// Methods that need an analysis at a position.
enum class CursorMethod { Hover, Definition, References, Completion, SignatureHelp, PrepareRename, Rename };

json Capabilities() {
  return json{
      {"positionEncoding", "utf-16"},
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"documentSymbolProvider", true},
      {"completionProvider", {{"triggerCharacters", {".", "(", ","}}, {"resolveProvider", false}}},
      {"signatureHelpProvider", {{"triggerCharacters", {"(", ","}}, {"retriggerCharacters", {","}}}},
      {"renameProvider", {{"prepareProvider", true}}},
      {"documentFormattingProvider", true},
  };
}

/// Appends `item` to the array unless an equal element is already there.
void AppendUnique(json& array, json item) {
  for (const json& existing : array)
    if (existing == item) return;
  array.push_back(std::move(item));
}

}  // namespace

std::string ResponseBody(const json& id, const json& result) {
  return Dump(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

std::string ErrorBody(const json& id, const Error& error) {
  return Dump(json{{"jsonrpc", "2.0"},
                   {"id", id},
                   {"error", {{"code", static_cast<int>(error.code)}, {"message", error.message}}}});
}

std::string NotificationBody(std::string_view method, const json& params) {
  return Dump(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

Server::Server(ServerOptions options) : options_(std::move(options)), overlay_(docs_, *options_.disk) {}

void Server::Log(std::string_view message) {
  if (options_.log) *options_.log << "flowc lsp: " << message << std::endl;
}

void Server::Handle(std::string_view body, std::vector<std::string>* out) {
  json message = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    Log("message is not JSON");
    out->push_back(ErrorBody(nullptr, {ErrorCode::ParseError, "the message is not valid JSON"}));
    return;
  }
  const json* id = Member(message, "id");
  bool valid_id = id && (id->is_string() || id->is_number_integer());
  std::optional<std::string> method = StringMember(message, "method");
  if (!method) {
    // A response to a request of ours (we send none) is ignored; anything else is invalid.
    if (Member(message, "result") || Member(message, "error")) return;
    out->push_back(ErrorBody(valid_id ? *id : json(nullptr), {ErrorCode::InvalidRequest, "the message has no method"}));
    return;
  }
  const json* params = Member(message, "params");
  if (params && params->is_null()) params = nullptr;  // `"params": null` is sent for "no params"
  json no_params = json::object();
  if (params && !params->is_object() && !params->is_array()) {
    if (valid_id) out->push_back(ErrorBody(*id, {ErrorCode::InvalidParams, "params must be an object"}));
    return;
  }
  if (id && !valid_id) {
    out->push_back(ErrorBody(nullptr, {ErrorCode::InvalidRequest, "the request id must be a string or an integer"}));
    return;
  }
  if (id) {
    Request(*id, *method, params ? *params : no_params, out);
  } else {
    Notification(*method, params ? *params : no_params, out);
  }
}

void Server::Request(const json& id, const std::string& method, const json& params, std::vector<std::string>* out) {
  if (cancelled_.erase(Dump(id)) > 0) {
    out->push_back(ErrorBody(id, {ErrorCode::RequestCancelled, "the request was cancelled"}));
    return;
  }
  if (state_ == State::Uninitialized && method != "initialize") {
    out->push_back(ErrorBody(id, {ErrorCode::ServerNotInitialized, "the server has not been initialized"}));
    return;
  }
  if (state_ == State::ShutDown) {
    out->push_back(ErrorBody(id, {ErrorCode::InvalidRequest, "the server is shutting down"}));
    return;
  }
  Error error{ErrorCode::InternalError, ""};
  json result = Dispatch(method, params, &error);
  if (!error.message.empty()) {
    out->push_back(ErrorBody(id, error));
    return;
  }
  out->push_back(ResponseBody(id, result));
}

json Server::Dispatch(const std::string& method, const json& params, Error* error) {
  if (method == "initialize") {
    if (state_ != State::Uninitialized) {
      *error = {ErrorCode::InvalidRequest, "the server is already initialized"};
      return nullptr;
    }
    return Initialize(params);
  }
  if (method == "shutdown") {
    state_ = State::ShutDown;
    shutdown_ = true;
    return nullptr;
  }
  static const std::map<std::string, CursorMethod> kCursorMethods = {
      {"textDocument/hover", CursorMethod::Hover},
      {"textDocument/definition", CursorMethod::Definition},
      {"textDocument/references", CursorMethod::References},
      {"textDocument/completion", CursorMethod::Completion},
      {"textDocument/signatureHelp", CursorMethod::SignatureHelp},
      {"textDocument/prepareRename", CursorMethod::PrepareRename},
      {"textDocument/rename", CursorMethod::Rename},
  };
  bool is_symbols = method == "textDocument/documentSymbol";
  bool is_format = method == "textDocument/formatting";
  auto cursor_method = kCursorMethods.find(method);
  if (cursor_method == kCursorMethods.end() && !is_symbols && !is_format) {
    *error = {ErrorCode::MethodNotFound, "unknown method `" + method + "`"};
    return nullptr;
  }
  std::optional<std::string> path = DocumentPath(params, error);
  if (!path) return nullptr;
  Analysis* analysis = AnalysisFor(*path);
  int module = analysis ? analysis->ModuleOfPath(*path) : -1;
  if (is_symbols) return module < 0 ? json::array() : DocumentSymbols(*analysis, module);
  if (is_format) return module < 0 ? json::array() : Formatting(*analysis, module);

  const json* position = Member(params, "position");
  std::optional<Position> pos = position ? ToPosition(*position) : std::nullopt;
  if (!pos) {
    *error = {ErrorCode::InvalidParams, "`position` must be {line, character} with non-negative integers"};
    return nullptr;
  }
  std::optional<std::string> new_name;
  if (cursor_method->second == CursorMethod::Rename) {
    new_name = StringMember(params, "newName");
    if (!new_name) {
      *error = {ErrorCode::InvalidParams, "`newName` must be a string"};
      return nullptr;
    }
  }
  if (module < 0) {
    if (cursor_method->second == CursorMethod::References) return json::array();
    if (cursor_method->second == CursorMethod::Completion) return json{{"isIncomplete", false}, {"items", json::array()}};
    return nullptr;
  }
  FileId file = analysis->loaded.modules[module].module.file;
  Cursor cursor{*analysis, module, analysis->Lines(file).ToOffset(*pos)};
  switch (cursor_method->second) {
    case CursorMethod::Hover:
      return Hover(cursor);
    case CursorMethod::Definition:
      return Definition(cursor);
    case CursorMethod::References: {
      const json* context = Member(params, "context");
      bool include = context ? BoolMember(*context, "includeDeclaration").value_or(true) : true;
      json result = References(cursor, include);
      ForOtherPrograms(cursor, *path, [&](const Cursor& other) {
        for (json& location : References(other, include)) AppendUnique(result, std::move(location));
      });
      return result;
    }
    case CursorMethod::Completion: {
      std::string entry = *path;
      return Completion(cursor, [this, entry](std::string text) { return AnalyzeText(entry, std::move(text)); });
    }
    case CursorMethod::SignatureHelp:
      return SignatureHelp(cursor);
    case CursorMethod::PrepareRename: {
      std::optional<json> result = PrepareRename(cursor, options_.stdlib_dir, error);
      return result ? *result : json(nullptr);
    }
    case CursorMethod::Rename: {
      std::optional<json> result = Rename(cursor, *new_name, options_.stdlib_dir, error);
      if (!result) return nullptr;
      json& changes = (*result)["changes"];
      ForOtherPrograms(cursor, *path, [&](const Cursor& other) {
        Error ignored{ErrorCode::InternalError, ""};
        std::optional<json> more = Rename(other, *new_name, options_.stdlib_dir, &ignored);
        if (!more) return;
        for (auto& [uri, edits] : (*more)["changes"].items()) {
          if (!changes.contains(uri)) changes[uri] = json::array();
          for (json& edit : edits) AppendUnique(changes[uri], std::move(edit));
        }
      });
      return *result;
    }
  }
  return nullptr;
}

void Server::ForOtherPrograms(const Cursor& cursor, const std::string& path,
                              const std::function<void(const Cursor&)>& visit) {
  std::optional<DeclSite> site = DeclSiteAt(cursor);
  if (!site) return;
  for (const std::string& other : docs_.Paths()) {
    if (other == path) continue;
    Analysis* analysis = AnalysisFor(other);
    if (!analysis) continue;
    if (std::optional<Cursor> at = CursorAtSite(*analysis, *site)) visit(*at);
  }
}

json Server::Initialize(const json& params) {
  (void)params;  // no client capability changes what this server sends
  state_ = State::Running;
  return json{{"capabilities", Capabilities()}, {"serverInfo", {{"name", "flowc"}, {"version", options_.version}}}};
}

void Server::Notification(const std::string& method, const json& params, std::vector<std::string>* out) {
  if (method == "exit") {
    exit_ = true;
    return;
  }
  if (method == "$/cancelRequest") {
    if (const json* id = Member(params, "id")) cancelled_.insert(Dump(*id));
    return;
  }
  // Before initialize, notifications are dropped (LSP); after shutdown too.
  if (state_ != State::Running) return;
  Error error{ErrorCode::InvalidParams, ""};
  if (method == "textDocument/didOpen") {
    DidOpen(params, &error);
  } else if (method == "textDocument/didChange") {
    DidChange(params, &error);
  } else if (method == "textDocument/didClose") {
    DidClose(params, out);
  } else if (method == "textDocument/didSave" || method == "workspace/didChangeWatchedFiles") {
    InvalidateAll();  // files on disk may have changed under open importers
  }
  // `initialized`, `$/setTrace`, workspace settings and unknown notifications need nothing.
  if (!error.message.empty()) Log(method + ": " + error.message);
}

std::optional<std::string> Server::DocumentPath(const json& params, Error* error) {
  const json* doc = Member(params, "textDocument");
  std::optional<std::string> uri = doc ? StringMember(*doc, "uri") : std::nullopt;
  if (!uri) {
    *error = {ErrorCode::InvalidParams, "`textDocument.uri` must be a string"};
    return std::nullopt;
  }
  std::optional<std::string> path = UriToPath(*uri);
  // Other schemes (`untitled:`) are kept under their URI, as a path nothing imports.
  std::string key = path ? NormalizePath(*path) : *uri;
  uris_[key] = *uri;
  return key;
}

void Server::DidOpen(const json& params, Error* error) {
  std::optional<std::string> path = DocumentPath(params, error);
  const json* doc = Member(params, "textDocument");
  std::optional<std::string> text = doc ? StringMember(*doc, "text") : std::nullopt;
  if (!path || !text) {
    if (error->message.empty()) error->message = "`textDocument.text` must be a string";
    return;
  }
  docs_.Open(*path, uris_[*path], std::move(*text), IntMember(*doc, "version").value_or(0));
  Invalidate(*path);
}

void Server::DidChange(const json& params, Error* error) {
  std::optional<std::string> path = DocumentPath(params, error);
  if (!path) return;
  const json* changes = Member(params, "contentChanges");
  if (!changes || !changes->is_array()) {
    error->message = "`contentChanges` must be an array";
    return;
  }
  std::vector<ContentChange> parsed;
  for (const json& change : *changes) {
    std::optional<std::string> text = StringMember(change, "text");
    if (!text) {
      error->message = "a content change has no `text`";
      return;
    }
    ContentChange c{std::nullopt, std::move(*text)};
    if (const json* range = Member(change, "range")) {
      c.range = ToRange(*range);
      if (!c.range) {
        error->message = "a content change has a malformed `range`";
        return;
      }
    }
    parsed.push_back(std::move(c));
  }
  const json* doc = Member(params, "textDocument");
  if (!docs_.Change(*path, parsed, IntMember(*doc, "version").value_or(0))) {
    error->message = "the document is not open";
    return;
  }
  Invalidate(*path);
}

void Server::DidClose(const json& params, std::vector<std::string>* out) {
  Error error{ErrorCode::InvalidParams, ""};
  std::optional<std::string> path = DocumentPath(params, &error);
  if (!path) return;
  docs_.Close(*path);
  Invalidate(*path);
  dirty_.erase(*path);
  analyses_.erase(*path);
  // The file is no longer the editor's business: clear what was shown for it.
  out->push_back(NotificationBody("textDocument/publishDiagnostics",
                                  {{"uri", uris_[*path]}, {"diagnostics", json::array()}}));
}

void Server::Invalidate(const std::string& path) {
  for (auto it = analyses_.begin(); it != analyses_.end();) {
    if (it->first == path || it->second->ModuleOfPath(path) >= 0) {
      if (docs_.Find(it->first)) dirty_.insert(it->first);
      it = analyses_.erase(it);
    } else {
      ++it;
    }
  }
  if (docs_.Find(path)) dirty_.insert(path);
}

void Server::InvalidateAll() {
  analyses_.clear();
  for (const std::string& path : docs_.Paths()) dirty_.insert(path);
}

std::unique_ptr<Analysis> Server::AnalyzeText(const std::string& path, std::string text) {
  std::unique_ptr<Analysis> analysis = Analyze(overlay_, path, std::move(text), options_.stdlib_dir);
  for (const load::LoadedModule& mod : analysis->loaded.modules) {
    auto uri = uris_.find(mod.path);
    if (uri != uris_.end()) analysis->uris[mod.path] = uri->second;
  }
  return analysis;
}

Analysis* Server::AnalysisFor(const std::string& path) {
  auto it = analyses_.find(path);
  if (it != analyses_.end()) return it->second.get();
  std::string text;
  if (const Document* doc = docs_.Find(path)) {
    text = doc->text;
  } else {
    std::string error;
    std::optional<std::string> disk = options_.disk->Read(path, &error);
    if (!disk) return nullptr;
    text = std::move(*disk);
  }
  std::unique_ptr<Analysis>& slot = analyses_[path];
  slot = AnalyzeText(path, std::move(text));
  return slot.get();
}

void Server::PublishPending(std::vector<std::string>* out) {
  std::set<std::string> dirty;
  dirty.swap(dirty_);
  for (const std::string& path : dirty) {
    const Document* doc = docs_.Find(path);
    if (!doc) continue;
    int64_t version = doc->version;
    Analysis* analysis = AnalysisFor(path);
    if (!analysis) continue;
    for (const load::LoadedModule& mod : analysis->loaded.modules) {
      json params = DiagnosticsFor(*analysis, mod.module.file);
      if (mod.path == path) params["version"] = version;
      out->push_back(NotificationBody("textDocument/publishDiagnostics", params));
    }
  }
}

}  // namespace flow::lsp

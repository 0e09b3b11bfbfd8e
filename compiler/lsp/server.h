// The language server: JSON-RPC dispatch, the LSP lifecycle, open documents
// and their analyses. Transport-free: Handle() takes one message body and
// returns what to send, so tests drive it in process; stdio_loop.h adds the
// Content-Length framing and the reader thread.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/file_system.h"
#include "compiler/lsp/analysis.h"
#include "compiler/lsp/document_store.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/protocol.h"

namespace flow::lsp {

struct ServerOptions {
  std::string stdlib_dir;           // see load::DefaultStdlibDir()
  const FileSystem* disk = nullptr; // files that are not open; required
  std::ostream* log = nullptr;      // human-readable log (stderr), may be null
  std::string version;              // reported as serverInfo.version
};

class Server {
 public:
  explicit Server(ServerOptions options);

  /// Handles one message (a JSON-RPC request, notification or garbage) and
  /// appends the message bodies to send back to `*out`. Never throws, never
  /// exits the process: `exit_requested()` tells the loop to stop.
  void Handle(std::string_view body, std::vector<std::string>* out);

  /// Whether some open document was edited since its diagnostics were last published.
  bool has_pending() const { return !dirty_.empty(); }
  /// Analyzes every edited document once (however many edits came in
  /// meanwhile) and appends its publishDiagnostics notifications to `*out`.
  void PublishPending(std::vector<std::string>* out);

  /// Forgets cancellations of requests that were not in the batch just
  /// handled: those were answered before their `$/cancelRequest` arrived.
  void EndBatch() { cancelled_.clear(); }

  bool exit_requested() const { return exit_; }
  /// 0 after `shutdown` then `exit`, 1 for an `exit` without `shutdown` (per LSP).
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  enum class State { Uninitialized, Running, ShutDown };

  void Request(const json& id, const std::string& method, const json& params, std::vector<std::string>* out);
  void Notification(const std::string& method, const json& params, std::vector<std::string>* out);
  /// The result of a request, or an error.
  json Dispatch(const std::string& method, const json& params, Error* error);

  json Initialize(const json& params);
  void DidOpen(const json& params, Error* error);
  void DidChange(const json& params, Error* error);
  void DidClose(const json& params, std::vector<std::string>* out);
  /// Drops analyses that read `path` and marks their open documents for re-publishing.
  void Invalidate(const std::string& path);
  void InvalidateAll();

  /// The analysis of the program whose entry is `path` (open, or on disk), or null.
  Analysis* AnalysisFor(const std::string& path);
  std::unique_ptr<Analysis> AnalyzeText(const std::string& path, std::string text);
  /// `params.textDocument.uri` as a normalized path.
  std::optional<std::string> DocumentPath(const json& params, Error* error);

  void Log(std::string_view message);
  /// Calls `visit` with a cursor on the same declaration in the analysis of
  /// every other open document whose program loads the declaring file, so
  /// references and rename also reach importers outside `path`'s own program.
  void ForOtherPrograms(const Cursor& cursor, const std::string& path,
                        const std::function<void(const Cursor&)>& visit);

  ServerOptions options_;
  State state_ = State::Uninitialized;
  bool shutdown_ = false;
  bool exit_ = false;
  DocumentStore docs_;
  OverlayFileSystem overlay_;
  std::map<std::string, std::unique_ptr<Analysis>> analyses_;  // by entry path
  std::set<std::string> dirty_;                                // open paths to re-publish
  std::map<std::string, std::string> uris_;                    // open path → the client's URI
  std::set<std::string> cancelled_;                            // request ids (dumped) cancelled before handling
};

/// A JSON-RPC response body.
std::string ResponseBody(const json& id, const json& result);
std::string ErrorBody(const json& id, const Error& error);
std::string NotificationBody(std::string_view method, const json& params);

}  // namespace flow::lsp

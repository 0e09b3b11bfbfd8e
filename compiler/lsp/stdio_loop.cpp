#include "compiler/lsp/stdio_loop.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "compiler/lsp/framing.h"

namespace flow::lsp {
namespace {

/// Messages read so far; shared with the reader thread, which may outlive the
/// loop when the server exits while the reader is still blocked on input.
struct Inbox {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::string> messages;
  bool ended = false;     // the reader saw the end of the input
  int bad_headers = 0;    // framing errors since the last take
};

void ReadAll(std::istream& in, const std::shared_ptr<Inbox>& inbox) {
  while (true) {
    std::string body;
    ReadStatus status = ReadMessage(in, &body);
    std::lock_guard<std::mutex> lock(inbox->mutex);
    if (status == ReadStatus::Eof) {
      inbox->ended = true;
      inbox->ready.notify_one();
      return;
    }
    if (status == ReadStatus::BadHeader) {
      ++inbox->bad_headers;
    } else {
      inbox->messages.push_back(std::move(body));
    }
    inbox->ready.notify_one();
  }
}

bool IsCancellation(const std::string& body) { return body.find("\"$/cancelRequest\"") != std::string::npos; }

}  // namespace

int RunStdio(std::istream& in, std::ostream& out, ServerOptions options) {
  std::ostream* log = options.log;
  Server server(std::move(options));
  auto inbox = std::make_shared<Inbox>();
  std::thread reader(ReadAll, std::ref(in), inbox);
  std::vector<std::string> replies;
  auto send = [&] {
    for (const std::string& reply : replies) WriteMessage(out, reply);
    replies.clear();
  };
  bool ended = false;
  while (!server.exit_requested() && !ended) {
    std::deque<std::string> batch;
    int bad_headers = 0;
    {
      std::unique_lock<std::mutex> lock(inbox->mutex);
      // Idle with edits pending: publish their diagnostics before waiting.
      if (inbox->messages.empty() && !inbox->ended && server.has_pending()) {
        lock.unlock();
        server.PublishPending(&replies);
        send();
        continue;
      }
      inbox->ready.wait(lock, [&] { return !inbox->messages.empty() || inbox->ended || inbox->bad_headers > 0; });
      batch.swap(inbox->messages);
      bad_headers = inbox->bad_headers;
      inbox->bad_headers = 0;
      ended = inbox->ended;
    }
    if (bad_headers > 0 && log) *log << "flowc lsp: skipped a message without a valid Content-Length header\n";
    for (const std::string& body : batch)
      if (IsCancellation(body)) server.Handle(body, &replies);
    for (const std::string& body : batch) {
      if (IsCancellation(body)) continue;
      server.Handle(body, &replies);
      send();
      if (server.exit_requested()) break;
    }
    server.EndBatch();
  }
  if (!server.exit_requested() && server.has_pending()) {
    server.PublishPending(&replies);
    send();
  }
  // At the end of the input the reader has returned. On `exit` it may still be
  // blocked reading (stdin stays open) and the process is about to end anyway:
  // give it a moment to see the end of a finite input, else leave it behind.
  if (!ended) {
    std::unique_lock<std::mutex> lock(inbox->mutex);
    ended = inbox->ready.wait_for(lock, std::chrono::milliseconds(100), [&] { return inbox->ended; });
  }
  if (ended) {
    reader.join();
  } else {
    reader.detach();
  }
  return server.exit_code();
}

}  // namespace flow::lsp

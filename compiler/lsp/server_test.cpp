#include "compiler/lsp/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "compiler/lsp/framing.h"
#include "compiler/lsp/lsp_test_util.h"
#include "compiler/lsp/stdio_loop.h"

namespace flow::lsp {
namespace {

using ::testing::HasSubstr;
using namespace ::flow::lsp::testing;

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : fs_(ProgramFs()), server_(ServerOptions{"/stdlib", &fs_, nullptr, "test"}) {}

  /// Sends one message; returns everything the server sent back, parsed.
  std::vector<json> Send(const json& message) { return SendRaw(Dump(message)); }
  std::vector<json> SendRaw(const std::string& body) {
    std::vector<std::string> out;
    server_.Handle(body, &out);
    std::vector<json> parsed;
    for (const std::string& reply : out) parsed.push_back(json::parse(reply));
    return parsed;
  }
  json Request(const std::string& method, const json& params) {
    std::vector<json> replies = Send({{"jsonrpc", "2.0"}, {"id", ++next_id_}, {"method", method}, {"params", params}});
    EXPECT_EQ(replies.size(), 1u);
    return replies.empty() ? json() : replies[0];
  }
  std::vector<json> Notify(const std::string& method, const json& params) {
    return Send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
  }
  std::vector<json> Publish() {
    std::vector<std::string> out;
    server_.PublishPending(&out);
    std::vector<json> parsed;
    for (const std::string& reply : out) parsed.push_back(json::parse(reply));
    return parsed;
  }
  void Initialize() {
    json reply = Request("initialize", {{"capabilities", json::object()}});
    ASSERT_TRUE(reply.contains("result")) << reply.dump();
    Notify("initialized", json::object());
  }
  void Open(const std::string& text) {
    Notify("textDocument/didOpen",
           {{"textDocument", {{"uri", "file:///w/main.flow"}, {"languageId", "flow"}, {"version", 1}, {"text", text}}}});
  }
  static json Doc() { return {{"uri", "file:///w/main.flow"}}; }
  static json Pos(uint32_t line, uint32_t character) { return {{"line", line}, {"character", character}}; }

  MemoryFileSystem fs_;
  Server server_;
  int next_id_ = 0;
};

TEST_F(ServerTest, LifecycleAndCapabilities) {
  json early = Request("textDocument/hover", {{"textDocument", Doc()}, {"position", Pos(0, 0)}});
  EXPECT_EQ(early["error"]["code"], -32002);
  json init = Request("initialize", {{"capabilities", json::object()}});
  json caps = init["result"]["capabilities"];
  EXPECT_EQ(caps["textDocumentSync"]["change"], 2);
  EXPECT_EQ(caps["renameProvider"]["prepareProvider"], true);
  EXPECT_EQ(init["result"]["serverInfo"]["name"], "flowc");
  EXPECT_EQ(Request("initialize", json::object())["error"]["code"], -32600);
  EXPECT_TRUE(Request("shutdown", nullptr).contains("result"));
  EXPECT_EQ(Request("textDocument/hover", {{"textDocument", Doc()}, {"position", Pos(0, 0)}})["error"]["code"],
            -32600);
  EXPECT_FALSE(server_.exit_requested());
  Notify("exit", nullptr);
  EXPECT_TRUE(server_.exit_requested());
  EXPECT_EQ(server_.exit_code(), 0);
}

TEST_F(ServerTest, BadMessagesGetErrorsNotCrashes) {
  Initialize();
  std::vector<json> garbage = SendRaw("{not json");
  ASSERT_EQ(garbage.size(), 1u);
  EXPECT_EQ(garbage[0]["error"]["code"], -32700);
  EXPECT_TRUE(garbage[0]["id"].is_null());
  EXPECT_EQ(Request("no/such/method", json::object())["error"]["code"], -32601);
  EXPECT_EQ(Request("textDocument/hover", {{"textDocument", 5}})["error"]["code"], -32602);
  EXPECT_EQ(Request("textDocument/hover", {{"textDocument", Doc()}, {"position", Pos(0, 0)}, {"x", 1}})
                .contains("result"),
            true);
  EXPECT_EQ(Request("textDocument/hover", {{"textDocument", Doc()}, {"position", {{"line", -1}}}})["error"]["code"],
            -32602);
  EXPECT_EQ(SendRaw("[1, 2]")[0]["error"]["code"], -32600);
  EXPECT_EQ(SendRaw("{\"id\": 1.5, \"method\": \"shutdown\"}")[0]["error"]["code"], -32600);
  EXPECT_TRUE(SendRaw("{\"id\": 3, \"result\": null}").empty());  // a response: ignored
  EXPECT_TRUE(Notify("unknown/notification", json::object()).empty());
  EXPECT_TRUE(Notify("textDocument/didChange", {{"textDocument", Doc()}, {"contentChanges", 3}}).empty());
  // Invalid UTF-8 in a document never breaks the JSON we send.
  Open(std::string("workflow main() { let x = \"\xff\" }\n"));
  for (const json& message : Publish()) EXPECT_TRUE(message.is_object());
}

TEST_F(ServerTest, DiagnosticsFollowIncrementalEdits) {
  Initialize();
  std::string text = kMainText;
  text.replace(text.find("len(files)"), 10, "len(\"é😀\") + len(flies)");
  Open(text);
  EXPECT_TRUE(server_.has_pending());
  std::vector<json> published = Publish();
  ASSERT_EQ(published.size(), 2u);  // main.flow and the imported lib
  EXPECT_EQ(published[0]["method"], "textDocument/publishDiagnostics");
  EXPECT_EQ(published[0]["params"]["uri"], "file:///w/main.flow");
  EXPECT_EQ(published[0]["params"]["version"], 1);
  json diags = published[0]["params"]["diagnostics"];
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0]["code"], "E0102");
  // `  return run.metrics.accuracy + m.loss + float(len("é😀") + len(` is 64 UTF-16 units (68 bytes).
  EXPECT_EQ(diags[0]["range"]["start"], Pos(12, 64));
  EXPECT_EQ(diags[0]["range"]["end"], Pos(12, 69));
  EXPECT_TRUE(published[1]["params"]["diagnostics"].empty());
  // Two edits before anyone asks: one analysis, of the latest text.
  Notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///w/main.flow"}, {"version", 2}}},
                                    {"contentChanges", {{{"range", {{"start", Pos(12, 65)}, {"end", Pos(12, 67)}}},
                                                         {"text", "il"}}}}});
  Notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///w/main.flow"}, {"version", 3}}},
                                    {"contentChanges", {{{"range", {{"start", Pos(12, 69)}, {"end", Pos(12, 69)}}},
                                                         {"text", ""}}}}});
  published = Publish();
  ASSERT_FALSE(published.empty());
  EXPECT_EQ(published[0]["params"]["version"], 3);
  EXPECT_TRUE(published[0]["params"]["diagnostics"].empty()) << published[0].dump();
  EXPECT_FALSE(server_.has_pending());
  // Requests read the same analysis.
  json hover = Request("textDocument/hover", {{"textDocument", Doc()}, {"position", Pos(12, 66)}});
  EXPECT_THAT(hover["result"]["contents"]["value"].get<std::string>(), HasSubstr("let files"));
  std::vector<json> closed = Notify("textDocument/didClose", {{"textDocument", Doc()}});
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_TRUE(closed[0]["params"]["diagnostics"].empty());
}

TEST_F(ServerTest, EditingAnImportRepublishesItsImporter) {
  Initialize();
  Open(kMainText);
  Publish();
  std::string lib = kLibText;
  Notify("textDocument/didOpen", {{"textDocument", {{"uri", "file:///w/lib/train.flow"}, {"version", 1}, {"text", lib}}}});
  Publish();
  // Rename the struct field in the open (unsaved) lib: main's uses break.
  lib.replace(lib.find("accuracy"), 8, "acc");
  Notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///w/lib/train.flow"}, {"version", 2}}},
                                    {"contentChanges", {{{"text", lib}}}}});
  bool main_broken = false;
  for (const json& message : Publish()) {
    if (message["params"]["uri"] == "file:///w/main.flow" && !message["params"]["diagnostics"].empty())
      main_broken = true;
  }
  EXPECT_TRUE(main_broken);
}

TEST_F(ServerTest, RenameInAnImportReachesOpenImporters) {
  Initialize();
  Open(kMainText);
  Notify("textDocument/didOpen",
         {{"textDocument", {{"uri", "file:///w/lib/train.flow"}, {"version", 1}, {"text", kLibText}}}});
  // `task train(` is on line 10 of the lib; the lib's own program does not contain main.flow.
  json lib_doc = {{"uri", "file:///w/lib/train.flow"}};
  json reply = Request("textDocument/rename", {{"textDocument", lib_doc}, {"position", Pos(10, 6)}, {"newName", "fit"}});
  json changes = reply["result"]["changes"];
  ASSERT_EQ(changes.size(), 2u) << reply.dump();
  EXPECT_EQ(changes["file:///w/lib/train.flow"].size(), 1u);
  EXPECT_EQ(changes["file:///w/main.flow"].size(), 1u);
  json refs = Request("textDocument/references", {{"textDocument", lib_doc}, {"position", Pos(10, 6)},
                                                  {"context", {{"includeDeclaration", true}}}});
  EXPECT_EQ(refs["result"].size(), 2u) << refs.dump();
}

TEST_F(ServerTest, CancelledRequestIsAnsweredWithoutRunning) {
  Initialize();
  Notify("$/cancelRequest", {{"id", 42}});
  std::vector<json> replies = Send({{"jsonrpc", "2.0"}, {"id", 42}, {"method", "textDocument/hover"},
                                    {"params", {{"textDocument", Doc()}, {"position", Pos(0, 0)}}}});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["error"]["code"], -32800);
}

TEST(StdioLoopTest, FramedSessionOverStreams) {
  MemoryFileSystem fs = ProgramFs();
  std::ostringstream input;
  auto frame = [&](const json& message) {
    std::ostringstream framed;
    WriteMessage(framed, message.dump());
    input << framed.str();
  };
  frame({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", json::object()}});
  frame({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
         {"params", {{"textDocument", {{"uri", "file:///w/main.flow"}, {"version", 1}, {"text", "workflow main() { return nope }"}}}}}});
  input << "Content-Length: oops\r\n\r\n";
  frame({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}});
  frame({{"jsonrpc", "2.0"}, {"method", "exit"}});
  std::istringstream in(input.str());
  std::ostringstream out, log;
  int code = RunStdio(in, out, ServerOptions{"/stdlib", &fs, &log, "test"});
  EXPECT_EQ(code, 0);
  std::istringstream replies(out.str());
  std::string body;
  std::vector<json> messages;
  while (ReadMessage(replies, &body) == ReadStatus::Ok) messages.push_back(json::parse(body));
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages.front()["id"], 1);
  EXPECT_EQ(messages.back()["id"], 2);
  EXPECT_THAT(log.str(), HasSubstr("Content-Length"));
}

TEST(StdioLoopTest, EndOfInputWithoutShutdownExitsWithOne) {
  MemoryFileSystem fs;
  std::istringstream in("");
  std::ostringstream out;
  EXPECT_EQ(RunStdio(in, out, ServerOptions{"/stdlib", &fs, nullptr, "test"}), 1);
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace flow::lsp

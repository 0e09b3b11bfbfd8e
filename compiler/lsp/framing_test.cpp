#include "compiler/lsp/framing.h"

#include <gtest/gtest.h>

#include <sstream>

#include "compiler/lsp/uri.h"

namespace flow::lsp {
namespace {

TEST(FramingTest, ReadsConsecutiveMessages) {
  std::istringstream in("Content-Length: 2\r\n\r\n{}content-length:  3\r\nContent-Type: x\r\n\r\n[1]");
  std::string body;
  ASSERT_EQ(ReadMessage(in, &body), ReadStatus::Ok);
  EXPECT_EQ(body, "{}");
  ASSERT_EQ(ReadMessage(in, &body), ReadStatus::Ok);
  EXPECT_EQ(body, "[1]");
  EXPECT_EQ(ReadMessage(in, &body), ReadStatus::Eof);
}

TEST(FramingTest, BadHeadersAreReportedAndSkipped) {
  std::istringstream in("Content-Length: abc\r\n\r\nContent-Length: 2\r\n\r\nok");
  std::string body;
  EXPECT_EQ(ReadMessage(in, &body), ReadStatus::BadHeader);
  ASSERT_EQ(ReadMessage(in, &body), ReadStatus::Ok);
  EXPECT_EQ(body, "ok");
}

TEST(FramingTest, HugeLengthDoesNotAllocate) {
  std::istringstream in("Content-Length: 99999999999\r\n\r\n{}");
  std::string body;
  EXPECT_NE(ReadMessage(in, &body, 1024), ReadStatus::Ok);
  EXPECT_TRUE(body.empty());
}

TEST(FramingTest, EndlessHeaderLineIsBounded) {
  std::istringstream in(std::string(1 << 20, 'x') + "\r\n\r\nContent-Length: 2\r\n\r\nok");
  std::string body;
  EXPECT_EQ(ReadMessage(in, &body), ReadStatus::BadHeader);
  ASSERT_EQ(ReadMessage(in, &body), ReadStatus::Ok);
  EXPECT_EQ(body, "ok");
}

TEST(FramingTest, TruncatedBodyIsEof) {
  std::istringstream in("Content-Length: 10\r\n\r\n{}");
  std::string body;
  EXPECT_EQ(ReadMessage(in, &body), ReadStatus::Eof);
}

TEST(FramingTest, WritesHeaderAndBody) {
  std::ostringstream out;
  WriteMessage(out, "{\"a\":\"é\"}");
  EXPECT_EQ(out.str(), "Content-Length: 10\r\n\r\n{\"a\":\"é\"}");
}

TEST(UriTest, ConvertsBothWays) {
  EXPECT_EQ(UriToPath("file:///home/a%20b/x.flow").value_or(""), "/home/a b/x.flow");
  EXPECT_EQ(UriToPath("file://localhost/x.flow").value_or(""), "/x.flow");
  EXPECT_EQ(UriToPath("FILE:///x.flow").value_or(""), "/x.flow");
  EXPECT_FALSE(UriToPath("untitled:Untitled-1"));
  EXPECT_FALSE(UriToPath("file:///bad%zz"));
  EXPECT_FALSE(UriToPath("file:///bad%2"));
  EXPECT_EQ(PathToUri("/home/a b/é.flow"), "file:///home/a%20b/%C3%A9.flow");
  EXPECT_EQ(UriToPath(PathToUri("/x/#y?.flow")).value_or(""), "/x/#y?.flow");
}

}  // namespace
}  // namespace flow::lsp

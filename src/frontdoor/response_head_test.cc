#include "frontdoor/response_head.h"

#include <gtest/gtest.h>

#include <string>

namespace shim {
namespace {

ParseStatus Parse(const std::string& text, ResponseHead* head, size_t* consumed, std::string* error,
                  bool head_request = false, size_t max = 64 * 1024) {
  return ParseResponseHead(text, max, head_request, head, consumed, error);
}

TEST(ResponseHeadTest, ParsesUvicornsJsonAnswer) {
  // The shape of a uvicorn/h11 answer from SGLang's http_server.py.
  std::string text =
      "HTTP/1.1 200 OK\r\ndate: Fri, 27 Nov 2026 10:00:00 GMT\r\nserver: uvicorn\r\n"
      "content-length: 12\r\ncontent-type: application/json\r\n\r\n{\"ok\":true}\n";
  ResponseHead head;
  size_t consumed = 0;
  std::string error;
  ASSERT_EQ(Parse(text, &head, &consumed, &error), ParseStatus::kComplete) << error;
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.framing, ResponseFraming::kContentLength);
  EXPECT_EQ(head.content_length, 12u);
  EXPECT_TRUE(head.keep_alive);
  EXPECT_FALSE(head.event_stream);
  EXPECT_EQ(text.substr(consumed), "{\"ok\":true}\n");
  ASSERT_NE(head.Find("Content-Type"), nullptr);
  EXPECT_EQ(*head.Find("Content-Type"), "application/json");
}

TEST(ResponseHeadTest, EventStreamIsChunked) {
  std::string text =
      "HTTP/1.1 200 OK\r\ncontent-type: Text/Event-Stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n";
  ResponseHead head;
  size_t consumed = 0;
  std::string error;
  ASSERT_EQ(Parse(text, &head, &consumed, &error), ParseStatus::kComplete) << error;
  EXPECT_EQ(head.framing, ResponseFraming::kChunked);
  EXPECT_TRUE(head.event_stream);
  EXPECT_EQ(consumed, text.size());
}

TEST(ResponseHeadTest, IncompleteUntilTheBlankLine) {
  ResponseHead head;
  size_t consumed = 0;
  std::string error;
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n", &head, &consumed, &error), ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("HTTP/1.1 20", &head, &consumed, &error), ParseStatus::kIncomplete);
}

TEST(ResponseHeadTest, FramingFollowsRfc9112) {
  ResponseHead head;
  size_t consumed = 0;
  std::string error;
  // No body for 204/304 and for any answer to HEAD, whatever the headers say.
  ASSERT_EQ(Parse("HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n", &head, &consumed, &error),
            ParseStatus::kComplete);
  EXPECT_EQ(head.framing, ResponseFraming::kNone);
  ASSERT_EQ(Parse("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n", &head, &consumed, &error, true),
            ParseStatus::kComplete);
  EXPECT_EQ(head.framing, ResponseFraming::kNone);
  EXPECT_TRUE(head.has_content_length);
  EXPECT_EQ(head.content_length, 5u);
  // Neither length nor chunked: the body runs to the close, and the connection cannot be reused.
  ASSERT_EQ(Parse("HTTP/1.1 200 OK\r\n\r\n", &head, &consumed, &error), ParseStatus::kComplete);
  EXPECT_EQ(head.framing, ResponseFraming::kUntilClose);
  EXPECT_FALSE(head.keep_alive);
  // Both framings: chunked wins and the connection is not trusted again.
  ASSERT_EQ(
      Parse("HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n", &head, &consumed, &error),
      ParseStatus::kComplete);
  EXPECT_EQ(head.framing, ResponseFraming::kChunked);
  EXPECT_FALSE(head.keep_alive);
  // HTTP/1.0 closes unless it asks for keep-alive; Connection: close ends reuse.
  ASSERT_EQ(Parse("HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n", &head, &consumed, &error), ParseStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(Parse("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n", &head, &consumed, &error),
            ParseStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
}

TEST(ResponseHeadTest, AcceptsBareLineFeeds) {
  ResponseHead head;
  size_t consumed = 0;
  std::string error;
  ASSERT_EQ(Parse("HTTP/1.1 404 Not Found\ncontent-length: 0\n\n", &head, &consumed, &error), ParseStatus::kComplete);
  EXPECT_EQ(head.status, 404);
}

TEST(ResponseHeadTest, RefusesMalformedHeads) {
  ResponseHead head;
  size_t consumed = 0;
  std::string error;
  for (const char* bad : {
           "HTTP/2 200 OK\r\n\r\n",                            // not HTTP/1.x
           "HTTP/1.1 2000 OK\r\n\r\n",                         // four digits
           "HTTP/1.1 099 Odd\r\n\r\n",                         // below 100
           "HTTP/1.1 200 OK\r\ncontent-length: 1, 2\r\n\r\n",  // conflicting lengths
           "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",    // not a length
           "HTTP/1.1 200 OK\r\nbad header\r\n\r\n",            // no colon
           "HTTP/1.1 200 OK\r\nx: a\r\n folded\r\n\r\n",       // obsolete folding
           "HTTP/1.1 200 OK\r\nx: a\rb\r\n\r\n",               // bare CR
           "HTTP/1.1 200 OK\r\nna me: v\r\n\r\n",              // invalid name
       }) {
    EXPECT_EQ(Parse(bad, &head, &consumed, &error), ParseStatus::kError) << bad;
    EXPECT_FALSE(error.empty());
  }
  std::string huge = "HTTP/1.1 200 OK\r\nx: " + std::string(2000, 'a') + "\r\n\r\n";
  EXPECT_EQ(Parse(huge, &head, &consumed, &error, false, 1024), ParseStatus::kError);
  EXPECT_EQ(Parse(huge.substr(0, 1500), &head, &consumed, &error, false, 1024), ParseStatus::kError);
}

}  // namespace
}  // namespace shim

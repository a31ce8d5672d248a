#include "frontdoor/request_head.h"

#include <string>

#include <gtest/gtest.h>

namespace shim {
namespace {

ParseStatus Parse(std::string_view text, RequestHead* head, HeadError* error, size_t* consumed = nullptr,
                  size_t limit = 65536) {
  size_t used = 0;
  ParseStatus status = ParseRequestHead(text, limit, head, &used, error);
  if (consumed) *consumed = used;
  return status;
}

TEST(RequestHeadTest, ParsesSimpleGet) {
  RequestHead head;
  HeadError error;
  size_t consumed = 0;
  std::string text = "GET /v1/models?x=1 HTTP/1.1\r\nHost: a\r\nX-Y:  z \r\n\r\nNEXT";
  ASSERT_EQ(Parse(text, &head, &error, &consumed), ParseStatus::kComplete);
  EXPECT_EQ(consumed, text.size() - 4);
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.path(), "/v1/models");
  EXPECT_EQ(head.query(), "x=1");
  EXPECT_EQ(*head.Find("x-y"), "z");
  EXPECT_TRUE(head.keep_alive);
  EXPECT_EQ(head.framing, BodyFraming::kNone);
}

// A connection parses every head into the same RequestHead: nothing of the
// previous head may survive, whichever way the next parse ends.
TEST(RequestHeadTest, ReusedHeadKeepsNothingOfThePreviousOne) {
  RequestHead head;
  HeadError error;
  ASSERT_EQ(Parse("POST /v1/chat/completions?a=b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n"
                  "Expect: 100-continue\r\nX-One: 1\r\nX-Two: 2\r\nConnection: close\r\n\r\n",
                  &head, &error),
            ParseStatus::kComplete);
  ASSERT_EQ(head.headers.size(), 6u);
  ASSERT_EQ(Parse("GET /h HTTP/1.1\r\nHost: b\r\n\r\n", &head, &error), ParseStatus::kComplete);
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.target, "/h");
  ASSERT_EQ(head.headers.size(), 1u);
  EXPECT_EQ(head.headers[0], (std::pair<std::string, std::string>{"Host", "b"}));
  EXPECT_EQ(head.framing, BodyFraming::kNone);
  EXPECT_FALSE(head.expect_continue);
  EXPECT_TRUE(head.keep_alive);
  EXPECT_EQ(head.Find("x-two"), nullptr);

  ASSERT_EQ(Parse("POST /a HTTP/1.1\r\nHost: a\r\nX-1: 1\r\nX-2: 2\r\nX-3: 3\r\n\r\n", &head, &error),
            ParseStatus::kComplete);
  // Incomplete, then refused, after a head with more headers: only what was parsed.
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: c\r\n", &head, &error), ParseStatus::kIncomplete);
  EXPECT_EQ(head.headers.size(), 1u);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: d\r\nbad header\r\n\r\n", &head, &error), ParseStatus::kError);
  ASSERT_EQ(head.headers.size(), 1u);
  EXPECT_EQ(head.headers[0].second, "d");
}

TEST(RequestHeadTest, IncompleteUntilBlankLine) {
  RequestHead head;
  HeadError error;
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: a\r\n", &head, &error), ParseStatus::kIncomplete);
}

TEST(RequestHeadTest, Http10DefaultsToClose) {
  RequestHead head;
  HeadError error;
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\n\r\n", &head, &error), ParseStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &head, &error), ParseStatus::kComplete);
  EXPECT_TRUE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", &head, &error), ParseStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
}

TEST(RequestHeadTest, AbsoluteFormBecomesOriginForm) {
  RequestHead head;
  HeadError error;
  ASSERT_EQ(Parse("GET http://example/v1/models?a HTTP/1.1\r\n\r\n", &head, &error), ParseStatus::kComplete);
  EXPECT_EQ(head.target, "/v1/models?a");
  ASSERT_EQ(Parse("GET http://example HTTP/1.1\r\n\r\n", &head, &error), ParseStatus::kComplete);
  EXPECT_EQ(head.target, "/");
}

TEST(RequestHeadTest, FragmentInTheTargetIs400) {
  // RFC 9112 §3.2: no fragment in a request target; uvicorn's httptools would
  // drop it and route "/flush_cache#x" as /flush_cache.
  for (const char* target : {"/flush_cache#frag", "/flush_cache#", "/v1/models?x=1#y", "http://h/flush_cache#x", "#"}) {
    RequestHead head;
    HeadError error;
    std::string text = std::string("POST ") + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    EXPECT_EQ(Parse(text, &head, &error), ParseStatus::kError) << target;
    EXPECT_EQ(error.status, 400) << target;
  }
}

TEST(RequestHeadTest, DotSegmentsAre400) {
  for (const char* target : {"/v1/../flush_cache", "/./flush_cache", "/v1/%2e%2e/flush_cache", "http://h/../x",
                             "/v1/models/..", "/x/%2E/y?q"}) {
    RequestHead head;
    HeadError error;
    std::string text = std::string("GET ") + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    EXPECT_EQ(Parse(text, &head, &error), ParseStatus::kError) << target;
    EXPECT_EQ(error.status, 400) << target;
  }
  // A dot in a query or inside a segment is no segment.
  for (const char* target : {"/v1/models?p=../x", "/.well-known/x", "/a..b"}) {
    RequestHead head;
    HeadError error;
    std::string text = std::string("GET ") + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    EXPECT_EQ(Parse(text, &head, &error), ParseStatus::kComplete) << target;
  }
}

TEST(RequestHeadTest, ContentLengthFraming) {
  RequestHead head;
  HeadError error;
  ASSERT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n", &head, &error), ParseStatus::kComplete);
  EXPECT_EQ(head.framing, BodyFraming::kContentLength);
  EXPECT_EQ(head.content_length, 12u);
  // Identical duplicates are one length (RFC 9110 §8.6).
  ASSERT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n", &head, &error),
            ParseStatus::kComplete);
  EXPECT_EQ(head.content_length, 5u);
}

// The cases of haproxy's reg-tests/http-messaging/http_transfer_encoding.vtc and friends.
TEST(RequestHeadTest, ConflictingContentLengthsAre400) {
  RequestHead head;
  HeadError error;
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", &head, &error),
            ParseStatus::kError);
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", &head, &error),
            ParseStatus::kError);
}

TEST(RequestHeadTest, ChunkedChunkedIs400) {
  RequestHead head;
  HeadError error;
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", &head, &error),
            ParseStatus::kError);
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", &head, &error),
            ParseStatus::kError);
  EXPECT_EQ(error.status, 400);
}

TEST(RequestHeadTest, OtherCodingsAreRefused) {
  RequestHead head;
  HeadError error;
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(error.status, 422);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(Parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", &head, &error), ParseStatus::kError);
}

TEST(RequestHeadTest, ContentLengthWithChunkedUsesChunkedAndCloses) {
  RequestHead head;
  HeadError error;
  ASSERT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 31\r\nTransfer-Encoding: chunked\r\n\r\n", &head, &error),
            ParseStatus::kComplete);
  EXPECT_EQ(head.framing, BodyFraming::kChunked);
  EXPECT_TRUE(head.close_after_response);
}

TEST(RequestHeadTest, MalformedHeadsAre400) {
  RequestHead head;
  HeadError error;
  const char* cases[] = {
      "GET /\r\n\r\n",
      "GET  / HTTP/1.1\r\n\r\n",
      "G(T / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\nHost: a\r\n\r\n",       // bare LF
      "GET / HTTP/1.1\r\nHost : a\r\n\r\n",    // space before colon
      "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",  // obs-fold
      "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
      "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",  // bare CR
      "GET foo HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
  };
  for (const char* text : cases) {
    EXPECT_EQ(Parse(text, &head, &error), ParseStatus::kError) << text;
    EXPECT_EQ(error.status, 400) << text;
  }
  std::string with_nul("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27);
  EXPECT_EQ(Parse(with_nul, &head, &error), ParseStatus::kError);
  EXPECT_EQ(Parse("GET / HTTP/2.0\r\n\r\n", &head, &error), ParseStatus::kError);
  EXPECT_EQ(error.status, 505);
}

TEST(RequestHeadTest, OversizedHeadIs431) {
  RequestHead head;
  HeadError error;
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n";
  EXPECT_EQ(Parse(big, &head, &error, nullptr, 1024), ParseStatus::kError);
  EXPECT_EQ(error.status, 431);
  // Also while still incomplete, so a client cannot make us buffer forever.
  EXPECT_EQ(Parse(std::string(2000, 'a'), &head, &error, nullptr, 1024), ParseStatus::kError);
  EXPECT_EQ(error.status, 431);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 200; ++i) many += "X: y\r\n";
  many += "\r\n";
  EXPECT_EQ(Parse(many, &head, &error), ParseStatus::kError);
  EXPECT_EQ(error.status, 431);
}

TEST(RequestHeadTest, HopByHopHeaders) {
  EXPECT_TRUE(IsHopByHopHeader("Connection"));
  EXPECT_TRUE(IsHopByHopHeader("transfer-encoding"));
  EXPECT_FALSE(IsHopByHopHeader("Authorization"));
  // RFC 9110 §7.6.1 and the framing headers the proxy writes itself, any case.
  for (const char* name : {"TE", "Trailer", "UPGRADE", "Keep-Alive", "Content-Length", "Proxy-Connection",
                           "Proxy-Authenticate", "proxy-authorization"}) {
    EXPECT_TRUE(IsHopByHopHeader(name)) << name;
  }
  for (const char* name : {"", "t", "tf", "Trailers", "Content-Type", "X-Upgrade", "connectioN2"}) {
    EXPECT_FALSE(IsHopByHopHeader(name)) << name;
  }
  HeaderList headers = {{"Connection", "close, X-Secret-Hop"}};
  EXPECT_TRUE(IsListedInConnection(headers, "x-secret-hop"));
  EXPECT_FALSE(IsListedInConnection(headers, "x-other"));
}

}  // namespace
}  // namespace shim

#include "rewrite/sse_rewriter.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace shim {
namespace {

using nlohmann::json;

constexpr std::string_view kChunk1 =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":"
    "{\"content\":\"Hi\"}}]}\n\n";
constexpr std::string_view kChunk2 = "data: {\"object\": \"chat.completion.chunk\", \"choices\": []}\n\n";
constexpr std::string_view kDone = "data: [DONE]\n\n";
// SGLang serving_base.create_streaming_error_response: json.dumps({"error": ErrorResponse}).
constexpr std::string_view kSglangError =
    "data: {\"error\": {\"object\": \"error\", \"message\": \"boom\", \"type\": "
    "\"BadRequestError\", \"param\": null, \"code\": 400}}\n\n";

// Feeds `input` split at `cuts` and returns everything sent.
std::string FeedAll(SseErrorRewriter& rw, std::string_view input, const std::vector<size_t>& cuts) {
  std::string out;
  size_t prev = 0;
  for (size_t cut : cuts) {
    out.append(rw.Feed(input.substr(prev, cut - prev)));
    prev = cut;
  }
  out.append(rw.Feed(input.substr(prev)));
  out.append(rw.Finish());
  return out;
}

TEST(SseRewriter, OrdinaryFramesPassWithoutCopy) {
  SseErrorRewriter rw;
  std::string input = std::string(kChunk1) + std::string(kChunk2) + std::string(kDone);
  std::string_view out = rw.Feed(input);
  EXPECT_EQ(out, input);
  EXPECT_EQ(out.data(), input.data());  // the fast path returns the chunk itself
  EXPECT_TRUE(rw.Finish().empty());
}

TEST(SseRewriter, OrdinaryFrameBytesAreNotHeld) {
  // Once a frame's first bytes rule out an error, its bytes go out as they come.
  SseErrorRewriter rw;
  std::string_view first = kChunk1.substr(0, 20);
  EXPECT_EQ(rw.Feed(first), first);
  EXPECT_EQ(rw.held_bytes(), 0u);
  std::string_view rest = kChunk1.substr(20);
  EXPECT_EQ(rw.Feed(rest), rest);
}

TEST(SseRewriter, OnlyTheUndecidedPrefixIsHeld) {
  SseErrorRewriter rw;
  EXPECT_EQ(rw.Feed("data: {"), "");
  EXPECT_EQ(rw.held_bytes(), 7u);
  EXPECT_EQ(rw.Feed("\"id\":1}\n\n"), "data: {\"id\":1}\n\n");
}

TEST(SseRewriter, SglangNestedErrorFrameIsRewritten) {
  SseErrorRewriter rw;
  std::string input = std::string(kChunk1) + std::string(kSglangError) + std::string(kDone);
  std::string out = std::string(rw.Feed(input)) + std::string(rw.Finish());
  std::string expected_error =
      "data: {\"error\":{\"message\":\"boom\",\"type\":\"BadRequestError\",\"param\":null,"
      "\"code\":400}}\n\n";
  EXPECT_EQ(out, std::string(kChunk1) + expected_error + std::string(kDone));
}

TEST(SseRewriter, FlatErrorFrameIsRewritten) {
  SseErrorRewriter rw;
  std::string out = std::string(
      rw.Feed("data: {\"object\":\"error\",\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":500}\n\n"));
  json e = json::parse(out.substr(6));
  EXPECT_EQ(e, json::parse(R"({"error":{"message":"m","type":"t","param":null,"code":500}})"));
  EXPECT_EQ(out.substr(out.size() - 2), "\n\n");
}

TEST(SseRewriter, ErrorFrameSplitAtEveryByte) {
  std::string input = std::string(kChunk1) + std::string(kSglangError) + std::string(kDone);
  SseErrorRewriter reference;
  std::string expected = std::string(reference.Feed(input)) + std::string(reference.Finish());
  ASSERT_NE(expected, input);
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    SseErrorRewriter rw;
    EXPECT_EQ(FeedAll(rw, input, {cut}), expected) << "cut at " << cut;
  }
  SseErrorRewriter byte_by_byte;
  std::vector<size_t> cuts;
  for (size_t i = 1; i < input.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(FeedAll(byte_by_byte, input, cuts), expected);
}

TEST(SseRewriter, OrdinaryStreamSplitAnywhereIsUnchanged) {
  std::string input = std::string(kChunk1) + ": comment\n\nevent: x\ndata: {\"a\":1}\n\n" + std::string(kChunk2) +
                      "data:{\"object\":\"list\"}\r\n\r\n" + std::string(kDone);
  for (size_t a = 0; a <= input.size(); a += 3) {
    for (size_t b = a; b <= input.size(); b += 7) {
      SseErrorRewriter rw;
      ASSERT_EQ(FeedAll(rw, input, {a, b}), input) << a << "," << b;
    }
  }
}

TEST(SseRewriter, CrlfFramesAreRewrittenToo) {
  SseErrorRewriter rw;
  std::string out =
      std::string(rw.Feed("data: {\"error\": {\"object\": \"error\", \"message\": \"m\", \"type\": \"t\", \"param\": "
                          "null, \"code\": 503}}\r\n\r\ndata: [DONE]\r\n\r\n"));
  EXPECT_EQ(out.find("\"object\""), std::string::npos);
  EXPECT_NE(out.find("\"code\":503}}\r\n\r\ndata: [DONE]\r\n\r\n"), std::string::npos);
}

TEST(SseRewriter, VllmShapedErrorFramePassesUnchanged) {
  SseErrorRewriter rw;
  std::string input = "data: {\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":400}}\n\n";
  EXPECT_EQ(std::string(rw.Feed(input)) + std::string(rw.Finish()), input);
}

TEST(SseRewriter, StreamCutInsideAnErrorFrame) {
  SseErrorRewriter rw;
  std::string partial = "data: {\"error\": {\"object\": \"error\", \"mess";
  EXPECT_EQ(rw.Feed(partial), "");
  EXPECT_EQ(rw.Finish(), partial);  // not JSON: flushed as it was
  SseErrorRewriter complete;
  std::string no_terminator = std::string(kSglangError.substr(0, kSglangError.size() - 2));
  EXPECT_EQ(complete.Feed(no_terminator), "");
  std::string out(complete.Finish());
  EXPECT_EQ(out.find("\"object\""), std::string::npos);
  EXPECT_EQ(out.rfind("data: {\"error\":{", 0), 0u);
}

TEST(SseRewriter, HeldFrameIsBounded) {
  SseErrorRewriter rw;
  std::string huge = "data: {\"error\": \"" + std::string(SseErrorRewriter::kMaxHeldFrame * 2, 'x');
  std::string out(rw.Feed(huge));
  EXPECT_LE(rw.held_bytes(), SseErrorRewriter::kMaxHeldFrame);
  out += rw.Feed("\"}\n\n");
  out += rw.Finish();
  EXPECT_EQ(out, huge + "\"}\n\n");
}

}  // namespace
}  // namespace shim

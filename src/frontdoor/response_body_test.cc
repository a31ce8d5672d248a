#include "frontdoor/response_body.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shim {
namespace {

std::string Join(const std::vector<std::string_view>& pieces) {
  std::string out;
  for (std::string_view piece : pieces) out.append(piece);
  return out;
}

TEST(ResponseBodyDecoderTest, ContentLengthStopsAtTheEndOfTheMessage) {
  ResponseBodyDecoder decoder(ResponseFraming::kContentLength, 5);
  std::vector<std::string_view> pieces;
  EXPECT_EQ(decoder.Decode("he", &pieces), 2);
  EXPECT_FALSE(decoder.done());
  EXPECT_EQ(decoder.Decode("lloEXTRA", &pieces), 3);  // bytes after the message are left
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(Join(pieces), "hello");
  EXPECT_TRUE(decoder.FinishAtEof());  // a close after the whole body is fine

  ResponseBodyDecoder cut(ResponseFraming::kContentLength, 5);
  pieces.clear();
  cut.Decode("hel", &pieces);
  EXPECT_FALSE(cut.FinishAtEof());  // a close before the length: the body was cut
}

TEST(ResponseBodyDecoderTest, ChunkedAcrossReadsKeepsPayloadViews) {
  ResponseBodyDecoder decoder(ResponseFraming::kChunked, 0);
  std::vector<std::string_view> pieces;
  std::string first = "7\r\ndata: 1\r\n3";  // ends inside the next size line
  long used = decoder.Decode(first, &pieces);
  ASSERT_EQ(Join(pieces), "data: 1");
  EXPECT_EQ(pieces[0].data(), first.data() + 3);  // a view, not a copy
  // The unfinished size line is left for the next call, with what follows it.
  std::string second = first.substr(static_cast<size_t>(used)) + "\r\nab\n\r\n0\r\n\r\njunk";
  pieces.clear();
  used = decoder.Decode(second, &pieces);
  EXPECT_EQ(Join(pieces), "ab\n");
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(second.substr(static_cast<size_t>(used)), "junk");
}

TEST(ResponseBodyDecoderTest, MalformedChunkingIsAnError) {
  ResponseBodyDecoder decoder(ResponseFraming::kChunked, 0);
  std::vector<std::string_view> pieces;
  EXPECT_EQ(decoder.Decode("zz\r\n", &pieces), -1);
  EXPECT_STRNE(decoder.error(), "");
}

TEST(ResponseBodyDecoderTest, UntilCloseEndsAtEof) {
  ResponseBodyDecoder decoder(ResponseFraming::kUntilClose, 0);
  std::vector<std::string_view> pieces;
  EXPECT_EQ(decoder.Decode("abc", &pieces), 3);
  EXPECT_FALSE(decoder.done());
  EXPECT_TRUE(decoder.FinishAtEof());
  EXPECT_TRUE(decoder.done());
}

TEST(ResponseBodyDecoderTest, NoBodyIsDoneAtOnce) {
  ResponseBodyDecoder none(ResponseFraming::kNone, 0);
  EXPECT_TRUE(none.done());
  ResponseBodyDecoder empty(ResponseFraming::kContentLength, 0);
  EXPECT_TRUE(empty.done());
  std::vector<std::string_view> pieces;
  EXPECT_EQ(empty.Decode("next response", &pieces), 0);
  EXPECT_TRUE(pieces.empty());
}

}  // namespace
}  // namespace shim

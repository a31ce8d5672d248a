#include "frontdoor/chunked_decoder.h"

#include <gtest/gtest.h>

#include <string>

namespace shim {
namespace {

// Decodes `input` fed in pieces of `piece` bytes; returns false on a decode error.
bool DecodeAll(std::string_view input, size_t piece, std::string* body, bool* done) {
  ChunkedDecoder decoder;
  std::string pending;
  *done = false;
  size_t offset = 0;
  while (true) {
    ChunkedDecoder::Step step = decoder.Next(pending);
    // step.data points into `pending`: use it before erasing.
    if (step.status == ChunkedDecoder::Status::kData) body->append(step.data);
    pending.erase(0, step.consumed);
    if (step.status == ChunkedDecoder::Status::kError) return false;
    if (step.status == ChunkedDecoder::Status::kDone) {
      *done = true;
      return true;
    }
    if (step.status == ChunkedDecoder::Status::kNeedMore) {
      if (offset >= input.size()) return true;
      pending.append(input.substr(offset, piece));
      offset += piece;
    }
  }
}

TEST(ChunkedDecoderTest, DecodesInAnySplit) {
  std::string wire = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
  for (size_t piece = 1; piece <= wire.size(); ++piece) {
    std::string body;
    bool done = false;
    ASSERT_TRUE(DecodeAll(wire, piece, &body, &done)) << piece;
    EXPECT_TRUE(done);
    EXPECT_EQ(body, "hello world");
  }
}

TEST(ChunkedDecoderTest, RejectsMalformed) {
  for (std::string wire : {"x\r\n", "5\r\nhelloXX", "5\nhello\r\n", "1000000000000000\r\n", "5 x\r\n"}) {
    std::string body;
    bool done = false;
    EXPECT_FALSE(DecodeAll(wire, wire.size(), &body, &done)) << wire;
  }
}

TEST(ChunkedDecoderTest, BoundsLineLength) {
  ChunkedDecoder decoder(16);
  std::string line(100, '1');
  EXPECT_EQ(decoder.Next(line).status, ChunkedDecoder::Status::kError);
}

}  // namespace
}  // namespace shim

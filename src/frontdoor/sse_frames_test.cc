#include "frontdoor/sse_frames.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shim {
namespace {

TEST(SseFramesTest, SplitsAcrossReads) {
  SseFrameSplitter splitter;
  std::vector<std::string> frames;
  auto collect = [&](std::string* frame) { frames.push_back(*frame); };
  splitter.Feed("data: 1\n\ndata: ", collect);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], "data: 1\n\n");
  splitter.Feed("2\r\n\r\ndata: [DONE]\n", collect);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1], "data: 2\r\n\r\n");
  splitter.Feed("\n", collect);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[2], "data: [DONE]\n\n");
  EXPECT_EQ(splitter.pending_bytes(), 0u);
  splitter.Feed("partial", collect);
  EXPECT_EQ(splitter.TakeRemainder(), "partial");
}

}  // namespace
}  // namespace shim

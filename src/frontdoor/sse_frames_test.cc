#include "frontdoor/sse_frames.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shim {
namespace {

std::string Join(const std::vector<std::string_view>& views) {
  std::string out;
  for (std::string_view v : views) out.append(v);
  return out;
}

TEST(SseFrameRelayTest, SplitsAcrossReadsAndHoldsOnlyTheIncompleteFrame) {
  SseFrameRelay relay;
  std::vector<std::string> seen;
  auto rewrite = [&](std::string_view frame, std::string*) {
    seen.emplace_back(frame);
    return false;
  };
  std::vector<std::string_view> out;
  relay.Feed({"data: 1\n\ndata: "}, rewrite, &out);
  EXPECT_EQ(Join(out), "data: 1\n\n");
  EXPECT_EQ(relay.held_bytes(), 6u);
  out.clear();
  relay.Feed({"2\r\n\r\ndata: [DONE]\n"}, rewrite, &out);
  EXPECT_EQ(Join(out), "data: 2\r\n\r\n");
  out.clear();
  relay.Feed({"\n"}, rewrite, &out);
  EXPECT_EQ(Join(out), "data: [DONE]\n\n");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1], "data: 2\r\n\r\n");
  out.clear();
  relay.Feed({"partial"}, rewrite, &out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(relay.Finish(), "partial");
  EXPECT_EQ(relay.held_bytes(), 0u);
}

TEST(SseFrameRelayTest, UntouchedFramesAreViewsOfTheInput) {
  SseFrameRelay relay;
  std::string input = "data: a\n\ndata: b\n\n";
  std::vector<std::string_view> out;
  relay.Feed({input}, nullptr, &out);
  ASSERT_EQ(out.size(), 1u);  // adjacent untouched frames merge into one view
  EXPECT_EQ(out[0].data(), input.data());
  EXPECT_EQ(out[0].size(), input.size());
}

TEST(SseFrameRelayTest, RewritesAndDropsFramesInPlace) {
  SseFrameRelay relay;
  auto rewrite = [](std::string_view frame, std::string* out) {
    if (frame == "data: drop\n\n") return true;  // empty replacement: dropped
    if (frame == "data: x\n\n") {
      *out = "data: y\n\n";
      return true;
    }
    return false;
  };
  std::vector<std::string_view> out;
  relay.Feed({"data: 1\n\ndata: x\n\ndata: drop\n\n", "data: ", "2\n\n"}, rewrite, &out);
  EXPECT_EQ(Join(out), "data: 1\n\ndata: y\n\ndata: 2\n\n");
}

TEST(SseFrameRelayTest, HoldingIsBounded) {
  SseFrameRelay relay;
  std::string endless = "data: " + std::string(SseFrameRelay::kMaxHeldFrame, 'x');
  std::vector<std::string_view> out;
  relay.Feed({endless}, nullptr, &out);
  EXPECT_EQ(Join(out), endless);  // passed on, not held
  EXPECT_EQ(relay.held_bytes(), 0u);
  out.clear();
  relay.Feed({"x\n\ndata: 2\n\n"}, nullptr, &out);
  EXPECT_EQ(Join(out), "x\n\ndata: 2\n\n");
}

TEST(SseFrameRelayTest, FrameEndFindsBothTerminators) {
  EXPECT_EQ(FindSseFrameEnd("a\n\nb", 0), 3u);
  EXPECT_EQ(FindSseFrameEnd("a\r\n\r\nb", 0), 5u);
  EXPECT_EQ(FindSseFrameEnd("a\nb\n", 0), std::string_view::npos);
  EXPECT_EQ(FindSseFrameEnd("a\n\nb\n\n", 3), 6u);
}

}  // namespace
}  // namespace shim

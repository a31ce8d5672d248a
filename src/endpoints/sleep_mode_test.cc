#include "endpoints/sleep_mode.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

TEST(SleepQuery, DefaultsAndValues) {
  SleepCommand cmd;
  EndpointReply reject;
  ASSERT_TRUE(ParseSleepQuery("", &cmd, &reject));
  EXPECT_EQ(cmd.level, 1);
  EXPECT_EQ(cmd.mode, PauseMode::kAbort);
  ASSERT_TRUE(ParseSleepQuery("level=2&mode=wait&id=x", &cmd, &reject));
  EXPECT_EQ(cmd.level, 2);
  EXPECT_EQ(cmd.mode, PauseMode::kWait);
  ASSERT_TRUE(ParseSleepQuery("mode=keep", &cmd, &reject));
  EXPECT_EQ(cmd.mode, PauseMode::kKeep);
  EXPECT_FALSE(ParseSleepQuery("level=deep", &cmd, &reject));
  EXPECT_EQ(reject.status, 400);
  EXPECT_FALSE(ParseSleepQuery("mode=nap", &cmd, &reject));
}

TEST(WakeTags, RepeatedDecodedAndChecked) {
  std::vector<std::string> tags;
  EndpointReply reject;
  ASSERT_TRUE(ParseWakeTags("tags=weights&tags=kv%5Fcache&tags=weights", &tags, &reject));
  EXPECT_EQ(tags, (std::vector<std::string>{"weights", "kv_cache"}));
  ASSERT_TRUE(ParseWakeTags("", &tags, &reject));
  EXPECT_TRUE(tags.empty());
  EXPECT_FALSE(ParseWakeTags("tags=gpu", &tags, &reject));
  EXPECT_EQ(reject.status, 400);
}

TEST(SleepState, FullCycleLikeVllmExecutor) {
  SleepState state;
  EXPECT_FALSE(state.sleeping());
  EXPECT_EQ(state.IsSleepingJson(), R"({"is_sleeping":false})");
  EXPECT_EQ(state.ReleaseBody(), R"({"tags":null})");
  EXPECT_EQ(state.ResumeBody({}), "");  // awake: nothing to resume
  state.OnSlept(1);
  EXPECT_TRUE(state.sleeping());
  EXPECT_EQ(state.ReleaseBody(), "");  // already released
  EXPECT_EQ(state.IsSleepingJson(), R"({"is_sleeping":true})");
  // Partial wake: weights only; still sleeping until the KV cache is back.
  EXPECT_EQ(json::parse(state.ResumeBody({"weights"})), json::parse(R"({"tags":["weights"]})"));
  state.OnWoken({"weights"});
  EXPECT_TRUE(state.sleeping());
  EXPECT_EQ(state.ResumeBody({"weights"}), "");
  EXPECT_EQ(state.ResumeBody({"kv_cache"}), R"({"tags":null})");  // the last tag: resume all
  state.OnWoken({"kv_cache"});
  EXPECT_FALSE(state.sleeping());
}

TEST(SleepState, GaugeFollowsLevel) {
  SleepState state;
  auto awake = state.GaugeSamples();
  EXPECT_EQ(awake[0], (std::pair<std::string, double>{"awake", 1}));
  state.OnSlept(1);
  auto l1 = state.GaugeSamples();
  EXPECT_EQ(l1[0].second, 0);
  EXPECT_EQ(l1[1], (std::pair<std::string, double>{"weights_offloaded", 1}));
  EXPECT_EQ(l1[2].second, 0);
  state.OnSlept(2);
  auto l2 = state.GaugeSamples();
  EXPECT_EQ(l2[1].second, 0);
  EXPECT_EQ(l2[2], (std::pair<std::string, double>{"discard_all", 1}));
  state.OnWoken({});
  EXPECT_EQ(state.GaugeSamples()[0].second, 1);
}

TEST(SleepMode, KvCacheBringsCudaGraphsBack) {
  EXPECT_EQ(SglangTagsFor({"kv_cache"}), (std::vector<std::string>{"kv_cache", "cuda_graph"}));
  EXPECT_EQ(SglangTagsFor({"weights"}), (std::vector<std::string>{"weights"}));
}

TEST(SleepMode, SleepingReplyAndGenerationPaths) {
  EXPECT_EQ(EngineSleepingReply().status, 503);
  EXPECT_TRUE(IsGenerationPath("/v1/chat/completions"));
  EXPECT_TRUE(IsGenerationPath("/v1/completions"));
  EXPECT_FALSE(IsGenerationPath("/v1/models"));
  EXPECT_FALSE(IsGenerationPath("/tokenize"));
}

}  // namespace
}  // namespace shim::endpoints

#include "metrics/loads.h"

#include <gtest/gtest.h>

namespace shim::metrics {
namespace {

// Shape from python/sglang/srt/entrypoints/v1_loads.py (get_loads) with two DP ranks.
constexpr const char* kTwoRanks = R"({
  "timestamp": "2026-07-20T10:00:00+00:00", "version": "0.5.9", "accelerator": "NVIDIA H100",
  "num_accelerators": 1,
  "loads": [
    {"dp_rank": 0, "num_running_reqs": 4, "num_waiting_reqs": 1, "num_waiting_uncached_tokens": 80,
     "num_used_tokens": 6000, "num_total_tokens": 6100, "max_total_num_tokens": 30000,
     "max_running_requests": 128, "token_usage": 0.2, "gen_throughput": 120.5,
     "cache_hit_rate": 0.5, "utilization": 0.0, "memory": {"weight_gb": 14.2}},
    {"dp_rank": 1, "num_running_reqs": 6, "num_waiting_reqs": 0, "num_used_tokens": 8000,
     "max_total_num_tokens": 10000, "token_usage": 0.8}
  ]})";

TEST(LoadsTest, SumsRequestsAndWeighsUsageByCapacity) {
  Loads loads;
  std::string err;
  ASSERT_TRUE(ParseLoadsJson(kTwoRanks, &loads, &err)) << err;
  ASSERT_EQ(loads.ranks.size(), 2u);
  EXPECT_EQ(loads.ranks[1].dp_rank, 1);
  EXPECT_EQ(loads.TotalRunning(), 10);
  EXPECT_EQ(loads.TotalWaiting(), 1);
  // (0.2 * 30000 + 0.8 * 10000) / 40000
  EXPECT_DOUBLE_EQ(*loads.TokenUsage(), 0.35);
}

TEST(LoadsTest, UsageIsThePlainMeanWhenCapacityIsMissing) {
  Loads loads;
  std::string err;
  ASSERT_TRUE(ParseLoadsJson(R"({"loads":[{"num_running_reqs":1,"num_waiting_reqs":2,"token_usage":0.2},
      {"num_running_reqs":1,"num_waiting_reqs":2,"token_usage":0.6,"max_total_num_tokens":5}]})",
                             &loads, &err))
      << err;
  EXPECT_DOUBLE_EQ(*loads.TokenUsage(), 0.4);
  ASSERT_TRUE(ParseLoadsJson(R"({"loads":[{"num_running_reqs":1,"num_waiting_reqs":2}]})", &loads, &err));
  EXPECT_FALSE(loads.TokenUsage().has_value());
}

TEST(LoadsTest, RejectsBadBodiesWithAReason) {
  const char* bad[] = {
      "",
      "not json",
      "[1,2]",
      "{}",
      R"({"loads": []})",
      R"({"loads": {"num_running_reqs": 1}})",
      R"({"loads": [7]})",
      R"({"loads": [{"num_running_reqs": "3", "num_waiting_reqs": 0}]})",
      R"({"loads": [{"num_running_reqs": -1, "num_waiting_reqs": 0}]})",
      R"({"loads": [{"num_running_reqs": 1}]})",
      R"({"loads": [{"num_running_reqs": 1, "num_waiting_reqs": 0}, {"num_waiting_reqs": 0}]})",
  };
  for (const char* body : bad) {
    Loads loads;
    loads.ranks.push_back(RankLoad{});
    std::string err;
    EXPECT_FALSE(ParseLoadsJson(body, &loads, &err)) << body;
    EXPECT_FALSE(err.empty()) << body;
    EXPECT_EQ(loads.ranks.size(), 1u) << "output changed on failure: " << body;
  }
}

TEST(LoadsTest, IgnoresOutOfRangeOptionalFields) {
  Loads loads;
  std::string err;
  ASSERT_TRUE(ParseLoadsJson(
      R"({"loads":[{"dp_rank":99999999999,"num_running_reqs":1,"num_waiting_reqs":0,"token_usage":-3}]})", &loads,
      &err))
      << err;
  EXPECT_FALSE(loads.TokenUsage().has_value());
}

}  // namespace
}  // namespace shim::metrics

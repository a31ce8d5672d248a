#include "fake_sglang/faults.h"

#include <gtest/gtest.h>

#include <map>

namespace shim::fake_sglang {
namespace {

EnvLookup Env(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(FaultsTest, DefaultsFollowSglang) {
  FakeKnobs k;
  std::string err;
  ASSERT_TRUE(LoadKnobs(Env({}), &k, &err));
  EXPECT_DOUBLE_EQ(k.health_delay_s, 1.0);  // http_server.py sleeps 1 s before the first check
  EXPECT_TRUE(k.health_generation);
  EXPECT_DOUBLE_EQ(k.keepalive_timeout_s, 5.0);  // uvicorn timeout_keep_alive
}

TEST(FaultsTest, HealthGenerationAcceptsSglangFalseSpellings) {
  for (const char* value : {"false", "0", "no", "n", "N"}) {
    FakeKnobs k;
    std::string err;
    ASSERT_TRUE(LoadKnobs(Env({{"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION", value}}), &k, &err)) << value;
    EXPECT_FALSE(k.health_generation) << value;
  }
}

TEST(FaultsTest, RejectsMalformedValues) {
  FakeKnobs k;
  std::string err;
  EXPECT_FALSE(LoadKnobs(Env({{"FAKE_SGLANG_TTFT_MS", "fast"}}), &k, &err));
  EXPECT_NE(err.find("FAKE_SGLANG_TTFT_MS"), std::string::npos);
  EXPECT_FALSE(LoadKnobs(Env({{"FAKE_SGLANG_500_RATE", "2"}}), &k, &err));
  EXPECT_FALSE(LoadKnobs(Env({{"FAKE_SGLANG_CRASH_AFTER", "-1"}}), &k, &err));
}

TEST(FaultsTest, ErrorEveryAndRateAreDeterministic) {
  FakeKnobs k;
  k.error_every = 3;
  FaultPlan every(k);
  std::vector<bool> got;
  for (int i = 0; i < 6; ++i) got.push_back(every.NextRequestFails());
  EXPECT_EQ(got, (std::vector<bool>{false, false, true, false, false, true}));
  FakeKnobs r;
  r.error_rate = 0.25;
  FaultPlan rate(r);
  int failures = 0;
  for (int i = 0; i < 100; ++i) failures += rate.NextRequestFails();
  EXPECT_EQ(failures, 25);
}

TEST(FaultsTest, CrashAfterCountsAnsweredRequests) {
  FakeKnobs k;
  k.crash_after = 2;
  FaultPlan plan(k);
  EXPECT_FALSE(plan.CrashAfterAnswer());
  EXPECT_TRUE(plan.CrashAfterAnswer());
}

TEST(FaultsTest, PdTimeoutsAreSglangsWholeSeconds) {
  FakeKnobs k;
  std::string err;
  ASSERT_TRUE(LoadKnobs(Env({}), &k, &err));
  EXPECT_EQ(k.pd_bootstrap_timeout_s, 300);  // environ.py SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT
  EXPECT_EQ(k.pd_waiting_timeout_s, 300);    // environ.py SGLANG_DISAGGREGATION_WAITING_TIMEOUT
  EXPECT_EQ(k.bootstrap_host, "");
  ASSERT_TRUE(LoadKnobs(Env({{"SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT", "2"},
                             {"SGLANG_DISAGGREGATION_WAITING_TIMEOUT", "1"},
                             {"FAKE_SGLANG_BOOTSTRAP_HOST", "127.0.0.2"}}),
                        &k, &err));
  EXPECT_EQ(k.pd_bootstrap_timeout_s, 2);
  EXPECT_EQ(k.pd_waiting_timeout_s, 1);
  EXPECT_EQ(k.bootstrap_host, "127.0.0.2");
  EXPECT_FALSE(LoadKnobs(Env({{"SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT", "1.5"}}), &k, &err));
  EXPECT_NE(err.find("SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT"), std::string::npos);
}

}  // namespace
}  // namespace shim::fake_sglang

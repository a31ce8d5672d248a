#include "metrics/lora_requests_info.h"

#include <gtest/gtest.h>

#include "metrics/prometheus_text.h"

namespace shim::metrics {
namespace {

// running_lora_adapters → value, as a reader sees the gauge.
std::map<std::string, double> Series(const LoraRequestsInfo& info) {
  std::string text;
  info.Render(&text);
  ParsedMetrics parsed;
  std::string err;
  EXPECT_TRUE(ParsePrometheusText(text, &parsed, &err)) << err;
  std::map<std::string, double> out;
  for (const Sample& s : parsed.samples) {
    EXPECT_EQ(s.name, "vllm:lora_requests_info");
    EXPECT_EQ(*s.FindLabel("max_lora"), "4");
    EXPECT_EQ(*s.FindLabel("waiting_lora_adapters"), "");
    out[*s.FindLabel("running_lora_adapters")] = s.value;
  }
  return out;
}

// The combination a reader picks: the series with the newest time.
std::string Newest(const LoraRequestsInfo& info) {
  auto series = Series(info);
  return std::max_element(series.begin(), series.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

TEST(LoraRequestsInfo, FollowsTheAdaptersInFlight) {
  double now = 1000;
  LoraRequestsInfo info(4, {"base"}, [&] { return now; });
  EXPECT_EQ(Series(info), (std::map<std::string, double>{{"", 1000}}));
  now = 1001;
  info.Started("sql-lora");
  info.Started("base");  // the base model is no adapter
  info.Started("chat-lora");
  info.Started("sql-lora");
  now = 1002;
  EXPECT_EQ(Newest(info), "chat-lora,sql-lora");
  info.Finished("sql-lora");
  EXPECT_EQ(Newest(info), "chat-lora,sql-lora");  // one sql-lora request still runs
  now = 1003;
  info.Finished("sql-lora");
  now = 1004;
  EXPECT_EQ(Newest(info), "chat-lora");
  info.Finished("chat-lora");
  info.Finished("never-started");
  now = 1005;
  auto series = Series(info);
  EXPECT_EQ(series[""], 1005);
  EXPECT_EQ(series["chat-lora"], 1004);
  EXPECT_EQ(series["chat-lora,sql-lora"], 1003);
}

TEST(LoraRequestsInfo, RemembersABoundedNumberOfCombinations) {
  double now = 0;
  LoraRequestsInfo info(4, {}, [&] { return now; });
  for (int i = 0; i < 200; ++i) {
    now = i;
    info.Started("a" + std::to_string(i));
    info.Finished("a" + std::to_string(i));
  }
  EXPECT_LE(Series(info).size(), LoraRequestsInfo::kMaxRemembered + 1);
  EXPECT_EQ(Newest(info), "");
}

}  // namespace
}  // namespace shim::metrics

#include "metrics/metrics_render.h"

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

namespace shim::metrics {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(SHIM_SOURCE_DIR) + "/src/metrics/testdata/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The six sample names the production-stack router reads
// (production-stack src/vllm_router/stats/engine_stats.py).
const char* const kRouterNames[] = {
    "vllm:num_requests_running",        "vllm:num_requests_waiting",           "vllm:gpu_prefix_cache_hit_rate",
    "vllm:gpu_prefix_cache_hits_total", "vllm:gpu_prefix_cache_queries_total", "vllm:gpu_cache_usage_perc",
};

FrontDoorCounters SomeCounters() {
  FrontDoorCounters counters;
  counters.requests_in_flight = 2;
  counters.requests = {{"/v1/chat/completions", 200, 5}, {"/v1/completions", 400, 1}, {"/v1/chat/completions", 200, 1}};
  counters.upstream_errors = 3;
  counters.client_aborts = 4;
  counters.backend_healthy = true;
  counters.health_check_latency_seconds = 0.004;
  return counters;
}

double SampleValue(const ParsedMetrics& parsed, std::string_view name) {
  for (const Sample& sample : parsed.samples) {
    if (sample.name == name) return sample.value;
  }
  ADD_FAILURE() << "no sample " << name;
  return -1;
}

ParsedMetrics Reparse(const std::string& text) {
  ParsedMetrics parsed;
  std::string err;
  EXPECT_TRUE(ParsePrometheusText(text, &parsed, &err)) << err;
  EXPECT_EQ(parsed.skipped_lines, 0u) << (parsed.errors.empty() ? "" : parsed.errors[0]);
  return parsed;
}

TEST(MetricsRenderTest, FullScrapeRendersEveryRouterNameWithVllmLabels) {
  steady_clock::time_point now = steady_clock::now();
  std::string problems;
  ScrapeSnapshot snapshot =
      BuildScrapeSnapshot(ReadTestData("sglang_tp2.txt"), std::nullopt, now - seconds(3), &problems);
  EXPECT_TRUE(problems.empty()) << problems;
  EXPECT_TRUE(snapshot.metrics_ok);
  for (const Sample& sample : snapshot.samples) {
    EXPECT_NE(sample.name, "sglang:http_requests_active") << "unused names are dropped";
  }

  std::string text = RenderMetrics(snapshot, SomeCounters(), {"qwen-7b", "0"}, {}, now);
  ParsedMetrics parsed = Reparse(text);
  for (const char* name : kRouterNames) {
    bool found = false;
    for (const Sample& sample : parsed.samples) {
      if (sample.name != name) continue;
      found = true;
      EXPECT_EQ(*sample.FindLabel("model_name"), "qwen-7b");
      EXPECT_EQ(*sample.FindLabel("engine"), "0");
    }
    EXPECT_TRUE(found) << name;
  }
  EXPECT_EQ(SampleValue(parsed, "vllm:num_requests_running"), 3);
  EXPECT_EQ(SampleValue(parsed, "vllm_sglang_shim_requests_in_flight"), 2);
  EXPECT_EQ(SampleValue(parsed, "vllm_sglang_shim_metrics_scrape_age_seconds"), 3);
  EXPECT_EQ(SampleValue(parsed, "vllm_sglang_shim_sglang_metrics_up"), 1);
  EXPECT_EQ(SampleValue(parsed, "vllm_sglang_shim_sglang_loads_up"), 0);
  EXPECT_NE(text.find("vllm:time_to_first_token_seconds_bucket{model_name=\"qwen-7b\",engine=\"0\",le=\"0.1\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE vllm:prompt_tokens_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("vllm_sglang_shim_requests_total{route=\"/v1/chat/completions\",status=\"200\"} 6\n"),
            std::string::npos)
      << "repeated rows merge";
}

TEST(MetricsRenderTest, EveryFamilyHasHelpAndTypeOnce) {
  std::string problems;
  ScrapeSnapshot snapshot =
      BuildScrapeSnapshot(ReadTestData("sglang_tp2.txt"), std::nullopt, steady_clock::now(), &problems);
  std::string text = RenderMetrics(snapshot, SomeCounters(), {"m", "0"}, {});
  ParsedMetrics parsed = Reparse(text);
  for (const Sample& sample : parsed.samples) {
    std::string family = sample.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (!parsed.types.count(family) && family.size() > strlen(suffix) &&
          family.compare(family.size() - strlen(suffix), std::string::npos, suffix) == 0) {
        family.resize(family.size() - strlen(suffix));
      }
    }
    EXPECT_TRUE(parsed.types.count(family)) << sample.name;
    EXPECT_TRUE(parsed.help.count(family)) << sample.name;
  }
}

TEST(MetricsRenderTest, WithoutSglangMetricsTheRouterGaugesStayAndNothingIsInvented) {
  std::string problems;
  ScrapeSnapshot snapshot = BuildScrapeSnapshot(std::nullopt, std::nullopt, steady_clock::now(), &problems);
  EXPECT_FALSE(snapshot.scraped_at.has_value());
  std::string text = RenderMetrics(snapshot, SomeCounters(), {"m", "0"}, {});
  ParsedMetrics parsed = Reparse(text);
  EXPECT_EQ(SampleValue(parsed, "vllm:num_requests_running"), 2);
  EXPECT_EQ(SampleValue(parsed, "vllm:num_requests_waiting"), 0);
  EXPECT_EQ(text.find("vllm:prompt_tokens_total"), std::string::npos);
  EXPECT_EQ(text.find("scrape_age"), std::string::npos) << "never scraped: no age";
  EXPECT_EQ(SampleValue(parsed, "vllm_sglang_shim_sglang_metrics_up"), 0);
}

TEST(MetricsRenderTest, LoadsAloneFeedTheGauges) {
  std::string problems;
  ScrapeSnapshot snapshot =
      BuildScrapeSnapshot("404 page not found, not metrics\n",
                          R"({"loads":[{"dp_rank":0,"num_running_reqs":5,"num_waiting_reqs":3,"token_usage":0.5}]})",
                          steady_clock::now(), &problems);
  EXPECT_TRUE(snapshot.loads.has_value());
  EXPECT_NE(problems.find("line 1"), std::string::npos) << problems;
  ParsedMetrics parsed = Reparse(RenderMetrics(snapshot, {}, {"m", "0"}, {}));
  EXPECT_EQ(SampleValue(parsed, "vllm:num_requests_running"), 5);
  EXPECT_EQ(SampleValue(parsed, "vllm:num_requests_waiting"), 3);
  EXPECT_EQ(SampleValue(parsed, "vllm:gpu_cache_usage_perc"), 0.5);
  EXPECT_EQ(SampleValue(parsed, "vllm_sglang_shim_sglang_loads_up"), 1);
  EXPECT_EQ(SampleValue(parsed, "vllm_sglang_shim_sglang_metrics_skipped_lines"), 1);
}

TEST(MetricsRenderTest, BadLoadsBodyIsReportedNotFatal) {
  std::string problems;
  ScrapeSnapshot snapshot = BuildScrapeSnapshot(std::nullopt, "{\"loads\":", steady_clock::now(), &problems);
  EXPECT_FALSE(snapshot.loads.has_value());
  EXPECT_NE(problems.find("not valid JSON"), std::string::npos) << problems;
}

TEST(MetricsRenderTest, ExtraGaugesCarryModelLabelsAndBadOnesAreLeftOut) {
  std::vector<ExtraGauge> extras = {
      {"vllm:engine_sleep_state",
       "Engine sleep state; awake = 0 means engine is sleeping.",
       {{{{"sleep_state", "awake"}}, 1}, {{{"sleep_state", "weights_offloaded"}}, 0}}},
      {"1bad", "bad name", {{{}, 1}}},
      {"vllm:num_requests_running", "duplicate of a vLLM metric", {{{}, 9}}},
      {"bad_label", "bad label", {{{{"model_name", "x"}}, 1}}},
      {"vllm:engine_sleep_state", "second copy", {{{}, 1}}},
  };
  std::string text = RenderMetrics(ScrapeSnapshot{}, {}, {"m\"q", "0"}, extras);
  ParsedMetrics parsed = Reparse(text);
  EXPECT_NE(text.find("vllm:engine_sleep_state{model_name=\"m\\\"q\",engine=\"0\",sleep_state=\"awake\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sleep_state=\"weights_offloaded\"} 0\n"), std::string::npos);
  EXPECT_EQ(text.find("1bad"), std::string::npos);
  EXPECT_EQ(text.find("bad_label"), std::string::npos);
  EXPECT_EQ(text.find("second copy"), std::string::npos);
  size_t running = 0;
  for (const Sample& sample : parsed.samples) running += sample.name == "vllm:num_requests_running";
  EXPECT_EQ(running, 1u);
}

}  // namespace
}  // namespace shim::metrics

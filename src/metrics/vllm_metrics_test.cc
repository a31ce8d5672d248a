#include "metrics/vllm_metrics.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

namespace shim::metrics {
namespace {

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(SHIM_SOURCE_DIR) + "/src/metrics/testdata/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  EXPECT_FALSE(buffer.str().empty()) << name;
  return buffer.str();
}

std::vector<Sample> ParseOrDie(std::string_view text) {
  ParsedMetrics parsed;
  std::string err;
  EXPECT_TRUE(ParsePrometheusText(text, &parsed, &err)) << err;
  EXPECT_EQ(parsed.skipped_lines, 0u);
  return parsed.samples;
}

const AggregatedMetric* FindMetric(const std::vector<AggregatedMetric>& metrics, std::string_view name) {
  for (const AggregatedMetric& metric : metrics) {
    if (metric.spec->name == name) return &metric;
  }
  return nullptr;
}

double ValueOf(const std::vector<AggregatedMetric>& metrics, std::string_view name) {
  const AggregatedMetric* metric = FindMetric(metrics, name);
  EXPECT_NE(metric, nullptr) << name;
  return metric ? metric->value : -1;
}

// tp_size 2 with --enable-metrics-for-all-schedulers: both TP ranks report the
// same batch, so requests must not be counted twice.
TEST(VllmMetricsTest, TensorParallelReplicasAreNotDoubleCounted) {
  std::vector<Sample> samples = ParseOrDie(ReadTestData("sglang_tp2.txt"));
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 99);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_running"), 3);
  EXPECT_EQ(FindMetric(metrics, "vllm:num_requests_running")->origin, ValueOrigin::kSglangMetrics);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_waiting"), 2);
  EXPECT_DOUBLE_EQ(ValueOf(metrics, "vllm:kv_cache_usage_perc"), 0.25);
  EXPECT_DOUBLE_EQ(ValueOf(metrics, "vllm:gpu_cache_usage_perc"), 0.25);

  const AggregatedMetric* queue = FindMetric(metrics, "vllm:request_queue_time_seconds");
  ASSERT_NE(queue, nullptr);
  ASSERT_TRUE(queue->histogram);
  EXPECT_EQ(queue->histogram->count, 10);
  EXPECT_DOUBLE_EQ(queue->histogram->sum, 1.5);
  ASSERT_EQ(queue->histogram->buckets.size(), 5u);
  EXPECT_EQ(queue->histogram->buckets[1], std::make_pair(0.1, 8.0));
  EXPECT_TRUE(std::isinf(queue->histogram->buckets.back().first));
}

TEST(VllmMetricsTest, CountersAndPrefixCacheFromTokenizerCounters) {
  std::vector<Sample> samples = ParseOrDie(ReadTestData("sglang_tp2.txt"));
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 0);
  EXPECT_EQ(ValueOf(metrics, "vllm:prompt_tokens_total"), 4000);
  EXPECT_EQ(ValueOf(metrics, "vllm:generation_tokens_total"), 2500);
  // Measured by the front door (request_metrics.h), with finished_reason.
  EXPECT_EQ(FindMetric(metrics, "vllm:request_success_total"), nullptr);
  EXPECT_EQ(ValueOf(metrics, "vllm:prefix_cache_queries_total"), 4000);
  EXPECT_EQ(ValueOf(metrics, "vllm:gpu_prefix_cache_queries_total"), 4000);
  EXPECT_EQ(ValueOf(metrics, "vllm:prefix_cache_hits_total"), 1000);
  EXPECT_EQ(ValueOf(metrics, "vllm:gpu_prefix_cache_hits_total"), 1000);
  // Lifetime ratio, not SGLang's last-batch gauge (0 after a decode batch).
  EXPECT_DOUBLE_EQ(ValueOf(metrics, "vllm:gpu_prefix_cache_hit_rate"), 0.25);
}

TEST(VllmMetricsTest, TokenizerHistogramsKeepSglangBuckets) {
  std::vector<Sample> samples = ParseOrDie(ReadTestData("sglang_tp2.txt"));
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 0);
  for (const char* name : {"vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds"}) {
    const AggregatedMetric* itl = FindMetric(metrics, name);
    ASSERT_NE(itl, nullptr) << name;
    EXPECT_EQ(itl->histogram->count, 2490);
    EXPECT_EQ(itl->histogram->sum, 25);
    EXPECT_EQ(itl->histogram->buckets.size(), 4u);
  }
  const AggregatedMetric* ttft = FindMetric(metrics, "vllm:time_to_first_token_seconds");
  ASSERT_NE(ttft, nullptr);
  EXPECT_EQ(ttft->histogram->buckets[2], std::make_pair(0.4, 9.0));
  EXPECT_NE(FindMetric(metrics, "vllm:e2e_request_latency_seconds"), nullptr);
  // Token counts are the front door's, in vLLM's 1-2-5 buckets (request_metrics.h).
  EXPECT_EQ(FindMetric(metrics, "vllm:request_prompt_tokens"), nullptr);
}

TEST(VllmMetricsTest, DataParallelRanksAddUpAndRatiosAreWeighted) {
  std::vector<Sample> samples = ParseOrDie(ReadTestData("sglang_dp2.txt"));
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 0);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_running"), 10);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_waiting"), 1);
  EXPECT_DOUBLE_EQ(ValueOf(metrics, "vllm:kv_cache_usage_perc"), (0.2 * 30000 + 0.8 * 10000) / 40000);
  const AggregatedMetric* queue = FindMetric(metrics, "vllm:request_queue_time_seconds");
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->histogram->count, 10);
  EXPECT_DOUBLE_EQ(queue->histogram->sum, 2.0);
  EXPECT_EQ(queue->histogram->buckets[0], std::make_pair(0.1, 8.0));
}

TEST(VllmMetricsTest, RatioIsThePlainMeanWithoutCapacity) {
  std::vector<Sample> samples = ParseOrDie(
      "sglang:token_usage{dp_rank=\"0\",tp_rank=\"0\"} 0.2\n"
      "sglang:token_usage{dp_rank=\"1\",tp_rank=\"1\"} 0.6\n");
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 0);
  EXPECT_DOUBLE_EQ(ValueOf(metrics, "vllm:kv_cache_usage_perc"), 0.4);
}

TEST(VllmMetricsTest, LoadsAreFresherThanSchedulerGauges) {
  std::vector<Sample> samples = ParseOrDie(ReadTestData("sglang_tp2.txt"));
  Loads loads;
  loads.ranks.push_back(RankLoad{0, 7, 5, 0.5, 1000});
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, &loads, 0);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_running"), 7);
  EXPECT_EQ(FindMetric(metrics, "vllm:num_requests_running")->origin, ValueOrigin::kSglangLoads);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_waiting"), 5);
  EXPECT_EQ(ValueOf(metrics, "vllm:gpu_cache_usage_perc"), 0.5);
  // Loads without token_usage leave the usage to /metrics.
  loads.ranks[0].token_usage.reset();
  metrics = AggregateVllmMetrics(samples, &loads, 0);
  EXPECT_DOUBLE_EQ(ValueOf(metrics, "vllm:gpu_cache_usage_perc"), 0.25);
}

TEST(VllmMetricsTest, WithoutSglangTheRouterGaugesFallBackToTheFrontDoor) {
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics({}, nullptr, 4);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_running"), 4);
  EXPECT_EQ(FindMetric(metrics, "vllm:num_requests_running")->origin, ValueOrigin::kFrontDoor);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_waiting"), 0);
  EXPECT_EQ(metrics.size(), 2u) << "nothing else is invented";
}

TEST(VllmMetricsTest, OldSglangNamesAndTheBatchHitRateAreUsedWhenNothingBetterExists) {
  std::vector<Sample> samples = ParseOrDie(
      "sglang:queue_time_s_bucket{le=\"1\",tp_rank=\"0\"} 1\n"
      "sglang:queue_time_s_bucket{le=\"+Inf\",tp_rank=\"0\"} 2\n"
      "sglang:queue_time_s_sum{tp_rank=\"0\"} 3\n"
      "sglang:cache_hit_rate{tp_rank=\"0\"} 0.3\n");
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 0);
  const AggregatedMetric* queue = FindMetric(metrics, "vllm:request_queue_time_seconds");
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->histogram->count, 2) << "count from the +Inf bucket when _count is missing";
  EXPECT_DOUBLE_EQ(ValueOf(metrics, "vllm:gpu_prefix_cache_hit_rate"), 0.3);
}

TEST(VllmMetricsTest, HistogramSeriesAreAddedOnSharedBoundsOnly) {
  std::vector<Sample> samples = ParseOrDie(
      "sglang:e2e_request_latency_seconds_bucket{le=\"1.0\",priority=\"a\"} 1\n"
      "sglang:e2e_request_latency_seconds_bucket{le=\"2.0\",priority=\"a\"} 2\n"
      "sglang:e2e_request_latency_seconds_bucket{le=\"+Inf\",priority=\"a\"} 3\n"
      "sglang:e2e_request_latency_seconds_count{priority=\"a\"} 3\n"
      "sglang:e2e_request_latency_seconds_sum{priority=\"a\"} 4\n"
      "sglang:e2e_request_latency_seconds_bucket{le=\"2\",priority=\"b\"} 5\n"
      "sglang:e2e_request_latency_seconds_bucket{le=\"+Inf\",priority=\"b\"} 6\n"
      "sglang:e2e_request_latency_seconds_count{priority=\"b\"} 6\n"
      "sglang:e2e_request_latency_seconds_sum{priority=\"b\"} 7\n"
      "sglang:e2e_request_latency_seconds_bucket{le=\"5\",priority=\"c\"} NaN\n");
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 0);
  const AggregatedMetric* e2e = FindMetric(metrics, "vllm:e2e_request_latency_seconds");
  ASSERT_NE(e2e, nullptr);
  ASSERT_EQ(e2e->histogram->buckets.size(), 2u);
  EXPECT_EQ(e2e->histogram->buckets[0], std::make_pair(2.0, 7.0));
  EXPECT_EQ(e2e->histogram->buckets[1].second, 9);
  EXPECT_EQ(e2e->histogram->count, 9);
  EXPECT_EQ(e2e->histogram->sum, 11);
}

TEST(VllmMetricsTest, GarbageValuesAreIgnored) {
  std::vector<Sample> samples = ParseOrDie(
      "sglang:num_running_reqs{tp_rank=\"0\"} NaN\n"
      "sglang:num_running_reqs{dp_rank=\"1\",tp_rank=\"0\"} -4\n"
      "sglang:num_queue_reqs{tp_rank=\"0\"} +Inf\n");
  std::vector<AggregatedMetric> metrics = AggregateVllmMetrics(samples, nullptr, 2);
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_running"), 2) << "falls back to the front door";
  EXPECT_EQ(ValueOf(metrics, "vllm:num_requests_waiting"), 0);
}

TEST(VllmMetricsTest, TableNamesAreValidAndUnique) {
  std::set<std::string_view> names;
  for (const VllmMetricSpec& spec : VllmMetricTable()) {
    EXPECT_TRUE(IsValidMetricName(spec.name)) << spec.name;
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    EXPECT_FALSE(spec.sglang_sources.empty()) << spec.name;
    EXPECT_EQ(spec.type == MetricType::kCounter,
              spec.name.size() > 6 && spec.name.substr(spec.name.size() - 6) == "_total")
        << spec.name;
  }
}

TEST(VllmMetricsTest, BucketBoundsPrintLikePrometheusClient) {
  EXPECT_EQ(FormatBucketBound(1), "1.0");
  EXPECT_EQ(FormatBucketBound(0), "0.0");
  EXPECT_EQ(FormatBucketBound(0.005), "0.005");
  EXPECT_EQ(FormatBucketBound(2560), "2560.0");
  EXPECT_EQ(FormatBucketBound(std::numeric_limits<double>::infinity()), "+Inf");
}

}  // namespace
}  // namespace shim::metrics

namespace shim::metrics {
namespace {

// docs/metrics.md explains every row; keep the two from drifting apart.
TEST(VllmMetricsTest, DocsListEveryTableRow) {
  std::ifstream in(std::string(SHIM_SOURCE_DIR) + "/docs/metrics.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string docs = buffer.str();
  ASSERT_FALSE(docs.empty());
  for (const VllmMetricSpec& spec : VllmMetricTable()) {
    EXPECT_NE(docs.find("| `" + std::string(spec.name) + "` |"), std::string::npos) << spec.name;
    for (std::string_view source : spec.sglang_sources) {
      EXPECT_NE(docs.find("`" + std::string(source) + "`"), std::string::npos) << source;
    }
  }
}

TEST(VllmMetricsTest, PreemptionsAreSglangRetractionsCountedOncePerScheduler) {
  // With --enable-metrics-for-all-schedulers each TP rank repeats its scheduler's counter.
  std::vector<Sample> samples = ParseOrDie(
      "sglang:num_retracted_requests_total{tp_rank=\"0\",dp_rank=\"0\"} 4\n"
      "sglang:num_retracted_requests_total{tp_rank=\"1\",dp_rank=\"0\"} 4\n"
      "sglang:num_retracted_requests_total{tp_rank=\"0\",dp_rank=\"1\"} 3\n");
  EXPECT_EQ(ValueOf(AggregateVllmMetrics(samples, nullptr, 0), "vllm:num_preemptions_total"), 7);
  EXPECT_EQ(FindMetric(AggregateVllmMetrics({}, nullptr, 0), "vllm:num_preemptions_total"), nullptr);
}

}  // namespace
}  // namespace shim::metrics

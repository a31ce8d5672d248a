// Exposition shape of SGLang's metrics (python/sglang/srt/metrics/collector.py): names, labels,
// one scheduler series per TP rank, histograms with _bucket/_sum/_count.
#include "fake_sglang/metrics.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace shim::fake_sglang {
namespace {

TEST(MetricsTest, RendersGaugesPerRankAndTokenizerCounters) {
  Metrics m;
  m.OnRequestStart(1, 10, true);
  m.OnRequestStart(1, 10, true);  // same prompt: fully cached
  m.OnFirstToken(0.05);
  m.OnToken();
  m.OnToken();
  m.OnRequestEnd(0.2, 2, false);
  m.OnRequestEnd(0.3, 0, true);
  LoadSnapshot load;
  load.running = 3;
  load.queued = 1;
  load.used_tokens = 50;
  load.max_total_tokens = 100;
  std::string text = m.Render("org/m", 2, load);
  EXPECT_NE(text.find("# TYPE sglang:num_running_reqs gauge\n"), std::string::npos);
  EXPECT_NE(
      text.find("sglang:num_running_reqs{model_name=\"org/m\",engine_type=\"unified\",tp_rank=\"0\",pp_rank=\"0\","
                "moe_ep_rank=\"0\"} 3.0\n"),
      std::string::npos);
  EXPECT_NE(text.find("tp_rank=\"1\",pp_rank=\"0\",moe_ep_rank=\"0\"} 3.0\n"), std::string::npos);
  EXPECT_NE(text.find("sglang:num_queue_reqs{model_name=\"org/m\",engine_type=\"unified\",tp_rank=\"0\""),
            std::string::npos);
  EXPECT_NE(text.find("sglang:token_usage{model_name=\"org/m\",engine_type=\"unified\",tp_rank=\"0\",pp_rank=\"0\","
                      "moe_ep_rank=\"0\"} 0.5\n"),
            std::string::npos);
  EXPECT_NE(text.find("sglang:prompt_tokens_total{model_name=\"org/m\",engine_type=\"unified\"} 20.0\n"),
            std::string::npos);
  EXPECT_NE(text.find("sglang:cached_tokens_total{model_name=\"org/m\",engine_type=\"unified\"} 10.0\n"),
            std::string::npos);
  EXPECT_NE(text.find("sglang:generation_tokens_total{model_name=\"org/m\",engine_type=\"unified\"} 2.0\n"),
            std::string::npos);
  EXPECT_NE(text.find("sglang:num_aborted_requests_total{model_name=\"org/m\",engine_type=\"unified\"} 1.0\n"),
            std::string::npos);
  EXPECT_NE(text.find("sglang:time_to_first_token_seconds_bucket{model_name=\"org/m\",engine_type=\"unified\","
                      "le=\"0.06\"} 1.0\n"),
            std::string::npos);
  EXPECT_NE(text.find("sglang:e2e_request_latency_seconds_count{model_name=\"org/m\",engine_type=\"unified\"} 2.0\n"),
            std::string::npos);
  EXPECT_NE(text.find("le=\"+Inf\""), std::string::npos);
  EXPECT_DOUBLE_EQ(m.CacheHitRate(), 0.5);
}

// prometheus_client's floatToGoString (utils.py), which writes `le`.
TEST(MetricsTest, BucketBoundsAreWrittenAsPrometheusClientWritesThem) {
  EXPECT_EQ(FormatBucketBound(0.001), "0.001");
  EXPECT_EQ(FormatBucketBound(0.1), "0.1");
  EXPECT_EQ(FormatBucketBound(2560.0), "2560.0");
  EXPECT_EQ(FormatBucketBound(1e-05), "1e-05");
  EXPECT_EQ(FormatBucketBound(0.0001), "0.0001");
  EXPECT_EQ(FormatBucketBound(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatBucketBound(0.123456789), "0.123456789");  // %g would write 0.123457
  EXPECT_EQ(FormatBucketBound(123456.5), "123456.5");
  EXPECT_EQ(FormatBucketBound(1e6), "1e+06");
  EXPECT_EQ(FormatBucketBound(1234567.5), "1.2345675e+06");
  EXPECT_EQ(FormatBucketBound(1e15), "1e+015");  // sic: prometheus_client pads with "0" whatever the exponent
  EXPECT_EQ(FormatBucketBound(1e16), "1e+16");
  EXPECT_EQ(FormatBucketBound(0.0), "0.0");
  EXPECT_EQ(FormatBucketBound(-1.5), "-1.5");
  EXPECT_EQ(FormatBucketBound(std::numeric_limits<double>::infinity()), "+Inf");
}

// --bucket-* replace the bounds of the three tokenizer histograms, and only those.
TEST(MetricsTest, GivenBucketsReplaceTheDefaults) {
  TokenizerBuckets buckets;
  buckets.time_to_first_token = {0.001, 2560};
  buckets.inter_token_latency = {0.5, std::numeric_limits<double>::infinity()};  // +Inf given: written once
  buckets.e2e_request_latency = {7680};
  Metrics m(buckets);
  m.OnRequestStart(1, 10, false);
  m.OnFirstToken(0.05);
  m.OnInterToken(0.75);
  m.OnRequestEnd(9000, 1, false);
  std::string text = m.Render("m", 1, LoadSnapshot{});
  const std::string labels = "{model_name=\"m\",engine_type=\"unified\",le=";
  EXPECT_NE(text.find("sglang:time_to_first_token_seconds_bucket" + labels +
                      "\"0.001\"} 0.0\n"
                      "sglang:time_to_first_token_seconds_bucket" +
                      labels +
                      "\"2560.0\"} 1.0\n"
                      "sglang:time_to_first_token_seconds_bucket" +
                      labels + "\"+Inf\"} 1.0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sglang:inter_token_latency_seconds_bucket" + labels +
                      "\"0.5\"} 0.0\n"
                      "sglang:inter_token_latency_seconds_bucket" +
                      labels +
                      "\"+Inf\"} 1.0\n"
                      "sglang:inter_token_latency_seconds_sum"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sglang:e2e_request_latency_seconds_bucket" + labels +
                      "\"7680.0\"} 0.0\n"
                      "sglang:e2e_request_latency_seconds_bucket" +
                      labels + "\"+Inf\"} 1.0\n"),
            std::string::npos)
      << text;
  // The scheduler's queue time keeps SGLang's bounds.
  EXPECT_NE(text.find("sglang:queue_time_seconds_bucket{model_name=\"m\",engine_type=\"unified\",tp_rank=\"0\","
                      "pp_rank=\"0\",moe_ep_rank=\"0\",le=\"0.1\"}"),
            std::string::npos);
  EXPECT_EQ(Metrics().Render("m", 1, LoadSnapshot{}).find("le=\"2560.0\""), std::string::npos);
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  std::string text = m.Render("a\"b\\c", 1, LoadSnapshot{});
  EXPECT_NE(text.find("model_name=\"a\\\"b\\\\c\""), std::string::npos);
}

}  // namespace
}  // namespace shim::fake_sglang

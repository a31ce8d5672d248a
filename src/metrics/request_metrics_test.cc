#include "metrics/request_metrics.h"

#include <gtest/gtest.h>

#include "metrics/prometheus_text.h"
#include "metrics/vllm_buckets.h"

namespace shim::metrics {
namespace {

double SampleValue(const std::string& text, std::string_view name, const LabelPairs& extra) {
  ParsedMetrics parsed;
  std::string err;
  EXPECT_TRUE(ParsePrometheusText(text, &parsed, &err)) << err;
  EXPECT_EQ(parsed.skipped_lines, 0u);
  for (const Sample& sample : parsed.samples) {
    if (sample.name != name) continue;
    LabelPairs want = {{"model_name", "m"}, {"engine", "0"}};
    want.insert(want.end(), extra.begin(), extra.end());
    if (sample.labels == want) return sample.value;
  }
  ADD_FAILURE() << "no sample " << name;
  return -1;
}

TEST(VllmBuckets, TokenCountsFollowOneTwoFiveUpToTheLimit) {
  EXPECT_EQ(VllmTokenCountBuckets(4096), (std::vector<double>{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000}));
  EXPECT_EQ(VllmTokenCountBuckets(5), (std::vector<double>{1, 2, 5}));
  EXPECT_EQ(VllmTokenCountBuckets(0), std::vector<double>{});
  EXPECT_EQ(VllmTokenCountBuckets(UINT64_MAX).size(), 57u);  // no overflow
}

TEST(FixedHistogram, BucketsAreUpperInclusiveAndCumulative) {
  FixedHistogram h({1.0, 0.5, 2.0, 2.0});  // sorted, deduplicated
  for (double v : {0.5, 0.7, 2.0, 9.0, -1.0}) h.Observe(v);
  std::string out;
  h.Render("x", "a=\"b\"", &out);
  EXPECT_EQ(out,
            "x_bucket{a=\"b\",le=\"0.5\"} 1\n"
            "x_bucket{a=\"b\",le=\"1.0\"} 2\n"
            "x_bucket{a=\"b\",le=\"2.0\"} 3\n"
            "x_bucket{a=\"b\",le=\"+Inf\"} 4\n"
            "x_count{a=\"b\"} 4\n"
            "x_sum{a=\"b\"} 12.2\n");
}

TEST(RequestMetrics, EveryFamilyIsThereBeforeTheFirstRequest) {
  RequestMetrics metrics(4096);
  std::string text;
  metrics.Render("m", "0", &text);
  for (std::string_view reason : kFinishReasonNames) {
    EXPECT_EQ(SampleValue(text, "vllm:request_success_total", {{"finished_reason", std::string(reason)}}), 0);
  }
  EXPECT_EQ(SampleValue(text, "vllm:request_max_num_generation_tokens_bucket", {{"le", "2000.0"}}), 0);
  EXPECT_EQ(SampleValue(text, "vllm:request_prefill_time_seconds_count", {}), 0);
  for (std::string_view family : RequestMetrics::FamilyNames()) {
    EXPECT_NE(text.find("# TYPE " + std::string(family) + " "), std::string::npos) << family;
  }
}

TEST(RequestMetrics, RecordsAStreamedRequestAsVllmWould) {
  RequestMetrics metrics(4096);
  GenerationRecord r;
  r.streamed = true;
  r.e2e_seconds = 1.3;
  r.first_token_seconds = 0.25;
  r.decode_seconds = 1.0;
  r.generation_tokens = 11;
  r.max_choice_generation_tokens = 11;
  r.prompt_tokens = 40;
  r.finish_reasons = {FinishReason::kLength};
  metrics.Record(r);
  std::string text;
  metrics.Render("m", "0", &text);
  EXPECT_EQ(SampleValue(text, "vllm:request_success_total", {{"finished_reason", "length"}}), 1);
  EXPECT_EQ(SampleValue(text, "vllm:request_success_total", {{"finished_reason", "stop"}}), 0);
  // 1.0 s over the 10 tokens after the first.
  EXPECT_DOUBLE_EQ(SampleValue(text, "vllm:request_time_per_output_token_seconds_sum", {}), 0.1);
  EXPECT_EQ(SampleValue(text, "vllm:request_time_per_output_token_seconds_bucket", {{"le", "0.075"}}), 0);
  EXPECT_EQ(SampleValue(text, "vllm:request_time_per_output_token_seconds_bucket", {{"le", "0.1"}}), 1);
  EXPECT_DOUBLE_EQ(SampleValue(text, "vllm:request_prefill_time_seconds_sum", {}), 0.25);
  EXPECT_DOUBLE_EQ(SampleValue(text, "vllm:request_decode_time_seconds_sum", {}), 1.0);
  EXPECT_DOUBLE_EQ(SampleValue(text, "vllm:request_inference_time_seconds_sum", {}), 1.25);
  EXPECT_EQ(SampleValue(text, "vllm:request_generation_tokens_bucket", {{"le", "10.0"}}), 0);
  EXPECT_EQ(SampleValue(text, "vllm:request_generation_tokens_bucket", {{"le", "20.0"}}), 1);
  EXPECT_EQ(SampleValue(text, "vllm:request_prompt_tokens_bucket", {{"le", "50.0"}}), 1);
  EXPECT_EQ(SampleValue(text, "vllm:request_max_num_generation_tokens_count", {}), 1);
}

TEST(RequestMetrics, SingleTokenHasZeroTimePerOutputToken) {
  RequestMetrics metrics(0);
  GenerationRecord r;
  r.streamed = true;
  r.first_token_seconds = 0.1;
  r.decode_seconds = 0;
  r.generation_tokens = 1;
  r.finish_reasons = {FinishReason::kStop};
  metrics.Record(r);
  std::string text;
  metrics.Render("m", "0", &text);
  EXPECT_EQ(SampleValue(text, "vllm:request_time_per_output_token_seconds_count", {}), 1);
  EXPECT_EQ(SampleValue(text, "vllm:request_time_per_output_token_seconds_sum", {}), 0);
  // Without max_model_len the token buckets reach 10^7.
  EXPECT_EQ(SampleValue(text, "vllm:request_generation_tokens_bucket", {{"le", "10000000.0"}}), 1);
}

TEST(RequestMetrics, UnstreamedRequestsCountOnlyWhatTheFrontDoorSees) {
  RequestMetrics metrics(4096);
  GenerationRecord r;
  r.e2e_seconds = 0.4;
  r.generation_tokens = 3;
  r.finish_reasons = {FinishReason::kStop, FinishReason::kStop};
  metrics.Record(r);
  std::string text;
  metrics.Render("m", "0", &text);
  EXPECT_EQ(SampleValue(text, "vllm:request_success_total", {{"finished_reason", "stop"}}), 2);
  EXPECT_EQ(SampleValue(text, "vllm:request_prefill_time_seconds_count", {}), 0);
  EXPECT_EQ(SampleValue(text, "vllm:request_time_per_output_token_seconds_count", {}), 0);
  EXPECT_DOUBLE_EQ(SampleValue(text, "vllm:request_inference_time_seconds_sum", {}), 0.4);
}

}  // namespace
}  // namespace shim::metrics

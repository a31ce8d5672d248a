// Exposition shape of SGLang's metrics (python/sglang/srt/metrics/collector.py): names, labels,
// one scheduler series per TP rank, histograms with _bucket/_sum/_count.
#include "fake_sglang/metrics.h"

#include <gtest/gtest.h>

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

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  std::string text = m.Render("a\"b\\c", 1, LoadSnapshot{});
  EXPECT_NE(text.find("model_name=\"a\\\"b\\\\c\""), std::string::npos);
}

}  // namespace
}  // namespace shim::fake_sglang

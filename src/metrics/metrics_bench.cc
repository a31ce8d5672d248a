// Cost of the /metrics path: parsing an SGLang scrape (done by the scraper
// every interval) and rendering the vLLM text (done per GET /metrics).
#include <benchmark/benchmark.h>

#include <string>

#include "metrics/metrics_render.h"

namespace shim::metrics {
namespace {

// A scrape shaped like SGLang's with dp_size 2 × tp_size 4 and
// --enable-metrics-for-all-schedulers: 24 scheduler gauges and one queue-time
// histogram per rank, tokenizer counters and three histograms. ~420 series.
std::string SyntheticSglangScrape() {
  static const char* const gauges[] = {"num_running_reqs",
                                       "num_used_tokens",
                                       "token_usage",
                                       "pending_prealloc_token_usage",
                                       "swa_token_usage",
                                       "mamba_usage",
                                       "decode_sum_seq_lens",
                                       "gen_throughput",
                                       "num_queue_reqs",
                                       "num_grammar_queue_reqs",
                                       "num_running_reqs_offline_batch",
                                       "cache_hit_rate",
                                       "max_total_num_tokens",
                                       "spec_accept_length",
                                       "spec_accept_rate",
                                       "num_retracted_reqs",
                                       "num_paused_reqs",
                                       "utilization",
                                       "engine_startup_time",
                                       "engine_load_weights_time",
                                       "new_token_ratio",
                                       "is_cuda_graph",
                                       "num_unique_running_routing_keys",
                                       "kv_transfer_speed_gb_s"};
  std::string text;
  for (const char* gauge : gauges) {
    text += std::string("# HELP sglang:") + gauge + " A gauge.\n# TYPE sglang:" + gauge + " gauge\n";
    for (int dp = 0; dp < 2; ++dp) {
      for (int tp = 0; tp < 4; ++tp) {
        text += std::string("sglang:") + gauge + "{dp_rank=\"" + std::to_string(dp) +
                "\",engine_type=\"unified\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\",pp_rank=\"0\","
                "tp_rank=\"" +
                std::to_string(dp * 4 + tp) + "\"} " + std::to_string(0.125 * (dp + 1)) + "\n";
      }
    }
  }
  const char* bounds[] = {"0.0", "0.1", "0.2", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "+Inf"};
  text += "# HELP sglang:queue_time_seconds Queue time.\n# TYPE sglang:queue_time_seconds histogram\n";
  for (int rank = 0; rank < 8; ++rank) {
    std::string labels = "dp_rank=\"" + std::to_string(rank / 4) +
                         "\",engine_type=\"unified\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\","
                         "pp_rank=\"0\",tp_rank=\"" +
                         std::to_string(rank) + "\"";
    for (int i = 0; i < 10; ++i) {
      text +=
          "sglang:queue_time_seconds_bucket{" + labels + ",le=\"" + bounds[i] + "\"} " + std::to_string(i * 10) + "\n";
    }
    text += "sglang:queue_time_seconds_count{" + labels + "} 90\n";
    text += "sglang:queue_time_seconds_sum{" + labels + "} 42.5\n";
  }
  for (const char* counter : {"prompt_tokens_total", "generation_tokens_total", "cached_tokens_total",
                              "num_requests_total", "num_so_requests_total", "num_aborted_requests_total"}) {
    text += std::string("# TYPE sglang:") + counter + " counter\nsglang:" + counter +
            "{model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 123456.0\n";
  }
  for (const char* histogram :
       {"time_to_first_token_seconds", "inter_token_latency_seconds", "e2e_request_latency_seconds"}) {
    text += std::string("# TYPE sglang:") + histogram + " histogram\n";
    for (int i = 0; i < 20; ++i) {
      text += std::string("sglang:") + histogram + "_bucket{le=\"" + std::to_string(0.05 * (i + 1)) +
              "\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} " + std::to_string(i * 7) + "\n";
    }
    text += std::string("sglang:") + histogram +
            "_bucket{le=\"+Inf\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 140\n";
    text += std::string("sglang:") + histogram + "_count{model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 140\n";
    text += std::string("sglang:") + histogram + "_sum{model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 77.7\n";
  }
  return text;
}

FrontDoorCounters SomeCounters() {
  FrontDoorCounters counters;
  counters.requests_in_flight = 12;
  counters.requests = {{"/v1/chat/completions", 200, 1000},
                       {"/v1/completions", 200, 50},
                       {"/v1/models", 200, 300},
                       {"/health", 200, 5000},
                       {"/v1/chat/completions", 499, 3}};
  counters.health_check_latency_seconds = 0.003;
  return counters;
}

void BM_ParseSglangScrape(benchmark::State& state) {
  const std::string text = SyntheticSglangScrape();
  for (auto _ : state) {
    ParsedMetrics parsed;
    std::string err;
    benchmark::DoNotOptimize(ParsePrometheusText(text, &parsed, &err));
    state.counters["series"] = static_cast<double>(parsed.samples.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseSglangScrape);

// What the scraper does each interval: parse and keep the names it maps.
void BM_BuildScrapeSnapshot(benchmark::State& state) {
  const std::string text = SyntheticSglangScrape();
  for (auto _ : state) {
    std::string problems;
    ScrapeSnapshot snapshot = BuildScrapeSnapshot(text, std::nullopt, std::chrono::steady_clock::now(), &problems);
    benchmark::DoNotOptimize(snapshot.samples.data());
  }
}
BENCHMARK(BM_BuildScrapeSnapshot);

// What GET /metrics costs: aggregate the snapshot and render every family.
void BM_RenderMetrics(benchmark::State& state) {
  std::string problems;
  const ScrapeSnapshot snapshot =
      BuildScrapeSnapshot(SyntheticSglangScrape(), std::nullopt, std::chrono::steady_clock::now(), &problems);
  const FrontDoorCounters counters = SomeCounters();
  const MetricsLabels labels{"meta-llama/Llama-3.1-8B-Instruct", "0"};
  for (auto _ : state) {
    std::string text = RenderMetrics(snapshot, counters, labels, {});
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_RenderMetrics);

void BM_ParseAndRender(benchmark::State& state) {
  const std::string text = SyntheticSglangScrape();
  const FrontDoorCounters counters = SomeCounters();
  const MetricsLabels labels{"meta-llama/Llama-3.1-8B-Instruct", "0"};
  for (auto _ : state) {
    std::string problems;
    ScrapeSnapshot snapshot = BuildScrapeSnapshot(text, std::nullopt, std::chrono::steady_clock::now(), &problems);
    std::string out = RenderMetrics(snapshot, counters, labels, {});
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_ParseAndRender);

}  // namespace
}  // namespace shim::metrics

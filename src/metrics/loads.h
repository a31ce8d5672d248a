// SGLang's GET /v1/loads (python/sglang/srt/entrypoints/v1_loads.py, SGLang
// main since ~2026-01): one JSON object per DP rank, fresher than /metrics
// (computed on request, while scheduler gauges are written only on prefill
// batches and every --decode-log-interval decode steps) and available without
// --enable-metrics. The shim uses it for the request-count and KV-usage gauges.
//
// Shape (JSON format, the default):
//   {"timestamp": "...", "version": "...", "loads": [
//     {"dp_rank": 0, "num_running_reqs": 3, "num_waiting_reqs": 1,
//      "num_used_tokens": 900, "max_total_num_tokens": 10000,
//      "token_usage": 0.09, "cache_hit_rate": 0.5, ...}, ...]}
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shim::metrics {

struct RankLoad {
  int dp_rank = 0;
  double num_running_reqs = 0;
  double num_waiting_reqs = 0;
  std::optional<double> token_usage;           // 0..1
  std::optional<double> max_total_num_tokens;  // KV pool capacity, the weight for token_usage
};

struct Loads {
  std::vector<RankLoad> ranks;  // one per DP rank, never empty after a successful parse

  // DP ranks schedule disjoint requests, so request counts add up.
  double TotalRunning() const;
  double TotalWaiting() const;
  // Usage of the whole engine: per-rank usage weighted by pool capacity when
  // every rank reports its capacity, else the plain mean. nullopt when no rank
  // reports token_usage.
  std::optional<double> TokenUsage() const;
};

// Parses the /v1/loads JSON body. Never throws. Returns false with *err when
// the body is not JSON, has no non-empty "loads" array, or a rank lacks a
// finite, non-negative num_running_reqs / num_waiting_reqs.
bool ParseLoadsJson(std::string_view body, Loads* out, std::string* err);

}  // namespace shim::metrics

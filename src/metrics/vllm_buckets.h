// vLLM's histogram bucket bounds, the one copy in the shim: the front door's
// own histograms use them, and SGLang is started with them (--bucket-* flags)
// so that quantile panels written for vLLM read the same `le` values.
//
// Values from vLLM @9aaf83ef vllm/v1/metrics/loggers.py (PrometheusStatLogger),
// the vLLM the shim follows; vLLM @3168f587 moved them to buckets.py and
// added 0.1 and 0.2 to the request-phase list. docs/metrics.md#buckets.
#pragma once
#include <cstdint>
#include <vector>

namespace shim::metrics {

// vllm:time_to_first_token_seconds.
inline const std::vector<double>& VllmTimeToFirstTokenBuckets() {
  static const std::vector<double> bounds = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,  0.25,  0.5,   0.75,
                                             1.0,   2.5,   5.0,  7.5,  10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
  return bounds;
}

// Per-token latencies: vllm:inter_token_latency_seconds,
// vllm:time_per_output_token_seconds, vllm:request_time_per_output_token_seconds.
inline const std::vector<double>& VllmTokenStepBuckets() {
  static const std::vector<double> bounds = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2,  0.3,  0.4, 0.5,
                                             0.75, 1.0,   2.5,  5.0,   7.5, 10.0, 20.0, 40.0, 80.0};
  return bounds;
}

// Whole-request phases: e2e, queue, inference, prefill and decode times.
inline const std::vector<double>& VllmRequestPhaseBuckets() {
  static const std::vector<double> bounds = {0.3,  0.5,  0.8,  1.0,  1.5,   2.0,   2.5,   5.0,   10.0,   15.0,  20.0,
                                             30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
  return bounds;
}

// Token counts (vllm:request_prompt_tokens, request_generation_tokens,
// request_max_num_generation_tokens): 1, 2, 5, 10, 20, 50, ... up to and
// including `max_value` (vLLM's build_1_2_5_buckets(max_model_len)).
inline std::vector<double> VllmTokenCountBuckets(uint64_t max_value) {
  std::vector<double> bounds;
  for (uint64_t scale = 1; scale <= max_value && scale <= UINT64_MAX / 10; scale *= 10) {
    for (uint64_t mantissa : {1, 2, 5}) {
      if (mantissa * scale > max_value) return bounds;
      bounds.push_back(static_cast<double>(mantissa * scale));
    }
  }
  return bounds;
}

}  // namespace shim::metrics

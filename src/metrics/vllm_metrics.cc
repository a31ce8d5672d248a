#include "metrics/vllm_metrics.h"

#include <charconv>
#include <cmath>

#include "metrics/cache_config_info.h"

namespace shim::metrics {

// Why each row is exact or approximate is spelled out in docs/metrics.md.
const std::vector<VllmMetricSpec>& VllmMetricTable() {
  // One metric per row, fields in the order of VllmMetricSpec.
  // clang-format off
  static const std::vector<VllmMetricSpec> table = {
      {"vllm:num_requests_running", MetricType::kGauge,
       "Number of requests in model execution batches.",
       {"sglang:num_running_reqs"}, Aggregation::kSchedulerCount, LoadsField::kRunning,
       Fallback::kFrontDoorInFlight, true,
       "requests in the running batch, the same quantity"},
      {"vllm:num_requests_waiting", MetricType::kGauge,
       "Number of requests waiting to be processed.",
       {"sglang:num_queue_reqs"}, Aggregation::kSchedulerCount, LoadsField::kWaiting,
       Fallback::kZero, false,
       "SGLang's waiting queue leaves out its grammar queue, which vLLM counts as waiting"},
      {"vllm:kv_cache_usage_perc", MetricType::kGauge,
       "KV-cache usage. 1 means 100 percent usage.",
       {"sglang:token_usage"}, Aggregation::kSchedulerRatio, LoadsField::kTokenUsage,
       Fallback::kOmit, false,
       "token-pool usage (max over pools for hybrid models), vLLM measures blocks"},
      {"vllm:gpu_cache_usage_perc", MetricType::kGauge,
       "GPU KV-cache usage. 1 means 100 percent usage (older name of vllm:kv_cache_usage_perc).",
       {"sglang:token_usage"}, Aggregation::kSchedulerRatio, LoadsField::kTokenUsage,
       Fallback::kOmit, false, "as vllm:kv_cache_usage_perc; the production-stack router reads this name"},
      {"vllm:gpu_prefix_cache_hit_rate", MetricType::kGauge,
       "Prefix cache hit rate: cached prompt tokens / prompt tokens (vLLM V0 name).",
       {"sglang:cached_tokens_total", "sglang:prompt_tokens_total", "sglang:cache_hit_rate"},
       Aggregation::kPrefixHitRate, LoadsField::kNone, Fallback::kOmit, false,
       "lifetime token ratio from SGLang's counters; V0 computed it over blocks"},
      {"vllm:prefix_cache_queries_total", MetricType::kCounter,
       "Prefix cache queries, in terms of number of queried tokens.",
       {"sglang:prompt_tokens_total"}, Aggregation::kCounterSum, LoadsField::kNone,
       Fallback::kOmit, false,
       "prompt tokens, added when a request finishes; vLLM adds queried tokens at scheduling"},
      {"vllm:prefix_cache_hits_total", MetricType::kCounter,
       "Prefix cache hits, in terms of number of cached tokens.",
       {"sglang:cached_tokens_total"}, Aggregation::kCounterSum, LoadsField::kNone,
       Fallback::kOmit, false, "cached prompt tokens, added when a request finishes"},
      {"vllm:gpu_prefix_cache_queries_total", MetricType::kCounter,
       "Prefix cache queries in tokens (older name of vllm:prefix_cache_queries_total).",
       {"sglang:prompt_tokens_total"}, Aggregation::kCounterSum, LoadsField::kNone,
       Fallback::kOmit, false, "as vllm:prefix_cache_queries_total; the router reads this name"},
      {"vllm:gpu_prefix_cache_hits_total", MetricType::kCounter,
       "Prefix cache hits in tokens (older name of vllm:prefix_cache_hits_total).",
       {"sglang:cached_tokens_total"}, Aggregation::kCounterSum, LoadsField::kNone,
       Fallback::kOmit, false, "as vllm:prefix_cache_hits_total; the router reads this name"},
      {"vllm:prompt_tokens_total", MetricType::kCounter, "Number of prefill tokens processed.",
       {"sglang:prompt_tokens_total"}, Aggregation::kCounterSum, LoadsField::kNone,
       Fallback::kOmit, true, "same count; SGLang adds a request's tokens when it finishes"},
      {"vllm:generation_tokens_total", MetricType::kCounter,
       "Number of generation tokens processed.",
       {"sglang:generation_tokens_total"}, Aggregation::kCounterSum, LoadsField::kNone,
       Fallback::kOmit, true, "same count; SGLang adds a request's tokens when it finishes"},
      {"vllm:num_preemptions_total", MetricType::kCounter,
       "Cumulative number of preemption from the engine.",
       {"sglang:num_retracted_requests_total"}, Aggregation::kSchedulerCount, LoadsField::kNone,
       Fallback::kOmit, false,
       "SGLang's retractions (a request evicted when the KV pool runs out, requeued); newer SGLang only"},
      {"vllm:time_to_first_token_seconds", MetricType::kHistogram,
       "Histogram of time to first token in seconds.",
       {"sglang:time_to_first_token_seconds"}, Aggregation::kHistogramSum, LoadsField::kNone,
       Fallback::kOmit, false, "same observations; SGLang is started with vLLM's bucket bounds"},
      {"vllm:inter_token_latency_seconds", MetricType::kHistogram,
       "Histogram of inter-token latency in seconds.",
       {"sglang:inter_token_latency_seconds"}, Aggregation::kHistogramSum, LoadsField::kNone,
       Fallback::kOmit, false,
       "vLLM's bucket bounds (SGLang's flag); SGLang spreads a multi-token step over its tokens"},
      {"vllm:time_per_output_token_seconds", MetricType::kHistogram,
       "Histogram of time per output token in seconds (older name of "
       "vllm:inter_token_latency_seconds).",
       {"sglang:inter_token_latency_seconds"}, Aggregation::kHistogramSum, LoadsField::kNone,
       Fallback::kOmit, false, "as vllm:inter_token_latency_seconds"},
      {"vllm:e2e_request_latency_seconds", MetricType::kHistogram,
       "Histogram of e2e request latency in seconds.",
       {"sglang:e2e_request_latency_seconds"}, Aggregation::kHistogramSum, LoadsField::kNone,
       Fallback::kOmit, false, "same observations; SGLang is started with vLLM's bucket bounds"},
      {"vllm:request_queue_time_seconds", MetricType::kHistogram,
       "Histogram of time spent in WAITING phase for request.",
       {"sglang:queue_time_seconds", "sglang:queue_time_s"}, Aggregation::kSchedulerHistogram,
       LoadsField::kNone, Fallback::kOmit, false,
       "scheduler queue time, SGLang's bucket bounds (named sglang:queue_time_s in v0.5.2)"},
  };
  // clang-format on
  return table;
}

std::vector<std::string> SglangSampleNamesUsed() {
  std::vector<std::string> names;
  for (std::string_view name : CacheConfigSampleNames()) names.emplace_back(name);  // incl. kSchedulerRatio's weight
  for (const VllmMetricSpec& spec : VllmMetricTable()) {
    for (std::string_view source : spec.sglang_sources) {
      if (spec.type == MetricType::kHistogram) {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
          names.push_back(std::string(source) + suffix);
        }
      } else {
        names.emplace_back(source);
      }
    }
  }
  return names;
}

std::string FormatBucketBound(double bound) {
  if (std::isnan(bound)) return "NaN";
  if (std::isinf(bound)) return bound > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // Whole numbers below 1e16 print as Python's repr does ("1.0"), the rest shortest.
  if (bound == std::floor(bound) && std::fabs(bound) < 1e16) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), bound, std::chars_format::fixed, 0);
    if (ec == std::errc()) return std::string(buffer, end) + ".0";
  }
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), bound);
  if (ec != std::errc()) return "NaN";
  return std::string(buffer, end);
}

namespace {

void AppendHeader(std::string_view name, std::string_view help, MetricType type, std::string* out) {
  out->append("# HELP ").append(name).append(" ").append(EscapeHelpText(help)).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(MetricTypeName(type)).append("\n");
}

}  // namespace

void RenderVllmMetrics(const std::vector<AggregatedMetric>& metrics, std::string_view model_name,
                       std::string_view engine, double front_door_in_flight, std::string* out) {
  const std::string labels =
      "model_name=\"" + EscapeLabelValue(model_name) + "\",engine=\"" + EscapeLabelValue(engine) + "\"";
  for (const AggregatedMetric& metric : metrics) {
    const VllmMetricSpec& spec = *metric.spec;
    if (spec.type == MetricType::kHistogram) {
      if (!metric.histogram) continue;
      AppendHeader(spec.name, spec.help, spec.type, out);
      for (const auto& [bound, count] : metric.histogram->buckets) {
        out->append(spec.name).append("_bucket{").append(labels).append(",le=\"");
        out->append(FormatBucketBound(bound)).append("\"} ");
        out->append(FormatPrometheusValue(count)).append("\n");
      }
      out->append(spec.name).append("_count{").append(labels).append("} ");
      out->append(FormatPrometheusValue(metric.histogram->count)).append("\n");
      out->append(spec.name).append("_sum{").append(labels).append("} ");
      out->append(FormatPrometheusValue(metric.histogram->sum)).append("\n");
      continue;
    }
    double value = metric.value;
    if (metric.origin == ValueOrigin::kFrontDoor && spec.fallback == Fallback::kFrontDoorInFlight) {
      value = front_door_in_flight;
    }
    AppendHeader(spec.name, spec.help, spec.type, out);
    out->append(spec.name).append("{").append(labels).append("} ");
    out->append(FormatPrometheusValue(value)).append("\n");
  }
}

}  // namespace shim::metrics

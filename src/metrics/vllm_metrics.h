// The vLLM-named metrics the shim synthesises from SGLang's, one table row per
// vLLM metric. docs/metrics.md shows the same table with the reasons.
//
// Sources verified against SGLang's collector
// (python/sglang/srt/metrics/collector.py: SchedulerMetricsCollector,
// TokenizerMetricsCollector) and scheduler labels
// (python/sglang/srt/managers/scheduler_metrics_mixin.py: init_metrics puts
// model_name, engine_type, tp_rank, pp_rank and, with DP, dp_rank on scheduler
// series). vLLM names from vllm/v1/metrics/loggers.py (PrometheusStatLogger).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/loads.h"
#include "metrics/prometheus_text.h"

namespace shim::metrics {

// How the series of several ranks or label sets become one vLLM value.
enum class Aggregation {
  // A per-scheduler count (requests). Series that differ only in tp_rank /
  // pp_rank / moe_ep_rank are replicas of one scheduler's state (each TP rank
  // of a DP group runs the same batch, with --enable-metrics-for-all-schedulers
  // all of them report it): take the max. Distinct schedulers (dp_rank) hold
  // disjoint requests: add them up.
  kSchedulerCount,
  // A per-scheduler ratio (KV usage): max over replicas as above, then the mean
  // over schedulers weighted by sglang:max_total_num_tokens (plain mean when a
  // scheduler lacks it). Ratios are never added.
  kSchedulerRatio,
  // A counter from the tokenizer process: its series partition the requests
  // (custom labels), so they add up.
  kCounterSum,
  // A histogram from the tokenizer process: bucket-wise sum over series, on the
  // `le` bounds they all share.
  kHistogramSum,
  // A histogram from the schedulers: of replicas (as in kSchedulerCount) keep
  // the one with the most observations, then add schedulers up bucket-wise.
  kSchedulerHistogram,
  // vLLM V0's gpu_prefix_cache_hit_rate was a lifetime ratio: cached prompt
  // tokens / prompt tokens from SGLang's counters; when those are absent, the
  // kSchedulerRatio of sglang:cache_hit_rate (SGLang's per-prefill-batch rate).
  kPrefixHitRate,
};

// A fresher source than /metrics for a few gauges.
enum class LoadsField { kNone, kRunning, kWaiting, kTokenUsage };

// What a metric shows when SGLang supplies no value.
enum class Fallback { kOmit, kFrontDoorInFlight, kZero };

struct VllmMetricSpec {
  std::string_view name;  // family name as exposed (counters with _total)
  MetricType type;        // kGauge, kCounter or kHistogram
  std::string_view help;
  std::vector<std::string_view> sglang_sources;  // alternatives; the first one present wins
  Aggregation aggregation;
  LoadsField loads_field;
  Fallback fallback;
  bool exact;            // same quantity and unit as vLLM's; false when only approximately so
  std::string_view why;  // one line for docs/metrics.md
};

const std::vector<VllmMetricSpec>& VllmMetricTable();

// Every SGLang sample name the table reads (histogram families expanded to
// _bucket/_sum/_count), so a scrape can keep only those.
std::vector<std::string> SglangSampleNamesUsed();

struct HistogramValue {
  std::vector<std::pair<double, double>> buckets;  // (le, cumulative count), ascending, last is +Inf
  double sum = 0;
  double count = 0;
};

// Where an aggregated value came from.
enum class ValueOrigin { kSglangMetrics, kSglangLoads, kFrontDoor };

struct AggregatedMetric {
  const VllmMetricSpec* spec = nullptr;
  ValueOrigin origin = ValueOrigin::kSglangMetrics;
  double value = 0;                         // gauges and counters
  std::optional<HistogramValue> histogram;  // histograms
};

// Applies the table to SGLang's samples and loads. `loads` may be null;
// `front_door_in_flight` feeds Fallback::kFrontDoorInFlight. Rows with no
// source and Fallback::kOmit are left out.
std::vector<AggregatedMetric> AggregateVllmMetrics(const std::vector<Sample>& sglang_samples, const Loads* loads,
                                                   double front_door_in_flight);

// Renders the aggregated metrics with # HELP / # TYPE and the labels
// model_name="<model_name>",engine="<engine>" on every series. Rows that fell
// back to the front door's in-flight count show `front_door_in_flight` (the
// live value, where aggregation ran earlier).
void RenderVllmMetrics(const std::vector<AggregatedMetric>& metrics, std::string_view model_name,
                       std::string_view engine, double front_door_in_flight, std::string* out);

// Formats a histogram bound as prometheus_client does ("0.1", "1.0", "+Inf"),
// so `le` values match vLLM's text.
std::string FormatBucketBound(double bound);

}  // namespace shim::metrics

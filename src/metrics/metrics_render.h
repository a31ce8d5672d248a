// GET /metrics in one call: the vLLM-named metrics synthesised from SGLang's,
// the shim's own, and gauges the caller supplies (e.g. vllm:engine_sleep_state).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/loads.h"
#include "metrics/prometheus_text.h"
#include "metrics/request_metrics.h"
#include "metrics/shim_metrics.h"
#include "metrics/vllm_metrics.h"

namespace shim::metrics {

// vLLM's own content type for /metrics (prometheus_client CONTENT_TYPE_LATEST).
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// What one scrape of SGLang produced. Immutable once built; the scraper swaps
// a shared_ptr to a new one each cycle.
struct ScrapeSnapshot {
  bool metrics_ok = false;
  std::vector<Sample> samples;  // only the SGLang names the mapping table reads
  size_t skipped_lines = 0;
  std::optional<Loads> loads;                                       // when the SGLang version has /v1/loads
  std::optional<std::chrono::steady_clock::time_point> scraped_at;  // last success of either source
  // The vLLM metrics aggregated once per scrape by BuildScrapeSnapshot, so that
  // GET /metrics only formats. Empty in a hand-made snapshot: RenderMetrics
  // then aggregates `samples` itself.
  std::vector<AggregatedMetric> vllm;
};

// Builds a snapshot from the bodies of /metrics and /v1/loads; nullopt means
// that request failed. Never throws. *problems lists what was wrong (for a
// debug log line), empty when both parsed.
ScrapeSnapshot BuildScrapeSnapshot(std::optional<std::string_view> metrics_text,
                                   std::optional<std::string_view> loads_body,
                                   std::chrono::steady_clock::time_point now, std::string* problems);

struct MetricsLabels {
  std::string model_name;    // the first served model name, as vLLM labels it
  std::string engine = "0";  // vLLM's DP engine index; the shim is one engine
};

struct ExtraGaugeSample {
  LabelPairs labels;  // after model_name and engine
  double value = 0;
};

// A gauge family the caller owns, rendered with the model labels first.
struct ExtraGauge {
  std::string name;
  std::string help;
  std::vector<ExtraGaugeSample> samples;
};

// Composes the whole /metrics body: the vLLM metrics from SGLang, then those
// the front door measured (`requests`, when given), the shim's own, the extra
// gauges. Extra gauges with an invalid or already used name, or invalid label
// names, are left out (and logged at debug).
std::string RenderMetrics(const ScrapeSnapshot& sglang, const FrontDoorCounters& front_door,
                          const MetricsLabels& labels, const std::vector<ExtraGauge>& extras,
                          std::chrono::steady_clock::time_point now, const RequestMetrics* requests = nullptr);
std::string RenderMetrics(const ScrapeSnapshot& sglang, const FrontDoorCounters& front_door,
                          const MetricsLabels& labels, const std::vector<ExtraGauge>& extras,
                          const RequestMetrics* requests = nullptr);

}  // namespace shim::metrics

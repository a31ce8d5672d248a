#include "metrics/metrics_render.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "common/log.h"
#include "metrics/cache_config_info.h"

namespace shim::metrics {
namespace {

const std::unordered_set<std::string>& NamesToKeep() {
  static const std::unordered_set<std::string> names = [] {
    std::vector<std::string> used = SglangSampleNamesUsed();
    return std::unordered_set<std::string>(used.begin(), used.end());
  }();
  return names;
}

void AppendProblem(std::string_view problem, std::string* problems) {
  if (!problems->empty()) problems->append("; ");
  problems->append(problem);
}

bool ValidExtra(const ExtraGauge& gauge, const std::set<std::string, std::less<>>& used_names) {
  if (!IsValidMetricName(gauge.name) || used_names.count(gauge.name)) return false;
  for (const ExtraGaugeSample& sample : gauge.samples) {
    for (const auto& [name, value] : sample.labels) {
      if (!IsValidLabelName(name) || name == "model_name" || name == "engine" || name == "le") return false;
    }
  }
  return true;
}

void RenderExtras(const std::vector<ExtraGauge>& extras, const MetricsLabels& labels,
                  std::set<std::string, std::less<>> used_names, std::string* out) {
  const std::string model_labels =
      "model_name=\"" + EscapeLabelValue(labels.model_name) + "\",engine=\"" + EscapeLabelValue(labels.engine) + "\"";
  for (const ExtraGauge& gauge : extras) {
    if (!ValidExtra(gauge, used_names)) {
      LogDebug("metrics: leaving out extra gauge with a bad or duplicate name: ", gauge.name);
      continue;
    }
    used_names.insert(gauge.name);
    out->append("# HELP ").append(gauge.name).append(" ").append(EscapeHelpText(gauge.help)).append("\n");
    out->append("# TYPE ").append(gauge.name).append(" gauge\n");
    for (const ExtraGaugeSample& sample : gauge.samples) {
      out->append(gauge.name).append("{").append(model_labels);
      for (const auto& [name, value] : sample.labels) {
        out->append(",").append(name).append("=\"").append(EscapeLabelValue(value)).append("\"");
      }
      out->append("} ").append(FormatPrometheusValue(sample.value)).append("\n");
    }
  }
}

}  // namespace

ScrapeSnapshot BuildScrapeSnapshot(std::optional<std::string_view> metrics_text,
                                   std::optional<std::string_view> loads_body,
                                   std::chrono::steady_clock::time_point now, std::string* problems) {
  problems->clear();
  ScrapeSnapshot snapshot;
  if (metrics_text) {
    ParsedMetrics parsed;
    std::string err;
    if (ParsePrometheusText(*metrics_text, &parsed, &err)) {
      snapshot.metrics_ok = true;
      snapshot.skipped_lines = parsed.skipped_lines;
      const auto& keep = NamesToKeep();
      for (Sample& sample : parsed.samples) {
        if (keep.count(sample.name)) snapshot.samples.push_back(std::move(sample));
      }
      for (const std::string& line_error : parsed.errors) AppendProblem("/metrics " + line_error, problems);
    } else {
      AppendProblem("/metrics: " + err, problems);
    }
  }
  if (loads_body) {
    Loads loads;
    std::string err;
    if (ParseLoadsJson(*loads_body, &loads, &err))
      snapshot.loads = std::move(loads);
    else
      AppendProblem(err, problems);
  }
  if (snapshot.metrics_ok || snapshot.loads) snapshot.scraped_at = now;
  // In-flight 0 here; RenderMetrics puts the live count into the fallback rows.
  snapshot.vllm = AggregateVllmMetrics(snapshot.samples, snapshot.loads ? &*snapshot.loads : nullptr, 0);
  return snapshot;
}

std::string RenderMetrics(const ScrapeSnapshot& sglang, const FrontDoorCounters& front_door,
                          const MetricsLabels& labels, const std::vector<ExtraGauge>& extras,
                          std::chrono::steady_clock::time_point now, const RequestMetrics* requests) {
  std::string out;
  out.reserve(8192);
  const double in_flight = static_cast<double>(std::max<int64_t>(0, front_door.requests_in_flight));
  if (sglang.vllm.empty()) {
    std::vector<AggregatedMetric> vllm =
        AggregateVllmMetrics(sglang.samples, sglang.loads ? &*sglang.loads : nullptr, in_flight);
    RenderVllmMetrics(vllm, labels.model_name, labels.engine, in_flight, &out);
  } else {
    RenderVllmMetrics(sglang.vllm, labels.model_name, labels.engine, in_flight, &out);
  }
  if (requests != nullptr) requests->Render(labels.model_name, labels.engine, &out);
  if (auto cache = CacheConfigFromScrape(sglang.samples, sglang.loads ? &*sglang.loads : nullptr)) {
    RenderCacheConfigInfo(*cache, labels.engine, &out);
  }

  ScrapeStatus status;
  status.metrics_up = sglang.metrics_ok;
  status.loads_up = sglang.loads.has_value();
  status.skipped_lines = sglang.skipped_lines;
  if (sglang.scraped_at) {
    status.age_seconds = std::max(0.0, std::chrono::duration<double>(now - *sglang.scraped_at).count());
  }
  RenderShimMetrics(front_door, status, &out);

  std::set<std::string, std::less<>> used_names;
  for (const VllmMetricSpec& spec : VllmMetricTable()) used_names.emplace(spec.name);
  for (std::string_view name : RequestMetrics::FamilyNames()) used_names.emplace(name);
  used_names.emplace("vllm:cache_config_info");
  RenderExtras(extras, labels, std::move(used_names), &out);
  return out;
}

std::string RenderMetrics(const ScrapeSnapshot& sglang, const FrontDoorCounters& front_door,
                          const MetricsLabels& labels, const std::vector<ExtraGauge>& extras,
                          const RequestMetrics* requests) {
  return RenderMetrics(sglang, front_door, labels, extras, std::chrono::steady_clock::now(), requests);
}

}  // namespace shim::metrics

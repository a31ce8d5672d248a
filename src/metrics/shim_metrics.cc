#include "metrics/shim_metrics.h"

#include <map>
#include <string_view>
#include <utility>

#include "metrics/prometheus_text.h"

namespace shim::metrics {
namespace {

void AppendFamily(std::string_view name, std::string_view type, std::string_view help, std::string* out) {
  out->append("# HELP ").append(name).append(" ").append(EscapeHelpText(help)).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void AppendSample(std::string_view name, double value, std::string* out) {
  out->append(name).append(" ").append(FormatPrometheusValue(value)).append("\n");
}

}  // namespace

void RenderShimMetrics(const FrontDoorCounters& counters, const ScrapeStatus& scrape, std::string* out) {
  AppendFamily("vllm_sglang_shim_requests_in_flight", "gauge", "Client requests the front door is serving now.", out);
  AppendSample("vllm_sglang_shim_requests_in_flight",
               static_cast<double>(counters.requests_in_flight < 0 ? 0 : counters.requests_in_flight), out);

  // Merge repeated (route, status) rows so that every series appears once.
  std::map<std::pair<std::string, int>, uint64_t> by_route;
  for (const RouteStatusCount& row : counters.requests) by_route[{row.route, row.status}] += row.count;
  AppendFamily("vllm_sglang_shim_requests_total", "counter",
               "Requests the front door finished, by route and HTTP status.", out);
  for (const auto& [key, count] : by_route) {
    out->append("vllm_sglang_shim_requests_total{route=\"").append(EscapeLabelValue(key.first));
    out->append("\",status=\"").append(std::to_string(key.second)).append("\"} ");
    out->append(FormatPrometheusValue(static_cast<double>(count))).append("\n");
  }

  AppendFamily("vllm_sglang_shim_upstream_errors_total", "counter",
               "Requests that failed because SGLang was unreachable, reset the connection or timed out.", out);
  AppendSample("vllm_sglang_shim_upstream_errors_total", static_cast<double>(counters.upstream_errors), out);
  AppendFamily("vllm_sglang_shim_client_aborts_total", "counter",
               "Requests whose client disconnected before the response was complete.", out);
  AppendSample("vllm_sglang_shim_client_aborts_total", static_cast<double>(counters.client_aborts), out);

  AppendFamily("vllm_sglang_shim_bugs_total", "counter",
               "Internal consistency checks of the shim that failed (each is logged once); 0 unless the shim "
               "has a bug.",
               out);
  AppendSample("vllm_sglang_shim_bugs_total", static_cast<double>(counters.bugs), out);

  AppendFamily("vllm_sglang_shim_backend_healthy", "gauge",
               "1 when the front door's health checks of SGLang pass, else 0.", out);
  AppendSample("vllm_sglang_shim_backend_healthy", counters.backend_healthy ? 1 : 0, out);
  if (counters.health_check_latency_seconds) {
    AppendFamily("vllm_sglang_shim_health_check_latency_seconds", "gauge",
                 "Duration of the last health check of SGLang.", out);
    AppendSample("vllm_sglang_shim_health_check_latency_seconds", *counters.health_check_latency_seconds, out);
  }

  AppendFamily("vllm_sglang_shim_sglang_metrics_up", "gauge",
               "1 when the last scrape of SGLang's /metrics succeeded, else 0.", out);
  AppendSample("vllm_sglang_shim_sglang_metrics_up", scrape.metrics_up ? 1 : 0, out);
  AppendFamily("vllm_sglang_shim_sglang_loads_up", "gauge",
               "1 when the last scrape of SGLang's /v1/loads succeeded, else 0.", out);
  AppendSample("vllm_sglang_shim_sglang_loads_up", scrape.loads_up ? 1 : 0, out);
  AppendFamily("vllm_sglang_shim_sglang_metrics_skipped_lines", "gauge",
               "Malformed lines skipped in the last SGLang /metrics text.", out);
  AppendSample("vllm_sglang_shim_sglang_metrics_skipped_lines", static_cast<double>(scrape.skipped_lines), out);
  if (scrape.age_seconds) {
    AppendFamily("vllm_sglang_shim_metrics_scrape_age_seconds", "gauge",
                 "Seconds since the last successful scrape of SGLang's metrics.", out);
    AppendSample("vllm_sglang_shim_metrics_scrape_age_seconds", *scrape.age_seconds, out);
  }
}

}  // namespace shim::metrics

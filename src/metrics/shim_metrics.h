// The shim's own metrics (prefix vllm_sglang_shim_): what the front door sees.
// The front door fills FrontDoorCounters; this file only renders it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shim::metrics {

struct RouteStatusCount {
  std::string route;  // a route template such as "/v1/chat/completions", never a raw URL
  int status = 0;     // HTTP status sent to the client
  uint64_t count = 0;
};

struct FrontDoorCounters {
  int64_t requests_in_flight = 0;                      // client requests being served now
  std::vector<RouteStatusCount> requests;              // finished requests by route and status
  uint64_t upstream_errors = 0;                        // SGLang unreachable, reset or timed out
  uint64_t client_aborts = 0;                          // client went away before the response ended
  uint64_t bugs = 0;                                   // failed SHIM_BUG checks (common/invariants.h)
  bool backend_healthy = false;                        // state of the front door's health checks of SGLang
  std::optional<double> health_check_latency_seconds;  // the last check, when one has run
};

// Facts about the background scrape of SGLang, shown next to the counters.
struct ScrapeStatus {
  bool metrics_up = false;            // the last /metrics scrape parsed
  bool loads_up = false;              // the last /v1/loads scrape parsed
  std::optional<double> age_seconds;  // since the last successful scrape of either
  uint64_t skipped_lines = 0;         // malformed lines in the last /metrics text
};

// Appends the shim's metrics in Prometheus text format. Series whose value is
// unknown (no health check yet, never scraped) are left out, not faked.
void RenderShimMetrics(const FrontDoorCounters& counters, const ScrapeStatus& scrape, std::string* out);

}  // namespace shim::metrics

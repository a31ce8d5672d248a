// Wiring between the front door and the metrics code, header-only so that
// shim_metrics does not link shim_frontdoor (the front door links metrics to
// serve /metrics; the app includes this header where it builds both).
#pragma once
#include <chrono>
#include <string>
#include <utility>

#include "common/invariants.h"
#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>

#include "frontdoor/backend_client.h"
#include "frontdoor/stats.h"
#include "metrics/metrics_scraper.h"
#include "metrics/shim_metrics.h"

namespace shim::metrics {

// One scrape request through the front door's backend client.
inline boost::asio::awaitable<FetchResult> FetchForMetrics(Endpoint backend, HeaderList headers,
                                                           std::chrono::milliseconds timeout, std::string target) {
  BackendRequest request;
  request.target = std::move(target);
  request.headers = std::move(headers);
  request.timeout = timeout;
  request.max_response_bytes = 8 * 1024 * 1024;  // SGLang's /metrics is tens of KiB
  BackendResponse response = co_await FetchFromBackend(backend, std::move(request));
  co_return FetchResult{response.ok, response.status, std::move(response.body), std::move(response.error)};
}

// A MetricsFetcher for SGLang at `backend`. `headers` may carry the API key
// (/metrics is exempt from SGLang's key check; /v1/loads is not).
inline MetricsFetcher BackendMetricsFetcher(Endpoint backend, HeaderList headers, std::chrono::milliseconds timeout) {
  return [backend = std::move(backend), headers = std::move(headers), timeout](std::string target) {
    return FetchForMetrics(backend, headers, timeout, std::move(target));
  };
}

// The front door's counters as the metrics renderer takes them.
inline FrontDoorCounters CountersFromStats(const FrontDoorStats& stats) {
  FrontDoorCounters counters;
  counters.requests_in_flight = static_cast<int64_t>(stats.requests_in_flight);
  for (const auto& [key, count] : stats.responses) counters.requests.push_back({key.first, key.second, count});
  counters.upstream_errors = stats.upstream_errors + stats.upstream_connect_errors + stats.upstream_timeouts;
  counters.client_aborts = stats.client_aborts;
  counters.bugs = BugCount();
  counters.backend_healthy = stats.health_phase == HealthPhase::kHealthy;
  if (stats.health_checks_total > 0) counters.health_check_latency_seconds = stats.last_check_seconds;
  return counters;
}

// The counters as seen by the GET /metrics request being answered: the front
// door counts that request as in flight, but vLLM never counts its own scrape,
// and without SGLang's gauges the in-flight count stands in for
// vllm:num_requests_running (an idle shim showed 1).
inline FrontDoorCounters CountersForMetricsRequest(const FrontDoorStats& stats) {
  FrontDoorCounters counters = CountersFromStats(stats);
  if (counters.requests_in_flight > 0) --counters.requests_in_flight;
  return counters;
}

}  // namespace shim::metrics

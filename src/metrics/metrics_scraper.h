// Keeps a ScrapeSnapshot of SGLang's /metrics and /v1/loads current in the
// background, so GET /metrics never waits on SGLang. A coroutine on the front
// door's io_context; every failure is absorbed (logged at debug) and shows up
// as vllm_sglang_shim_sglang_metrics_up 0 and a growing scrape age.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "metrics/counter_continuity.h"
#include "metrics/metrics_render.h"

namespace shim::metrics {

struct FetchResult {
  bool ok = false;  // a complete HTTP response arrived
  int status = 0;
  std::string body;
  std::string error;  // when !ok
};

// GETs `target` ("/metrics", "/v1/loads") from SGLang. Must not throw.
// The app wires it to frontdoor's FetchFromBackend (src/frontdoor/backend_client.h)
// through BackendMetricsFetcher (src/metrics/frontdoor_bridge.h).
using MetricsFetcher = std::function<boost::asio::awaitable<FetchResult>(std::string target)>;

class MetricsScraper {
 public:
  MetricsScraper(MetricsFetcher fetch, std::chrono::duration<double> interval);

  // Scrapes now, then every interval until Stop(). Never throws.
  boost::asio::awaitable<void> Run();
  // Ends Run() at its next wait. Call on the scraper's executor.
  void Stop();

  // One scrape of both sources, publishing a new snapshot.
  boost::asio::awaitable<void> ScrapeOnce();

  // The latest snapshot, never null. Safe from any thread.
  std::shared_ptr<const ScrapeSnapshot> Latest() const;

  // False once SGLang answered /v1/loads with 404 (versions before ~2026-01).
  bool loads_supported() const { return loads_supported_; }

 private:
  // The body of a 200 answer to `target`, else nullopt (logged).
  boost::asio::awaitable<std::optional<std::string>> Fetch(const std::string& target, int* status);

  MetricsFetcher fetch_;
  std::chrono::steady_clock::duration interval_;
  bool stopped_ = false;
  bool loads_supported_ = true;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  CounterContinuity continuity_;  // published counters never go backwards
  mutable std::mutex mutex_;
  std::shared_ptr<const ScrapeSnapshot> latest_;
};

}  // namespace shim::metrics

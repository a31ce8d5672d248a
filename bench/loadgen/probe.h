// Side probes during a load: GET a URL on its own keep-alive connection at a
// fixed rate, on a thread of its own so the load's event loop does not delay
// the probe's reads (the probe measures the server, not the client).
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgen/http_url.h"

namespace shim::loadgen {

class ProbeSet {
 public:
  // One probe per URL, each at its own interval.
  ProbeSet(std::vector<HttpUrl> urls, std::vector<std::string> names, std::vector<double> intervals_ms);
  ~ProbeSet();

  void Start();
  // Samples taken with send time in [start, end) are recorded (CLOCK_MONOTONIC ns).
  void SetWindowStart(int64_t ns) { window_start_.store(ns); }
  void SetWindowEnd(int64_t ns) { window_end_.store(ns); }
  // Stops probing and waits (bounded by the per-probe timeout) for the thread.
  void Stop();
  // {"<url>": {"latency_us": {...}, "ok", "non_200", "errors", "timeouts"}}
  nlohmann::json Results();

 private:
  void Run();

  std::vector<HttpUrl> urls_;
  std::vector<std::string> names_;
  std::vector<double> intervals_ms_;
  std::atomic<int64_t> window_start_{0};
  std::atomic<int64_t> window_end_{INT64_MAX};
  std::atomic<bool> stop_{false};
  std::vector<nlohmann::json> results_;
  std::thread thread_;
};

}  // namespace shim::loadgen

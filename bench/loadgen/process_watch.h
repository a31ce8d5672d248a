// CPU share and resident memory of the processes under test over the measured
// window, so a result says which process was the bottleneck.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgen/options.h"

namespace shim::loadgen {

class ProcessWatch {
 public:
  explicit ProcessWatch(std::vector<WatchedProcess> processes) : processes_(std::move(processes)) {}
  void StartWindow();  // call at the window's start
  // {"<name>": {"pid", "cpu_percent" (of one core), "rss_kib"}}; a process that
  // vanished reports null figures.
  nlohmann::json FinishWindow(double window_seconds);

 private:
  std::vector<WatchedProcess> processes_;
  std::vector<double> start_cpu_;
};

}  // namespace shim::loadgen

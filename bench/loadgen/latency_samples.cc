#include "loadgen/latency_samples.h"

#include <algorithm>
#include <cmath>

namespace shim::loadgen {

void LatencySamples::Add(int64_t nanoseconds) {
  if (samples_.size() >= cap_) {
    ++dropped_;
    return;
  }
  if (!samples_.empty() && nanoseconds < samples_.back()) sorted_ = false;
  samples_.push_back(nanoseconds);
}

void LatencySamples::SortIfNeeded() {
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
}

double LatencySamples::PercentileUs(double q) {
  if (samples_.empty()) return 0.0;
  SortIfNeeded();
  q = std::clamp(q, 0.0, 100.0);
  // Nearest rank: the smallest sample with at least q% of samples at or below it.
  size_t rank = static_cast<size_t>(std::ceil(q / 100.0 * static_cast<double>(samples_.size())));
  size_t index = rank == 0 ? 0 : rank - 1;
  return static_cast<double>(samples_[index]) / 1000.0;
}

double LatencySamples::MeanUs() const {
  if (samples_.empty()) return 0.0;
  long double sum = 0;
  for (int64_t s : samples_) sum += s;
  return static_cast<double>(sum / samples_.size() / 1000.0L);
}

nlohmann::json LatencySamples::ToJson() {
  nlohmann::json out;
  out["count"] = samples_.size();
  out["dropped"] = dropped_;
  out["min"] = PercentileUs(0);
  out["mean"] = MeanUs();
  out["p50"] = PercentileUs(50);
  out["p90"] = PercentileUs(90);
  out["p99"] = PercentileUs(99);
  out["p999"] = PercentileUs(99.9);
  out["max"] = PercentileUs(100);
  nlohmann::json curve = nlohmann::json::array();
  for (double q : {1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 98.0, 99.0, 99.5, 99.9, 99.99, 100.0}) {
    curve.push_back({q, PercentileUs(q)});
  }
  out["curve"] = curve;
  return out;
}

}  // namespace shim::loadgen

// Every latency sample of one measurement, kept exactly (a sorted vector) so
// percentiles are exact rather than bucketed. Bounded: past the cap, samples
// are counted as dropped so memory stays fixed under any load.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace shim::loadgen {

class LatencySamples {
 public:
  explicit LatencySamples(size_t cap = 20'000'000) : cap_(cap) {}

  void Add(int64_t nanoseconds);
  size_t count() const { return samples_.size(); }
  size_t dropped() const { return dropped_; }

  // Nearest-rank percentile in microseconds, q in [0, 100]; 0 when empty.
  double PercentileUs(double q);
  double MeanUs() const;

  // {"count", "dropped", "min", "mean", "p50", "p90", "p99", "p999", "max",
  //  "curve": [[q, us], ...]} with every figure in microseconds.
  nlohmann::json ToJson();

 private:
  void SortIfNeeded();

  size_t cap_;
  size_t dropped_ = 0;
  bool sorted_ = true;
  std::vector<int64_t> samples_;
};

}  // namespace shim::loadgen

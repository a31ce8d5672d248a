// Keeps the vLLM counters and histograms the shim publishes from going
// backwards. They are sums over SGLang's processes and ranks; when one of
// those restarts (or a rank's series is briefly missing and comes back from
// zero), the sum drops, and Prometheus would read the drop as a reset of the
// whole counter: rate() and increase() jump by the full value. A drop is taken
// as a restart of the source instead: what was counted before is kept, and
// the new count adds to it. Used by the scraper, one instance per scraper.
#pragma once
#include <map>
#include <string_view>
#include <vector>

#include "metrics/vllm_metrics.h"

namespace shim::metrics {

class CounterContinuity {
 public:
  // Adjusts the counters and histograms of one scrape's aggregate in place.
  void Apply(std::vector<AggregatedMetric>* metrics);

 private:
  struct CounterState {
    double last_raw = 0;
    double carried = 0;  // counted before the source's last restart
  };
  struct HistogramState {
    HistogramValue last_raw;
    HistogramValue carried;  // same bounds as last_raw
  };
  std::map<std::string_view, CounterState> counters_;  // keys: table names (static storage)
  std::map<std::string_view, HistogramState> histograms_;
};

}  // namespace shim::metrics

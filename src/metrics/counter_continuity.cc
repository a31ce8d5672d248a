#include "metrics/counter_continuity.h"

namespace shim::metrics {
namespace {

bool SameBounds(const HistogramValue& a, const HistogramValue& b) {
  if (a.buckets.size() != b.buckets.size()) return false;
  for (size_t i = 0; i < a.buckets.size(); ++i) {
    if (a.buckets[i].first != b.buckets[i].first) return false;
  }
  return true;
}

void AddInto(const HistogramValue& from, HistogramValue* to) {
  for (size_t i = 0; i < to->buckets.size(); ++i) to->buckets[i].second += from.buckets[i].second;
  to->count += from.count;
  to->sum += from.sum;
}

HistogramValue ZeroLike(const HistogramValue& shape) {
  HistogramValue zero = shape;
  for (auto& bucket : zero.buckets) bucket.second = 0;
  zero.count = 0;
  zero.sum = 0;
  return zero;
}

}  // namespace

void CounterContinuity::Apply(std::vector<AggregatedMetric>* metrics) {
  for (AggregatedMetric& metric : *metrics) {
    const VllmMetricSpec& spec = *metric.spec;
    if (spec.type == MetricType::kCounter && metric.origin == ValueOrigin::kSglangMetrics) {
      auto [it, fresh] = counters_.try_emplace(spec.name);
      CounterState& state = it->second;
      if (!fresh && metric.value < state.last_raw) state.carried += state.last_raw;
      state.last_raw = metric.value;
      metric.value += state.carried;
    } else if (spec.type == MetricType::kHistogram && metric.histogram) {
      HistogramValue& raw = *metric.histogram;
      auto [it, fresh] = histograms_.try_emplace(spec.name);
      HistogramState& state = it->second;
      if (fresh || !SameBounds(raw, state.last_raw)) {
        // New bounds (a new SGLang with other buckets): nothing to carry over.
        state.last_raw = raw;
        state.carried = ZeroLike(raw);
        continue;
      }
      if (raw.count < state.last_raw.count) AddInto(state.last_raw, &state.carried);
      state.last_raw = raw;
      AddInto(state.carried, &raw);
    }
  }
}

}  // namespace shim::metrics

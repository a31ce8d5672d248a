// AggregateVllmMetrics: SGLang series of several ranks → one vLLM value each.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "metrics/vllm_metrics.h"

namespace shim::metrics {
namespace {

using SampleIndex = std::unordered_map<std::string_view, std::vector<const Sample*>>;

// Labels that tell apart replicas of one scheduler's state
// (scheduler_metrics_mixin.py init_metrics; moe_ep_rank in newer versions).
bool IsReplicaLabel(std::string_view name) { return name == "tp_rank" || name == "pp_rank" || name == "moe_ep_rank"; }

// A canonical key of a sample's labels, leaving out `le` and, when asked, the
// replica labels. Sorted, so label order in the text does not matter.
std::string SeriesKey(const Sample& sample, bool drop_replicas) {
  std::vector<const std::pair<std::string, std::string>*> kept;
  for (const auto& label : sample.labels) {
    if (label.first == "le") continue;
    if (drop_replicas && IsReplicaLabel(label.first)) continue;
    kept.push_back(&label);
  }
  std::sort(kept.begin(), kept.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string key;
  for (const auto* label : kept) {
    key.append(label->first).push_back('\0');
    key.append(label->second).push_back('\0');
  }
  return key;
}

// Values a count or ratio can take; anything else from the wire is ignored.
bool UsableValue(double value) { return std::isfinite(value) && value >= 0; }

const std::vector<const Sample*>* Find(const SampleIndex& index, std::string_view name) {
  auto it = index.find(name);
  return it == index.end() || it->second.empty() ? nullptr : &it->second;
}

// Max over replicas per scheduler.
std::map<std::string, double> MaxPerScheduler(const std::vector<const Sample*>& samples) {
  std::map<std::string, double> per_scheduler;
  for (const Sample* sample : samples) {
    if (!UsableValue(sample->value)) continue;
    auto [it, inserted] = per_scheduler.emplace(SeriesKey(*sample, true), sample->value);
    if (!inserted) it->second = std::max(it->second, sample->value);
  }
  return per_scheduler;
}

std::optional<double> SchedulerCount(const std::vector<const Sample*>& samples) {
  std::map<std::string, double> per_scheduler = MaxPerScheduler(samples);
  if (per_scheduler.empty()) return std::nullopt;
  double total = 0;
  for (const auto& [key, value] : per_scheduler) total += value;
  return total;
}

std::optional<double> SchedulerRatio(const std::vector<const Sample*>& samples,
                                     const std::vector<const Sample*>* weights) {
  std::map<std::string, double> ratios = MaxPerScheduler(samples);
  if (ratios.empty()) return std::nullopt;
  std::map<std::string, double> capacity;
  if (weights) capacity = MaxPerScheduler(*weights);
  double weighted = 0, weight = 0, plain = 0;
  bool every_scheduler_weighted = true;
  for (const auto& [key, ratio] : ratios) {
    plain += ratio;
    auto it = capacity.find(key);
    if (it != capacity.end() && it->second > 0) {
      weighted += ratio * it->second;
      weight += it->second;
    } else {
      every_scheduler_weighted = false;
    }
  }
  if (every_scheduler_weighted && weight > 0) return weighted / weight;
  return plain / static_cast<double>(ratios.size());
}

std::optional<double> CounterSum(const std::vector<const Sample*>& samples) {
  double total = 0;
  bool any = false;
  for (const Sample* sample : samples) {
    if (!UsableValue(sample->value)) continue;
    total += sample->value;
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

struct HistogramSeries {
  std::map<double, double> buckets;  // le → cumulative count
  double sum = 0;
  std::optional<double> count;
};

std::optional<HistogramValue> AggregateHistogram(const SampleIndex& index, std::string_view family,
                                                 bool dedupe_replicas) {
  const std::string family_name(family);
  const auto* buckets = Find(index, family_name + "_bucket");
  if (!buckets) return std::nullopt;
  std::map<std::string, HistogramSeries> series;  // full label key (without le) → series
  std::map<std::string, std::string> scheduler_of;
  for (const Sample* sample : *buckets) {
    const std::string* le = sample->FindLabel("le");
    if (!le || !UsableValue(sample->value)) continue;
    std::optional<double> bound = ParsePrometheusValue(*le);
    if (!bound || std::isnan(*bound)) continue;
    std::string key = SeriesKey(*sample, false);
    series[key].buckets[*bound] = sample->value;
    scheduler_of.emplace(key, SeriesKey(*sample, true));
  }
  for (const char* suffix : {"_sum", "_count"}) {
    const auto* samples = Find(index, family_name + suffix);
    if (!samples) continue;
    for (const Sample* sample : *samples) {
      auto it = series.find(SeriesKey(*sample, false));
      if (it == series.end() || !std::isfinite(sample->value)) continue;
      if (suffix[1] == 's')
        it->second.sum = sample->value;
      else
        it->second.count = sample->value;
    }
  }
  // A series without a +Inf bucket is not a histogram we can add up.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<const HistogramSeries*> chosen;
  std::map<std::string, const HistogramSeries*> best_replica;
  for (const auto& [key, one] : series) {
    auto inf = one.buckets.find(kInf);
    if (inf == one.buckets.end()) continue;
    if (!dedupe_replicas) {
      chosen.push_back(&one);
      continue;
    }
    const HistogramSeries*& best = best_replica[scheduler_of[key]];
    if (!best || inf->second > best->buckets.at(kInf)) best = &one;
  }
  for (const auto& [scheduler, one] : best_replica) chosen.push_back(one);
  if (chosen.empty()) return std::nullopt;

  HistogramValue result;
  for (const auto& bucket : chosen.front()->buckets) {
    const double bound = bucket.first;  // a named copy: Clang 14 cannot capture a structured binding
    bool shared = std::all_of(chosen.begin(), chosen.end(),
                              [&](const HistogramSeries* s) { return s->buckets.count(bound) > 0; });
    if (!shared) continue;
    double total = 0;
    for (const HistogramSeries* s : chosen) total += s->buckets.at(bound);
    result.buckets.emplace_back(bound, total);
  }
  for (const HistogramSeries* s : chosen) {
    result.sum += s->sum;
    result.count += s->count.value_or(s->buckets.at(kInf));
  }
  return result;
}

// The first source of `spec` present in the scrape.
const std::vector<const Sample*>* FirstSource(const SampleIndex& index, const VllmMetricSpec& spec) {
  for (std::string_view source : spec.sglang_sources) {
    if (const auto* samples = Find(index, source)) return samples;
  }
  return nullptr;
}

std::optional<double> PrefixHitRate(const SampleIndex& index) {
  const auto* prompt = Find(index, "sglang:prompt_tokens_total");
  std::optional<double> prompt_tokens = prompt ? CounterSum(*prompt) : std::nullopt;
  if (prompt_tokens && *prompt_tokens > 0) {
    // SGLang creates the cached-tokens series on the first hit only: absent means 0.
    const auto* cached = Find(index, "sglang:cached_tokens_total");
    double cached_tokens = cached ? CounterSum(*cached).value_or(0) : 0;
    return std::min(1.0, cached_tokens / *prompt_tokens);
  }
  const auto* rate = Find(index, "sglang:cache_hit_rate");
  if (!rate) return std::nullopt;
  return SchedulerRatio(*rate, Find(index, "sglang:max_total_num_tokens"));
}

std::optional<double> FromLoads(const Loads& loads, LoadsField field) {
  switch (field) {
    case LoadsField::kRunning:
      return loads.TotalRunning();
    case LoadsField::kWaiting:
      return loads.TotalWaiting();
    case LoadsField::kTokenUsage:
      return loads.TokenUsage();
    case LoadsField::kNone:
      break;
  }
  return std::nullopt;
}

std::optional<double> FromSglangMetrics(const SampleIndex& index, const VllmMetricSpec& spec) {
  if (spec.aggregation == Aggregation::kPrefixHitRate) return PrefixHitRate(index);
  const auto* samples = FirstSource(index, spec);
  if (!samples) return std::nullopt;
  switch (spec.aggregation) {
    case Aggregation::kSchedulerCount:
      return SchedulerCount(*samples);
    case Aggregation::kSchedulerRatio:
      return SchedulerRatio(*samples, Find(index, "sglang:max_total_num_tokens"));
    case Aggregation::kCounterSum:
      return CounterSum(*samples);
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

std::vector<AggregatedMetric> AggregateVllmMetrics(const std::vector<Sample>& sglang_samples, const Loads* loads,
                                                   double front_door_in_flight) {
  SampleIndex index;
  for (const Sample& sample : sglang_samples) index[sample.name].push_back(&sample);

  std::vector<AggregatedMetric> result;
  for (const VllmMetricSpec& spec : VllmMetricTable()) {
    AggregatedMetric metric;
    metric.spec = &spec;
    if (spec.type == MetricType::kHistogram) {
      for (std::string_view source : spec.sglang_sources) {
        metric.histogram = AggregateHistogram(index, source, spec.aggregation == Aggregation::kSchedulerHistogram);
        if (metric.histogram) break;
      }
      if (metric.histogram) result.push_back(std::move(metric));
      continue;
    }
    std::optional<double> value;
    if (loads && spec.loads_field != LoadsField::kNone) {
      value = FromLoads(*loads, spec.loads_field);
      metric.origin = ValueOrigin::kSglangLoads;
    }
    if (!value) {
      value = FromSglangMetrics(index, spec);
      metric.origin = ValueOrigin::kSglangMetrics;
    }
    if (!value) {
      metric.origin = ValueOrigin::kFrontDoor;
      if (spec.fallback == Fallback::kFrontDoorInFlight)
        value = std::max(0.0, front_door_in_flight);
      else if (spec.fallback == Fallback::kZero)
        value = 0;
    }
    if (!value) continue;
    metric.value = *value;
    result.push_back(std::move(metric));
  }
  return result;
}

}  // namespace shim::metrics

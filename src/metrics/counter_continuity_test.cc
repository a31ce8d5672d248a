#include "metrics/counter_continuity.h"

#include <gtest/gtest.h>

#include <limits>

namespace shim::metrics {
namespace {

const VllmMetricSpec* Spec(std::string_view name) {
  for (const VllmMetricSpec& spec : VllmMetricTable()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

AggregatedMetric Counter(double value) {
  AggregatedMetric m;
  m.spec = Spec("vllm:prompt_tokens_total");
  m.value = value;
  return m;
}

AggregatedMetric Histogram(double below_one, double total, double sum) {
  AggregatedMetric m;
  m.spec = Spec("vllm:e2e_request_latency_seconds");
  m.histogram = HistogramValue{{{1.0, below_one}, {std::numeric_limits<double>::infinity(), total}}, sum, total};
  return m;
}

double Published(CounterContinuity* continuity, AggregatedMetric metric) {
  std::vector<AggregatedMetric> metrics = {metric};
  continuity->Apply(&metrics);
  return metrics[0].value;
}

TEST(CounterContinuity, RisingCountersPassUnchanged) {
  CounterContinuity continuity;
  EXPECT_EQ(Published(&continuity, Counter(10)), 10);
  EXPECT_EQ(Published(&continuity, Counter(25)), 25);
  EXPECT_EQ(Published(&continuity, Counter(25)), 25);
}

TEST(CounterContinuity, ADropIsARestartOfTheSourceNotOfTheCounter) {
  CounterContinuity continuity;
  EXPECT_EQ(Published(&continuity, Counter(100)), 100);
  EXPECT_EQ(Published(&continuity, Counter(30)), 130);  // a rank restarted and counted 30 since
  EXPECT_EQ(Published(&continuity, Counter(40)), 140);
  EXPECT_EQ(Published(&continuity, Counter(0)), 140);  // and again
  EXPECT_EQ(Published(&continuity, Counter(5)), 145);
}

TEST(CounterContinuity, AMissingScrapeChangesNothing) {
  CounterContinuity continuity;
  EXPECT_EQ(Published(&continuity, Counter(50)), 50);
  std::vector<AggregatedMetric> none;
  continuity.Apply(&none);
  EXPECT_EQ(Published(&continuity, Counter(60)), 60);
}

TEST(CounterContinuity, HistogramsCarryEveryBucket) {
  CounterContinuity continuity;
  std::vector<AggregatedMetric> first = {Histogram(3, 4, 2.5)};
  continuity.Apply(&first);
  std::vector<AggregatedMetric> after_restart = {Histogram(1, 1, 0.5)};
  continuity.Apply(&after_restart);
  const HistogramValue& h = *after_restart[0].histogram;
  EXPECT_EQ(h.buckets[0].second, 4);
  EXPECT_EQ(h.buckets[1].second, 5);
  EXPECT_EQ(h.count, 5);
  EXPECT_DOUBLE_EQ(h.sum, 3.0);
}

TEST(CounterContinuity, GaugesAreLeftAlone) {
  CounterContinuity continuity;
  AggregatedMetric gauge;
  gauge.spec = Spec("vllm:num_requests_running");
  gauge.value = 5;
  EXPECT_EQ(Published(&continuity, gauge), 5);
  gauge.value = 1;
  EXPECT_EQ(Published(&continuity, gauge), 1);
}

}  // namespace
}  // namespace shim::metrics

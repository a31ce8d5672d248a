#include "loadgen/latency_samples.h"

#include <gtest/gtest.h>

namespace shim::loadgen {
namespace {

TEST(LatencySamples, EmptyReportsZeros) {
  LatencySamples s;
  EXPECT_EQ(s.PercentileUs(50), 0.0);
  EXPECT_EQ(s.ToJson()["count"], 0);
}

TEST(LatencySamples, NearestRankPercentilesOfOneToHundred) {
  LatencySamples s;
  for (int i = 100; i >= 1; --i) s.Add(i * 1000);  // 1..100 µs, added out of order
  EXPECT_DOUBLE_EQ(s.PercentileUs(50), 50.0);
  EXPECT_DOUBLE_EQ(s.PercentileUs(99), 99.0);
  EXPECT_DOUBLE_EQ(s.PercentileUs(99.5), 100.0);
  EXPECT_DOUBLE_EQ(s.PercentileUs(0), 1.0);
  EXPECT_DOUBLE_EQ(s.PercentileUs(100), 100.0);
  EXPECT_DOUBLE_EQ(s.MeanUs(), 50.5);
}

TEST(LatencySamples, CapCountsDroppedSamples) {
  LatencySamples s(3);
  for (int i = 0; i < 5; ++i) s.Add(i);
  EXPECT_EQ(s.count(), 3u);
  EXPECT_EQ(s.dropped(), 2u);
  EXPECT_EQ(s.ToJson()["dropped"], 2);
}

TEST(LatencySamples, JsonCurveEndsAtMax) {
  LatencySamples s;
  s.Add(2000);
  s.Add(7000);
  auto j = s.ToJson();
  EXPECT_DOUBLE_EQ(j["max"].get<double>(), 7.0);
  EXPECT_DOUBLE_EQ(j["curve"].back()[1].get<double>(), 7.0);
  EXPECT_DOUBLE_EQ(j["p50"].get<double>(), 2.0);
}

}  // namespace
}  // namespace shim::loadgen

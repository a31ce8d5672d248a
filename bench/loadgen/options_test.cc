#include "loadgen/options.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgen/http_url.h"
#include "loadgen/process_stats.h"

namespace shim::loadgen {
namespace {

TEST(ParseHttpUrl, AcceptsLoopbackForms) {
  HttpUrl url;
  std::string err;
  ASSERT_TRUE(ParseHttpUrl("http://127.0.0.1:8000/v1/chat/completions", &url, &err)) << err;
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8000);
  EXPECT_EQ(url.target, "/v1/chat/completions");
  ASSERT_TRUE(ParseHttpUrl("http://localhost:9", &url, &err)) << err;
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.target, "/");
  ASSERT_TRUE(ParseHttpUrl("http://[::1]:81/health", &url, &err)) << err;
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 81);
}

TEST(ParseHttpUrl, RejectsWhatItCannotMeasureSafely) {
  HttpUrl url;
  std::string err;
  EXPECT_FALSE(ParseHttpUrl("https://127.0.0.1:1/", &url, &err));
  EXPECT_FALSE(ParseHttpUrl("http://example.com/", &url, &err));
  EXPECT_NE(err.find("numeric"), std::string::npos);
  EXPECT_FALSE(ParseHttpUrl("http://127.0.0.1:70000/", &url, &err));
  EXPECT_FALSE(ParseHttpUrl("http://127.0.0.1:x/", &url, &err));
}

TEST(ParseLoadOptions, PostDefaultsAndBody) {
  LoadOptions o;
  std::string err;
  ASSERT_TRUE(ParseLoadOptions({"post", "--url", "http://127.0.0.1:5/v1/chat/completions", "--concurrency", "64",
                                "--duration", "2.5", "--watch", "engine=123"},
                               &o, &err))
      << err;
  EXPECT_EQ(o.concurrency, 64);
  EXPECT_DOUBLE_EQ(o.duration_s, 2.5);
  ASSERT_EQ(o.watch.size(), 1u);
  EXPECT_EQ(o.watch[0].name, "engine");
  EXPECT_EQ(o.watch[0].pid, 123);
  auto body = nlohmann::json::parse(o.body);
  EXPECT_EQ(body["logprobs"], false);
  EXPECT_FALSE(body.contains("stream"));
}

TEST(ParseLoadOptions, StreamBodyAsksForFixedLength) {
  LoadOptions o;
  std::string err;
  ASSERT_TRUE(ParseLoadOptions({"stream", "--url", "http://127.0.0.1:5/x", "--tokens", "7", "--model", "m", "--probe",
                                "http://127.0.0.1:5/health"},
                               &o, &err))
      << err;
  auto body = nlohmann::json::parse(o.body);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["max_tokens"], 7);
  EXPECT_EQ(body["ignore_eos"], true);
  EXPECT_EQ(body["model"], "m");
  ASSERT_EQ(o.probes.size(), 1u);
  EXPECT_EQ(o.probes[0].target, "/health");
  EXPECT_DOUBLE_EQ(o.probe_intervals_ms[0], 10.0);
}

TEST(ParseLoadOptions, ProbeMayCarryItsOwnInterval) {
  LoadOptions o;
  std::string err;
  ASSERT_TRUE(ParseLoadOptions({"stream", "--url", "http://127.0.0.1:5/x", "--probe", "250@http://127.0.0.1:5/metrics",
                                "--probe", "http://127.0.0.1:5/health", "--probe-interval-ms", "20"},
                               &o, &err))
      << err;
  ASSERT_EQ(o.probes.size(), 2u);
  EXPECT_EQ(o.probe_texts[0], "http://127.0.0.1:5/metrics");
  EXPECT_DOUBLE_EQ(o.probe_intervals_ms[0], 250.0);
  EXPECT_DOUBLE_EQ(o.probe_intervals_ms[1], 20.0);
  EXPECT_FALSE(
      ParseLoadOptions({"stream", "--url", "http://127.0.0.1:5/x", "--probe", "x@http://127.0.0.1:5/m"}, &o, &err));
}

TEST(ParseLoadOptions, BadInputGetsClearErrors) {
  LoadOptions o;
  std::string err;
  EXPECT_FALSE(ParseLoadOptions({}, &o, &err));
  EXPECT_FALSE(ParseLoadOptions({"post"}, &o, &err));
  EXPECT_NE(err.find("--url"), std::string::npos);
  EXPECT_FALSE(ParseLoadOptions({"post", "--url", "http://127.0.0.1:5/", "--concurrency", "0"}, &o, &err));
  EXPECT_NE(err.find("--concurrency"), std::string::npos);
  EXPECT_FALSE(ParseLoadOptions({"post", "--url", "http://127.0.0.1:5/", "--body", "{nope"}, &o, &err));
  EXPECT_FALSE(ParseLoadOptions({"post", "--url", "http://127.0.0.1:5/", "--watch", "x"}, &o, &err));
  EXPECT_FALSE(ParseLoadOptions({"post", "--url", "http://127.0.0.1:5/", "--bogus", "1"}, &o, &err));
  EXPECT_FALSE(ParseLoadOptions({"post", "--url"}, &o, &err));
}

TEST(ProcessStats, ParsesProcFormats) {
  EXPECT_EQ(RssKiBFromStatus("Name:\tx\nVmPeak:\t 100 kB\nVmRSS:\t    2048 kB\n"), 2048);
  EXPECT_FALSE(RssKiBFromStatus("Name:\tx\n").has_value());
  // Command names may contain spaces and parentheses.
  std::string stat = "42 (a b) c) S 1 1 1 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0";
  auto cpu = CpuSecondsFromStat(stat, 100);
  ASSERT_TRUE(cpu.has_value());
  EXPECT_DOUBLE_EQ(*cpu, 3.0);
  EXPECT_FALSE(CpuSecondsFromStat("garbage", 100).has_value());
}

TEST(ProcessStats, ReadsThisProcess) {
  EXPECT_GT(ReadRssKiB(getpid()).value_or(0), 0);
  EXPECT_TRUE(ReadCpuSeconds(getpid()).has_value());
  EXPECT_FALSE(ReadRssKiB(999999999).has_value());
}

}  // namespace
}  // namespace shim::loadgen

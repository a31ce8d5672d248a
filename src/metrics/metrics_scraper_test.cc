#include "metrics/metrics_scraper.h"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace shim::metrics {
namespace {

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(SHIM_SOURCE_DIR) + "/src/metrics/testdata/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A scripted SGLang: answers per target, counts calls.
struct FakeSglang {
  std::map<std::string, FetchResult> answers;
  std::map<std::string, int> calls;
  bool throw_instead = false;

  MetricsFetcher Fetcher() {
    return [this](std::string target) -> boost::asio::awaitable<FetchResult> {
      ++calls[target];
      if (throw_instead) throw std::runtime_error("fetcher bug");
      auto it = answers.find(target);
      if (it == answers.end()) co_return FetchResult{false, 0, "", "connect: Connection refused"};
      co_return it->second;
    };
  }
};

void RunToCompletion(boost::asio::io_context& io, boost::asio::awaitable<void> work) {
  bool done = false;
  boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
    EXPECT_FALSE(e) << "an exception escaped the scraper";
    done = true;
  });
  io.run_for(std::chrono::seconds(5));
  io.restart();
  EXPECT_TRUE(done);
}

const char* kLoads = R"({"loads":[{"dp_rank":0,"num_running_reqs":7,"num_waiting_reqs":1,"token_usage":0.5}]})";

TEST(MetricsScraperTest, PublishesBothSources) {
  FakeSglang sglang;
  sglang.answers["/metrics"] = {true, 200, ReadTestData("sglang_tp2.txt"), ""};
  sglang.answers["/v1/loads"] = {true, 200, kLoads, ""};
  boost::asio::io_context io;
  MetricsScraper scraper(sglang.Fetcher(), std::chrono::seconds(2));
  EXPECT_FALSE(scraper.Latest()->scraped_at.has_value());
  RunToCompletion(io, scraper.ScrapeOnce());
  auto snapshot = scraper.Latest();
  EXPECT_TRUE(snapshot->metrics_ok);
  EXPECT_TRUE(snapshot->scraped_at.has_value());
  ASSERT_TRUE(snapshot->loads.has_value());
  EXPECT_EQ(snapshot->loads->TotalRunning(), 7);
  std::string text = RenderMetrics(*snapshot, {}, {"m", "0"}, {});
  EXPECT_NE(text.find("vllm:num_requests_running{model_name=\"m\",engine=\"0\"} 7\n"), std::string::npos);
  EXPECT_NE(text.find("vllm:prompt_tokens_total{model_name=\"m\",engine=\"0\"} 4000\n"), std::string::npos);
}

TEST(MetricsScraperTest, StopsAskingForLoadsAfter404) {
  FakeSglang sglang;
  sglang.answers["/metrics"] = {true, 200, ReadTestData("sglang_tp2.txt"), ""};
  sglang.answers["/v1/loads"] = {true, 404, "{\"detail\":\"Not Found\"}", ""};
  boost::asio::io_context io;
  MetricsScraper scraper(sglang.Fetcher(), std::chrono::seconds(2));
  RunToCompletion(io, scraper.ScrapeOnce());
  RunToCompletion(io, scraper.ScrapeOnce());
  EXPECT_FALSE(scraper.loads_supported());
  EXPECT_EQ(sglang.calls["/v1/loads"], 1);
  EXPECT_EQ(sglang.calls["/metrics"], 2);
  EXPECT_TRUE(scraper.Latest()->metrics_ok);
  EXPECT_FALSE(scraper.Latest()->loads.has_value());
}

TEST(MetricsScraperTest, FailuresKeepTheLastSuccessTimeAndDropStaleValues) {
  FakeSglang sglang;
  sglang.answers["/metrics"] = {true, 200, ReadTestData("sglang_tp2.txt"), ""};
  boost::asio::io_context io;
  MetricsScraper scraper(sglang.Fetcher(), std::chrono::seconds(2));
  RunToCompletion(io, scraper.ScrapeOnce());
  auto first = scraper.Latest()->scraped_at;
  ASSERT_TRUE(first.has_value());

  sglang.answers["/metrics"] = {true, 503, "starting", ""};
  RunToCompletion(io, scraper.ScrapeOnce());
  auto snapshot = scraper.Latest();
  EXPECT_FALSE(snapshot->metrics_ok);
  EXPECT_TRUE(snapshot->samples.empty());
  EXPECT_EQ(snapshot->scraped_at, first);

  FrontDoorCounters counters;
  counters.requests_in_flight = 5;
  std::string text = RenderMetrics(*snapshot, counters, {"m", "0"}, {});
  EXPECT_NE(text.find("vllm:num_requests_running{model_name=\"m\",engine=\"0\"} 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("vllm_sglang_shim_metrics_scrape_age_seconds"), std::string::npos);
}

TEST(MetricsScraperTest, AThrowingFetcherDoesNotEscape) {
  FakeSglang sglang;
  sglang.throw_instead = true;
  boost::asio::io_context io;
  MetricsScraper scraper(sglang.Fetcher(), std::chrono::seconds(2));
  RunToCompletion(io, scraper.ScrapeOnce());
  EXPECT_FALSE(scraper.Latest()->metrics_ok);
}

TEST(MetricsScraperTest, RunScrapesEveryIntervalUntilStopped) {
  FakeSglang sglang;
  MetricsScraper* scraper_ptr = nullptr;
  int scrapes = 0;
  MetricsFetcher counting = [&](std::string target) -> boost::asio::awaitable<FetchResult> {
    if (target == "/metrics" && ++scrapes == 3) scraper_ptr->Stop();
    co_return FetchResult{true, 200, "sglang:num_running_reqs{tp_rank=\"0\"} 1\n", ""};
  };
  // The io_context outlives the scraper: its timer belongs to the context's services.
  boost::asio::io_context io;
  MetricsScraper scraper(counting, std::chrono::milliseconds(100));
  scraper_ptr = &scraper;
  auto start = std::chrono::steady_clock::now();
  RunToCompletion(io, scraper.Run());
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(scrapes, 3);
  EXPECT_GE(elapsed, std::chrono::milliseconds(180));  // two waits between three scrapes
  EXPECT_LT(elapsed, std::chrono::seconds(4));
  EXPECT_TRUE(scraper.Latest()->metrics_ok);
}

TEST(MetricsScraperTest, StopCancelsAPendingWait) {
  FakeSglang sglang;
  boost::asio::io_context io;
  MetricsScraper scraper(sglang.Fetcher(), std::chrono::seconds(60));
  boost::asio::steady_timer stopper(io, std::chrono::milliseconds(50));
  stopper.async_wait([&](const boost::system::error_code&) { scraper.Stop(); });
  auto start = std::chrono::steady_clock::now();
  RunToCompletion(io, scraper.Run());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

}  // namespace
}  // namespace shim::metrics

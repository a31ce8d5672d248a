#include "metrics/frontdoor_bridge.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

namespace shim::metrics {
namespace {

using boost::asio::ip::tcp;

TEST(FrontDoorBridgeTest, CountersFromStats) {
  FrontDoorStats stats;
  stats.requests_in_flight = 3;
  stats.responses[{"/v1/chat/completions", 200}] = 9;
  stats.upstream_errors = 1;
  stats.upstream_connect_errors = 2;
  stats.client_aborts = 4;
  FrontDoorCounters counters = CountersFromStats(stats);
  EXPECT_EQ(counters.requests_in_flight, 3);
  ASSERT_EQ(counters.requests.size(), 1u);
  EXPECT_EQ(counters.requests[0].count, 9u);
  EXPECT_EQ(counters.upstream_errors, 3u);
  EXPECT_EQ(counters.client_aborts, 4u);
  EXPECT_FALSE(counters.backend_healthy);
  EXPECT_FALSE(counters.health_check_latency_seconds.has_value()) << "no check has run";

  stats.health_phase = HealthPhase::kHealthy;
  stats.health_checks_total = 1;
  stats.last_check_seconds = 0.02;
  counters = CountersFromStats(stats);
  EXPECT_TRUE(counters.backend_healthy);
  EXPECT_EQ(counters.health_check_latency_seconds, 0.02);
}

TEST(FrontDoorBridgeTest, MetricsRequestDoesNotCountItself) {
  FrontDoorStats stats;
  stats.requests_in_flight = 1;  // only the GET /metrics being answered
  EXPECT_EQ(CountersForMetricsRequest(stats).requests_in_flight, 0);
  stats.requests_in_flight = 5;
  EXPECT_EQ(CountersForMetricsRequest(stats).requests_in_flight, 4);
  stats.requests_in_flight = 0;  // never negative, whoever calls it
  EXPECT_EQ(CountersForMetricsRequest(stats).requests_in_flight, 0);
}

// A one-shot loopback HTTP server: answers each connection with `response`.
boost::asio::awaitable<void> ServeOnce(tcp::acceptor& acceptor, std::string response, std::string* request_seen) {
  tcp::socket socket = co_await acceptor.async_accept(boost::asio::use_awaitable);
  boost::asio::streambuf buffer;
  co_await boost::asio::async_read_until(socket, buffer, "\r\n\r\n", boost::asio::use_awaitable);
  request_seen->assign(boost::asio::buffers_begin(buffer.data()), boost::asio::buffers_end(buffer.data()));
  co_await boost::asio::async_write(socket, boost::asio::buffer(response), boost::asio::use_awaitable);
}

TEST(FrontDoorBridgeTest, ScraperFetchesOverLoopback) {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const int port = acceptor.local_endpoint().port();
  const std::string body = "sglang:num_running_reqs{tp_rank=\"0\"} 4\n";
  std::string request_seen;
  boost::asio::co_spawn(io,
                        ServeOnce(acceptor,
                                  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body,
                                  &request_seen),
                        [](std::exception_ptr) {});

  MetricsFetcher fetch =
      BackendMetricsFetcher(Endpoint{"127.0.0.1", port}, BearerHeaders("secret"), std::chrono::milliseconds(2000));
  FetchResult result;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { result = co_await fetch("/metrics"); },
      [](std::exception_ptr e) { EXPECT_FALSE(e); });
  io.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, body);
  EXPECT_EQ(request_seen.rfind("GET /metrics HTTP/1.1\r\n", 0), 0u) << request_seen;
  EXPECT_NE(request_seen.find("Bearer secret"), std::string::npos);
}

TEST(FrontDoorBridgeTest, RefusedConnectionIsAFailedFetchNotAnException) {
  boost::asio::io_context io;
  int port;
  {
    tcp::acceptor probe(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }  // closed: nothing listens there now
  MetricsScraper scraper(BackendMetricsFetcher(Endpoint{"127.0.0.1", port}, {}, std::chrono::milliseconds(1000)),
                         std::chrono::seconds(2));
  bool done = false;
  boost::asio::co_spawn(io, scraper.ScrapeOnce(), [&](std::exception_ptr e) {
    EXPECT_FALSE(e);
    done = true;
  });
  io.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(done);
  EXPECT_FALSE(scraper.Latest()->metrics_ok);
}

}  // namespace
}  // namespace shim::metrics

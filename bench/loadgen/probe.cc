#include "loadgen/probe.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "loadgen/http_io.h"
#include "loadgen/latency_samples.h"

namespace shim::loadgen {

namespace http = boost::beast::http;

namespace {

constexpr int64_t kProbeTimeoutNs = 2'000'000'000;  // a probe slower than this counts as a timeout

struct ProbeCounters {
  LatencySamples latency;
  long long ok = 0, non_200 = 0, errors = 0, timeouts = 0;
};

asio::awaitable<void> ProbeLoop(const HttpUrl url, double interval_ms, const std::atomic<bool>& stop,
                                const std::atomic<int64_t>& window_start, const std::atomic<int64_t>& window_end,
                                ProbeCounters& counters) {
  auto executor = co_await asio::this_coro::executor;
  tcp::endpoint endpoint;
  std::string ignored;
  if (!EndpointOf(url, &endpoint, &ignored)) co_return;
  const std::string request = BuildRequest("GET", url, "");
  tcp::socket socket(executor);
  boost::beast::flat_buffer buffer;
  bool connected = false;
  const int64_t interval_ns = static_cast<int64_t>(interval_ms * 1e6);
  int64_t next = NowNs();
  while (!stop.load()) {
    if (!connected) {
      if (co_await ConnectTo(socket, endpoint)) {
        ++counters.errors;
        next += interval_ns;
        co_await SleepNs(next - NowNs());
        continue;
      }
      buffer.clear();
      connected = true;
    }
    // A hung server must not hang the probe: the watchdog closes the socket.
    asio::steady_timer watchdog(executor, std::chrono::nanoseconds(kProbeTimeoutNs));
    bool timed_out = false;
    watchdog.async_wait([&](error_code ec) {
      if (!ec) {
        timed_out = true;
        error_code ignore;
        socket.close(ignore);
      }
    });
    error_code ec;
    int64_t sent = NowNs();
    co_await asio::async_write(socket, asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    if (!ec) co_await http::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    int64_t received = NowNs();
    watchdog.cancel();
    bool in_window = sent >= window_start.load() && sent < window_end.load();
    if (ec) {
      if (in_window) ++(timed_out ? counters.timeouts : counters.errors);
      connected = false;
      socket.close(ec);
    } else {
      if (in_window) {
        if (parser.get().result_int() == 200) {
          ++counters.ok;
          counters.latency.Add(received - sent);
        } else {
          ++counters.non_200;
        }
      }
      if (!parser.get().keep_alive()) {
        connected = false;
        socket.close(ec);
      }
    }
    // Fixed rate; when a probe overruns, skip the missed slots rather than burst.
    next += interval_ns;
    int64_t now = NowNs();
    if (next < now) next = now;
    co_await SleepNs(next - now);
  }
}

}  // namespace

ProbeSet::ProbeSet(std::vector<HttpUrl> urls, std::vector<std::string> names, std::vector<double> intervals_ms)
    : urls_(std::move(urls)), names_(std::move(names)), intervals_ms_(std::move(intervals_ms)) {}

ProbeSet::~ProbeSet() { Stop(); }

void ProbeSet::Start() {
  if (urls_.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void ProbeSet::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void ProbeSet::Run() {
  asio::io_context io(1);
  std::vector<ProbeCounters> counters(urls_.size());
  for (size_t i = 0; i < urls_.size(); ++i) {
    asio::co_spawn(io,
                   ProbeLoop(urls_[i], i < intervals_ms_.size() ? intervals_ms_[i] : 10.0, stop_, window_start_,
                             window_end_, counters[i]),
                   asio::detached);
  }
  io.run();
  results_.clear();
  for (size_t i = 0; i < counters.size(); ++i) {
    auto& c = counters[i];
    results_.push_back({{"latency_us", c.latency.ToJson()},
                        {"ok", c.ok},
                        {"non_200", c.non_200},
                        {"errors", c.errors},
                        {"interval_ms", i < intervals_ms_.size() ? intervals_ms_[i] : 10.0},
                        {"timeouts", c.timeouts}});
  }
}

nlohmann::json ProbeSet::Results() {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < results_.size() && i < names_.size(); ++i) out[names_[i]] = results_[i];
  return out;
}

}  // namespace shim::loadgen

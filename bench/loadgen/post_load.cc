#include "loadgen/post_load.h"

#include <map>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "loadgen/http_io.h"
#include "loadgen/latency_samples.h"
#include "loadgen/process_watch.h"

namespace shim::loadgen {

namespace http = boost::beast::http;

namespace {

struct PostRun {
  explicit PostRun(const LoadOptions& o) : options(o), request(BuildRequest("POST", o.url, o.body)) {}
  const LoadOptions& options;
  tcp::endpoint endpoint;
  std::string request;
  int64_t window_start = 0;  // 0 until the warm-up is over
  int64_t window_end = 0;
  bool stop = false;
  int active_workers = 0;
  LatencySamples latency;
  long long non_200 = 0, io_errors = 0, connects = 0, connect_errors = 0;
  std::map<int, long long> statuses;

  void StopNow() {
    if (stop) return;
    stop = true;
    window_end = NowNs();
  }
};

asio::awaitable<void> PostWorker(PostRun& run) {
  ++run.active_workers;
  tcp::socket socket(co_await asio::this_coro::executor);
  boost::beast::flat_buffer buffer;
  bool connected = false;
  while (!run.stop) {
    if (!connected) {
      error_code ec = co_await ConnectTo(socket, run.endpoint);
      ++run.connects;
      if (ec) {
        ++run.connect_errors;
        co_await SleepNs(10'000'000);  // the server may be busy accepting; retry soon
        continue;
      }
      buffer.clear();
      connected = true;
    }
    error_code ec;
    int64_t sent = NowNs();
    co_await asio::async_write(socket, asio::buffer(run.request), asio::redirect_error(asio::use_awaitable, ec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (!ec) co_await http::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    int64_t received = NowNs();
    if (ec) {
      if (!run.stop) ++run.io_errors;
      connected = false;
      socket.close(ec);
      continue;
    }
    int status = parser.get().result_int();
    bool in_window = run.window_start != 0 && sent >= run.window_start && !run.stop;
    if (in_window) {
      ++run.statuses[status];
      if (status == 200) {
        run.latency.Add(received - sent);
        if (run.options.max_requests > 0 && static_cast<long long>(run.latency.count()) >= run.options.max_requests) {
          run.StopNow();
        }
      } else {
        ++run.non_200;
      }
    }
    if (!parser.get().keep_alive()) {
      connected = false;
      socket.close(ec);
    }
  }
  --run.active_workers;
}

asio::awaitable<void> PostController(PostRun& run, ProcessWatch& watch, nlohmann::json* processes,
                                     asio::io_context& io) {
  co_await SleepNs(static_cast<int64_t>(run.options.warmup_s * 1e9));
  run.window_start = NowNs();
  watch.StartWindow();
  const int64_t deadline = run.window_start + static_cast<int64_t>(run.options.duration_s * 1e9);
  while (!run.stop && NowNs() < deadline) co_await SleepNs(std::min<int64_t>(10'000'000, deadline - NowNs()));
  run.StopNow();
  *processes = watch.FinishWindow((run.window_end - run.window_start) / 1e9);
  const int64_t give_up = NowNs() + static_cast<int64_t>(run.options.grace_s * 1e9);
  while (run.active_workers > 0 && NowNs() < give_up) co_await SleepNs(10'000'000);
  // Anything still waiting (a hung server) is abandoned with the io_context.
  io.stop();
}

}  // namespace

bool RunPostLoad(const LoadOptions& options, nlohmann::json* result, std::string* err) {
  PostRun run(options);
  if (!EndpointOf(options.url, &run.endpoint, err)) return false;
  asio::io_context io(1);
  ProcessWatch watch(options.watch);
  nlohmann::json processes = nlohmann::json::object();
  for (int i = 0; i < options.concurrency; ++i) asio::co_spawn(io, PostWorker(run), asio::detached);
  asio::co_spawn(io, PostController(run, watch, &processes, io), asio::detached);
  io.run();

  double window_s = (run.window_end - run.window_start) / 1e9;
  nlohmann::json statuses = nlohmann::json::object();
  for (const auto& [status, count] : run.statuses) statuses[std::to_string(status)] = count;
  *result = {
      {"mode", "post"},
      {"url", options.url_text},
      {"concurrency", options.concurrency},
      {"window_s", window_s},
      {"requests", run.latency.count()},
      {"rps", window_s > 0 ? run.latency.count() / window_s : 0.0},
      {"latency_us", run.latency.ToJson()},
      {"non_200", run.non_200},
      {"io_errors", run.io_errors},
      {"connects", run.connects},
      {"connect_errors", run.connect_errors},
      {"statuses", statuses},
      {"processes", processes},
  };
  return true;
}

}  // namespace shim::loadgen

#include "loadgen/stream_load.h"

#include <algorithm>
#include <map>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "loadgen/http_io.h"
#include "loadgen/latency_samples.h"
#include "loadgen/probe.h"
#include "loadgen/process_stats.h"
#include "loadgen/process_watch.h"
#include "loadgen/sse_events.h"

namespace shim::loadgen {

namespace http = boost::beast::http;

namespace {

constexpr int64_t kRssSampleEveryNs = 100'000'000;

struct StreamRun {
  explicit StreamRun(const LoadOptions& o) : options(o), request(BuildRequest("POST", o.url, o.body)) {}
  const LoadOptions& options;
  tcp::endpoint endpoint;
  std::string request;
  std::vector<tcp::socket*> sockets;  // per worker, so the end of the window can close them
  int64_t window_start = 0;
  int64_t window_end = 0;
  bool stop = false;
  int active_workers = 0;

  LatencySamples ttft;
  LatencySamples chunk_latency;
  long long chunks = 0, unstamped_chunks = 0, events = 0;
  long long streams_started = 0, streams_completed = 0, stream_errors = 0, non_200 = 0;
  long long connects = 0, connect_errors = 0, short_streams = 0;
  std::map<int, long long> statuses;
  int streaming = 0;  // response headers received, stream not finished
  int max_streaming = 0;

  // RSS of --rss-pid: when all streams first were open, and the largest seen.
  long long rss_first_all_open_kib = -1;
  long long rss_max_all_open_kib = -1;
  long long rss_max_kib = -1;
  int64_t all_open_at = 0;

  bool InWindow(int64_t t) const { return window_start != 0 && t >= window_start && !stop; }
  void SampleRss() {
    if (options.rss_pid <= 0) return;
    auto rss = ReadRssKiB(options.rss_pid);
    if (!rss) return;
    rss_max_kib = std::max(rss_max_kib, *rss);
    if (streaming == options.concurrency) {
      if (rss_first_all_open_kib < 0) {
        rss_first_all_open_kib = *rss;
        all_open_at = NowNs();
      }
      rss_max_all_open_kib = std::max(rss_max_all_open_kib, *rss);
    }
  }
};

// One stream on an open connection: returns false when the connection is unusable afterwards.
asio::awaitable<bool> OneStream(StreamRun& run, tcp::socket& socket, boost::beast::flat_buffer& buffer) {
  error_code ec;
  const int64_t sent = NowNs();
  ++run.streams_started;
  co_await asio::async_write(socket, asio::buffer(run.request), asio::redirect_error(asio::use_awaitable, ec));
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  if (!ec) co_await http::async_read_header(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (!run.stop) ++run.stream_errors;
    co_return false;
  }
  const int status = parser.get().result_int();
  if (run.InWindow(sent)) ++run.statuses[status];
  if (status != 200) ++run.non_200;
  ++run.streaming;
  run.max_streaming = std::max(run.max_streaming, run.streaming);
  if (run.streaming == run.options.concurrency && run.rss_first_all_open_kib < 0) run.SampleRss();

  SseEventReader reader;
  bool first_text = true;
  bool saw_done = false;
  char chunk[16 * 1024];
  auto on_event = [&](std::string_view data) {
    const int64_t now = NowNs();
    ++run.events;
    if (data == "[DONE]") {
      saw_done = true;
      return;
    }
    if (first_text && CarriesText(data)) {
      first_text = false;
      if (run.InWindow(sent) && status == 200) run.ttft.Add(now - sent);
    }
    if (auto stamp = FindFakeSentNs(data)) {
      if (run.InWindow(now)) {
        ++run.chunks;
        run.chunk_latency.Add(now - *stamp);
      }
    } else if (run.InWindow(now)) {
      ++run.unstamped_chunks;
    }
  };
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof(chunk);
    co_await http::async_read_some(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) break;
    size_t got = sizeof(chunk) - parser.get().body().size;
    if (got > 0) reader.Feed(std::string_view(chunk, got), on_event);
  }
  --run.streaming;
  if (ec) {
    if (!run.stop) ++run.stream_errors;
    co_return false;
  }
  ++run.streams_completed;
  if (status == 200 && !saw_done) ++run.short_streams;
  co_return parser.get().keep_alive();
}

asio::awaitable<void> StreamWorker(StreamRun& run, int index) {
  ++run.active_workers;
  tcp::socket socket(co_await asio::this_coro::executor);
  run.sockets[index] = &socket;
  // Stagger the first starts over the ramp so the servers see a steady climb, not a SYN flood.
  co_await SleepNs(static_cast<int64_t>(run.options.ramp_s * 1e9 * index / std::max(1, run.options.concurrency)));
  boost::beast::flat_buffer buffer;
  bool connected = false;
  while (!run.stop) {
    if (!connected) {
      error_code ec = co_await ConnectTo(socket, run.endpoint);
      ++run.connects;
      if (ec) {
        ++run.connect_errors;
        co_await SleepNs(50'000'000);
        continue;
      }
      buffer.clear();
      connected = true;
    }
    connected = co_await OneStream(run, socket, buffer);
    if (!connected) {
      error_code ignore;
      socket.close(ignore);
    }
  }
  run.sockets[index] = nullptr;
  --run.active_workers;
}

asio::awaitable<void> RssSampler(StreamRun& run) {
  while (!run.stop) {
    run.SampleRss();
    co_await SleepNs(kRssSampleEveryNs);
  }
}

asio::awaitable<void> StreamController(StreamRun& run, ProcessWatch& watch, ProbeSet& probes, nlohmann::json* processes,
                                       asio::io_context& io) {
  co_await SleepNs(static_cast<int64_t>((run.options.ramp_s + run.options.warmup_s) * 1e9));
  run.window_start = NowNs();
  probes.SetWindowStart(run.window_start);
  watch.StartWindow();
  const int64_t deadline = run.window_start + static_cast<int64_t>(run.options.duration_s * 1e9);
  while (NowNs() < deadline) co_await SleepNs(std::min<int64_t>(50'000'000, deadline - NowNs()));
  run.stop = true;
  run.window_end = NowNs();
  probes.SetWindowEnd(run.window_end);
  *processes = watch.FinishWindow((run.window_end - run.window_start) / 1e9);
  // Streams still open are cut: closing the sockets ends their reads at once.
  for (tcp::socket* socket : run.sockets) {
    if (socket) {
      error_code ignore;
      socket->close(ignore);
    }
  }
  const int64_t give_up = NowNs() + static_cast<int64_t>(run.options.grace_s * 1e9);
  while (run.active_workers > 0 && NowNs() < give_up) co_await SleepNs(10'000'000);
  io.stop();
}

}  // namespace

bool RunStreamLoad(const LoadOptions& options, nlohmann::json* result, std::string* err) {
  StreamRun run(options);
  if (!EndpointOf(options.url, &run.endpoint, err)) return false;
  run.sockets.assign(options.concurrency, nullptr);
  ProbeSet probes(options.probes, options.probe_texts, options.probe_intervals_ms);
  probes.Start();
  long long rss_before = options.rss_pid > 0 ? ReadRssKiB(options.rss_pid).value_or(-1) : -1;

  asio::io_context io(1);
  ProcessWatch watch(options.watch);
  nlohmann::json processes = nlohmann::json::object();
  for (int i = 0; i < options.concurrency; ++i) asio::co_spawn(io, StreamWorker(run, i), asio::detached);
  asio::co_spawn(io, RssSampler(run), asio::detached);
  asio::co_spawn(io, StreamController(run, watch, probes, &processes, io), asio::detached);
  io.run();
  probes.Stop();

  double window_s = (run.window_end - run.window_start) / 1e9;
  nlohmann::json statuses = nlohmann::json::object();
  for (const auto& [status, count] : run.statuses) statuses[std::to_string(status)] = count;
  auto or_null = [](long long v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
  *result = {
      {"mode", "stream"},
      {"url", options.url_text},
      {"streams", options.concurrency},
      {"window_s", window_s},
      {"streams_started", run.streams_started},
      {"streams_completed", run.streams_completed},
      {"stream_errors", run.stream_errors},
      {"short_streams", run.short_streams},
      {"non_200", run.non_200},
      {"statuses", statuses},
      {"connects", run.connects},
      {"connect_errors", run.connect_errors},
      {"max_streaming", run.max_streaming},
      {"events", run.events},
      {"chunks", run.chunks},
      {"unstamped_chunks", run.unstamped_chunks},
      {"ttft_us", run.ttft.ToJson()},
      {"chunk_us", run.chunk_latency.ToJson()},
      {"probes", probes.Results()},
      {"rss",
       {{"pid", options.rss_pid},
        {"before_kib", or_null(rss_before)},
        {"first_all_open_kib", or_null(run.rss_first_all_open_kib)},
        {"max_all_open_kib", or_null(run.rss_max_all_open_kib)},
        {"max_kib", or_null(run.rss_max_kib)}}},
      {"processes", processes},
  };
  return true;
}

}  // namespace shim::loadgen

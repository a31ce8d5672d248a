// One HTTP request/response on a keep-alive connection, as handlers see it: send a whole
// response, or stream SSE events with chunked encoding; sleep while watching for the client
// to disconnect (so a disconnected client aborts its request, as SGLang's tokenizer manager does).
#pragma once
#include "common/prelude.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace shim::fake_sglang {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

class Exchange {
 public:
  Exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer, Request& request);

  const Request& request() const { return request_; }
  // The path as uvicorn hands it to Starlette: fragment dropped (httptools'
  // parse_url), the part before '?', percent-decoded once.
  std::string_view path() const { return path_; }
  std::string_view query() const { return query_; }
  // Value of one query parameter ("" when absent); no percent-decoding beyond '+'.
  std::string QueryParam(std::string_view name) const;
  bool keep_alive() const { return keep_alive_; }
  bool responded() const { return responded_; }
  bool stream_started() const { return stream_started_; }
  bool client_gone() const { return client_gone_; }

  // Whole responses. Each returns false when the write failed (client gone).
  net::awaitable<bool> Send(http::status status, std::string body, std::string_view content_type);
  net::awaitable<bool> SendJson(http::status status, const nlohmann::json& body);

  // Server-sent events: 200, text/event-stream, chunked. SendEvent wraps `data: <payload>\n\n`.
  net::awaitable<bool> BeginStream();
  net::awaitable<bool> SendEvent(std::string_view payload);
  // A whole SSE frame as given (e.g. "event: <type>\ndata: <json>\n\n" for /v1/responses).
  net::awaitable<bool> SendFrame(std::string frame);
  // Benchmarks: JSON events get "fake_sent_ns" (CLOCK_MONOTONIC at send) first.
  void set_stamp_events(bool on) { stamp_events_ = on; }
  net::awaitable<bool> EndStream();

  // Watches the socket for EOF/reset while the handler waits. Must be stopped (by the
  // session) before the next read on the connection.
  void StartWatch();
  net::awaitable<void> StopWatch();
  bool watching() const { return watching_; }

  // Sleeps up to `duration`; returns false early when the client disconnected.
  net::awaitable<bool> Sleep(std::chrono::steady_clock::duration duration);
  // Sleeps until the client disconnects (FAKE_SGLANG_HANG).
  net::awaitable<void> WaitForDisconnect();

 private:
  net::awaitable<void> Watch();

  beast::tcp_stream& stream_;
  beast::flat_buffer& buffer_;
  Request& request_;
  std::string path_;
  std::string_view query_;
  bool keep_alive_ = true;
  bool responded_ = false;
  bool stream_started_ = false;
  bool client_gone_ = false;
  bool watching_ = false;
  bool watch_done_ = true;
  bool stamp_events_ = false;
  // Created on first use: most requests never wait, and timers cost a little each.
  // Held by pointer: GCC 12 miscompiles the destruction of an engaged
  // std::optional<steady_timer> member of an object living in a coroutine frame.
  std::unique_ptr<net::steady_timer> wake_timer_;
  std::unique_ptr<net::steady_timer> watch_done_timer_;
};

}  // namespace shim::fake_sglang

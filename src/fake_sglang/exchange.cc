#include "fake_sglang/exchange.h"

#include <ctime>

#include "common/strings.h"
#include "common/task_failure.h"

namespace shim::fake_sglang {

using net::awaitable;
using net::redirect_error;
using net::use_awaitable;

Exchange::Exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer, Request& request)
    : stream_(stream), buffer_(buffer), request_(request), keep_alive_(request.keep_alive()) {
  std::string_view target = request_.target();
  target = target.substr(0, target.find('#'));
  size_t q = target.find('?');
  path_ = DecodePercentEscapes(target.substr(0, q));
  if (q != std::string_view::npos) query_ = target.substr(q + 1);
}

std::string Exchange::QueryParam(std::string_view name) const {
  std::string_view rest = query_;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    for (char& c : value) {
      if (c == '+') c = ' ';
    }
    return value;
  }
  return "";
}

awaitable<bool> Exchange::Send(http::status status, std::string body, std::string_view content_type) {
  responded_ = true;
  Response res{status, request_.version()};
  res.set(http::field::server, "uvicorn");
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  res.keep_alive(keep_alive_);
  if (request_.method() != http::verb::head) {
    res.body() = std::move(body);
    res.prepare_payload();
  } else {
    res.content_length(body.size());
  }
  beast::error_code ec;
  co_await http::async_write(stream_, res, redirect_error(use_awaitable, ec));
  if (ec) client_gone_ = true;
  co_return !ec;
}

awaitable<bool> Exchange::SendJson(http::status status, const nlohmann::json& body) {
  // Replace invalid UTF-8 rather than throwing: echoed client text must never crash us.
  co_return co_await Send(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                          "application/json");
}

awaitable<bool> Exchange::BeginStream() {
  responded_ = true;
  stream_started_ = true;
  http::response<http::empty_body> res{http::status::ok, request_.version()};
  res.set(http::field::server, "uvicorn");
  res.set(http::field::content_type, "text/event-stream; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  res.keep_alive(keep_alive_);
  res.chunked(true);
  http::response_serializer<http::empty_body> serializer{res};
  beast::error_code ec;
  co_await http::async_write_header(stream_, serializer, redirect_error(use_awaitable, ec));
  if (ec) client_gone_ = true;
  co_return !ec;
}

awaitable<bool> Exchange::SendEvent(std::string_view payload) {
  if (client_gone_) co_return false;
  std::string event;
  event.reserve(payload.size() + 8);
  event += "data: ";
  if (stamp_events_ && !payload.empty() && payload.front() == '{') {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
    event += "{\"fake_sent_ns\":" + std::to_string(ns) + (payload.size() > 2 ? "," : "");
    event += payload.substr(1);
  } else {
    event += payload;
  }
  event += "\n\n";
  beast::error_code ec;
  co_await net::async_write(stream_, http::make_chunk(net::buffer(event)), redirect_error(use_awaitable, ec));
  if (ec) client_gone_ = true;
  co_return !ec;
}

awaitable<bool> Exchange::SendFrame(std::string frame) {
  if (client_gone_) co_return false;
  beast::error_code ec;
  co_await net::async_write(stream_, http::make_chunk(net::buffer(frame)), redirect_error(use_awaitable, ec));
  if (ec) client_gone_ = true;
  co_return !ec;
}

awaitable<bool> Exchange::EndStream() {
  if (client_gone_) co_return false;
  beast::error_code ec;
  co_await net::async_write(stream_, http::make_chunk_last(), redirect_error(use_awaitable, ec));
  if (ec) client_gone_ = true;
  co_return !ec;
}

void Exchange::StartWatch() {
  if (watching_) return;
  watching_ = true;
  watch_done_ = false;
  if (!wake_timer_) wake_timer_ = std::make_unique<net::steady_timer>(stream_.get_executor());
  if (!watch_done_timer_) watch_done_timer_ = std::make_unique<net::steady_timer>(stream_.get_executor());
  net::co_spawn(stream_.get_executor(), Watch(), LogTaskFailure("the stand-in disconnect watcher"));
}

awaitable<void> Exchange::Watch() {
  // A read that completes with an error means the client closed or reset the connection.
  // Bytes that arrive instead (a pipelined request) stay in the session's buffer.
  stream_.expires_never();
  beast::error_code ec;
  size_t n = co_await stream_.async_read_some(buffer_.prepare(4096), redirect_error(use_awaitable, ec));
  buffer_.commit(n);
  if (ec && ec != net::error::operation_aborted) {
    client_gone_ = true;
    wake_timer_->cancel();
  }
  watch_done_ = true;
  watch_done_timer_->cancel();
}

awaitable<void> Exchange::StopWatch() {
  if (!watching_) co_return;
  if (!watch_done_) {
    beast::error_code ignored;
    stream_.socket().cancel(ignored);
    while (!watch_done_) {
      watch_done_timer_->expires_after(std::chrono::seconds(1));
      co_await watch_done_timer_->async_wait(redirect_error(use_awaitable, ignored));
    }
  }
  watching_ = false;
}

awaitable<bool> Exchange::Sleep(std::chrono::steady_clock::duration duration) {
  if (client_gone_) co_return false;
  if (duration <= std::chrono::steady_clock::duration::zero()) co_return true;
  if (!wake_timer_) wake_timer_ = std::make_unique<net::steady_timer>(stream_.get_executor());
  wake_timer_->expires_after(duration);
  beast::error_code ec;
  co_await wake_timer_->async_wait(redirect_error(use_awaitable, ec));
  co_return !client_gone_;
}

awaitable<void> Exchange::WaitForDisconnect() {
  StartWatch();
  bool connected = true;
  while (connected) {
    connected = co_await Sleep(std::chrono::hours(1));
  }
  co_return;
}

}  // namespace shim::fake_sglang

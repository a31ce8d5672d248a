#include "fake_sglang/kv_fetch.h"

#include <chrono>

#include "fake_sglang/bootstrap_server.h"
#include "fake_sglang/pd_mode.h"

namespace shim::fake_sglang {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using net::awaitable;
using net::redirect_error;
using net::use_awaitable;
using tcp = net::ip::tcp;

namespace {

// Built outside the coroutine: GCC 11/12 mishandle braced temporaries in coroutine frames.
http::request<http::empty_body> LongPollRequest(const std::string& host, int port, const std::string& room) {
  http::request<http::empty_body> req(http::verb::post, std::string(kKvLongPollPath) + "?room=" + room, 11);
  req.set(http::field::host, host + ":" + std::to_string(port));
  req.set(http::field::connection, "close");
  req.prepare_payload();
  return req;
}

}  // namespace

void KvFetch::Cancel() {
  cancelled = true;
  beast::error_code ignored;
  if (stream) stream->socket().close(ignored);
  if (retry_timer) retry_timer->cancel();
}

awaitable<void> FetchKv(std::shared_ptr<KvFetch> fetch, std::string host, int port, std::string room) {
  auto executor = co_await net::this_coro::executor;
  fetch->retry_timer = std::make_unique<net::steady_timer>(executor);
  bool connected = false;
  for (int attempt = 1; attempt <= kBootstrapConnectAttempts && !connected && !fetch->cancelled; ++attempt) {
    beast::error_code ec;
    tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), redirect_error(use_awaitable, ec));
    if (!ec && !fetch->cancelled) {
      fetch->stream = std::make_unique<beast::tcp_stream>(executor);
      // common/conn.py fetches bootstrap info with requests.get(url, timeout=5).
      fetch->stream->expires_after(std::chrono::seconds(5));
      co_await fetch->stream->async_connect(endpoints, redirect_error(use_awaitable, ec));
      connected = !ec && !fetch->cancelled;
    }
    if (!connected && !fetch->cancelled && attempt < kBootstrapConnectAttempts) {
      fetch->retry_timer->expires_after(std::chrono::seconds(1));
      co_await fetch->retry_timer->async_wait(redirect_error(use_awaitable, ec));
    }
  }
  if (!connected) {
    if (!fetch->cancelled) fetch->phase = KvFetch::Phase::kUnreachable;
  } else {
    fetch->stream->expires_never();
    fetch->phase = KvFetch::Phase::kWaiting;
    http::request<http::empty_body> req = LongPollRequest(host, port, room);
    beast::error_code ec;
    co_await http::async_write(*fetch->stream, req, redirect_error(use_awaitable, ec));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    if (!ec && !fetch->cancelled)
      co_await http::async_read(*fetch->stream, buffer, res, redirect_error(use_awaitable, ec));
    if (!fetch->cancelled) {
      fetch->phase = (!ec && res.result() == http::status::ok) ? KvFetch::Phase::kReady : KvFetch::Phase::kLost;
    }
    beast::error_code ignored;
    fetch->stream->socket().close(ignored);
  }
}

}  // namespace shim::fake_sglang

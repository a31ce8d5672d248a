#include "loadgen/http_io.h"

#include <time.h>

#include <chrono>

namespace shim::loadgen {

int64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string BuildRequest(std::string_view method, const HttpUrl& url, std::string_view body) {
  std::string request;
  request.reserve(256 + body.size());
  request.append(method).append(" ").append(url.target).append(" HTTP/1.1\r\n");
  std::string host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
  request.append("Host: ").append(host).append(":").append(std::to_string(url.port)).append("\r\n");
  request.append("User-Agent: shim-loadgen\r\nAccept: */*\r\n");
  if (!body.empty()) {
    request.append("Content-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n");
  }
  request.append("\r\n").append(body);
  return request;
}

bool EndpointOf(const HttpUrl& url, tcp::endpoint* out, std::string* err) {
  error_code ec;
  auto address = asio::ip::make_address(url.host, ec);
  if (ec) {
    *err = "not a numeric address: '" + url.host + "'";
    return false;
  }
  *out = tcp::endpoint(address, static_cast<unsigned short>(url.port));
  return true;
}

asio::awaitable<error_code> ConnectTo(tcp::socket& socket, const tcp::endpoint& endpoint) {
  error_code ec;
  if (socket.is_open()) socket.close(ec);
  ec = {};
  co_await socket.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) socket.set_option(tcp::no_delay(true), ec);
  co_return ec;
}

asio::awaitable<void> SleepNs(int64_t nanoseconds) {
  if (nanoseconds <= 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::nanoseconds(nanoseconds));
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace shim::loadgen

#include "frontdoor/backend_client.h"

#include "common/prelude.h"
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace shim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

HeaderList BearerHeaders(std::string_view api_key) {
  HeaderList headers;
  if (!api_key.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(api_key));
  return headers;
}

BackendRequest OwnBackendRequest(std::string method, std::string target, std::string body, std::string_view api_key,
                                 std::chrono::milliseconds timeout) {
  BackendRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.headers = BearerHeaders(api_key);
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.timeout = timeout;
  return request;
}

namespace {

// Clears the cancel hook when the fetch ends, so it never points at a dead stream.
struct CancelHook {
  CancelHook(FetchCancel* cancel, beast::tcp_stream* stream) : cancel_(cancel) {
    if (cancel_) cancel_->abort = [stream] { stream->cancel(); };
  }
  ~CancelHook() {
    if (cancel_) cancel_->abort = nullptr;
  }
  CancelHook(const CancelHook&) = delete;
  CancelHook& operator=(const CancelHook&) = delete;
  FetchCancel* cancel_;
};

}  // namespace

asio::awaitable<BackendResponse> FetchFromBackend(Endpoint backend, BackendRequest request) {
  BackendResponse result;
  if (request.cancel && request.cancel->cancelled) {
    result.error = "cancelled";
    co_return result;
  }
  auto executor = co_await asio::this_coro::executor;
  beast::error_code ec;
  beast::tcp_stream stream(executor);
  stream.expires_after(request.timeout);
  CancelHook hook(request.cancel.get(), &stream);

  // The backend is SGLang on this pod: a numeric address, or a name the hosts
  // file answers. Resolving without asio's resolver thread keeps the process
  // single-threaded, which lets the I/O loop run without locks (serve_command.cc).
  tcp::resolver resolver(executor);
  tcp::resolver::results_type endpoints =
      resolver.resolve(backend.host, std::to_string(backend.port), tcp::resolver::numeric_service, ec);
  if (ec) {
    result.error = "resolve " + backend.host + ": " + ec.message();
    co_return result;
  }
  co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.error = "connect: " + ec.message();
    co_return result;
  }
  stream.socket().set_option(tcp::no_delay(true), ec);

  http::request<http::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(http::field::host, backend.host + ":" + std::to_string(backend.port));
  for (const auto& [name, value] : request.headers) req.insert(name, value);
  req.keep_alive(false);
  req.body() = std::move(request.body);
  req.prepare_payload();
  co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.error = "write: " + ec.message();
    co_return result;
  }

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(request.max_response_bytes);
  if (request.method == "HEAD") parser.skip(true);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.error = (ec == beast::error::timeout) ? std::string("timed out") : "read: " + ec.message();
    co_return result;
  }
  auto& response = parser.get();
  result.ok = true;
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  result.body = std::move(response.body());
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  co_return result;
}

}  // namespace shim

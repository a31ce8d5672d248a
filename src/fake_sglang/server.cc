#include "fake_sglang/server.h"

#include <boost/beast.hpp>
#include <chrono>
#include <csignal>

#include "common/task_failure.h"
#include "fake_sglang/exchange.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {

using boost::asio::awaitable;
using boost::asio::redirect_error;
using boost::asio::use_awaitable;
using tcp = boost::asio::ip::tcp;
using nlohmann::json;

namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 64 * 1024 * 1024;

std::chrono::steady_clock::duration SecondsToDuration(double seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

Server::Server(boost::asio::io_context& io, EngineState& state)
    : io_(io), state_(state), acceptor_(io), signals_(io, SIGTERM, SIGINT) {}

bool Server::Listen(std::string* err) {
  const ServeConfig& c = state_.config();
  beast::error_code ec;
  tcp::resolver resolver(io_);
  auto results = resolver.resolve(c.host, std::to_string(c.port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    *err = "error while attempting to resolve host " + c.host + ": " + ec.message();
    return false;
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    // uvicorn's wording, so log scrapers see the same line.
    *err = "[Errno " + std::to_string(ec.value()) + "] error while attempting to bind on address ('" + c.host + "', " +
           std::to_string(c.port) + "): " + ec.message();
    return false;
  }
  return true;
}

void Server::Start() {
  boost::asio::co_spawn(io_, AcceptLoop(), EndProcessOnTaskFailure("the stand-in accept loop"));
  boost::asio::co_spawn(io_, WarmUp(), EndProcessOnTaskFailure("the stand-in warm-up"));
  WaitForSignal();
  const ServeConfig& c = state_.config();
  SglangLog("Started server process [" + std::to_string(::getpid()) + "]");
  SglangLog("Application startup complete.");
  SglangLog("Uvicorn running on http://" + c.host + ":" + std::to_string(c.port) + " (Press CTRL+C to quit)");
}

awaitable<void> Server::WarmUp() {
  // http_server.py _wait_and_warmup: one generation, then the status becomes Up.
  if (!state_.config().skip_server_warmup && state_.knobs().warmup_delay_s > 0) {
    boost::asio::steady_timer timer(io_);
    timer.expires_after(SecondsToDuration(state_.knobs().warmup_delay_s));
    beast::error_code ec;
    co_await timer.async_wait(redirect_error(use_awaitable, ec));
  }
  if (state_.status() == ServerStatus::kStarting) {
    state_.set_status(ServerStatus::kUp);
    SglangLog("The server is fired up and ready to roll!");
  }
}

void Server::WaitForSignal() {
  signals_.async_wait([this](const beast::error_code& ec, int signal_number) {
    if (ec) return;
    OnTerminate(signal_number);
    WaitForSignal();
  });
}

void Server::OnTerminate(int signal_number) {
  if (state_.status() == ServerStatus::kDraining) return;
  SglangLog("SIGTERM received. signum=" + std::to_string(signal_number) +
            " frame=None. Draining requests and shutting down...");
  state_.set_status(ServerStatus::kDraining);
  if (state_.knobs().force_shutdown) {
    SglangLog("SGL_FORCE_SHUTDOWN is set: exiting without draining.");
    Stop();
    return;
  }
  // New requests are still accepted while draining (only /health turns 503), as in SGLang.
  state_.set_on_idle([this] {
    if (state_.status() == ServerStatus::kDraining) boost::asio::post(io_, [this] { Stop(); });
  });
  if (state_.in_flight() == 0) {
    Stop();
    return;
  }
  boost::asio::co_spawn(io_, DrainWatchdog(), EndProcessOnTaskFailure("the stand-in drain"));
}

awaitable<void> Server::DrainWatchdog() {
  // tokenizer_manager.py sigterm_watchdog logs the remaining requests every 5 s.
  boost::asio::steady_timer timer(io_);
  while (!stopping_) {
    SglangLog("Gracefully exiting... Remaining number of requests " + std::to_string(state_.in_flight()));
    timer.expires_after(std::chrono::seconds(5));
    beast::error_code ec;
    co_await timer.async_wait(redirect_error(use_awaitable, ec));
  }
}

void Server::Stop() {
  if (stopping_) return;
  stopping_ = true;
  SglangLog("Shutting down: all requests drained.");
  beast::error_code ignored;
  acceptor_.close(ignored);
  exit_code_ = 0;
  io_.stop();
}

awaitable<void> Server::AcceptLoop() {
  boost::asio::steady_timer backoff(io_);
  while (!stopping_) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(redirect_error(use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == boost::asio::error::operation_aborted) co_return;
      // Out of descriptors or similar: pause instead of spinning.
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(redirect_error(use_awaitable, ec));
      continue;
    }
    boost::asio::co_spawn(io_, Session(std::move(socket)), LogTaskFailure("a stand-in connection"));
  }
}

awaitable<void> Server::Session(tcp::socket socket) {
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  const auto keepalive = SecondsToDuration(state_.knobs().keepalive_timeout_s);
  while (!stopping_) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    stream.expires_after(keepalive);
    co_await http::async_read(stream, buffer, parser, redirect_error(use_awaitable, ec));
    if (ec) {
      // EOF, reset and the keep-alive timeout end the connection quietly; a malformed request
      // gets uvicorn's 400 first.
      if (ec.category() == beast::error_code(http::error::end_of_stream).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        std::string_view body = "Invalid HTTP request received.";
        http::response<http::string_body> res{http::status::bad_request, 11};
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.keep_alive(false);
        res.body() = std::string(body);
        res.prepare_payload();
        stream.expires_after(std::chrono::seconds(5));
        co_await http::async_write(stream, res, redirect_error(use_awaitable, ec));
      }
      break;
    }
    stream.expires_never();
    Request request = parser.release();
    Exchange ex(stream, buffer, request);
    ex.set_stamp_events(state_.knobs().stamp_chunks);
    bool failed = false;
    try {
      co_await Dispatch(state_, ex);
    } catch (const std::exception& e) {
      // Backstop only: handlers do not throw on bad input, but a bug must not kill the engine.
      SglangLog(std::string("Internal error while handling ") + std::string(ex.path()) + ": " + e.what());
      failed = true;
    }
    co_await ex.StopWatch();
    if (failed && !ex.responded()) {
      {
        // GCC 12 cannot keep braced json temporaries inside a co_await expression.
        const json reply = SglangErrorBody(500, "Internal server error", "InternalServerError");
        co_await ex.SendJson(http::status::internal_server_error, reply);
      }
    }
    if (failed && ex.stream_started()) break;
    if (!ex.keep_alive() || ex.client_gone()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace shim::fake_sglang

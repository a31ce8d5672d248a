#include "fake_sglang/bootstrap_server.h"

#include <boost/beast.hpp>
#include <chrono>

#include "common/task_failure.h"
#include "fake_sglang/exchange.h"

namespace shim::fake_sglang {

using boost::asio::awaitable;
using boost::asio::redirect_error;
using boost::asio::use_awaitable;
using tcp = boost::asio::ip::tcp;
using nlohmann::json;

namespace {

constexpr size_t kMaxHeaderBytes = 16 * 1024;
constexpr size_t kMaxBodyBytes = 1024 * 1024;
// How often a waiting long-poll looks at its room: the stand-in polls instead of keeping
// wake-up lists, and 5 ms is well below anything a test measures.
constexpr auto kPollInterval = std::chrono::milliseconds(5);

// The long-poll of one decode leg: in the room until the prefill's KV is there, or until
// the decode hangs up (its own timeout, an abort, a client that left).
awaitable<void> ServeKvLongPoll(EngineState& state, Exchange& ex) {
  const std::string room = ex.QueryParam("room");
  if (room.empty()) {
    // common/conn.py _handle_route_get answers missing inputs this way.
    co_await ex.Send(http::status::bad_request, "Missing inputs for bootstrap server.", "text/plain; charset=utf-8");
    co_return;
  }
  PdRooms& rooms = state.pd_rooms();
  rooms.DecodeArrived(room);
  ex.StartWatch();
  bool connected = true;
  while (connected && !rooms.KvWaiting(room)) connected = co_await ex.Sleep(kPollInterval);
  rooms.DecodeLeft(room, /*took_kv=*/connected);
  if (connected) {
    const json reply = json{{"bootstrap_room", room}, {"status", "transferred"}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

awaitable<void> DispatchBootstrap(EngineState& state, Exchange& ex) {
  const http::verb method = ex.request().method();
  if (ex.path() == "/health" && method == http::verb::get) {
    co_await ex.Send(http::status::ok, "OK", "text/plain; charset=utf-8");
  } else if (ex.path() == kKvLongPollPath && method == http::verb::post) {
    co_await ServeKvLongPoll(state, ex);
  } else {
    // aiohttp's default for an unknown route.
    co_await ex.Send(http::status::not_found, "404: Not Found", "text/plain; charset=utf-8");
  }
}

}  // namespace

BootstrapServer::BootstrapServer(boost::asio::io_context& io, EngineState& state)
    : io_(io), state_(state), acceptor_(io) {
  host_ = state.knobs().bootstrap_host.empty() ? state.config().host : state.knobs().bootstrap_host;
}

std::string BootstrapServer::address() const { return host_ + ":" + std::to_string(state_.config().bootstrap_port); }

bool BootstrapServer::Listen(std::string* err) {
  const int port = state_.config().bootstrap_port;
  beast::error_code ec;
  tcp::resolver resolver(io_);
  auto results = resolver.resolve(host_, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    *err = "Server error: error while attempting to resolve host " + host_ + ": " + ec.message();
    return false;
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    *err = "Server error: [Errno " + std::to_string(ec.value()) + "] error while attempting to bind on address ('" +
           host_ + "', " + std::to_string(port) + "): " + ec.message();
    return false;
  }
  return true;
}

void BootstrapServer::Start() {
  boost::asio::co_spawn(io_, AcceptLoop(), LogTaskFailure("the stand-in bootstrap listener"));
}

awaitable<void> BootstrapServer::AcceptLoop() {
  boost::asio::steady_timer backoff(io_);
  bool open = true;
  while (open) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(redirect_error(use_awaitable, ec));
    if (ec == boost::asio::error::operation_aborted) {
      open = false;
    } else if (ec) {
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(redirect_error(use_awaitable, ec));
    } else {
      boost::asio::co_spawn(io_, Session(std::move(socket)), LogTaskFailure("a stand-in bootstrap connection"));
    }
  }
}

awaitable<void> BootstrapServer::Session(tcp::socket socket) {
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  bool keep_going = true;
  while (keep_going) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    // aiohttp's keep-alive timeout is 75 s; nothing here depends on it.
    stream.expires_after(std::chrono::seconds(75));
    co_await http::async_read(stream, buffer, parser, redirect_error(use_awaitable, ec));
    if (ec) break;
    stream.expires_never();
    Request request = parser.release();
    Exchange ex(stream, buffer, request);
    co_await DispatchBootstrap(state_, ex);
    co_await ex.StopWatch();
    keep_going = ex.keep_alive() && !ex.client_gone();
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace shim::fake_sglang

#include "pd/bootstrap_relay.h"

#include <array>
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "common/log.h"
#include "common/task_failure.h"

namespace shim::pd {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

// Both ends of one relayed connection, shared by its two pumps.
struct Link {
  explicit Link(tcp::socket client_socket) : client(std::move(client_socket)), engine(client.get_executor()) {}
  tcp::socket client;
  tcp::socket engine;
  void CloseBoth() {
    boost::system::error_code ignored;
    client.close(ignored);
    engine.close(ignored);
  }
};

// Copies `from` to `to` until `from` ends. A clean end is passed on as a half-close, so the
// other direction can finish; an error ends both.
awaitable<void> Pump(std::shared_ptr<Link> link, tcp::socket* from, tcp::socket* to) {
  std::array<char, 16 * 1024> buffer;
  for (;;) {
    boost::system::error_code ec;
    size_t n = co_await from->async_read_some(asio::buffer(buffer), redirect_error(use_awaitable, ec));
    if (ec == asio::error::eof) {
      to->shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
    if (ec) break;
    co_await asio::async_write(*to, asio::buffer(buffer.data(), n), redirect_error(use_awaitable, ec));
    if (ec) break;
  }
  link->CloseBoth();
}

// Counts a relayed connection for as long as it lives.
class ActiveSlot {
 public:
  explicit ActiveSlot(std::shared_ptr<size_t> active) : active_(std::move(active)) { ++*active_; }
  ~ActiveSlot() { --*active_; }
  ActiveSlot(const ActiveSlot&) = delete;
  ActiveSlot& operator=(const ActiveSlot&) = delete;

 private:
  std::shared_ptr<size_t> active_;
};

awaitable<void> RelayOne(tcp::socket client, tcp::endpoint target, std::shared_ptr<size_t> active) {
  ActiveSlot slot(std::move(active));
  auto link = std::make_shared<Link>(std::move(client));
  boost::system::error_code ec;
  link->client.set_option(tcp::no_delay(true), ec);
  co_await link->engine.async_connect(target, redirect_error(use_awaitable, ec));
  if (ec) {
    LogWarning("PD bootstrap relay: SGLang's bootstrap listener at 127.0.0.1:", target.port(),
               " refused a connection: ", ec.message());
    link->CloseBoth();
    co_return;
  }
  link->engine.set_option(tcp::no_delay(true), ec);
  asio::co_spawn(link->client.get_executor(), Pump(link, &link->engine, &link->client),
                 LogTaskFailure("a PD bootstrap relay direction"));
  co_await Pump(link, &link->client, &link->engine);
}

}  // namespace

BootstrapRelay::BootstrapRelay(asio::io_context& io, tcp::endpoint listen_on, tcp::endpoint target,
                               size_t max_connections)
    : io_(io), listen_on_(listen_on), target_(target), max_connections_(max_connections), acceptor_(io) {}

bool BootstrapRelay::Listen(std::string* err) {
  boost::system::error_code ec;
  acceptor_.open(listen_on_.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(listen_on_, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    *err = "cannot listen on " + listen_on_.address().to_string() + ":" + std::to_string(listen_on_.port()) +
           " for the PD bootstrap relay: " + ec.message();
    return false;
  }
  return true;
}

void BootstrapRelay::Start() { asio::co_spawn(io_, AcceptLoop(), LogTaskFailure("the PD bootstrap relay")); }

void BootstrapRelay::Stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

BootstrapRelay::tcp::endpoint BootstrapRelay::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

awaitable<void> BootstrapRelay::AcceptLoop() {
  asio::steady_timer backoff(io_);
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {  // out of descriptors, say: wait rather than spin
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(redirect_error(use_awaitable, ec));
      continue;
    }
    if (*active_ >= max_connections_) {
      socket.close(ec);
      continue;
    }
    asio::co_spawn(io_, RelayOne(std::move(socket), target_, active_), LogTaskFailure("a PD bootstrap relay"));
  }
}

}  // namespace shim::pd

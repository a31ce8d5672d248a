// A TCP relay from this pod's address to SGLang's bootstrap listener on loopback.
//
// SGLang's prefill server binds its bootstrap listener to its own --host (SGLang @8905cbd4
// python/sglang/srt/managers/disagg_service.py, since sgl-project/sglang#9931), and the shim
// keeps that host on 127.0.0.1 so SGLang's HTTP API stays behind the front door. Decode pods
// must still reach the bootstrap listener, so the shim listens on the pod's address with the
// same port and relays each connection byte for byte to 127.0.0.1. Nothing else of SGLang's
// is reachable through it.
#pragma once
#include <memory>
#include <string>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace shim::pd {

class BootstrapRelay {
 public:
  using tcp = boost::asio::ip::tcp;

  // At most `max_connections` relayed at once; more are closed as they arrive.
  BootstrapRelay(boost::asio::io_context& io, tcp::endpoint listen_on, tcp::endpoint target,
                 size_t max_connections = 1024);

  // Binds and listens. False with *err (one line naming the address) on failure.
  bool Listen(std::string* err);
  void Start();  // the accept loop, on the io_context
  void Stop();   // no new connections; relayed ones end when their peers close

  tcp::endpoint local_endpoint() const;
  size_t active() const { return *active_; }

 private:
  boost::asio::awaitable<void> AcceptLoop();

  boost::asio::io_context& io_;
  tcp::endpoint listen_on_;
  tcp::endpoint target_;
  size_t max_connections_;
  tcp::acceptor acceptor_;
  std::shared_ptr<size_t> active_ = std::make_shared<size_t>(0);  // outlives the relay's own tasks
};

}  // namespace shim::pd

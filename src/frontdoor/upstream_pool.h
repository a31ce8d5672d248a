// Keep-alive connections to SGLang for the proxy. A connection comes back to
// the pool only after its response was read to completion; idle ones retire
// before SGLang's (uvicorn's) 5 s keep-alive timeout so the server never closes
// one under a request we are about to send.
#pragma once
#include <chrono>
#include <deque>
#include <functional>
#include <optional>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace shim {

class UpstreamPool {
 public:
  using Clock = std::chrono::steady_clock;
  using NowFn = std::function<Clock::time_point()>;

  UpstreamPool(
      boost::asio::ip::tcp::endpoint backend, Clock::duration idle_timeout, size_t max_idle = 256,
      NowFn now = [] { return Clock::now(); });

  // The most recently returned idle connection that is younger than the idle
  // timeout and not closed by the peer; std::nullopt when there is none.
  // Connections idle for less than min(1 s, idle timeout / 4) are taken
  // without the peek for a peer close.
  std::optional<boost::asio::ip::tcp::socket> TakeIdle();

  // A new connection with TCP_NODELAY; *ec set on failure.
  boost::asio::awaitable<std::optional<boost::asio::ip::tcp::socket>> Connect(boost::system::error_code* ec);

  // Gives back a connection whose last response was read completely.
  void Return(boost::asio::ip::tcp::socket socket);

  // Closes idle connections older than the idle timeout. Call periodically.
  void Sweep();
  void CloseAll();
  void Disable() {
    disabled_ = true;
    CloseAll();
  }  // stop pooling (shutdown)
  size_t idle_count() const { return idle_.size(); }
  const boost::asio::ip::tcp::endpoint& backend() const { return backend_; }

 private:
  struct Idle {
    boost::asio::ip::tcp::socket socket;
    Clock::time_point since;
  };
  boost::asio::ip::tcp::endpoint backend_;
  Clock::duration idle_timeout_;
  Clock::duration trusted_idle_;
  size_t max_idle_;
  NowFn now_;
  bool disabled_ = false;
  std::deque<Idle> idle_;  // newest at the back
};

// True when the peer has closed or reset `socket` (a non-blocking peek).
bool PeerClosed(boost::asio::ip::tcp::socket& socket);

}  // namespace shim

#include "frontdoor/upstream_pool.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace shim {

namespace asio = boost::asio;
using asio::ip::tcp;

bool PeerClosed(tcp::socket& socket) {
  if (!socket.is_open()) return true;
  char byte;
  ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return true;  // orderly close
  // Unsolicited bytes on an idle connection mean it is out of step: unusable too.
  if (n > 0) return true;
  return !(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
}

UpstreamPool::UpstreamPool(tcp::endpoint backend, Clock::duration idle_timeout, size_t max_idle, NowFn now)
    : backend_(backend),
      idle_timeout_(idle_timeout),
      trusted_idle_(std::min<Clock::duration>(std::chrono::seconds(1), idle_timeout / 4)),
      max_idle_(max_idle),
      now_(std::move(now)) {}

std::optional<tcp::socket> UpstreamPool::TakeIdle() {
  Clock::time_point now = now_();
  while (!idle_.empty()) {
    Idle entry = std::move(idle_.back());
    idle_.pop_back();
    Clock::duration idle = now - entry.since;
    // A connection that finished a response moments ago is not peeked (a
    // syscall per request under load): the server closes idle connections only
    // on its keep-alive timeout, far longer than this window.
    if (idle >= idle_timeout_ || (idle >= trusted_idle_ && PeerClosed(entry.socket))) {
      boost::system::error_code ignored;
      entry.socket.close(ignored);
      continue;
    }
    return std::move(entry.socket);
  }
  return std::nullopt;
}

asio::awaitable<std::optional<tcp::socket>> UpstreamPool::Connect(boost::system::error_code* ec) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(backend_, asio::redirect_error(asio::use_awaitable, *ec));
  if (*ec) co_return std::nullopt;
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  co_return std::optional<tcp::socket>(std::move(socket));
}

void UpstreamPool::Return(tcp::socket socket) {
  boost::system::error_code ignored;
  if (disabled_ || !socket.is_open()) {
    socket.close(ignored);
    return;
  }
  if (idle_.size() >= max_idle_) {
    idle_.front().socket.close(ignored);
    idle_.pop_front();
  }
  idle_.push_back(Idle{std::move(socket), now_()});
}

void UpstreamPool::Sweep() {
  Clock::time_point now = now_();
  // Oldest at the front: stop at the first one still young enough.
  while (!idle_.empty() && now - idle_.front().since >= idle_timeout_) {
    boost::system::error_code ignored;
    idle_.front().socket.close(ignored);
    idle_.pop_front();
  }
}

void UpstreamPool::CloseAll() {
  for (Idle& entry : idle_) {
    boost::system::error_code ignored;
    entry.socket.close(ignored);
  }
  idle_.clear();
}

}  // namespace shim

#include "pd/bootstrap_probe.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace shim::pd {
namespace {

namespace asio = boost::asio;

// Past this many remembered addresses all are forgotten (each costs one probe to learn again):
// a decode engine talks to a few prefill pods, and one that left stays only until then.
constexpr size_t kMaxRemembered = 256;

std::string Key(const std::string& host, int port) { return host + ":" + std::to_string(port); }

}  // namespace

bool BootstrapProbe::NeedsCheck(const std::string& host, int port) const {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  if (ec || port <= 0 || port >= 65536) return false;
  auto known = reachable_at_.find(Key(host, port));
  return known == reachable_at_.end() || Clock::now() - known->second >= remember_;
}

asio::awaitable<std::string> BootstrapProbe::Check(std::string host, int port) {
  const bool probe = NeedsCheck(host, port);
  const std::string key = Key(host, port);
  std::string why;
  if (probe) {
    ++probes_;
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(host, ec);
    boost::beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(timeout_);
    co_await stream.async_connect(asio::ip::tcp::endpoint(address, static_cast<unsigned short>(port)),
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      why = "connect to " + key + ": " + ec.message();
      reachable_at_.erase(key);
    } else {
      stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      if (reachable_at_.size() >= kMaxRemembered) reachable_at_.clear();
      reachable_at_[key] = Clock::now();
    }
  }
  co_return why;
}

}  // namespace shim::pd

#include "frontdoor/send_now.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace shim {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
// Asio gathers at most 64 buffers per call too; more pieces wait for the
// async remainder, which is correct and rare (many SSE frames in one read).
constexpr size_t kMaxPieces = 64;
}  // namespace

size_t SendWithoutWaiting(tcp::socket& socket, std::span<const asio::const_buffer> pieces,
                          boost::system::error_code* ec) {
  ec->clear();
  if (!socket.is_open()) {
    *ec = asio::error::bad_descriptor;
    return 0;
  }
  iovec iov[kMaxPieces];
  size_t count = std::min(pieces.size(), kMaxPieces);
  for (size_t i = 0; i < count; ++i) {
    iov[i].iov_base = const_cast<void*>(pieces[i].data());
    iov[i].iov_len = pieces[i].size();
  }
  msghdr message{};
  message.msg_iov = iov;
  message.msg_iovlen = count;
  while (true) {
    ssize_t n = count == 1
                    ? ::send(socket.native_handle(), iov[0].iov_base, iov[0].iov_len, MSG_DONTWAIT | MSG_NOSIGNAL)
                    : ::sendmsg(socket.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      *ec = boost::system::error_code(errno, asio::error::get_system_category());
    }
    return 0;
  }
}

bool SendAtOnce(tcp::socket& socket, std::span<const asio::const_buffer> pieces, size_t* sent,
                boost::system::error_code* ec) {
  size_t total = 0;
  for (const asio::const_buffer& piece : pieces) total += piece.size();
  ec->clear();
  *sent = 0;
  if (total == 0) return true;
  *sent = SendWithoutWaiting(socket, pieces, ec);
  return *ec || *sent == total;
}

asio::awaitable<bool> SendNow(tcp::socket& socket, std::span<const asio::const_buffer> pieces,
                              boost::system::error_code* ec) {
  size_t sent = 0;
  if (SendAtOnce(socket, pieces, &sent, ec)) co_return !*ec;
  co_return co_await SendRemainder(socket, pieces, sent, ec);
}

asio::awaitable<bool> SendRemainder(tcp::socket& socket, std::span<const asio::const_buffer> pieces, size_t sent,
                                    boost::system::error_code* ec) {
  std::vector<asio::const_buffer> rest;
  for (const asio::const_buffer& piece : pieces) {
    if (sent >= piece.size()) {
      sent -= piece.size();
      continue;
    }
    rest.push_back(piece + sent);
    sent = 0;
  }
  co_await asio::async_write(socket, rest, asio::redirect_error(asio::use_awaitable, *ec));
  co_return !*ec;
}

}  // namespace shim

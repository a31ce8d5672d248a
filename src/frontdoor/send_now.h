// Writes that finish without a trip through the event loop when the socket
// has room, which on the data path is nearly always: an Asio async_write that
// completes at once still allocates an operation, posts its completion and
// resumes the coroutine later. SendNow tries one non-blocking sendmsg first
// and leaves only what did not fit to async_write.
#pragma once
#include <cstddef>
#include <span>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace shim {

// One sendmsg(MSG_DONTWAIT | MSG_NOSIGNAL) of up to 64 of `pieces`. Returns the
// bytes written: 0 with *ec clear when the socket buffer is full, 0 with *ec
// set on a real error (EPIPE, ECONNRESET, a closed socket).
size_t SendWithoutWaiting(boost::asio::ip::tcp::socket& socket, std::span<const boost::asio::const_buffer> pieces,
                          boost::system::error_code* ec);

// The two halves of SendNow, for hot paths that want no coroutine frame when
// the socket has room: SendAtOnce sends what fits and returns true when
// nothing is left to wait for (all sent, or *ec says why not); otherwise
// SendRemainder finishes from byte `sent`. Either way *ec tells the outcome:
//   if (!SendAtOnce(s, pieces, &sent, &ec)) co_await SendRemainder(s, pieces, sent, &ec);
bool SendAtOnce(boost::asio::ip::tcp::socket& socket, std::span<const boost::asio::const_buffer> pieces, size_t* sent,
                boost::system::error_code* ec);
boost::asio::awaitable<bool> SendRemainder(boost::asio::ip::tcp::socket& socket,
                                           std::span<const boost::asio::const_buffer> pieces, size_t sent,
                                           boost::system::error_code* ec);

// All of `pieces`, in order: what fits now goes at once, the rest waits for
// room. The pieces must stay valid until it returns. False on a write error.
boost::asio::awaitable<bool> SendNow(boost::asio::ip::tcp::socket& socket,
                                     std::span<const boost::asio::const_buffer> pieces, boost::system::error_code* ec);

}  // namespace shim

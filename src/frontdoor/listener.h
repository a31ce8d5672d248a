// The listening socket's side of the front door (internal to src/frontdoor):
// accepting connections, and closing the listener at the end of the drain
// delay without resetting a connection the kernel already established.
#pragma once
#include <memory>
#include <string>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace shim {

struct ServerState;

// Accepts until the listener closes; each connection is admitted (or refused
// with 503 past max_connections) as it comes.
boost::asio::awaitable<void> AcceptLoop(std::shared_ptr<ServerState> state);

// Makes the kernel drop SYNs sent to this listener from now on (a socket
// filter), so no new handshake starts while the handshakes in flight still
// complete. A client whose SYN was dropped retries (1 s later on Linux) and is
// then refused by the closed port: it never sees a connection that is reset
// after it sent its request. False with *err when the filter cannot be set.
bool RefuseNewHandshakes(boost::asio::ip::tcp::acceptor& acceptor, std::string* err);

// Takes every connection waiting in the kernel's accept queue, without
// waiting. Closing a listener resets those, although their clients already
// consider them open and may have sent a request on them.
void AcceptQueued(const std::shared_ptr<ServerState>& state);

}  // namespace shim

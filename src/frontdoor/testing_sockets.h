// Test-only: a connected pair of TCP sockets on loopback, for tests of code
// that writes to or pools sockets. Included only by *_test.cc files.
#pragma once
#include "common/prelude.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace shim::testing {

struct SocketPair {
  boost::asio::ip::tcp::socket client;
  boost::asio::ip::tcp::socket server;
};

inline SocketPair ConnectedPair(boost::asio::io_context& io, boost::asio::ip::tcp::acceptor& acceptor) {
  boost::asio::ip::tcp::socket client(io);
  client.connect(acceptor.local_endpoint());
  boost::asio::ip::tcp::socket server = acceptor.accept();
  return SocketPair{std::move(client), std::move(server)};
}

inline SocketPair ConnectedPair(boost::asio::io_context& io) {
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return ConnectedPair(io, acceptor);
}

}  // namespace shim::testing

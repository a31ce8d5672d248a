#include "common/prelude.h"
#include "frontdoor/send_now.h"
#include "frontdoor/testing_sockets.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace shim {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

using testing::ConnectedPair;
using testing::SocketPair;

TEST(SendNowTest, SmallPiecesGoOutInOrderWithoutTheEventLoop) {
  asio::io_context io;
  SocketPair pair = ConnectedPair(io);
  std::array<asio::const_buffer, 3> pieces = {asio::buffer("a3\r\n", 4), asio::buffer("xyz", 3),
                                              asio::buffer("\r\n", 2)};
  boost::system::error_code ec;
  EXPECT_EQ(SendWithoutWaiting(pair.client, pieces, &ec), 9u);
  EXPECT_FALSE(ec);
  std::string got(9, '\0');
  asio::read(pair.server, asio::buffer(got));
  EXPECT_EQ(got, "a3\r\nxyz\r\n");
}

TEST(SendNowTest, WhatDoesNotFitIsSentOnceThePeerReads) {
  asio::io_context io;
  SocketPair pair = ConnectedPair(io);
  // More than both socket buffers can hold (Linux caps each at a few MiB), in
  // two pieces so the remainder starts inside one of them.
  std::string first(24 * 1024 * 1024 + 7, 'a');
  std::string second(8 * 1024 * 1024, 'b');
  for (size_t i = 0; i < first.size(); i += 4093) first[i] = static_cast<char>('c' + i % 20);
  std::array<asio::const_buffer, 2> pieces = {asio::buffer(first), asio::buffer(second)};
  bool sent = false;
  boost::system::error_code ec;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { sent = co_await SendNow(pair.client, pieces, &ec); },
      [](std::exception_ptr) {});
  std::string got;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        got.resize(first.size() + second.size());
        co_await asio::async_read(pair.server, asio::buffer(got), asio::use_awaitable);
      },
      [](std::exception_ptr) {});
  io.run();
  EXPECT_TRUE(sent);
  EXPECT_FALSE(ec);
  EXPECT_TRUE(got == first + second);
}

TEST(SendNowTest, APeerThatResetIsAnErrorNotASignal) {
  asio::io_context io;
  SocketPair pair = ConnectedPair(io);
  pair.server.set_option(asio::socket_base::linger(true, 0));
  pair.server.close();  // RST
  std::string data(64 * 1024, 'x');
  const asio::const_buffer whole = asio::buffer(data);
  boost::system::error_code ec;
  bool sent = true;
  // The first send may still be accepted locally; a later one sees the reset.
  for (int i = 0; i < 50 && sent; ++i) {
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { sent = co_await SendNow(pair.client, std::span(&whole, 1), &ec); },
        [](std::exception_ptr) {});
    io.run();
    io.restart();
  }
  EXPECT_FALSE(sent);
  EXPECT_TRUE(ec == asio::error::connection_reset || ec == asio::error::broken_pipe) << ec.message();
}

TEST(SendNowTest, AClosedSocketIsReportedNotUsed) {
  asio::io_context io;
  SocketPair pair = ConnectedPair(io);
  pair.client.close();
  const asio::const_buffer whole = asio::buffer("x", 1);
  boost::system::error_code ec;
  EXPECT_EQ(SendWithoutWaiting(pair.client, std::span(&whole, 1), &ec), 0u);
  EXPECT_EQ(ec, asio::error::bad_descriptor);
}

TEST(SendNowTest, NothingToSendIsDoneAtOnce) {
  asio::io_context io;
  SocketPair pair = ConnectedPair(io);
  bool sent = false;
  boost::system::error_code ec;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        sent = co_await SendNow(pair.client, std::span<const asio::const_buffer>(), &ec);
      },
      [](std::exception_ptr) {});
  io.run();
  EXPECT_TRUE(sent);
}

}  // namespace
}  // namespace shim

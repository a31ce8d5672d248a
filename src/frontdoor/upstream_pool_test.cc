#include "common/prelude.h"
#include "frontdoor/upstream_pool.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

namespace shim {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

struct Pair {
  tcp::socket client;
  tcp::socket server;
};

Pair Connected(asio::io_context& io, tcp::acceptor& acceptor) {
  tcp::socket client(io);
  client.connect(acceptor.local_endpoint());
  tcp::socket server = acceptor.accept();
  return Pair{std::move(client), std::move(server)};
}

TEST(UpstreamPoolTest, RetiresIdleConnectionsByAge) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool::Clock::time_point now = UpstreamPool::Clock::now();
  UpstreamPool pool(acceptor.local_endpoint(), std::chrono::seconds(4), 8, [&] { return now; });
  Pair pair = Connected(io, acceptor);
  pool.Return(std::move(pair.client));
  EXPECT_EQ(pool.idle_count(), 1u);
  now += std::chrono::seconds(3);
  auto taken = pool.TakeIdle();
  ASSERT_TRUE(taken.has_value());
  pool.Return(std::move(*taken));
  now += std::chrono::seconds(4);  // past 4 s since returned
  pool.Sweep();
  EXPECT_EQ(pool.idle_count(), 0u);
  EXPECT_FALSE(pool.TakeIdle().has_value());
}

TEST(UpstreamPoolTest, SkipsConnectionsClosedByThePeer) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool::Clock::time_point now = UpstreamPool::Clock::now();
  UpstreamPool pool(acceptor.local_endpoint(), std::chrono::seconds(4), 8, [&] { return now; });
  Pair pair = Connected(io, acceptor);
  pool.Return(std::move(pair.client));
  pair.server.close();
  // Give the FIN a moment to arrive on loopback.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  now += std::chrono::seconds(1);  // idle long enough to be checked
  EXPECT_FALSE(pool.TakeIdle().has_value());
}

TEST(UpstreamPoolTest, AConnectionJustReturnedIsTakenWithoutAPeek) {
  // uvicorn closes an idle connection only on its keep-alive timeout (5 s in
  // SGLang), so one that finished a response within the trusted window (here
  // min(1 s, 4 s / 4)) is reused as is, even if a close were already in flight.
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool::Clock::time_point now = UpstreamPool::Clock::now();
  UpstreamPool pool(acceptor.local_endpoint(), std::chrono::seconds(4), 8, [&] { return now; });
  Pair pair = Connected(io, acceptor);
  pool.Return(std::move(pair.client));
  pair.server.close();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  now += std::chrono::milliseconds(999);
  EXPECT_TRUE(pool.TakeIdle().has_value());
}

TEST(UpstreamPoolTest, TheTrustedWindowShrinksWithAShortIdleTimeout) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool::Clock::time_point now = UpstreamPool::Clock::now();
  UpstreamPool pool(acceptor.local_endpoint(), std::chrono::milliseconds(400), 8, [&] { return now; });
  Pair pair = Connected(io, acceptor);
  pool.Return(std::move(pair.client));
  pair.server.close();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  now += std::chrono::milliseconds(100);  // 400 ms / 4: checked from here on
  EXPECT_FALSE(pool.TakeIdle().has_value());
}

TEST(UpstreamPoolTest, DisabledPoolKeepsNothing) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool pool(acceptor.local_endpoint(), std::chrono::seconds(4));
  pool.Disable();
  Pair pair = Connected(io, acceptor);
  pool.Return(std::move(pair.client));
  EXPECT_EQ(pool.idle_count(), 0u);
}

}  // namespace
}  // namespace shim

#include "common/prelude.h"
#include "frontdoor/upstream_pool.h"
#include "frontdoor/testing_sockets.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

namespace shim {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

using testing::ConnectedPair;
using testing::SocketPair;

TEST(UpstreamPoolTest, RetiresIdleConnectionsByAge) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool::Clock::time_point now = UpstreamPool::Clock::now();
  UpstreamPool pool(acceptor.local_endpoint(), std::chrono::seconds(4), 8, [&] { return now; });
  SocketPair pair = ConnectedPair(io, acceptor);
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

// Returns a connection to a pool with the given idle timeout, lets the peer
// close it, and asks for it back after `idle_for`: was it handed out?
bool TakenAfterPeerClose(UpstreamPool::Clock::duration idle_timeout, UpstreamPool::Clock::duration idle_for) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool::Clock::time_point now = UpstreamPool::Clock::now();
  UpstreamPool pool(acceptor.local_endpoint(), idle_timeout, 8, [&] { return now; });
  SocketPair pair = ConnectedPair(io, acceptor);
  pool.Return(std::move(pair.client));
  pair.server.close();
  // Give the FIN a moment to arrive on loopback.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  now += idle_for;
  return pool.TakeIdle().has_value();
}

TEST(UpstreamPoolTest, SkipsConnectionsClosedByThePeer) {
  EXPECT_FALSE(TakenAfterPeerClose(std::chrono::seconds(4), std::chrono::seconds(1)));
}

TEST(UpstreamPoolTest, AConnectionJustReturnedIsTakenWithoutAPeek) {
  // uvicorn closes an idle connection only on its keep-alive timeout (5 s in
  // SGLang), so one that finished a response within the trusted window (here
  // min(1 s, 4 s / 4)) is reused as is, even if a close were already in flight.
  EXPECT_TRUE(TakenAfterPeerClose(std::chrono::seconds(4), std::chrono::milliseconds(999)));
}

TEST(UpstreamPoolTest, TheTrustedWindowShrinksWithAShortIdleTimeout) {
  // 400 ms / 4: checked from 100 ms on.
  EXPECT_FALSE(TakenAfterPeerClose(std::chrono::milliseconds(400), std::chrono::milliseconds(100)));
  EXPECT_TRUE(TakenAfterPeerClose(std::chrono::milliseconds(400), std::chrono::milliseconds(99)));
}

TEST(UpstreamPoolTest, DisabledPoolKeepsNothing) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  UpstreamPool pool(acceptor.local_endpoint(), std::chrono::seconds(4));
  pool.Disable();
  SocketPair pair = ConnectedPair(io, acceptor);
  pool.Return(std::move(pair.client));
  EXPECT_EQ(pool.idle_count(), 0u);
}

}  // namespace
}  // namespace shim

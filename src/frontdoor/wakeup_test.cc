#include "frontdoor/wakeup.h"

#include <gtest/gtest.h>

#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace shim {
namespace {

namespace asio = boost::asio;

// A coroutine on `io` that waits on `wakeup`, then sets *resumed.
void SpawnWaiter(asio::io_context& io, Wakeup& wakeup, bool* resumed) {
  asio::co_spawn(
      io,
      [&wakeup, resumed]() -> asio::awaitable<void> {
        co_await wakeup.Wait(asio::use_awaitable);
        *resumed = true;
      },
      asio::detached);
}

TEST(WakeupTest, ResumesTheWaiterThroughItsExecutor) {
  asio::io_context io;
  Wakeup wakeup;
  int stage = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        stage = 1;
        co_await wakeup.Wait(asio::use_awaitable);
        stage = 2;
      },
      asio::detached);
  io.poll();
  EXPECT_EQ(stage, 1);
  EXPECT_TRUE(wakeup.waiting());
  wakeup.Notify();
  EXPECT_EQ(stage, 1);  // posted, not run inside Notify
  io.poll();
  EXPECT_EQ(stage, 2);
}

TEST(WakeupTest, ANotifyBeforeTheWaitIsNotLost) {
  for (bool now : {false, true}) {  // Notify and NotifyNow alike
    asio::io_context io;
    Wakeup wakeup;
    if (now) {
      wakeup.NotifyNow();
    } else {
      wakeup.Notify();
    }
    bool resumed = false;
    SpawnWaiter(io, wakeup, &resumed);
    io.poll();
    EXPECT_TRUE(resumed) << now;
    EXPECT_FALSE(wakeup.waiting()) << now;
  }
}

TEST(WakeupTest, NotifyNowRunsTheWaiterBeforeReturningFromACoroutine) {
  asio::io_context io;
  Wakeup wakeup;
  std::string order;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await wakeup.Wait(asio::use_awaitable);
        order += "waiter;";
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        order += "notifier before;";
        wakeup.NotifyNow();
        order += "notifier after;";
        co_return;
      },
      asio::detached);
  io.run();
  EXPECT_EQ(order, "notifier before;waiter;notifier after;");
}

TEST(WakeupTest, NotifyNowOutsideTheExecutorFallsBackToPosting) {
  asio::io_context io;
  Wakeup wakeup;
  bool resumed = false;
  SpawnWaiter(io, wakeup, &resumed);
  io.poll();
  wakeup.NotifyNow();  // not inside io.run(): must not run the coroutine here
  EXPECT_FALSE(resumed);
  io.poll();
  EXPECT_TRUE(resumed);
}

}  // namespace
}  // namespace shim

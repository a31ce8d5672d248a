// FetchFromBackend's cancellation: shutdown must not wait out a slow SGLang.
#include "frontdoor/backend_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "common/prelude.h"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace shim {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// A plain function, not a capturing lambda: the coroutine frame must not point
// into a closure that dies when co_spawn returns.
asio::awaitable<void> FetchInto(std::optional<BackendResponse>* out, int port, BackendRequest request) {
  // A named Endpoint: GCC 12 destroys a braced prvalue argument of a coroutine
  // twice (the crash this test first hit).
  Endpoint backend{"127.0.0.1", port};
  *out = co_await FetchFromBackend(backend, std::move(request));
}

// Runs one fetch to completion on its own io_context; `during` runs on the loop
// `after` once the fetch has started.
BackendResponse RunFetch(BackendRequest request, int port, std::chrono::milliseconds after,
                         std::function<void()> during) {
  asio::io_context io;
  std::optional<BackendResponse> result;
  asio::co_spawn(io, FetchInto(&result, port, std::move(request)), asio::detached);
  asio::steady_timer timer(io, after);
  timer.async_wait([&](const boost::system::error_code&) {
    if (during) during();
  });
  io.run_for(std::chrono::seconds(20));
  return result.value_or(BackendResponse{false, "did not finish", 0, {}, {}});
}

TEST(BackendClientTest, CancelEndsAFetchWaitingForAnAnswer) {
  // A listener that never accepts: the connect succeeds (backlog), no answer comes.
  asio::io_context server_io;
  tcp::acceptor silent(server_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  int port = silent.local_endpoint().port();

  BackendRequest request;
  request.target = "/health";
  request.timeout = std::chrono::seconds(10);
  request.cancel = std::make_shared<FetchCancel>();
  auto cancel = request.cancel;
  Clock::time_point start = Clock::now();
  BackendResponse response =
      RunFetch(std::move(request), port, std::chrono::milliseconds(100), [cancel] { cancel->Cancel(); });
  EXPECT_FALSE(response.ok);
  EXPECT_NE(response.error, "did not finish");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_FALSE(cancel->abort) << "the hook must not outlive the fetch";
}

TEST(BackendClientTest, CancelledBeforehandFailsAtOnce) {
  BackendRequest request;
  request.cancel = std::make_shared<FetchCancel>();
  request.cancel->Cancel();
  BackendResponse response = RunFetch(std::move(request), 1, std::chrono::milliseconds(0), nullptr);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.error, "cancelled");
}

TEST(BackendClientTest, WithoutCancelTheTimeoutStillApplies) {
  asio::io_context server_io;
  tcp::acceptor silent(server_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  BackendRequest request;
  request.timeout = std::chrono::milliseconds(200);
  BackendResponse response =
      RunFetch(std::move(request), silent.local_endpoint().port(), std::chrono::milliseconds(0), nullptr);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.error, "timed out");
}

}  // namespace
}  // namespace shim

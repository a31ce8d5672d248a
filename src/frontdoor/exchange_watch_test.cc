// The read-only watch hooks of a route's filters (route_filter.h), end to end
// over real sockets: what a watcher sees of SGLang's response and how it is
// told the exchange ended (complete, cut, or the client gone).
#include "frontdoor/testing_upstream.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using namespace shim::testing;
using std::chrono::milliseconds;

struct Seen {
  std::mutex mu;
  int status = 0;
  bool event_stream = false;
  std::string body;
  int ends = 0;
  ExchangeEnd end;
};

class Watcher final : public RouteFilter {
 public:
  explicit Watcher(std::shared_ptr<Seen> seen) : seen_(std::move(seen)) {}
  bool WatchesExchange() const override { return true; }
  void OnWatchedHead(int status, bool event_stream) override {
    std::lock_guard lock(seen_->mu);
    seen_->status = status;
    seen_->event_stream = event_stream;
  }
  void OnWatchedBody(std::string_view bytes) override {
    std::lock_guard lock(seen_->mu);
    seen_->body.append(bytes);
  }
  void OnExchangeEnd(const ExchangeEnd& end) override {
    std::lock_guard lock(seen_->mu);
    ++seen_->ends;
    seen_->end = end;
  }

 private:
  std::shared_ptr<Seen> seen_;
};

class ExchangeWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Settings settings;
    settings.health_interval = milliseconds(100);
    harness_ = std::make_unique<FrontDoorHarness>(settings, upstream_.port());
    harness_->OnLoop([this] {
      for (const char* path : {"/stream", "/echo", "/die"}) {
        harness_->door().routes().AddExact(path, {}, [seen = seen_](const RequestHead&) {
          RouteDecision decision = RouteDecision::Proxy("watched");
          decision.filters.Add(std::make_shared<DropOneFrame>());  // the watcher still sees frame 1
          decision.filters.Add(std::make_shared<Watcher>(seen));
          return decision;
        });
      }
      return 0;
    });
  }
  bool WaitForEnd() {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(seen_->mu);
        if (seen_->ends > 0) return true;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

  TestUpstream upstream_;
  std::unique_ptr<FrontDoorHarness> harness_;
  std::shared_ptr<Seen> seen_ = std::make_shared<Seen>();
};

TEST_F(ExchangeWatchTest, StreamIsSeenWholeBeforeRewritesAndEndsComplete) {
  RawClient client(harness_->port());
  client.Send("GET /stream?n=3&gap_ms=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.Read().body(), "data: 0\n\ndata: 2\n\n");
  ASSERT_TRUE(WaitForEnd());
  std::lock_guard lock(seen_->mu);
  EXPECT_EQ(seen_->status, 200);
  EXPECT_TRUE(seen_->event_stream);
  EXPECT_EQ(seen_->body, "data: 0\n\ndata: 1\n\ndata: 2\n\n");  // decoded: no chunk-size lines
  EXPECT_EQ(seen_->ends, 1);
  EXPECT_TRUE(seen_->end.response_complete);
  EXPECT_FALSE(seen_->end.client_gone);
}

TEST_F(ExchangeWatchTest, PlainBodyIsSeenAsRelayed) {
  RawClient client(harness_->port());
  client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  auto response = client.Read();
  ASSERT_EQ(response.result_int(), 200u);
  ASSERT_TRUE(WaitForEnd());
  std::lock_guard lock(seen_->mu);
  EXPECT_FALSE(seen_->event_stream);
  EXPECT_EQ(seen_->body, response.body());
  EXPECT_TRUE(seen_->end.response_complete);
}

TEST_F(ExchangeWatchTest, ClientLeavingMidStreamIsReported) {
  {
    RawClient client(harness_->port());
    client.Send("GET /stream?n=200&gap_ms=20 HTTP/1.1\r\nHost: x\r\n\r\n");
    char first[16];
    boost::system::error_code ec;
    client.socket().read_some(asio::buffer(first), ec);
    ASSERT_FALSE(ec);
  }  // the client closes its socket
  ASSERT_TRUE(WaitForEnd());
  std::lock_guard lock(seen_->mu);
  EXPECT_EQ(seen_->ends, 1);
  EXPECT_FALSE(seen_->end.response_complete);
  EXPECT_TRUE(seen_->end.client_gone);
}

TEST_F(ExchangeWatchTest, EngineFailingMidStreamIsNotComplete) {
  RawClient client(harness_->port());
  client.Send("GET /die HTTP/1.1\r\nHost: x\r\n\r\n");
  client.ReadToEnd();
  ASSERT_TRUE(WaitForEnd());
  std::lock_guard lock(seen_->mu);
  EXPECT_EQ(seen_->status, 200);
  EXPECT_FALSE(seen_->end.response_complete);
  EXPECT_FALSE(seen_->end.client_gone);
}

}  // namespace
}  // namespace shim

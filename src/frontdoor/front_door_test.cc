// End-to-end tests of the front door over real loopback sockets, with a
// scripted upstream standing in for SGLang (testing_upstream.h).
#include "frontdoor/testing_upstream.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using namespace shim::testing;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

Settings FastSettings() {
  Settings settings;
  settings.health_interval = milliseconds(100);
  settings.health_timeout = seconds(3);
  settings.drain_delay = milliseconds(200);
  settings.drain_timeout = seconds(5);
  settings.header_timeout = seconds(2);
  return settings;
}

int Status(int port, const std::string& request) {
  RawClient client(port);
  client.Send(request);
  return static_cast<int>(client.Read().result_int());
}

int HealthStatus(int port) { return Status(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"); }

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto end = Clock::now() + limit;
  while (Clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

TEST(FrontDoorTest, BindFailureIsOneClearLine) {
  TestUpstream upstream;
  FrontDoorHarness first(FastSettings(), upstream.port());
  ASSERT_TRUE(first.bound());
  FrontDoorConfig config;
  config.listen = Endpoint{"127.0.0.1", first.port()};
  config.backend = Endpoint{"127.0.0.1", upstream.port()};
  asio::io_context io;
  FrontDoor second(io, config);
  std::string err;
  EXPECT_FALSE(second.Bind(&err));
  EXPECT_EQ(err, "cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": Address already in use");
  EXPECT_FALSE(CheckPortFree(config.listen, &err));
}

TEST(FrontDoorTest, ReadinessWaitsForModels) {
  TestUpstream upstream;
  upstream.models_status = 503;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(HealthStatus(harness.port()), 503);
  EXPECT_EQ(Status(harness.port(), "POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 503);
  upstream.models_status = 200;
  EXPECT_TRUE(WaitFor([&] { return HealthStatus(harness.port()) == 200; }, std::chrono::milliseconds(2000)));
  EXPECT_EQ(Status(harness.port(), "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
}

TEST(FrontDoorTest, HealthFallsAndRises) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.health_fall = 2;
  settings.health_rise = 2;
  FrontDoorHarness harness(settings, upstream.port());
  ASSERT_TRUE(WaitFor([&] { return HealthStatus(harness.port()) == 200; }, std::chrono::milliseconds(2000)));
  upstream.health_status = 500;
  EXPECT_TRUE(WaitFor([&] { return HealthStatus(harness.port()) == 503; }, std::chrono::milliseconds(2000)));
  upstream.health_status = 200;
  EXPECT_TRUE(WaitFor([&] { return HealthStatus(harness.port()) == 200; }, std::chrono::milliseconds(2000)));
}

TEST(FrontDoorTest, HealthAnswersFastWhileUpstreamHealthIsSlow) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  ASSERT_TRUE(WaitFor([&] { return HealthStatus(harness.port()) == 200; }, std::chrono::milliseconds(2000)));
  upstream.health_delay_ms = 1200;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a slow check is now in flight
  RawClient client(harness.port());
  for (int i = 0; i < 20; ++i) {
    auto start = Clock::now();
    client.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    auto response = client.Read();
    auto took = Clock::now() - start;
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_LT(took, std::chrono::milliseconds(10));
  }
}

TEST(FrontDoorTest, RelaysMethodPathBodyAndHeaders) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  RawClient client(harness.port());
  client.Send(
      "POST /echo?q=1 HTTP/1.1\r\nHost: front\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"
      "X-Keep: 2\r\nX-Forwarded-For: 10.1.1.1\r\nAuthorization: Bearer k\r\nContent-Length: 11\r\n\r\nhello world");
  auto response = client.Read();
  ASSERT_EQ(response.result_int(), 200u);
  auto seen = nlohmann::json::parse(response.body());
  EXPECT_EQ(seen["method"], "POST");
  EXPECT_EQ(seen["target"], "/echo?q=1");
  EXPECT_EQ(seen["body"], "hello world");
  EXPECT_EQ(seen["headers"]["x-keep"], "2");
  EXPECT_EQ(seen["headers"]["host"], "front");
  EXPECT_EQ(seen["headers"]["authorization"], "Bearer k");
  EXPECT_EQ(seen["headers"]["x-forwarded-for"], "10.1.1.1, 127.0.0.1");
  EXPECT_FALSE(seen["headers"].contains("x-hop"));
}

TEST(FrontDoorTest, ResponseHopByHopFieldsStayBehindAndPlainHeadsPassAsSent) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  RawClient client(harness.port());
  client.Send("GET /hop HTTP/1.1\r\nHost: x\r\n\r\n");
  auto hop = client.Read();
  EXPECT_EQ(hop.body(), "hop");
  EXPECT_EQ(hop[boost::beast::http::field::keep_alive], "");
  EXPECT_EQ(hop["X-Private"], "");
  EXPECT_EQ(hop["X-Public"], "yes");
  EXPECT_TRUE(hop.keep_alive());
  // A head with nothing to drop goes out as SGLang sent it, on the same connection.
  client.Send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
  auto plain = client.Read();
  EXPECT_EQ(plain.result_int(), 200u);
  EXPECT_EQ(plain.body(), "ok /plain");
  EXPECT_EQ(plain[boost::beast::http::field::content_length], "9");
  EXPECT_TRUE(plain.keep_alive());
}

TEST(FrontDoorTest, ChunkedRequestBodyIsDecodedAndReframed) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  RawClient client(harness.port());
  client.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  auto response = client.Read();
  ASSERT_EQ(response.result_int(), 200u);
  EXPECT_EQ(nlohmann::json::parse(response.body())["body"], "hello world");
}

TEST(FrontDoorTest, PipelinedRequestsAnswerInOrderOverPooledConnection) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  RawClient client(harness.port());
  client.Send(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.Read().body(), "ok /a");
  EXPECT_EQ(client.Read().body(), "ok /b");
  client.Read();
  EXPECT_EQ(client.Read().body(), "ok /c");
  // Health checks open their own connections; proxied requests shared one.
  auto stats = harness.OnLoop([&] { return harness.door().stats(); });
  EXPECT_EQ(stats.upstream_connections_opened, 1u);
  EXPECT_EQ(stats.upstream_connections_reused, 2u);
}

TEST(FrontDoorTest, StreamsEachEventAsItArrives) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  RawClient client(harness.port());
  auto start = Clock::now();
  client.Send("GET /stream?n=4&gap_ms=300 HTTP/1.1\r\nHost: x\r\n\r\n");
  http::response_parser<http::buffer_body> parser;
  char buf[512];
  http::read_header(client.socket(), client.buffer(), parser);
  EXPECT_TRUE(parser.chunked());
  parser.get().body().data = buf;
  parser.get().body().size = sizeof buf;
  boost::system::error_code ec;
  while (parser.get().body().size == sizeof buf) {
    http::read_some(client.socket(), client.buffer(), parser, ec);
    ASSERT_TRUE(!ec || ec == http::error::need_buffer) << ec.message();
  }
  // The first event arrives long before the stream (≥ 900 ms) ends.
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(250));
  EXPECT_EQ(std::string(buf, sizeof buf - parser.get().body().size), "data: 0\n\n");
}

TEST(FrontDoorTest, ClientDisconnectAbortsUpstreamQuickly) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  {
    RawClient client(harness.port());
    client.Send("GET /stream?n=1000&gap_ms=20 HTTP/1.1\r\nHost: x\r\n\r\n");
    http::response_parser<http::buffer_body> parser;
    http::read_header(client.socket(), client.buffer(), parser);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto closed_at = Clock::now().time_since_epoch().count();
  ASSERT_TRUE(WaitFor([&] { return upstream.aborted_streams.load() == 1; }, std::chrono::milliseconds(1000)));
  EXPECT_LT(upstream.abort_seen_at_ns.load() - closed_at, 100'000'000);
  auto stats = harness.OnLoop([&] { return harness.door().stats(); });
  EXPECT_EQ(stats.client_aborts, 1u);
  EXPECT_EQ(stats.requests_in_flight, 0u);
}

TEST(FrontDoorTest, UpstreamFailureMidStreamCutsTheClient) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  RawClient client(harness.port());
  client.Send("GET /die HTTP/1.1\r\nHost: x\r\n\r\n");
  boost::system::error_code ec;
  std::string all = client.ReadToEnd(&ec);
  EXPECT_NE(all.find("data: 1"), std::string::npos);
  EXPECT_EQ(all.find("0\r\n\r\n"), std::string::npos);  // never ended cleanly
  EXPECT_EQ(ec, asio::error::connection_reset);
}

TEST(FrontDoorTest, UnreachableEngineGets503Json) {
  int dead_port;
  {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    dead_port = probe.local_endpoint().port();
  }
  FrontDoorHarness harness(FastSettings(), dead_port);
  RawClient client(harness.port());
  client.Send("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  auto response = client.Read();
  EXPECT_EQ(response.result_int(), 503u);
  auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], 503);
  EXPECT_TRUE(body["error"]["message"].is_string());
}

TEST(FrontDoorTest, AdminRoutesHiddenUnlessExposed) {
  TestUpstream upstream;
  {
    FrontDoorHarness harness(FastSettings(), upstream.port());
    EXPECT_EQ(Status(harness.port(), "POST /flush_cache HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 404);
    EXPECT_EQ(Status(harness.port(), "GET /flush%5Fcache/ HTTP/1.1\r\nHost: x\r\n\r\n"), 404);
    EXPECT_EQ(Status(harness.port(), "GET /server_info HTTP/1.1\r\nHost: x\r\n\r\n"), 404);
    EXPECT_EQ(Status(harness.port(), "GET /v1/other HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
  }
  Settings settings = FastSettings();
  settings.expose_admin = true;
  FrontDoorHarness harness(settings, upstream.port());
  EXPECT_EQ(Status(harness.port(), "POST /flush_cache HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 200);
}

TEST(FrontDoorTest, SmugglingAttemptsAreRefused) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  EXPECT_EQ(
      Status(harness.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
      400);
  EXPECT_EQ(
      Status(harness.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
      400);
  // Both framings: served by the chunked one, then the connection closes, so
  // the bytes hidden after the chunked body never become a second request.
  RawClient client(harness.port());
  client.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 31\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n");
  auto response = client.Read();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(nlohmann::json::parse(response.body())["body"], "");
  std::string rest = client.ReadToEnd();
  EXPECT_EQ(rest.find("smuggled"), std::string::npos);
}

TEST(FrontDoorTest, LimitsAnswerInWaysClientsUnderstand) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.max_header_bytes = 1024;
  settings.header_timeout = milliseconds(300);
  FrontDoorHarness harness(settings, upstream.port());
  EXPECT_EQ(Status(harness.port(), "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n"), 431);
  // Slowloris: half a head, then nothing.
  RawClient slow(harness.port());
  auto start = Clock::now();
  slow.Send("GET / HTTP/1.1\r\nHost: x\r\n");
  std::string answer = slow.ReadToEnd();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
}

TEST(FrontDoorTest, ConnectionCapAnswers503) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.max_connections = 1;
  FrontDoorHarness harness(settings, upstream.port());
  RawClient first(harness.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  RawClient second(harness.port());
  EXPECT_EQ(second.Read().result_int(), 503u);
  first.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(first.Read().result_int(), 200u);
}

TEST(FrontDoorTest, DrainLetsStreamsFinishThenReports) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  ASSERT_TRUE(WaitFor([&] { return HealthStatus(harness.port()) == 200; }, std::chrono::milliseconds(2000)));
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<RawClient>(harness.port()));
    clients.back()->Send("GET /stream?n=10&gap_ms=60 HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::promise<bool> drained;
  harness.OnLoop([&] {
    harness.door().BeginDrain([&](bool clean) { drained.set_value(clean); });
    return 0;
  });
  EXPECT_EQ(HealthStatus(harness.port()), 503);  // at once, while still accepting
  for (auto& client : clients) {
    auto response = client->Read();
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_NE(response.body().find("data: 9"), std::string::npos);
  }
  auto future = drained.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(3)), std::future_status::ready);
  EXPECT_TRUE(future.get());
  EXPECT_EQ(upstream.finished_streams.load(), 5);
}

// Begins a drain on the loop and holds the loop until the returned promise is
// set: meanwhile clients connect and send, and the kernel completes their
// handshakes and buffers their requests before the front door sees any of it.
std::promise<void> BeginDrainHoldingTheLoop(FrontDoorHarness& harness, std::function<void(bool)> on_drained) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  asio::post(harness.io(), [&harness, released, on_drained = std::move(on_drained)]() mutable {
    harness.door().BeginDrain(std::move(on_drained));
    released.wait();
  });
  return release;
}

TEST(FrontDoorTest, DrainAnswersConnectionsStillInTheAcceptQueue) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.drain_delay = Duration::zero();
  FrontDoorHarness harness(settings, upstream.port());
  ASSERT_TRUE(WaitFor([&] { return HealthStatus(harness.port()) == 200; }, std::chrono::milliseconds(2000)));
  // None of these is accepted before the drain's listener close: it must not reset them.
  std::promise<bool> drained;
  std::promise<void> release = BeginDrainHoldingTheLoop(harness, [&](bool clean) { drained.set_value(clean); });
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 20; ++i) {
    clients.push_back(std::make_unique<RawClient>(harness.port()));
    clients.back()->Send("GET /x?i=" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  release.set_value();
  for (auto& client : clients) {
    auto response = client->Read();
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_FALSE(response.keep_alive());  // draining: Connection: close
  }
  auto future = drained.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(4)), std::future_status::ready);
  EXPECT_TRUE(future.get());
}

TEST(FrontDoorTest, DrainKeepsAnIdleConnectionWhoseRequestIsOnItsWay) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.drain_delay = Duration::zero();
  FrontDoorHarness harness(settings, upstream.port());
  RawClient kept(harness.port());
  kept.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(kept.Read().result_int(), 200u);  // kept alive, now idle
  std::promise<void> release = BeginDrainHoldingTheLoop(harness, nullptr);
  kept.Send("GET /y HTTP/1.1\r\nHost: x\r\n\r\n");  // lands in the kernel while the loop is held
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release.set_value();
  auto response = kept.Read();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_FALSE(response.keep_alive());
}

TEST(FrontDoorTest, HungEngineGets504WithinTheResponseTimeout) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.response_timeout = milliseconds(300);
  FrontDoorHarness harness(settings, upstream.port());
  RawClient client(harness.port());
  auto start = Clock::now();
  client.Send("GET /silent?ms=3000 HTTP/1.1\r\nHost: x\r\n\r\n");
  auto response = client.Read();
  EXPECT_EQ(response.result_int(), 504u);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(2000));
  auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], 504);
  EXPECT_TRUE(body["error"]["message"].is_string());
  auto stats = harness.OnLoop([&] { return harness.door().stats(); });
  EXPECT_EQ(stats.upstream_timeouts, 1u);
  EXPECT_EQ(stats.requests_in_flight, 0u);
}

TEST(FrontDoorTest, SilenceMidStreamCutsTheResponse) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.stream_timeout = milliseconds(300);
  FrontDoorHarness harness(settings, upstream.port());
  RawClient client(harness.port());
  auto start = Clock::now();
  client.Send("GET /stream?n=3&gap_ms=2500 HTTP/1.1\r\nHost: x\r\n\r\n");
  boost::system::error_code ec;
  std::string all = client.ReadToEnd(&ec);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(2000));
  EXPECT_NE(all.find("data: 0"), std::string::npos);
  EXPECT_EQ(all.find("0\r\n\r\n"), std::string::npos);  // never ended cleanly
  EXPECT_EQ(ec, asio::error::connection_reset);
}

TEST(FrontDoorTest, ZeroTimeoutsWaitAsLongAsTheEngineTakes) {
  TestUpstream upstream;
  Settings settings = FastSettings();
  settings.response_timeout = Duration::zero();
  settings.stream_timeout = Duration::zero();
  FrontDoorHarness harness(settings, upstream.port());
  EXPECT_EQ(Status(harness.port(), "GET /silent?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
}

// A filter that edits the request body, refuses "bad" and brackets the answer.
class EchoFilter final : public RouteFilter {
 public:
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead&, std::string* body, BodyScan*, LocalResponse* reject) override {
    if (*body == "bad") {
      *reject = VllmErrorResponse(400, "bad body");
      return false;
    }
    *body += "!";
    return true;
  }
  bool WantsResponseBody(int) const override { return true; }
  void OnResponseBody(const RequestHead&, int*, HeaderList*, std::string* body) override { *body = "[" + *body + "]"; }
};

TEST(FrontDoorTest, RouteHooksTransformBodiesAndFrames) {
  TestUpstream upstream;
  FrontDoorHarness harness(FastSettings(), upstream.port());
  harness.OnLoop([&] {
    harness.door().routes().AddExact("/echo", {"POST"}, [](const RequestHead&) {
      RouteDecision decision = RouteDecision::Proxy("echo");
      decision.filters.Add(std::make_shared<EchoFilter>());
      return decision;
    });
    harness.door().routes().AddExact("/stream", {}, [](const RequestHead&) {
      RouteDecision decision = RouteDecision::Proxy("stream");
      decision.filters.Add(std::make_shared<DropOneFrame>());
      return decision;
    });
    return 0;
  });
  RawClient client(harness.port());
  client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  auto response = client.Read();
  ASSERT_EQ(response.body().front(), '[');
  EXPECT_EQ(nlohmann::json::parse(response.body().substr(1, response.body().size() - 2))["body"], "hi!");
  client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nbad");
  EXPECT_EQ(client.Read().result_int(), 400u);
  client.Send("GET /stream?n=3&gap_ms=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.Read().body(), "data: 0\n\ndata: 2\n\n");
}

}  // namespace
}  // namespace shim

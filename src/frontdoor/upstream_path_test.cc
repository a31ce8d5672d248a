// A proxied route may relay to an SGLang path other than the client's, chosen by the route
// or by a filter from the request body, over real loopback sockets (testing_upstream.h).
#include "frontdoor/testing_upstream.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT

// Chooses SGLang's path from the request body, as vLLM's /v1/responses with a JSON text
// format is served by SGLang's chat route.
class BodyRoutedFilter final : public RouteFilter {
 public:
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead&, std::string* body, BodyScan*, LocalResponse*) override {
    to_echo_ = *body == "echo";
    return true;
  }
  std::string_view UpstreamPath() const override { return to_echo_ ? "/echo" : std::string_view(); }

 private:
  bool to_echo_ = false;
};

// A route may send its requests to another SGLang path (vLLM's /rerank is SGLang's
// /v1/rerank); the query string goes with it.
TEST(UpstreamPathTest, RouteOrFilterNamesSglangsPath) {
  TestUpstream upstream;
  Settings settings;
  settings.health_interval = std::chrono::milliseconds(100);
  FrontDoorHarness harness(settings, upstream.port());
  harness.OnLoop([&] {
    harness.door().routes().AddExact("/alias", {}, [](const RequestHead&) {
      RouteDecision decision = RouteDecision::Proxy("alias");
      decision.upstream_path = "/echo";
      return decision;
    });
    harness.door().routes().AddExact("/by-body", {}, [](const RequestHead&) {
      RouteDecision decision = RouteDecision::Proxy("by_body");
      decision.filters.Add(std::make_shared<BodyRoutedFilter>());
      return decision;
    });
    return 0;
  });
  RawClient client(harness.port());
  client.Send("POST /alias?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  auto seen = nlohmann::json::parse(client.Read().body());
  EXPECT_EQ(seen["target"], "/echo?q=1");
  EXPECT_EQ(seen["body"], "hi");
  client.Send("GET /alias HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(nlohmann::json::parse(client.Read().body())["target"], "/echo");
  client.Send("POST /by-body?x=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\necho");
  EXPECT_EQ(nlohmann::json::parse(client.Read().body())["target"], "/echo?x=2");
}

}  // namespace
}  // namespace shim

#include "frontdoor/route.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

RequestHead Head(std::string method, std::string target) {
  RequestHead head;
  head.method = std::move(method);
  head.target = std::move(target);
  return head;
}

TEST(RouteTest, AdminPathsFromTheSglangReference) {
  EXPECT_TRUE(IsSglangAdminPath("/flush_cache"));
  EXPECT_TRUE(IsSglangAdminPath("/update_weights_from_disk"));
  EXPECT_TRUE(IsSglangAdminPath("/hicache/storage-backend"));
  EXPECT_TRUE(IsSglangAdminPath("/dumper/x"));
  EXPECT_TRUE(IsSglangAdminPath("/server_info"));
  EXPECT_FALSE(IsSglangAdminPath("/v1/chat/completions"));
  EXPECT_FALSE(IsSglangAdminPath("/health"));
  EXPECT_FALSE(IsSglangAdminPath("/flush_cache_extra"));
}

TEST(RouteTest, ExactBeforePrefixAndMethodFilter) {
  RouteTable table;
  table.AddPrefix("/v1/", {}, [](const RequestHead&) { return RouteDecision::Proxy("v1"); });
  table.AddExact("/v1/models", {"GET"},
                 [](const RequestHead&) { return RouteDecision::Answer("models", LocalResponse{}); });
  EXPECT_EQ(table.Decide(Head("GET", "/v1/models?x")).label, "models");
  EXPECT_EQ(table.Decide(Head("POST", "/v1/models")).label, "v1");
  EXPECT_EQ(table.Decide(Head("GET", "/v1/other")).label, "v1");
  EXPECT_EQ(table.Decide(Head("GET", "/other")).label, "proxy");
  EXPECT_EQ(table.Decide(Head("GET", "/other")).kind, RouteDecision::Kind::kProxy);
}

TEST(RouteTest, LaterRegistrationWins) {
  RouteTable table;
  table.AddExact("/x", {}, [](const RequestHead&) { return RouteDecision::Proxy("first"); });
  table.AddExact("/x", {}, [](const RequestHead&) { return RouteDecision::Proxy("second"); });
  EXPECT_EQ(table.Decide(Head("GET", "/x")).label, "second");
}

TEST(RouteTest, FiltersRunOnEveryDecisionInOrder) {
  RouteTable table;
  table.AddExact("/x", {}, [](const RequestHead&) { return RouteDecision::Proxy("x"); });
  table.AddFilter([](const RequestHead&, RouteDecision* d) { d->label = d->label == "x" ? "x+a" : "other+a"; });
  table.AddFilter([](const RequestHead& head, RouteDecision* d) {
    if (head.path() == "/deny") *d = RouteDecision::Answer("denied", LocalResponse{});
  });
  EXPECT_EQ(table.Decide(Head("GET", "/x")).label, "x+a");
  EXPECT_EQ(table.Decide(Head("GET", "/other")).label, "other+a");
  EXPECT_EQ(table.Decide(Head("GET", "/deny")).label, "denied");
}

TEST(RouteTest, FallbackDecidesUnmatchedPathsAndFiltersStillRun) {
  RouteTable table;
  table.AddExact("/known", {}, [](const RequestHead&) { return RouteDecision::Proxy("known"); });
  table.SetFallback([](const RequestHead& head) {
    return head.path() == "/open" ? RouteDecision::Proxy("open") : RouteDecision::Answer("unknown", LocalResponse{});
  });
  table.AddFilter([](const RequestHead&, RouteDecision* d) {
    if (d->label == "unknown") d->answer.status = 404;
  });
  EXPECT_EQ(table.Decide(Head("GET", "/known")).label, "known");
  EXPECT_EQ(table.Decide(Head("GET", "/open")).label, "open");
  RouteDecision other = table.Decide(Head("POST", "/other"));
  EXPECT_EQ(other.kind, RouteDecision::Kind::kAnswer);
  EXPECT_EQ(other.answer.status, 404);
}

}  // namespace
}  // namespace shim

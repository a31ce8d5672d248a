#include "endpoints/cache_admin.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "endpoints/vllm_endpoints.h"

namespace shim::endpoints {
namespace {

using nlohmann::json;

TEST(CacheAdminQuery, BooleansAsPydanticReadsThem) {
  bool value = false;
  EndpointReply reject;
  for (const char* yes : {"x=1", "x=true", "x=True", "x=yes", "x=on", "x=t", "x=Y", "x=0&x=true"}) {
    ASSERT_TRUE(ParseQueryBool(yes, "x", false, &value, &reject)) << yes;
    EXPECT_TRUE(value) << yes;
  }
  for (const char* no : {"x=0", "x=false", "x=FALSE", "x=no", "x=off", "x=f", "x=n"}) {
    ASSERT_TRUE(ParseQueryBool(no, "x", true, &value, &reject)) << no;
    EXPECT_FALSE(value) << no;
  }
  ASSERT_TRUE(ParseQueryBool("y=1", "x", true, &value, &reject));
  EXPECT_TRUE(value);  // absent: the default
  for (const char* bad : {"x=", "x", "x=maybe", "x=2"}) {
    EXPECT_FALSE(ParseQueryBool(bad, "x", false, &value, &reject)) << bad;
    EXPECT_EQ(reject.status, 400);
    EXPECT_EQ(json::parse(reject.body)["error"]["param"], "x");
  }
}

TEST(CacheAdminQuery, ResetPrefixCache) {
  ResetPrefixCacheCommand command;
  EndpointReply reject;
  ASSERT_TRUE(ParseResetPrefixCacheQuery("", &command, &reject));
  EXPECT_FALSE(command.reset_running_requests);
  EXPECT_FALSE(command.reset_external);
  ASSERT_TRUE(ParseResetPrefixCacheQuery("reset_running_requests=true&reset_external=1", &command, &reject));
  EXPECT_TRUE(command.reset_running_requests);
  EXPECT_TRUE(command.reset_external);
  EXPECT_FALSE(ParseResetPrefixCacheQuery("reset_external=please", &command, &reject));
  EXPECT_EQ(reject.status, 400);
}

TEST(CacheAdminQuery, PauseModesAndFlags) {
  PauseCommand command;
  EndpointReply reject;
  ASSERT_TRUE(ParsePauseQuery("", &command, &reject));
  EXPECT_EQ(command.mode, PauseMode::kAbort);
  EXPECT_TRUE(command.clear_cache);
  EXPECT_TRUE(FlushAfterPause(command));
  ASSERT_TRUE(ParsePauseQuery("mode=keep", &command, &reject));
  EXPECT_EQ(command.mode, PauseMode::kKeep);
  EXPECT_FALSE(FlushAfterPause(command));  // vLLM ignores clear_cache for keep
  ASSERT_TRUE(ParsePauseQuery("mode=wait&clear_cache=false", &command, &reject));
  EXPECT_EQ(command.mode, PauseMode::kWait);
  EXPECT_FALSE(FlushAfterPause(command));
  // The deprecated flag means wait.
  ASSERT_TRUE(ParsePauseQuery("wait_for_inflight_requests=true", &command, &reject));
  EXPECT_EQ(command.mode, PauseMode::kWait);
  EXPECT_FALSE(ParsePauseQuery("mode=freeze", &command, &reject));
  EXPECT_EQ(reject.status, 400);
  EXPECT_FALSE(ParsePauseQuery("clear_cache=sometimes", &command, &reject));
}

TEST(CacheAdminAnswers, SglangBodiesAndVllmShapes) {
  EXPECT_EQ(SglangPauseBody(PauseMode::kAbort), R"({"mode":"abort"})");
  EXPECT_EQ(SglangPauseBody(PauseMode::kKeep), R"({"mode":"in_place"})");
  EXPECT_EQ(SglangPauseBody(PauseMode::kWait), R"({"mode":"in_place"})");
  EXPECT_EQ(SglangRetractBody(), R"({"mode":"retract"})");
  EXPECT_EQ(PausedReply().body, R"({"status":"paused"})");
  EXPECT_EQ(ResumedReply().body, R"({"status":"resumed"})");
  EXPECT_EQ(IsPausedJson(true), R"({"is_paused":true})");
  EXPECT_EQ(IsPausedJson(false), R"({"is_paused":false})");
  EndpointReply failed = PauseFailedReply("the engine answered HTTP 500");
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(json::parse(failed.body)["error"], "Failed to pause generation: the engine answered HTTP 500");
  EXPECT_EQ(ResumeFailedReply("x").status, 500);
  EXPECT_EQ(PrefixCacheResetReply().status, 200);
  EXPECT_EQ(json::parse(PrefixCacheResetReply().body)["success"], true);
  EndpointReply busy = PrefixCacheBusyReply(std::chrono::milliseconds(5012));
  EXPECT_EQ(busy.status, 503);
  auto error = json::parse(busy.body)["error"];
  EXPECT_NE(error["message"].get<std::string>().find("after 5.0 s"), std::string::npos);
  EXPECT_EQ(error["code"], 503);
  EndpointReply unserved = UnservedDevRouteReply("/collective_rpc");
  EXPECT_EQ(unserved.status, 501);
  EXPECT_EQ(json::parse(unserved.body)["error"]["type"], "NotImplementedError");
  EXPECT_EQ(EncoderCacheResetReply().status, 501);
}

TEST(CacheAdminRetry, BackoffIsBoundedAndFitsTheLimit) {
  EXPECT_EQ(FlushRetryDelay(1).count(), 50);
  EXPECT_EQ(FlushRetryDelay(2).count(), 100);
  EXPECT_EQ(FlushRetryDelay(4).count(), 400);
  EXPECT_EQ(FlushRetryDelay(5).count(), 500);
  EXPECT_EQ(FlushRetryDelay(1000).count(), 500);
  long long total = 0;
  int attempts = 0;
  while (total + FlushRetryDelay(attempts + 1).count() < kFlushRetryBound.count())
    total += FlushRetryDelay(++attempts).count();
  EXPECT_GE(attempts, 10);  // SGLang is asked often enough within the bound
}

std::unique_ptr<EndpointContext> DevContext(bool dev_mode, bool pooling) {
  FrontendOptions options;
  options.model = "m";
  options.pooling = pooling;
  Settings settings;
  settings.server_dev_mode = dev_mode;
  return MakeEndpointContext(options, settings, nullptr);
}

RouteDecision Decide(EndpointContext& ctx, std::string_view method, std::string_view target) {
  RouteTable table;
  RegisterVllmEndpoints(table, ctx);
  table.AddFilter([&ctx](const RequestHead& h, RouteDecision* d) { ApplyVllmGates(ctx, h, d); });
  RequestHead head;
  head.method = std::string(method);
  head.target = std::string(target);
  return table.Decide(head);
}

TEST(CacheAdminRoutes, GatedByDevModeAndTask) {
  const char* cache[] = {"/reset_prefix_cache", "/reset_mm_cache", "/reset_encoder_cache"};
  const char* rlhf[] = {"/pause",
                        "/resume",
                        "/init_weight_transfer_engine",
                        "/start_weight_update",
                        "/update_weights",
                        "/finish_weight_update"};
  auto off = DevContext(false, false);
  for (const char* path : cache) EXPECT_EQ(Decide(*off, "POST", path).answer.status, 404) << path;
  for (const char* path : rlhf) EXPECT_EQ(Decide(*off, "POST", path).answer.status, 404) << path;
  EXPECT_EQ(Decide(*off, "GET", "/is_paused").answer.status, 404);
  EXPECT_EQ(Decide(*off, "POST", "/collective_rpc").answer.status, 404);
  EXPECT_EQ(Decide(*off, "GET", "/get_world_size").answer.status, 404);

  auto on = DevContext(true, false);
  EXPECT_EQ(Decide(*on, "POST", "/reset_prefix_cache").kind, RouteDecision::Kind::kAnswerAsync);
  EXPECT_EQ(Decide(*on, "POST", "/reset_mm_cache").answer.status, 200);
  EXPECT_EQ(Decide(*on, "POST", "/reset_encoder_cache").answer.status, 501);
  EXPECT_EQ(Decide(*on, "GET", "/reset_prefix_cache").answer.status, 405);
  EXPECT_EQ(Decide(*on, "POST", "/pause").kind, RouteDecision::Kind::kAnswerAsync);
  EXPECT_EQ(Decide(*on, "POST", "/resume").kind, RouteDecision::Kind::kAnswerAsync);
  RouteDecision paused = Decide(*on, "GET", "/is_paused");
  EXPECT_EQ(paused.answer.body, R"({"is_paused":false})");
  on->paused = true;
  EXPECT_EQ(Decide(*on, "GET", "/is_paused").answer.body, R"({"is_paused":true})");
  EXPECT_EQ(Decide(*on, "POST", "/is_paused").answer.status, 405);
  EXPECT_EQ(Decide(*on, "POST", "/collective_rpc").answer.status, 501);
  EXPECT_EQ(Decide(*on, "GET", "/get_world_size").answer.status, 501);
  EXPECT_EQ(Decide(*on, "POST", "/get_world_size").answer.status, 405);
  for (const char* path : rlhf) {
    if (std::string_view(path) == "/pause" || std::string_view(path) == "/resume") continue;
    EXPECT_EQ(Decide(*on, "POST", path).answer.status, 501) << path;
  }

  // A pooling model: vLLM has the cache and RPC routes but not the RLHF ones.
  auto pooling = DevContext(true, true);
  EXPECT_EQ(Decide(*pooling, "POST", "/reset_mm_cache").answer.status, 200);
  EXPECT_EQ(Decide(*pooling, "POST", "/collective_rpc").answer.status, 501);
  for (const char* path : rlhf) EXPECT_EQ(Decide(*pooling, "POST", path).answer.status, 404) << path;
  EXPECT_EQ(Decide(*pooling, "GET", "/is_paused").answer.status, 404);
}

}  // namespace
}  // namespace shim::endpoints

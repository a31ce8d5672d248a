#include "endpoints/vllm_endpoints.h"

#include "endpoints/model_selection.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "rewrite/json_scanner.h"

namespace shim::endpoints {
namespace {

using nlohmann::json;

RequestHead Head(std::string method, std::string target, HeaderList headers = {}) {
  RequestHead head;
  head.method = std::move(method);
  head.target = std::move(target);
  head.headers = std::move(headers);
  return head;
}

std::unique_ptr<EndpointContext> Context(std::vector<std::string> keys = {}, bool request_ids = false) {
  FrontendOptions options;
  options.model = "/models/m";
  options.served_model_names = {"m", "m2"};
  options.api_keys = std::move(keys);
  options.lora_modules = {{"sql", "/loras/sql", std::nullopt}};
  options.enable_request_id_headers = request_ids;
  Settings settings;
  settings.allow_runtime_lora_updating = true;
  settings.server_dev_mode = true;
  return MakeEndpointContext(options, settings, nullptr);
}

// Runs a route's request-body filters as the front door does.
bool Transform(const RouteDecision& d, const RequestHead& head, std::string* body, LocalResponse* reject) {
  return d.filters.RunRequestBody(head, body, reject);
}

TEST(VllmGates, UnauthorizedOnGuardedPaths) {
  auto ctx = Context({"k1"});
  RouteDecision d = RouteDecision::Proxy("chat");
  ApplyVllmGates(*ctx, Head("POST", "/v1/chat/completions"), &d);
  EXPECT_EQ(d.kind, RouteDecision::Kind::kAnswer);
  EXPECT_EQ(d.answer.status, 401);
  EXPECT_EQ(d.answer.body, R"({"error":"Unauthorized"})");

  RouteDecision ok = RouteDecision::Proxy("chat");
  ApplyVllmGates(*ctx, Head("POST", "/v1/chat/completions", {{"authorization", "Bearer k1"}}), &ok);
  EXPECT_EQ(ok.kind, RouteDecision::Kind::kProxy);

  RouteDecision health = RouteDecision::Proxy("tokenize");
  ApplyVllmGates(*ctx, Head("POST", "/tokenize"), &health);
  EXPECT_EQ(health.kind, RouteDecision::Kind::kProxy);
}

std::unique_ptr<EndpointContext> ExposingContext(std::vector<std::string> keys, bool sglang_routes, bool admin) {
  FrontendOptions options;
  options.model = "m";
  options.api_keys = std::move(keys);
  Settings settings;
  settings.expose_sglang_routes = sglang_routes;
  settings.expose_admin = admin;
  return MakeEndpointContext(options, settings, nullptr);
}

// What the table with vLLM's endpoints and gates decides for a request.
RouteDecision Decide(EndpointContext& ctx, const RequestHead& head) {
  RouteTable table;
  RegisterVllmEndpoints(table, ctx);
  table.AddFilter([&ctx](const RequestHead& h, RouteDecision* d) { ApplyVllmGates(ctx, h, d); });
  return table.Decide(head);
}

TEST(VllmGates, SglangOnlyRoutesAreVllmsNotFound) {
  for (bool keyed : {false, true}) {
    auto ctx = ExposingContext(keyed ? std::vector<std::string>{"k"} : std::vector<std::string>{}, false, false);
    for (const char* path : {"/generate", "/encode", "/api/chat", "/vertex_generate", "/open_session", "/",
                             "/%67enerate", "//generate/"}) {
      RouteDecision d = Decide(*ctx, Head("POST", path, {{"Authorization", "Bearer k"}}));
      EXPECT_EQ(d.kind, RouteDecision::Kind::kAnswer) << path;
      EXPECT_EQ(d.answer.status, 404) << path;
      EXPECT_EQ(d.answer.body, R"({"detail":"Not Found"})") << path;
    }
    // vLLM's own routes are forwarded, under vLLM's key rule.
    EXPECT_EQ(Decide(*ctx, Head("POST", "/invocations")).kind, RouteDecision::Kind::kProxy);
    EXPECT_EQ(Decide(*ctx, Head("GET", "/v1/responses/resp_1")).kind,
              keyed ? RouteDecision::Kind::kAnswer : RouteDecision::Kind::kProxy);
  }
}

TEST(VllmGates, ExposedSglangRoutesNeedTheKey) {
  auto ctx = ExposingContext({"k"}, true, false);
  for (const char* path : {"/generate", "/encode", "/%67enerate", "/api/generate"}) {
    RouteDecision refused = Decide(*ctx, Head("POST", path));
    EXPECT_EQ(refused.answer.status, 401) << path;
    RouteDecision passed = Decide(*ctx, Head("POST", path, {{"Authorization", "Bearer k"}}));
    EXPECT_EQ(passed.kind, RouteDecision::Kind::kProxy) << path;
  }
  // Routes vLLM leaves open stay open.
  EXPECT_EQ(Decide(*ctx, Head("POST", "/invocations")).kind, RouteDecision::Kind::kProxy);
  // Admin routes are not SGLang routes to expose: still not found (the front door hides them).
  EXPECT_EQ(Decide(*ctx, Head("POST", "/flush_cache")).answer.status, 404);
  auto open = ExposingContext({}, true, false);
  EXPECT_EQ(Decide(*open, Head("POST", "/generate")).kind, RouteDecision::Kind::kProxy);
}

TEST(VllmGates, ExposedAdminRoutesNeedTheKeyAndInfoLosesSecrets) {
  auto ctx = ExposingContext({"k"}, false, true);
  EXPECT_EQ(Decide(*ctx, Head("POST", "/flush_cache")).answer.status, 401);
  EXPECT_EQ(Decide(*ctx, Head("POST", "/hicache/storage-backend")).answer.status, 401);
  RouteDecision info = Decide(*ctx, Head("GET", "/get_server_info", {{"Authorization", "Bearer k"}}));
  ASSERT_EQ(info.kind, RouteDecision::Kind::kProxy);
  ASSERT_TRUE(info.filters.WantsResponseBody(200));
  int status = 200;
  HeaderList headers;
  std::string body = R"({"api_key":"k","tp_size":1})";
  info.filters.RunResponseBody(Head("GET", "/get_server_info"), &status, &headers, &body);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(json::parse(body), json::parse(R"({"tp_size":1})"));
  std::string garbage = "api_key=k";
  info.filters.RunResponseBody(Head("GET", "/get_server_info"), &status, &headers, &garbage);
  EXPECT_EQ(status, 502);
  EXPECT_EQ(garbage.find("api_key=k"), std::string::npos);
}

TEST(VllmGates, SleepingEngineRefusesGeneration) {
  auto ctx = Context();
  ctx->sleep.OnSlept(1);
  RouteDecision d = RouteDecision::Proxy("chat");
  ApplyVllmGates(*ctx, Head("POST", "/v1/completions"), &d);
  EXPECT_EQ(d.answer.status, 503);
  RouteDecision models = RouteDecision::Proxy("x");
  ApplyVllmGates(*ctx, Head("GET", "/v1/models"), &models);
  EXPECT_EQ(models.kind, RouteDecision::Kind::kProxy);
}

// The route's own filter: as the rewrite does, it hands on a scan of the body it leaves.
class ScanningFilter final : public RouteFilter {
 public:
  explicit ScanningFilter(bool* ran) : ran_(ran) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse*) override {
    *ran_ = true;
    std::string err;
    JsonObjectScan object;
    if (ScanTopLevelObject(*body, &object, &err)) *scan = std::move(object);
    return true;
  }

 private:
  bool* ran_;
};

TEST(VllmGates, ModelSelectionChainsAfterOtherTransforms) {
  auto ctx = Context();
  RouteDecision d = RouteDecision::Proxy("chat");
  bool inner_ran = false;
  d.filters.Add(std::make_shared<ScanningFilter>(&inner_ran));
  auto head = Head("POST", "/v1/chat/completions");
  ApplyVllmGates(*ctx, head, &d);
  ASSERT_EQ(d.filters.size(), 2u);  // the route's filter, then model selection
  ASSERT_TRUE(d.filters.NeedsRequestBody());
  std::string body = R"({"model":"sql","messages":[]})";
  LocalResponse reject;
  ASSERT_TRUE(Transform(d, head, &body, &reject));
  EXPECT_TRUE(inner_ran);
  EXPECT_EQ(json::parse(body)["lora_path"], "sql");

  std::string unknown = R"({"model":"nope","messages":[]})";
  EXPECT_FALSE(Transform(d, head, &unknown, &reject));
  EXPECT_EQ(reject.status, 404);
}

TEST(VllmGates, RequestIdHeaderOnLocalAndProxiedAnswers) {
  auto ctx = Context({}, true);
  RouteDecision local = RouteDecision::Answer("x", LocalResponse{});
  auto local_head = Head("GET", "/v1/models", {{"X-Request-Id", "abc"}});
  ApplyVllmGates(*ctx, local_head, &local);
  local.filters.RunLocalAnswer(local_head, &local.answer);  // as the front door does before answering
  ASSERT_EQ(local.answer.headers.size(), 1u);
  EXPECT_EQ(local.answer.headers[0].second, "abc");

  RouteDecision proxied = RouteDecision::Proxy("p");
  auto head = Head("GET", "/v1/other");
  ApplyVllmGates(*ctx, head, &proxied);
  HeaderList headers;
  ASSERT_TRUE(proxied.filters.EditsResponseHead());  // runs for SSE answers too
  proxied.filters.RunResponseHead(head, 200, &headers);
  ASSERT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers[0].second.size(), 32u);
}

TEST(VllmGates, RequestIdHeaderOnRefusedBodies) {
  auto ctx = Context({}, true);
  auto head = Head("POST", "/v1/chat/completions", {{"X-Request-Id", "r-1"}});
  RouteDecision d = RouteDecision::Proxy("chat");
  ApplyVllmGates(*ctx, head, &d);
  std::string body = R"({"model":"nope","messages":[]})";
  LocalResponse reject;
  ASSERT_FALSE(Transform(d, head, &body, &reject));
  EXPECT_EQ(reject.status, 404);
  ASSERT_EQ(reject.headers.size(), 1u);
  EXPECT_EQ(reject.headers[0].second, "r-1");
}

TEST(VllmGates, StartupAdaptersAreListed) {
  auto ctx = Context();
  json data = json::parse(ctx->registry->ModelsJson())["data"];
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data[2]["id"], "sql");
  EXPECT_EQ(data[2]["parent"], "m");
  EXPECT_EQ(ctx->backend_api_key, "");
}

TEST(VllmGates, SleepGauge) {
  auto ctx = Context();
  auto gauge = SleepStateGauge(*ctx);
  EXPECT_EQ(gauge.name, "vllm:engine_sleep_state");
  ASSERT_EQ(gauge.samples.size(), 3u);
  EXPECT_EQ(gauge.samples[0].labels[0].second, "awake");
  EXPECT_EQ(gauge.samples[0].value, 1);
}

// The table as src/app wires it: registered routes plus the gates as a filter.
struct WiredTable {
  std::unique_ptr<EndpointContext> ctx = Context();
  RouteTable routes;
  WiredTable() {
    RegisterVllmEndpoints(routes, *ctx);
    routes.AddFilter([this](const RequestHead& h, RouteDecision* d) { ApplyVllmGates(*ctx, h, d); });
  }
};

TEST(RegisterVllmEndpoints, ColonAdapterIsSelectedOnceOnUnregisteredPaths) {
  WiredTable table;
  table.ctx->registry->PutAdapter("team:v1", "/loras/team", "", 3);
  auto head = Head("POST", "/v1/embeddings");
  RouteDecision d = table.routes.Decide(head);
  ASSERT_EQ(d.kind, RouteDecision::Kind::kProxy);
  ASSERT_TRUE(d.filters.NeedsRequestBody());
  std::string body = R"({"model":"team:v1","input":"x"})";
  LocalResponse reject;
  ASSERT_TRUE(Transform(d, head, &body, &reject)) << reject.body;
  json sent = json::parse(body);
  EXPECT_EQ(sent["lora_path"], "team:v1");
  EXPECT_EQ(sent["model"], std::string(kNeutralModelName));
}

TEST(RegisterVllmEndpoints, OtherMethodsAre405AndGetRoutesTakeHead) {
  WiredTable table;
  RouteDecision get_sleep = table.routes.Decide(Head("GET", "/sleep"));
  ASSERT_EQ(get_sleep.kind, RouteDecision::Kind::kAnswer);
  EXPECT_EQ(get_sleep.answer.status, 405);
  EXPECT_EQ(get_sleep.answer.body, R"({"detail":"Method Not Allowed"})");
  RouteDecision post_models = table.routes.Decide(Head("POST", "/v1/models"));
  EXPECT_EQ(post_models.answer.status, 405);
  RouteDecision head_models = table.routes.Decide(Head("HEAD", "/v1/models"));
  EXPECT_NE(head_models.answer.status, 405);
  RouteDecision post_sleep = table.routes.Decide(Head("POST", "/sleep"));
  EXPECT_EQ(post_sleep.kind, RouteDecision::Kind::kAnswerAsync);
}

TEST(RegisterVllmEndpoints, ModelsAskSglangOnlyWhileTheLengthIsUnknown) {
  WiredTable table;
  EXPECT_EQ(table.routes.Decide(Head("GET", "/v1/models")).kind, RouteDecision::Kind::kAnswerAsync);
  table.ctx->registry->LearnMaxModelLen(8192);
  RouteDecision d = table.routes.Decide(Head("GET", "/v1/models"));
  ASSERT_EQ(d.kind, RouteDecision::Kind::kAnswer);
  EXPECT_EQ(json::parse(d.answer.body)["data"][0]["max_model_len"], 8192);
}

}  // namespace
}  // namespace shim::endpoints

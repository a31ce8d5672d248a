#include "endpoints/api_key_auth.h"

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

// Paths and rules from vllm/entrypoints/openai/server_utils.py AuthenticationMiddleware.
TEST(ApiKeyGuard, GuardsOnlyV1V2AndInferencePrefixes) {
  ApiKeyGuard guard({"sk-1"}, "");
  for (const char* path : {"/v1/models", "/v1/chat/completions", "/v2/embed", "/inference/v1/generate", "/v1x"}) {
    EXPECT_TRUE(guard.IsGuardedPath(path)) << path;
    EXPECT_FALSE(guard.Allows("GET", path, nullptr)) << path;
  }
  for (const char* path : {"/health", "/metrics", "/ping", "/tokenize", "/detokenize", "/version", "/load",
                           "/is_sleeping", "/sleep", "/wake_up", "/server_info", "/"}) {
    EXPECT_FALSE(guard.IsGuardedPath(path)) << path;
    EXPECT_TRUE(guard.Allows("POST", path, nullptr)) << path;
  }
}

TEST(ApiKeyGuard, OptionsIsExempt) {
  ApiKeyGuard guard({"sk-1"}, "");
  EXPECT_TRUE(guard.Allows("OPTIONS", "/v1/models", nullptr));
}

TEST(ApiKeyGuard, BearerSchemeCaseInsensitiveAndAnyOfSeveralKeys) {
  ApiKeyGuard guard({"sk-1", "sk-2"}, "");
  std::string a = "Bearer sk-1", b = "bearer sk-2", c = "BEARER sk-2";
  EXPECT_TRUE(guard.Allows("GET", "/v1/models", &a));
  EXPECT_TRUE(guard.Allows("GET", "/v1/models", &b));
  EXPECT_TRUE(guard.Allows("GET", "/v1/models", &c));
  for (std::string bad : {"Bearer sk-3", "Basic sk-1", "Bearer", "sk-1", "Bearer  sk-1", "Bearer sk-1 ", ""}) {
    EXPECT_FALSE(guard.Allows("GET", "/v1/models", &bad)) << bad;
  }
}

TEST(ApiKeyGuard, NoKeysMeansNoCheckAndEmptyKeysIgnored) {
  ApiKeyGuard none({}, "");
  EXPECT_FALSE(none.enabled());
  EXPECT_TRUE(none.Allows("GET", "/v1/models", nullptr));
  ApiKeyGuard empty({""}, "");
  EXPECT_FALSE(empty.enabled());
}

TEST(ApiKeyGuard, RootPathIsStrippedFirst) {
  ApiKeyGuard guard({"k"}, "/api");
  EXPECT_TRUE(guard.IsGuardedPath("/api/v1/models"));
  EXPECT_FALSE(guard.IsGuardedPath("/api/health"));
}

TEST(ApiKeyGuard, CallerMayGuardAnyPath) {
  ApiKeyGuard guard({"k"}, "");
  const std::string good = "Bearer k";
  EXPECT_FALSE(guard.AllowsRequest("POST", true, nullptr));
  EXPECT_TRUE(guard.AllowsRequest("POST", true, &good));
  EXPECT_TRUE(guard.AllowsRequest("POST", false, nullptr));
  EXPECT_TRUE(guard.AllowsRequest("OPTIONS", true, nullptr));
  ApiKeyGuard none({}, "");
  EXPECT_TRUE(none.AllowsRequest("POST", true, nullptr));
}

TEST(ApiKeyGuard, UnauthorizedBodyIsVllms) {
  EndpointReply reply = ApiKeyGuard::Unauthorized();
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.body, R"({"error":"Unauthorized"})");
}

}  // namespace
}  // namespace shim::endpoints

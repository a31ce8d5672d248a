#include "endpoints/vllm_routes.h"

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

// vLLM @9aaf83ef, vllm/entrypoints/openai/api_server.py:build_app and its routers.
TEST(VllmRoutes, VllmsOwnPathsAreRoutes) {
  for (const char* path : {"/v1/chat/completions",
                           "/v1/completions",
                           "/v1/embeddings",
                           "/v2/embed",
                           "/score",
                           "/v1/score",
                           "/rerank",
                           "/v1/rerank",
                           "/v2/rerank",
                           "/classify",
                           "/pooling",
                           "/invocations",
                           "/v1/responses",
                           "/v1/responses/resp_1",
                           "/v1/responses/resp_1/cancel",
                           "/v1/audio/transcriptions",
                           "/inference/v1/generate",
                           "/tokenize",
                           "/health",
                           "/reset_prefix_cache",
                           "/reset_mm_cache",
                           "/reset_encoder_cache",
                           "/pause",
                           "/resume",
                           "/is_paused",
                           "/collective_rpc",
                           "/init_weight_transfer_engine",
                           "/start_weight_update",
                           "/update_weights",
                           "/finish_weight_update",
                           "/get_world_size"}) {
    EXPECT_TRUE(IsVllmRoute(path)) << path;
  }
}

// SGLang's own routes (python/sglang/srt/entrypoints/http_server.py @8905cbd4).
TEST(VllmRoutes, SglangOnlyPathsAreNot) {
  for (const char* path :
       {"/generate", "/encode", "/v1/classify", "/v1/loads", "/get_load", "/api/generate", "/api/chat",
        "/vertex_generate", "/open_session", "/close_session", "/model_info", "/get_model_info", "/flush_cache",
        "/pause_generation", "/continue_generation", "/", "/v1/responses/"}) {
    EXPECT_FALSE(IsVllmRoute(path)) << path;
  }
  EXPECT_FALSE(IsVllmRoute("/v1/chat/completions/x"));
  EXPECT_FALSE(IsVllmRoute("/generate/v1/chat/completions"));
}

}  // namespace
}  // namespace shim::endpoints

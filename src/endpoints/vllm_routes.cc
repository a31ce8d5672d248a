#include "endpoints/vllm_routes.h"

#include <array>

#include "common/strings.h"

namespace shim::endpoints {
namespace {

// Every path of vLLM's route list, whether or not the model's task or vLLM's
// settings register it there: the ones vLLM would not register reach SGLang,
// which answers its own 404 or a working equivalent.
constexpr std::array<std::string_view, 55> kVllmPaths = {
    // always present
    "/health",
    "/ping",
    "/version",
    "/load",
    "/metrics",
    "/tokenize",
    "/detokenize",
    "/v1/models",
    "/invocations",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    // generation
    "/v1/chat/completions",
    "/v1/completions",
    "/v1/chat/completions/batch",
    "/v1/responses",
    "/v1/messages",
    "/v1/messages/count_tokens",
    "/inference/v1/generate",
    "/generative_scoring",
    "/v1/chat/completions/render",
    "/v1/completions/render",
    "/abort_requests",
    // pooling
    "/v1/embeddings",
    "/v2/embed",
    "/classify",
    "/pooling",
    "/score",
    "/v1/score",
    "/rerank",
    "/v1/rerank",
    "/v2/rerank",
    // audio, realtime, tokenizer
    "/v1/audio/transcriptions",
    "/v1/audio/translations",
    "/v1/realtime",
    "/tokenizer_info",
    // LoRA and development mode (the shim answers or refuses these itself)
    "/v1/load_lora_adapter",
    "/v1/unload_lora_adapter",
    "/sleep",
    "/wake_up",
    "/is_sleeping",
    "/server_info",
    "/reset_prefix_cache",
    "/reset_mm_cache",
    "/reset_encoder_cache",
    // development mode, vLLM @9aaf83ef vllm/entrypoints/serve/dev/rlhf/api_router.py and
    // dev/rpc/api_router.py (answered by the shim: src/endpoints/cache_admin.h)
    "/pause",
    "/resume",
    "/is_paused",
    "/collective_rpc",
    "/init_weight_transfer_engine",
    "/start_weight_update",
    "/update_weights",
    "/finish_weight_update",
    "/get_world_size",
};

// Routes with a path parameter: GET /v1/responses/{id}, POST /v1/responses/{id}/cancel.
constexpr std::string_view kResponsesById = "/v1/responses/";

}  // namespace

bool IsVllmRoute(std::string_view normalized_path) {
  for (std::string_view path : kVllmPaths) {
    if (normalized_path == path) return true;
  }
  return StartsWith(normalized_path, kResponsesById) && normalized_path.size() > kResponsesById.size();
}

}  // namespace shim::endpoints

// vLLM's Responses routes for a generation model (vLLM @9aaf83ef
// vllm/entrypoints/openai/responses/api_router.py): POST /v1/responses, GET
// /v1/responses/{id}, POST /v1/responses/{id}/cancel. The responses the front door built
// (JSON text formats, see chat_bridge.h) are answered from its store; the rest go to SGLang's
// routes of the same paths, with the usage of each answer put in vLLM's shape.
#pragma once
#include <memory>

#include "frontdoor/route.h"
#include "responses/responses_store.h"

namespace shim::responses {

// How many built responses the store keeps, and how many bytes at most.
inline constexpr size_t kStoredResponses = 1024;
inline constexpr size_t kStoredResponseBytes = 32 * 1024 * 1024;

void RegisterResponsesRoutes(RouteTable& routes, std::shared_ptr<ResponsesStore> store);

}  // namespace shim::responses

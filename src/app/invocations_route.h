// vLLM's SageMaker route, POST /invocations (vLLM @9aaf83ef
// vllm/entrypoints/sagemaker/api_router.py): the body is served by the first route, in
// vLLM's order (chat, completions, then embeddings or classification, rerank, score), whose request model
// accepts it, among the routes the model's task has. SGLang's own /invocations serves chat
// only, so the front door decides, and the request then goes through that route's filters
// to that route's SGLang path, exactly as if it had been sent there.
#pragma once
#include <functional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "frontdoor/route.h"

namespace shim {

struct InvocationTarget {
  std::string_view request_type;                            // vLLM's request model, for the error
  std::function<bool(const nlohmann::json& body)> accepts;  // the body has that model's shape
  std::function<RouteDecision()> decide;                    // the route's decision: its filters
  std::string_view upstream_path;                           // SGLang's path, unless the decision names one
};

// Whether a body has the shape of a vLLM request model (required members, by vLLM's
// pydantic models): close enough to pick the route whose own validation then answers.
bool LooksLikeChat(const nlohmann::json& body);
bool LooksLikeCompletion(const nlohmann::json& body);
bool LooksLikeEmbedding(const nlohmann::json& body);
bool LooksLikeClassification(const nlohmann::json& body);
bool LooksLikeScore(const nlohmann::json& body);
bool LooksLikeRerank(const nlohmann::json& body);

// `per_request`: filters every dispatched request gets besides the route's (the gates' model
// selection, which vLLM's handlers apply on their own paths).
void RegisterInvocations(RouteTable& routes, std::vector<InvocationTarget> targets,
                         std::function<void(FilterChain*)> per_request);

}  // namespace shim

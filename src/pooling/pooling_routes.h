// Which of vLLM's task-dependent routes exist, and the pooling routes over SGLang's. vLLM
// registers the pooling routes only for a pooling model and the generation routes only for a
// generation model (vLLM @9aaf83ef vllm/entrypoints/openai/api_server.py, build_app by
// supported task); the others answer FastAPI's 404 and never reach SGLang.
//
//   vLLM                              SGLang
//   POST /v1/embeddings               /v1/embeddings (embeddings_filter.h)
//   POST /rerank /v1/rerank /v2/rerank /v1/rerank     (cross_encoder.h)
//   POST /score /v1/score             /encode, cross-encoder pairs
//   POST /classify                    /v1/classify   (already vLLM's answer shape)
//   POST /pooling /v2/embed           501: SGLang has no equivalent
#pragma once
#include <string>

#include "frontdoor/route.h"

namespace shim::pooling {

// For a pooling model: the pooling routes, and 404 for every generation route (the caller
// must not add chat and completions after this). For a generation model: 404 for every
// pooling route. `served_name`: the model name answers carry (the gates rename it to the one selected).
void RegisterTaskRoutes(RouteTable& routes, bool pooling_model, const std::string& served_name);

// The decisions of the embeddings, score and rerank routes (their filters and SGLang path), for
// vLLM's /invocations, which serves a body as the route its shape names.
RouteDecision EmbeddingsDecision(const std::string& served_name);
RouteDecision ScoreDecision(const std::string& served_name);
RouteDecision RerankDecision(const std::string& served_name);

}  // namespace shim::pooling

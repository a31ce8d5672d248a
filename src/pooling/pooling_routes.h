// Which of vLLM's task-dependent routes exist, and the pooling routes over SGLang's. vLLM
// registers the pooling routes only for a pooling model and the generation routes only for a
// generation model (vLLM @9aaf83ef vllm/entrypoints/openai/api_server.py, build_app by
// supported task); the others answer FastAPI's 404 and never reach SGLang.
//
//   vLLM                              SGLang
//   POST /v1/embeddings               /v1/embeddings (embeddings_filter.h); chat-style
//                                     requests render through /tokenize first
//   POST /rerank /v1/rerank /v2/rerank /v1/rerank     (cross_encoder.h), or
//   POST /score /v1/score             /encode, cross-encoder pairs; for an embedding model
//                                     /v1/embeddings and cosine similarity (bi_encoder.h)
//   POST /classify                    /v1/classify   (already vLLM's answer shape)
//   POST /pooling /v2/embed           501: SGLang has no equivalent
//
// When the flags name the pooling task (translation.h FrontendOptions::pooling_task), vLLM
// serves /v1/embeddings only for "embed" and /classify only for "classify"
// (vllm/entrypoints/pooling/factories.py); without a named task both are served.
#pragma once
#include <string>

#include <memory>

#include "frontdoor/route.h"
#include "pooling/embeddings_filter.h"
#include "pooling/scoring_filters.h"

namespace shim::pooling {

// For a pooling model: the pooling routes, and 404 for every generation route (the caller
// must not add chat and completions after this). For a generation model: 404 for every
// pooling route. `task`: "embed", "classify" or "" (not named). `served_name`: the model name
// answers carry (the gates rename it to the one selected).
// `sglang`: how the front door calls SGLang itself (chat-style embeddings render through it).
void RegisterTaskRoutes(RouteTable& routes, bool pooling_model, const std::string& task, const std::string& served_name,
                        std::shared_ptr<const SglangAccess> sglang);

// How score and rerank are computed for the task: the cosine of embeddings for "embed", as
// vLLM does for an embedding model, else SGLang's cross-encoder.
Scoring ScoringForTask(const std::string& task);

// The decisions of the pooling routes (their filters and SGLang path), for vLLM's
// /invocations, which serves a body as the route its shape names.
RouteDecision EmbeddingsDecision(const std::string& served_name, std::shared_ptr<const SglangAccess> sglang);
RouteDecision ClassifyDecision();
RouteDecision ScoreDecision(const std::string& served_name, Scoring scoring);
RouteDecision RerankDecision(const std::string& served_name, Scoring scoring);

}  // namespace shim::pooling

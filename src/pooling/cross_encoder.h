// vLLM's rerank and score APIs over SGLang's cross-encoder scoring. vLLM @9aaf83ef
// vllm/entrypoints/pooling/scoring/protocol.py and serving.py define the requests
// (RerankRequest; ScoreRequest with text_1/text_2, queries/documents, queries/items or
// data_1/data_2) and the answers (RerankResponse, ScoreResponse). SGLang @8905cbd4 scores
// [query, document] pairs with a cross-encoder: /v1/rerank takes one query and answers a bare
// list sorted by score (serving_rerank.py), and /encode with `is_cross_encoder_request` takes
// any list of pairs and answers their scores in order (http_server.py encode_request), which
// the 1:1, 1:N and N:N shapes of score need.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pooling/scoring_shapes.h"

namespace shim::pooling {

struct ScorePlan {
  size_t pairs = 0;
};

// vLLM's rerank request → SGLang's /v1/rerank body. False with *err (a client error).
bool SglangRerankRequest(const nlohmann::json& request, RerankPlan* plan, std::string* body, std::string* err);

// SGLang's /v1/rerank answer → vLLM's RerankResponse: sorted by relevance, the first top_n,
// each document as {"text": ...}. False with *err when the answer is not SGLang's shape.
bool VllmRerankAnswer(std::string_view sglang_body, const RerankPlan& plan, const std::string& id,
                      const std::string& model, std::string* out, std::string* err);

// vLLM's score request → SGLang's /encode body scoring each pair. False with *err.
bool SglangScoreRequest(const nlohmann::json& request, ScorePlan* plan, std::string* body, std::string* err);

// SGLang's /encode answer → vLLM's ScoreResponse, one score per pair in request order.
bool VllmScoreAnswer(std::string_view sglang_body, const ScorePlan& plan, const std::string& id, long long created,
                     const std::string& model, std::string* out, std::string* err);

}  // namespace shim::pooling

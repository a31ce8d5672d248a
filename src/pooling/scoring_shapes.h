// vLLM's score and rerank requests and answers, however the scores are computed: by a
// cross-encoder over [query, document] pairs (cross_encoder.h) or as the cosine of two
// embeddings (bi_encoder.h). vLLM @9aaf83ef vllm/entrypoints/pooling/scoring/protocol.py
// defines RerankRequest, ScoreRequest (text_1/text_2, queries/documents, queries/items,
// data_1/data_2), RerankResponse and ScoreResponse.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shim::pooling {

// What a rerank answer needs from its request.
struct RerankPlan {
  std::vector<std::string> documents;
  size_t top_n = 0;  // 0: every document
};

// The two sides of a score request: one query for every document (1:N), or one per
// document (1:1, N:N).
struct ScoreSides {
  std::vector<std::string> queries;
  std::vector<std::string> documents;
};

// A rerank request's query and documents. False with *err (a client error).
bool ParseRerankRequest(const nlohmann::json& request, std::string* query, RerankPlan* plan, std::string* err);

// A score request's sides, in any of vLLM's four spellings. False with *err.
bool ParseScoreRequest(const nlohmann::json& request, ScoreSides* sides, std::string* err);

// One score per document, in the order the engine gave them.
struct Scored {
  size_t index;
  double score;
};

// vLLM's RerankResponse: sorted by relevance (stable, as Python's sort), cut to top_n.
std::string RerankAnswerJson(std::vector<Scored> scored, const RerankPlan& plan, long long prompt_tokens,
                             const std::string& id, const std::string& model);

// vLLM's ScoreResponse: scores[i] is pair i's.
std::string ScoreAnswerJson(const std::vector<double>& scores, long long prompt_tokens, const std::string& id,
                            long long created, const std::string& model);

}  // namespace shim::pooling

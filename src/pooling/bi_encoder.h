// vLLM's score and rerank on an embedding model: the cosine similarity of the query's and
// each document's embeddings (vLLM @9aaf83ef vllm/entrypoints/pooling/scoring/io_processor.py,
// BiEncoderIOProcessor; torch's cosine_similarity with eps 1e-8). SGLang's own scoring is a
// cross-encoder's, so the front door asks SGLang's /v1/embeddings for every text at once,
// queries first, and computes the cosines itself.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace shim::pooling {

// The /v1/embeddings body embedding `queries` then `documents`, as floats; the request's
// model and the vLLM fields SGLang also reads (dimensions) are kept.
std::string SglangEmbeddingsBody(const nlohmann::json& request, const std::vector<std::string>& queries,
                                 const std::vector<std::string>& documents);

// From SGLang's embeddings answer: the cosine of each pair (query i, or the one query, with
// document i) and the prompt tokens SGLang counted. False with *err when the answer is not
// one vector of one size per text.
bool CosineScores(std::string_view sglang_body, size_t queries, size_t documents, std::vector<double>* scores,
                  long long* prompt_tokens, std::string* err);

}  // namespace shim::pooling

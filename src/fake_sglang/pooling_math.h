// Deterministic "pooling model" of the stand-in: embeddings, cross-encoder scores and
// classifier logits derived from hashes of the input, so tests can predict every number.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shim::fake_sglang {

inline constexpr int kEmbeddingDims = 8;

// kEmbeddingDims floats from a hash of `key`, L2-normalised (norm 1): identical keys give
// identical vectors, different keys almost surely different ones.
std::vector<double> EmbeddingFor(std::string_view key);

// The key of a token-id input, so that ids embed apart from any text.
std::string TokenIdsKey(const std::vector<int64_t>& ids);

// The cross-encoder relevance score of `document` for `query`, in (0, 1):
//   0.05 + 0.9 * overlap + tie,
// where overlap = (distinct lower-cased words of the query that also occur in the document)
// / (distinct words of the query), and tie = (FNV-1a(query + '\x1f' + document) % 1000) / 1e6,
// a tie-break below 0.001. So a document sharing more of the query's words always scores
// higher, and equal overlaps are ordered by the hash.
double RerankScore(std::string_view query, std::string_view document);

// Two classifier logits in [-2, 2) from a hash of `key` (LABEL_0, LABEL_1).
std::array<double, 2> ClassifierLogits(std::string_view key);

// Softmax of the logits (sums to 1).
std::vector<double> Softmax(const std::vector<double>& logits);

}  // namespace shim::fake_sglang

// The rerank and score routes' filters: each turns the client's vLLM request into SGLang's,
// and SGLang's answer back into vLLM's. A cross-encoder model is scored by SGLang's
// cross-encoder routes (cross_encoder.h); an embedding model by the cosine of SGLang's
// embeddings (bi_encoder.h), as vLLM scores each. One filter per request: it keeps what the
// answer needs (the documents, top_n, the sides' sizes).
#pragma once
#include <string>

#include "frontdoor/route_filter.h"
#include "pooling/cross_encoder.h"

namespace shim::pooling {

enum class Scoring {
  kCrossEncoder,  // SGLang's /v1/rerank and /encode with query-document pairs
  kBiEncoder,     // SGLang's /v1/embeddings, then cosine similarity at the front door
};

// The SGLang route each way of scoring asks.
std::string_view RerankUpstream(Scoring scoring);
std::string_view ScoreUpstream(Scoring scoring);

class RerankFilter final : public RouteFilter {
 public:
  RerankFilter(std::string model, Scoring scoring) : model_(std::move(model)), scoring_(scoring) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  bool WantsResponseBody(int status) const override { return true; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;

 private:
  std::string model_;  // the served name; the gates' model selection renames it to the one chosen
  Scoring scoring_;
  RerankPlan plan_;
};

class ScoreFilter final : public RouteFilter {
 public:
  ScoreFilter(std::string model, Scoring scoring) : model_(std::move(model)), scoring_(scoring) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  bool WantsResponseBody(int status) const override { return true; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;

 private:
  std::string model_;
  Scoring scoring_;
  ScorePlan plan_;    // cross-encoder
  ScoreSides sides_;  // bi-encoder
};

}  // namespace shim::pooling

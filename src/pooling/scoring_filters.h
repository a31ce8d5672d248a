// The rerank and score routes' filters: each turns the client's vLLM request into SGLang's
// cross-encoder request (cross_encoder.h) and SGLang's answer back into vLLM's. One filter per
// request: it keeps what the answer needs (the documents, top_n, the number of pairs).
#pragma once
#include <string>

#include "frontdoor/route_filter.h"
#include "pooling/cross_encoder.h"

namespace shim::pooling {

class RerankFilter final : public RouteFilter {
 public:
  explicit RerankFilter(std::string model) : model_(std::move(model)) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  bool WantsResponseBody(int status) const override { return true; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;

 private:
  std::string model_;  // the served name; the gates' model selection renames it to the one chosen
  RerankPlan plan_;
};

class ScoreFilter final : public RouteFilter {
 public:
  explicit ScoreFilter(std::string model) : model_(std::move(model)) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  bool WantsResponseBody(int status) const override { return true; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;

 private:
  std::string model_;
  ScorePlan plan_;
};

}  // namespace shim::pooling

// The filters vLLM's gates append to a route's chain (ApplyVllmGates), after
// the route's own: model selection on generation and pooling bodies,
// X-Request-Id on every answer, and secret removal for SGLang's info route.
#pragma once
#include <memory>

#include "endpoints/model_registry.h"
#include "endpoints/model_selection.h"
#include "frontdoor/route_filter.h"

namespace shim::endpoints {

// Picks the base model or a LoRA adapter from the body's `model` (vLLM's 404
// for an unknown name) and, where SGLang must be sent a neutral name, renames
// the answer back, whole or frame by frame. Holds one request's selection:
// created per request.
class ModelSelectionFilter final : public RouteFilter {
 public:
  explicit ModelSelectionFilter(const ModelRegistry* registry) : registry_(registry) {}

  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  bool WantsResponseBody(int status) const override { return selection_.rename_answer && status == 200; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;
  bool RewritesSseFrames() const override { return selection_.rename_answer; }
  bool OnSseFrame(std::string_view frame, std::string* out) override;

 private:
  const ModelRegistry* registry_;
  ModelSelection selection_;
};

// X-Request-Id on every answer (--enable-request-id-headers): the client's,
// else a fresh uuid4 hex; streamed answers included. Stateless.
class RequestIdFilter final : public RouteFilter {
 public:
  bool EditsResponseHead() const override { return true; }
  void OnResponseHead(const RequestHead& head, int status, HeaderList* headers) override;
  void OnLocalAnswer(const RequestHead& head, LocalResponse* response) override;
};

// A successful JSON answer of one of SGLang's info routes loses its secret
// fields before it is relayed; an answer that is not JSON is not relayed at
// all (502). Stateless.
class SecretFieldsFilter final : public RouteFilter {
 public:
  bool WantsResponseBody(int status) const override { return status == 200; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;
};

}  // namespace shim::endpoints

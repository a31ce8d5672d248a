// vLLM's field name for a reasoning model's thinking, on /v1/chat/completions when a
// reasoning parser is set (rewrite/reasoning_field.h): answers carry `reasoning` (or
// SGLang's `reasoning_content`, or both, by VLLM_SGLANG_REASONING_FIELD), whole or frame by
// frame, and assistant messages in the request's history that carry vLLM's `reasoning`
// reach SGLang as `reasoning_content`. Without a reasoning parser the route has no such
// filter, so answers stream through untouched. Stateless: shared by every request.
#pragma once
#include "frontdoor/route_filter.h"
#include "rewrite/reasoning_field.h"

namespace shim::endpoints {

class ReasoningFieldFilter final : public RouteFilter {
 public:
  explicit ReasoningFieldFilter(ReasoningField field) : field_(field) {}

  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  bool WantsResponseBody(int status) const override { return status == 200 && renames_answers(); }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;
  bool RewritesSseFrames() const override { return renames_answers(); }
  bool OnSseFrame(std::string_view frame, std::string* out) override;

 private:
  bool renames_answers() const { return field_ != ReasoningField::kReasoningContent; }
  ReasoningField field_;
};

}  // namespace shim::endpoints

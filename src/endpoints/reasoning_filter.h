// vLLM's field name for a reasoning model's thinking, on /v1/chat/completions when a
// reasoning parser is set (rewrite/reasoning_field.h): answers carry `reasoning` (or
// SGLang's `reasoning_content`, or both, by VLLM_SGLANG_REASONING_FIELD), whole or frame by
// frame, and assistant messages in the request's history that carry vLLM's `reasoning`
// reach SGLang as `reasoning_content`. A request with vLLM's `include_reasoning: false` gets
// its answer with the reasoning text null, as vLLM leaves it out (vLLM @9aaf83ef
// vllm/entrypoints/openai/chat_completion/serving.py); SGLang has no such field. Without a
// reasoning parser the route has no such filter, so answers stream through untouched. One
// filter per request: it remembers include_reasoning.
#pragma once
#include "frontdoor/route_filter.h"
#include "rewrite/reasoning_field.h"

namespace shim::endpoints {

class ReasoningFieldFilter final : public RouteFilter {
 public:
  explicit ReasoningFieldFilter(ReasoningField field) : field_(field) {}

  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  bool WantsResponseBody(int status) const override { return status == 200 && edits_answers(); }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;
  bool RewritesSseFrames() const override { return edits_answers(); }
  bool OnSseFrame(std::string_view frame, std::string* out) override;

 private:
  bool renames_answers() const { return field_ != ReasoningField::kReasoningContent; }
  bool edits_answers() const { return renames_answers() || drop_reasoning_; }
  // The answer with its reasoning text renamed and, with include_reasoning false, nulled.
  bool EditAnswer(std::string_view json, std::string* out) const;
  ReasoningField field_;
  bool drop_reasoning_ = false;
};

}  // namespace shim::endpoints

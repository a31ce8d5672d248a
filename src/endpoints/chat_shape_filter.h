// Successful chat answers in the shape of vLLM's response model where SGLang's differs in a
// way strict clients notice: a message's `tool_calls` is a list, `[]` when there are none,
// never null (vLLM @9aaf83ef vllm/entrypoints/openai/chat_completion/protocol.py, ChatMessage:
// tool_calls defaults to an empty list; SGLang @8905cbd4 sends null). Whole answers only:
// in a stream SGLang's null delta fields are what vLLM's clients already accept.
// Stateless: shared by every request of the chat route.
#pragma once
#include "frontdoor/route_filter.h"

namespace shim::endpoints {

class ChatShapeFilter final : public RouteFilter {
 public:
  bool WantsResponseBody(int status) const override { return status == 200; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;
};

}  // namespace shim::endpoints

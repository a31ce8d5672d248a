// Chat-style embedding requests (vLLM's EmbeddingChatRequest: `messages` where the other form
// has `input`; vLLM @9aaf83ef vllm/entrypoints/pooling/embed/protocol.py and
// pooling/base/protocol.py ChatRequestMixin) over SGLang, whose /v1/embeddings applies no chat
// template. SGLang's /tokenize renders messages with the model's chat template (SGLang
// protocol.py TokenizeRequest.to_chat_completion_request, the chat route's rendering), so the
// front door asks it for the ids first and sends those to /v1/embeddings as `input`.
//
// SGLang renders chat the way its chat route does: always with the generation prompt
// (serving_chat.py _apply_jinja_template passes add_generation_prompt=True), or with the
// final assistant message left open under continue_final_message. vLLM's default for
// embeddings is neither (add_generation_prompt false), and the extra tokens would change the
// vector a last-token pooler returns, so that request is refused with a 400 that says how to
// send it, never answered with a different embedding. The same holds for what SGLang cannot
// render at all: a per-request chat template, multimodal parts, special tokens on top.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "rewrite/json_scanner.h"

namespace shim::pooling {

// The members of vLLM's chat-style request that only the rendering reads; the embeddings
// request SGLang gets has none of them.
bool IsChatRenderingField(std::string_view key);

// The body of SGLang's /tokenize call that renders the request's messages, or false with a
// client-facing *err when the request cannot be rendered as vLLM would
// (endpoints/chat_rendering.h). `body` is the request, which has `messages`.
bool PlanChatRendering(std::string_view body, std::string* tokenize_body, std::string* err);

// `body` (a JSON object) with `"input": [ids]` set; false when `body` is not an object.
bool WithInputIds(std::string_view body, const std::vector<long long>& ids, std::string* out);

}  // namespace shim::pooling

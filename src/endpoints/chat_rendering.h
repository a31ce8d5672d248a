// Whether SGLang renders a request's chat messages as vLLM would, shared by chat-style
// /tokenize and chat-style /v1/embeddings (both rendered by SGLang's /tokenize).
//
// SGLang renders chat as its chat route does (SGLang @8905cbd4 serving_chat.py
// _apply_jinja_template passes add_generation_prompt=True; protocol.py TokenizeRequest.
// to_chat_completion_request): always with the generation prompt, or with a final assistant
// message left open under continue_final_message, in the model's own template, with no special
// tokens on top. Whatever vLLM would render otherwise (vLLM @9aaf83ef
// vllm/entrypoints/pooling/base/protocol.py ChatRequestMixin, serve/tokenize/protocol.py) is
// refused, never answered for a different text.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace shim::endpoints {

struct ChatRendering {
  bool add_generation_prompt = false;
  bool continue_final_message = false;
  bool add_special_tokens = false;
};

// Reads the rendering options of `request` (a JSON object with `messages`), with vLLM's
// defaults: `generation_prompt_default` (true for /tokenize, false for embeddings), false for
// the other two. False with a client-facing *err and the field it names in *param (empty when
// it names none) when a value is not a boolean or SGLang cannot render the request as vLLM.
bool ReadChatRendering(const nlohmann::json& request, bool generation_prompt_default, ChatRendering* out,
                       std::string* err, std::string* param);

}  // namespace shim::endpoints

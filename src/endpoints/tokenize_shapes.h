// vLLM's /tokenize and /detokenize shapes (vLLM @9aaf83ef
// vllm/entrypoints/serve/tokenize/protocol.py) over SGLang's /tokenize and
// /detokenize (python/sglang/srt/entrypoints/openai/serving_tokenize.py),
// which answer {tokens, count, max_model_len} and {text}.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endpoints/endpoint_reply.h"
#include "endpoints/model_registry.h"

namespace shim::endpoints {

struct TokenizePlan {
  std::string sglang_body;  // POST /tokenize on SGLang
  bool chat = false;        // messages style
  bool return_token_strs = false;
};

// Completion style {model?, prompt: str, add_special_tokens=true,
// return_token_strs=false}; chat style {model?, messages, add_generation_prompt
// =true, continue_final_message=false, add_special_tokens=false,
// chat_template_kwargs?, tools?, return_token_strs=false}. Unknown `model`
// → 404 NotFoundError like every vLLM route. Returns false with *reject.
bool PlanTokenize(std::string_view body, const ModelRegistry& registry, TokenizePlan* out, EndpointReply* reject);

// SGLang's answer → {"count","max_model_len","tokens","token_strs"}.
// `token_strs` fills token_strs when asked for (else null). max_model_len
// comes from SGLang, else from the registry. False when SGLang's body is not
// the expected shape (the caller answers 502).
bool ConvertTokenizeAnswer(std::string_view sglang_body, const ModelRegistry& registry,
                           const std::optional<std::vector<std::string>>& token_strs, std::string* out);

// Reads the token ids out of SGLang's tokenize answer (for token_strs).
bool TokenIdsFromAnswer(std::string_view sglang_body, std::vector<long long>* ids);

// {model?, tokens: [int >= 0]} → SGLang {"tokens":[...],"skip_special_tokens":false}
// (vLLM's detokenize keeps special tokens). Returns false with *reject.
bool PlanDetokenize(std::string_view body, const ModelRegistry& registry, std::string* sglang_body,
                    EndpointReply* reject);
std::string DetokenizeBodyFor(const std::vector<long long>& ids);

// SGLang {"text": ...} → vLLM {"prompt": ...}. False when the shape is wrong.
bool ConvertDetokenizeAnswer(std::string_view sglang_body, std::string* out);
// The text of SGLang's detokenize answer.
bool TextFromDetokenizeAnswer(std::string_view sglang_body, std::string* text);

// The 404 every vLLM route gives for an unknown `model`.
EndpointReply ModelNotFoundReply(const std::string& model);

// Whether `model` (absent/empty → std::nullopt) names the base model or a
// loaded adapter.
bool IsKnownModel(const ModelRegistry& registry, const std::string& model);

}  // namespace shim::endpoints

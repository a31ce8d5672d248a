// Usage in vLLM's Responses shape (vLLM @9aaf83ef vllm/entrypoints/openai/responses/protocol.py
// ResponseUsage: input_tokens, input_tokens_details, output_tokens, output_tokens_details,
// total_tokens). SGLang @8905cbd4 (python/sglang/srt/entrypoints/openai/serving_responses.py)
// answers a whole response, and keeps a stored one, with chat-style usage (prompt_tokens,
// completion_tokens, ...), which the Vercel AI SDK refuses and LangChain reads as zero; only
// its final stream event converts it.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shim::responses {

// vLLM's ResponseUsage from a chat-style usage object. False when `chat` is not one (for
// example when it is already in the Responses shape).
bool ResponseUsageFromChatUsage(const nlohmann::json& chat, nlohmann::ordered_json* out);

// A whole Responses answer: its top-level `usage`, when chat-style, becomes vLLM's. Every
// other byte is kept. False when nothing changed.
bool FixAnswerUsage(std::string_view body, std::string* out);

// One SSE frame of a Responses stream: `response.usage` in its data, when chat-style,
// becomes vLLM's. False (frame unchanged) when nothing changed; a frame without
// "prompt_tokens" costs one memmem.
bool FixEventUsage(std::string_view frame, std::string* out);

}  // namespace shim::responses

// Builds SGLang-shaped OpenAI responses and SSE chunks
// (python/sglang/srt/entrypoints/openai/protocol.py ChatCompletionResponse, ChatCompletionStreamResponse,
// CompletionResponse, CompletionStreamResponse, UsageInfo).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fake_sglang/generator.h"
#include "fake_sglang/openai_request.h"

namespace shim::fake_sglang {

struct ResponseIds {
  std::string id;         // "chatcmpl-…" / "cmpl-…"
  long long created = 0;  // unix seconds
};

ResponseIds NewResponseIds(bool chat);

nlohmann::json Usage(long long prompt_tokens, long long completion_tokens, long long cached_tokens);

// A tool call id as SGLang's parsers mint them ("call_" + 24 hex digits).
std::string ToolCallId(const ResponseIds& ids, int choice);

// Full (non-streaming) bodies, serialised in SGLang's field order (id, object, created, model,
// choices, usage, metadata) by a direct writer: the stand-in must stay far cheaper than the shim.
// gens[i] is choice i; prompt_tokens counts all prompts.
// With a reasoning parser, how many of the answer's first tokens are reasoning_content.
size_t ReasoningTokens(const Generation& g);

std::string ChatCompletionBody(const OpenAiRequest& r, const ResponseIds& ids, const std::vector<Generation>& gens,
                               long long prompt_tokens, long long cached_tokens);
std::string CompletionBody(const OpenAiRequest& r, const ResponseIds& ids, const std::vector<Generation>& gens,
                           long long prompt_tokens, long long cached_tokens);

// Appends `text` as a JSON string literal (invalid UTF-8 is replaced, never thrown on).
void AppendJsonString(std::string* out, std::string_view text);

// Logprobs objects: chat {"content":[…]} for tokens [from, to); completions {tokens, token_logprobs, …}.
nlohmann::json ChatLogprobs(const Generation& g, size_t from, size_t to, int top);
nlohmann::json CompletionLogprobs(const Generation& g, size_t from, size_t to, int top, size_t text_offset);

// Streaming chunks.
nlohmann::json ChatChunk(const OpenAiRequest& r, const ResponseIds& ids, int index, nlohmann::json delta,
                         const nlohmann::json& finish_reason, const nlohmann::json& logprobs);
nlohmann::json CompletionChunk(const OpenAiRequest& r, const ResponseIds& ids, int index, const std::string& text,
                               const nlohmann::json& finish_reason, const nlohmann::json& logprobs);
// The final chunk with `choices: []` and usage (stream_options.include_usage).
nlohmann::json UsageChunk(const OpenAiRequest& r, const ResponseIds& ids, const nlohmann::json& usage);

}  // namespace shim::fake_sglang

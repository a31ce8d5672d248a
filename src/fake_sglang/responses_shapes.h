// Pure shapes of SGLang's /v1/responses (non-harmony path): the input messages, the output
// items, the ResponsesResponse object, usage and the nested errors. Followed from
// python/sglang/srt/entrypoints/openai/serving_responses.py @41c3e5a4 (and @00c4466b) and the
// ResponsesRequest / ResponsesResponse / UsageInfo models of protocol.py before its usage
// serializer and text.format constraint arrived (@004c82e0 has both: newer SGLang honours
// text.format and answers Responses-shaped usage, which is what the shim adds for older ones).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace shim::fake_sglang {

// uuid4().hex-like: 32 lowercase hex digits, unique within the process.
std::string NewHex32();

// _construct_input_messages: instructions as a system message; then, with a previous response,
// its stored messages and, for each content part of each non-reasoning output item, a system
// message carrying the *current* instructions (SGLang's behaviour, kept); then the input (a
// string becomes one user message, a list is appended as given). prev_* may be null.
nlohmann::json ConstructInputMessages(const nlohmann::json& body, const nlohmann::json* prev_messages,
                                      const nlohmann::json* prev_output);

// The text the stand-in counts and hashes: the messages' string contents and text parts.
std::string InputMessagesText(const nlohmann::json& messages);

// _make_response_output_items: a reasoning item when there is reasoning, a message item when
// there is content.
nlohmann::json OutputItems(const std::string& reasoning, const std::string& content);

// UsageInfo as SGLang fills it there (chat field names; prompt_tokens_details stays null
// unless --enable-cache-report, which the stand-in does not report here).
nlohmann::json ChatStyleUsage(long long prompt_tokens, long long completion_tokens);

// responses_stream_generator's conversion for response.completed: cached_tokens is read from
// a key UsageInfo lacks, so it is always 0.
nlohmann::json StreamUsage(const nlohmann::json& chat_usage);

// ResponsesResponse.from_request.
nlohmann::json ResponseObject(const nlohmann::json& body, const std::string& id, long long created_at,
                              const nlohmann::json& output, const char* status, const nlohmann::json& usage);

// serving_responses.py create_error_response: {"error":{"message","type","param","code"}}.
// param: nullptr gives null.
nlohmann::json NestedError(const std::string& message, int status, const char* param);

// One frame as _send_event writes it: "event: <type>\ndata: <json>\n\n".
std::string ResponsesFrame(const nlohmann::json& event);

}  // namespace shim::fake_sglang

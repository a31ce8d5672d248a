// vLLM's Responses API served by SGLang's chat route, for the requests SGLang's own Responses
// route would answer wrongly: a `text.format` of type json_schema or json_object. SGLang
// @8905cbd4 (serving_responses.py, _make_request) builds its chat request without any
// response format, so the constraint would be dropped without a word; vLLM @9aaf83ef
// (vllm/entrypoints/openai/responses/protocol.py, to_sampling_params) turns it into
// structured output. The shim sends such a request to /v1/chat/completions with the same
// messages, sampling fields and `response_format`, and builds vLLM's ResponsesResponse
// from the chat answer.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shim::responses {

// Whether a Responses request needs the chat route: text.format is json_schema or json_object.
bool NeedsChatBridge(const nlohmann::json& request);

// What the answer needs from the request.
struct BridgePlan {
  nlohmann::json request;   // the client's request: its fields are echoed in the answer
  nlohmann::json messages;  // the chat messages sent, kept for previous_response_id
  std::string id;           // resp_<hex>
  long long created_at = 0;
  bool stream = false;
  bool store = true;
};

// The chat request for a Responses request. `previous_messages`: the stored conversation
// of previous_response_id (null when the request has none). False with *err (a client error,
// vLLM's 400) for what the bridge cannot carry faithfully.
bool ChatRequestFromResponses(const nlohmann::json& request, const nlohmann::json& previous_messages, BridgePlan* plan,
                              std::string* chat_body, std::string* err);

// vLLM's ResponsesResponse, as from_request builds it, for `status` and `output` (usage may
// be null).
nlohmann::ordered_json ResponsesObject(const BridgePlan& plan, const std::string& model, const std::string& status,
                                       nlohmann::ordered_json output, nlohmann::ordered_json usage);

// A whole chat answer → vLLM's ResponsesResponse. *assistant receives the answer as a chat
// message, for the conversation store. False with *err when it is not a chat answer.
bool ResponsesAnswerFromChat(std::string_view chat_body, const BridgePlan& plan, std::string* out,
                             nlohmann::json* assistant, std::string* err);

// "<prefix><32 hex>": ids of output items (msg_, rs_, fc_) and responses (resp_).
std::string NewItemId(std::string_view prefix);

}  // namespace shim::responses

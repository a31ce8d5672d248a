#include "responses/chat_bridge.h"

#include <chrono>

#include "endpoints/request_id.h"
#include "responses/json_fields.h"
#include "responses/responses_usage.h"
#include "rewrite/json_scanner.h"

namespace shim::responses {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMaxDepth = 256;

// A Responses content list → chat content parts. Text and images only.
bool ChatContent(const json& content, json* out, std::string* err) {
  if (content.is_string()) {
    *out = content;
    return true;
  }
  if (!content.is_array()) {
    *err = "a message's content must be a string or a list of parts";
    return false;
  }
  json parts = json::array();
  for (const json& part : content) {
    const json* type = Member(part, "type");
    const std::string kind = type != nullptr && type->is_string() ? type->get<std::string>() : "";
    if (kind == "input_text" || kind == "output_text" || kind == "text") {
      const json* text = Member(part, "text");
      if (text == nullptr || !text->is_string()) {
        *err = "a " + kind + " part needs a string `text`";
        return false;
      }
      parts.push_back(json{{"type", "text"}, {"text", *text}});
    } else if (kind == "input_image") {
      const json* url = Member(part, "image_url");
      if (url == nullptr || !url->is_string()) {
        *err = "an input_image part needs `image_url` (file ids are not served)";
        return false;
      }
      parts.push_back(json{{"type", "image_url"}, {"image_url", {{"url", *url}}}});
    } else {
      *err = "content parts of type '" + kind + "' are not served with a JSON text format";
      return false;
    }
  }
  *out = std::move(parts);
  return true;
}

// One input item → chat messages appended to *messages.
bool AppendInputItem(const json& item, json* messages, std::string* err) {
  if (!item.is_object()) {
    *err = "each input item must be an object";
    return false;
  }
  const json* type = Member(item, "type");
  const std::string kind = type != nullptr && type->is_string() ? type->get<std::string>() : "message";
  if (kind == "message") {
    const json* role = Member(item, "role");
    const json* content = Member(item, "content");
    if (role == nullptr || !role->is_string() || content == nullptr) {
      *err = "a message item needs `role` and `content`";
      return false;
    }
    json chat_content;
    if (!ChatContent(*content, &chat_content, err)) return false;
    std::string chat_role = role->get<std::string>() == "developer" ? "system" : role->get<std::string>();
    messages->push_back(json{{"role", chat_role}, {"content", std::move(chat_content)}});
    return true;
  }
  if (kind == "function_call") {
    const json* call_id = Member(item, "call_id");
    const json* name = Member(item, "name");
    const json* arguments = Member(item, "arguments");
    if (call_id == nullptr || name == nullptr || arguments == nullptr || !arguments->is_string()) {
      *err = "a function_call item needs call_id, name and arguments";
      return false;
    }
    json call = {{"id", *call_id}, {"type", "function"}, {"function", {{"name", *name}, {"arguments", *arguments}}}};
    // Consecutive calls belong to one assistant turn.
    if (!messages->empty() && Str(messages->back(), "role") == "assistant" && messages->back().contains("tool_calls")) {
      messages->back()["tool_calls"].push_back(std::move(call));
    } else {
      messages->push_back(json{{"role", "assistant"}, {"content", nullptr}, {"tool_calls", json::array({call})}});
    }
    return true;
  }
  if (kind == "function_call_output") {
    const json* call_id = Member(item, "call_id");
    const json* output = Member(item, "output");
    if (call_id == nullptr || output == nullptr) {
      *err = "a function_call_output item needs call_id and output";
      return false;
    }
    messages->push_back(json{{"role", "tool"},
                             {"tool_call_id", *call_id},
                             {"content", output->is_string() ? *output : json(DumpJson(*output))}});
    return true;
  }
  if (kind == "reasoning") return true;  // earlier reasoning is not sent back, as vLLM and SGLang do
  *err = "input items of type '" + kind + "' are not served with a JSON text format";
  return false;
}

// text.format → chat response_format.
json ResponseFormat(const json& format) {
  if (Str(format, "type") == "json_object") return json{{"type", "json_object"}};
  json schema = {{"name", Str(format, "name", "response")}};
  if (const json* s = Member(format, "schema")) schema["schema"] = *s;
  if (const json* strict = Member(format, "strict")) schema["strict"] = *strict;
  if (const json* description = Member(format, "description")) schema["description"] = *description;
  return json{{"type", "json_schema"}, {"json_schema", std::move(schema)}};
}

bool ChatTools(const json& tools, json* out, std::string* err) {
  json chat = json::array();
  for (const json& tool : tools) {
    if (!tool.is_object() || Str(tool, "type") != "function" || !tool.contains("name")) {
      *err = "only function tools are served with a JSON text format";
      return false;
    }
    json function = {{"name", tool["name"]}};
    for (const char* key : {"description", "parameters", "strict"}) {
      if (const json* v = Member(tool, key)) function[key] = *v;
    }
    chat.push_back(json{{"type", "function"}, {"function", std::move(function)}});
  }
  *out = std::move(chat);
  return true;
}

long long UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A number field echoed as vLLM echoes sampling parameters: the request's, else vLLM's default.
ordered_json Echo(const json& request, const char* key, ordered_json fallback) {
  const json* v = Member(request, key);
  return v != nullptr ? ordered_json(*v) : fallback;
}

}  // namespace

std::string NewItemId(std::string_view prefix) { return std::string(prefix) + endpoints::NewRequestIdHex(); }

bool NeedsChatBridge(const json& request) {
  const json* text = Member(request, "text");
  const json* format = text != nullptr ? Member(*text, "format") : nullptr;
  if (format == nullptr || !format->is_object()) return false;
  const std::string type = Str(*format, "type");
  return type == "json_schema" || type == "json_object";
}

bool ChatRequestFromResponses(const json& request, const json& previous_messages, BridgePlan* plan,
                              std::string* chat_body, std::string* err) {
  if (const json* background = Member(request, "background");
      background != nullptr && background->is_boolean() && background->get<bool>()) {
    *err = "background responses are not served with a JSON text format";
    return false;
  }
  json messages = json::array();
  if (const json* instructions = Member(request, "instructions")) {
    if (!instructions->is_string()) {
      *err = "`instructions` must be a string";
      return false;
    }
    messages.push_back(json{{"role", "system"}, {"content", *instructions}});
  }
  if (previous_messages.is_array()) {
    for (const json& m : previous_messages) {
      if (Str(m, "role") != "system") messages.push_back(m);  // this request's instructions replace them
    }
  }
  const json* input = Member(request, "input");
  if (input == nullptr) {
    *err = "`input` is required";
    return false;
  }
  if (input->is_string()) {
    messages.push_back(json{{"role", "user"}, {"content", *input}});
  } else if (input->is_array()) {
    for (const json& item : *input) {
      if (!AppendInputItem(item, &messages, err)) return false;
    }
  } else {
    *err = "`input` must be a string or a list of items";
    return false;
  }

  json chat = json::object();
  if (const json* model = Member(request, "model")) chat["model"] = *model;
  chat["messages"] = messages;
  if (const json* v = Member(request, "max_output_tokens")) chat["max_tokens"] = *v;
  for (const char* key : {"temperature", "top_p", "top_k", "seed", "stop", "user", "repetition_penalty",
                          "parallel_tool_calls", "logit_bias"}) {
    if (const json* v = Member(request, key)) chat[key] = *v;
  }
  if (const json* reasoning = Member(request, "reasoning")) {
    if (const json* effort = Member(*reasoning, "effort")) chat["reasoning_effort"] = *effort;
  }
  if (const json* tools = Member(request, "tools"); tools != nullptr && tools->is_array() && !tools->empty()) {
    json chat_tools;
    if (!ChatTools(*tools, &chat_tools, err)) return false;
    chat["tools"] = std::move(chat_tools);
    if (const json* choice = Member(request, "tool_choice")) {
      if (choice->is_string()) {
        chat["tool_choice"] = *choice;
      } else if (choice->is_object() && Str(*choice, "type") == "function") {
        chat["tool_choice"] = json{{"type", "function"}, {"function", {{"name", Str(*choice, "name")}}}};
      }
    }
  }
  const json* text = Member(request, "text");
  const json* format = text != nullptr ? Member(*text, "format") : nullptr;
  if (format == nullptr || !format->is_object()) {
    *err = "text.format must be an object";
    return false;
  }
  chat["response_format"] = ResponseFormat(*format);
  const json* stream = Member(request, "stream");
  plan->stream = stream != nullptr && stream->is_boolean() && stream->get<bool>();
  if (plan->stream) {
    chat["stream"] = true;
    chat["stream_options"] = json{{"include_usage", true}};
  }
  const json* store = Member(request, "store");
  plan->store = store == nullptr || !store->is_boolean() || store->get<bool>();
  plan->request = request;
  plan->messages = std::move(messages);
  plan->id = NewItemId("resp_");
  plan->created_at = UnixSeconds();
  *chat_body = DumpJson(chat);
  return true;
}

ordered_json ResponsesObject(const BridgePlan& plan, const std::string& model, const std::string& status,
                             ordered_json output, ordered_json usage) {
  const json& r = plan.request;
  ordered_json o = ordered_json::object();
  o["id"] = plan.id;
  o["created_at"] = plan.created_at;
  o["incomplete_details"] = status == "incomplete" ? ordered_json{{"reason", "max_output_tokens"}} : ordered_json();
  o["instructions"] = Echo(r, "instructions", nullptr);
  o["metadata"] = Echo(r, "metadata", nullptr);
  o["model"] = model;
  o["object"] = "response";
  o["output"] = std::move(output);
  o["parallel_tool_calls"] = Echo(r, "parallel_tool_calls", true);
  o["temperature"] = Echo(r, "temperature", 1.0);
  o["tool_choice"] = Echo(r, "tool_choice", "auto");
  o["tools"] = Echo(r, "tools", ordered_json::array());
  o["top_p"] = Echo(r, "top_p", 1.0);
  o["background"] = false;
  o["max_output_tokens"] = Echo(r, "max_output_tokens", nullptr);
  o["max_tool_calls"] = Echo(r, "max_tool_calls", nullptr);
  o["previous_response_id"] = Echo(r, "previous_response_id", nullptr);
  o["prompt"] = nullptr;
  o["reasoning"] = Echo(r, "reasoning", nullptr);
  o["service_tier"] = Echo(r, "service_tier", "auto");
  o["status"] = status;
  o["text"] = Echo(r, "text", nullptr);
  o["top_logprobs"] = nullptr;
  o["truncation"] = Echo(r, "truncation", "disabled");
  o["usage"] = std::move(usage);
  o["user"] = Echo(r, "user", nullptr);
  o["input_messages"] = nullptr;
  o["output_messages"] = nullptr;
  return o;
}

bool ResponsesAnswerFromChat(std::string_view chat_body, const BridgePlan& plan, std::string* out, json* assistant,
                             std::string* err) {
  json chat;
  if (!ParseJsonValue(chat_body, kMaxDepth, &chat) || !chat.is_object()) {
    *err = "not a JSON object";
    return false;
  }
  const json* choices = Member(chat, "choices");
  if (choices == nullptr || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
    *err = "no choices";
    return false;
  }
  const json& choice = (*choices)[0];
  const json* message = Member(choice, "message");
  if (message == nullptr || !message->is_object()) {
    *err = "no message";
    return false;
  }
  ordered_json output = ordered_json::array();
  const json* reasoning = Member(*message, "reasoning_content");
  if (reasoning == nullptr) reasoning = Member(*message, "reasoning");
  if (reasoning != nullptr && reasoning->is_string() && !reasoning->get<std::string>().empty()) {
    ordered_json item = ordered_json::object();
    item["id"] = NewItemId("rs_");
    item["summary"] = ordered_json::array();
    item["type"] = "reasoning";
    item["content"] = ordered_json::array({ordered_json{{"text", *reasoning}, {"type", "reasoning_text"}}});
    item["encrypted_content"] = nullptr;
    item["status"] = nullptr;
    output.push_back(std::move(item));
  }
  const json* content = Member(*message, "content");
  if (content != nullptr && content->is_string() && !content->get<std::string>().empty()) {
    ordered_json text = ordered_json::object();
    text["annotations"] = ordered_json::array();
    text["text"] = *content;
    text["type"] = "output_text";
    text["logprobs"] = nullptr;
    ordered_json item = ordered_json::object();
    item["id"] = NewItemId("msg_");
    item["content"] = ordered_json::array({std::move(text)});
    item["role"] = "assistant";
    item["status"] = "completed";
    item["type"] = "message";
    output.push_back(std::move(item));
  }
  if (const json* calls = Member(*message, "tool_calls"); calls != nullptr && calls->is_array()) {
    for (const json& call : *calls) {
      const json* function = Member(call, "function");
      if (function == nullptr) continue;
      ordered_json item = ordered_json::object();
      item["arguments"] = Str(*function, "arguments");
      item["call_id"] = Str(call, "id", NewItemId("call_"));
      item["name"] = Str(*function, "name");
      item["type"] = "function_call";
      item["id"] = NewItemId("fc_");
      item["status"] = "completed";
      output.push_back(std::move(item));
    }
  }
  ordered_json usage;
  if (const json* chat_usage = Member(chat, "usage")) ResponseUsageFromChatUsage(*chat_usage, &usage);
  const std::string status = Str(choice, "finish_reason") == "length" ? "incomplete" : "completed";
  const std::string model = Str(chat, "model");
  *out = DumpJson(ResponsesObject(plan, model, status, std::move(output), std::move(usage)));
  json turn = {{"role", "assistant"}, {"content", content != nullptr ? *content : json()}};
  if (const json* calls = Member(*message, "tool_calls")) turn["tool_calls"] = *calls;
  *assistant = std::move(turn);
  return true;
}

}  // namespace shim::responses

#include "fake_sglang/responses_shapes.h"

#include <chrono>

namespace shim::fake_sglang {

using nlohmann::json;

namespace {

// A member of an untrusted object, or `fallback` (never throws on a wrong type).
json Field(const json& object, const char* key, json fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it == object.end() ? fallback : *it;
}

}  // namespace

std::string NewHex32() {
  static uint64_t counter = 0;
  ++counter;
  auto nanos = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  static const char* hex = "0123456789abcdef";
  std::string out(32, '0');
  uint64_t halves[2] = {nanos, counter * 0x9e3779b97f4a7c15ULL};
  for (int h = 0; h < 2; ++h) {
    uint64_t v = halves[h];
    for (int i = 15; i >= 0; --i) {
      out[static_cast<size_t>(h * 16 + i)] = hex[v & 15];
      v >>= 4;
    }
  }
  return out;
}

json ConstructInputMessages(const json& body, const json* prev_messages, const json* prev_output) {
  json messages = json::array();
  json instructions = Field(body, "instructions", json());
  if (instructions.is_string() && !instructions.get<std::string>().empty()) {
    messages.push_back({{"role", "system"}, {"content", instructions}});
  }
  if (prev_messages != nullptr && prev_messages->is_array()) {
    for (const json& m : *prev_messages) messages.push_back(m);
  }
  if (prev_output != nullptr && prev_output->is_array()) {
    for (const json& item : *prev_output) {
      if (Field(item, "type", json()) == "reasoning") continue;
      const json content = Field(item, "content", json::array());
      for (size_t i = 0; i < content.size(); ++i) messages.push_back({{"role", "system"}, {"content", instructions}});
    }
  }
  const json input = Field(body, "input", json::array());
  if (input.is_string()) {
    messages.push_back({{"role", "user"}, {"content", input}});
  } else if (input.is_array()) {
    for (const json& item : input) messages.push_back(item);
  }
  return messages;
}

std::string InputMessagesText(const json& messages) {
  std::string text;
  for (const json& m : messages) {
    if (!m.is_object()) continue;
    auto content = m.find("content");
    if (content == m.end()) continue;
    std::string piece;
    if (content->is_string()) {
      piece = content->get<std::string>();
    } else if (content->is_array()) {
      for (const json& part : *content) {
        if (part.is_object() && part.contains("text") && part["text"].is_string())
          piece += part["text"].get<std::string>();
      }
    }
    if (piece.empty()) continue;
    if (!text.empty()) text += "\n";
    text += piece;
  }
  return text;
}

json OutputItems(const std::string& reasoning, const std::string& content) {
  json items = json::array();
  if (!reasoning.empty()) {
    json text_part = {{"type", "reasoning_text"}, {"text", reasoning}};
    items.push_back({{"id", "rs_" + NewHex32()},
                     {"type", "reasoning"},
                     {"summary", json::array()},
                     {"content", json::array({text_part})},
                     {"encrypted_content", nullptr},
                     {"status", nullptr}});
  }
  if (!content.empty()) {
    json text_part = {
        {"annotations", json::array()}, {"text", content}, {"type", "output_text"}, {"logprobs", nullptr}};
    items.push_back({{"id", "msg_" + NewHex32()},
                     {"content", json::array({text_part})},
                     {"role", "assistant"},
                     {"status", "completed"},
                     {"type", "message"}});
  }
  return items;
}

json ChatStyleUsage(long long prompt_tokens, long long completion_tokens) {
  return json{{"prompt_tokens", prompt_tokens},
              {"total_tokens", prompt_tokens + completion_tokens},
              {"completion_tokens", completion_tokens},
              {"prompt_tokens_details", nullptr},
              {"reasoning_tokens", 0}};
}

json StreamUsage(const json& chat_usage) {
  return json{{"input_tokens", chat_usage.value("prompt_tokens", 0)},
              {"input_tokens_details", {{"cached_tokens", chat_usage.value("cached_tokens", 0)}}},
              {"output_tokens", chat_usage.value("completion_tokens", 0)},
              {"output_tokens_details", {{"reasoning_tokens", chat_usage.value("reasoning_tokens", 0)}}},
              {"total_tokens", chat_usage.value("total_tokens", 0)}};
}

json ResponseObject(const json& body, const std::string& id, long long created_at, const json& output,
                    const char* status, const json& usage) {
  // text: {"format":{"type":"text"}} when every output item is a message (_is_text_only),
  // whatever the request's text.format said.
  bool text_only = !output.empty();
  for (const json& item : output) text_only = text_only && Field(item, "type", json()) == "message";
  json reasoning = Field(body, "reasoning", json());
  json effort = nullptr;
  if (reasoning.is_object()) effort = Field(reasoning, "effort", json("medium"));
  json metadata = Field(body, "metadata", json());
  return json{{"id", id},
              {"object", "response"},
              {"created_at", created_at},
              {"model", Field(body, "model", json())},
              {"output", output},
              {"status", status},
              {"usage", usage},
              {"parallel_tool_calls", true},  // request.parallel_tool_calls or True
              {"tool_choice", Field(body, "tool_choice", json("auto"))},
              {"tools", Field(body, "tools", json::array())},
              {"error", nullptr},
              {"incomplete_details", nullptr},
              {"instructions", Field(body, "instructions", json())},
              {"max_output_tokens", Field(body, "max_output_tokens", json())},
              {"previous_response_id", Field(body, "previous_response_id", json())},
              {"reasoning", {{"effort", effort}, {"summary", nullptr}}},
              {"store", Field(body, "store", json(true))},
              {"temperature", Field(body, "temperature", json())},
              {"text", text_only ? json{{"format", {{"type", "text"}}}} : json()},
              {"top_p", Field(body, "top_p", json())},
              {"truncation", Field(body, "truncation", json("disabled"))},
              {"user", Field(body, "user", json())},
              {"metadata", metadata.is_null() ? json::object() : metadata}};
}

json NestedError(const std::string& message, int status, const char* param) {
  json error = json::object();
  error["message"] = message;
  error["type"] = "invalid_request_error";
  error["param"] = param == nullptr ? json() : json(param);
  error["code"] = status;
  json out = json::object();
  out["error"] = std::move(error);
  return out;
}

std::string ResponsesFrame(const json& event) {
  return "event: " + Field(event, "type", json("unknown")).get<std::string>() +
         "\ndata: " + event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

}  // namespace shim::fake_sglang

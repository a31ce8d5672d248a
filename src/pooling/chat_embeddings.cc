#include "pooling/chat_embeddings.h"

#include <array>

#include "endpoints/chat_rendering.h"
#include "rewrite/json_splice.h"

namespace shim::pooling {
namespace {

using nlohmann::json;

// Messages nest content parts and tool calls; far below any real request's depth.
constexpr size_t kMaxDepth = 64;

constexpr std::array<std::string_view, 9> kRenderingFields = {
    "messages",      "add_generation_prompt", "continue_final_message", "add_special_tokens",
    "chat_template", "chat_template_kwargs",  "mm_processor_kwargs",    "media_io_kwargs",
    "tools"};

// Text content only: a string, null, or a list of {"type": "text", "text": ...} parts.
bool TextOnly(const json& content) {
  if (content.is_null() || content.is_string()) return true;
  if (!content.is_array()) return false;
  for (const json& part : content) {
    if (!part.is_object() || part.value("type", "") != "text") return false;
  }
  return true;
}

bool CheckMessages(const json& messages, std::string* err) {
  if (!messages.is_array() || messages.empty()) {
    *err = "messages: Input should be a non-empty list of chat messages";
    return false;
  }
  for (const json& message : messages) {
    if (!message.is_object() || !message.contains("role") || !message["role"].is_string()) {
      *err = "messages: each message must be an object with a string `role`";
      return false;
    }
    if (!TextOnly(message.value("content", json(nullptr)))) {
      *err =
          "Chat-style embedding requests with image, audio or video parts are not served by this engine: SGLang "
          "renders only text messages for an embedding model.";
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsChatRenderingField(std::string_view key) {
  for (std::string_view field : kRenderingFields) {
    if (key == field) return true;
  }
  return false;
}

bool PlanChatRendering(std::string_view body, std::string* tokenize_body, std::string* err) {
  json request;
  if (!ParseJsonValue(body, kMaxDepth, &request) || !request.is_object()) {
    *err = "The request body must be a JSON object.";
    return false;
  }
  const json messages = request.value("messages", json(nullptr));
  if (!CheckMessages(messages, err)) return false;
  endpoints::ChatRendering rendering;
  std::string param;
  if (!endpoints::ReadChatRendering(request, /*generation_prompt_default=*/false, &rendering, err, &param)) {
    return false;
  }
  json sglang = {{"messages", messages}, {"continue_final_message", rendering.continue_final_message}};
  for (const char* key : {"chat_template_kwargs", "tools"}) {
    json value = request.value(key, json(nullptr));
    if (value.is_null()) continue;
    const bool tools = std::string_view(key) == "tools";
    if (tools ? !value.is_array() : !value.is_object()) {
      *err = std::string(key) + (tools ? ": Input should be a valid list" : ": Input should be an object");
      return false;
    }
    sglang[key] = std::move(value);
  }
  *tokenize_body = DumpJson(sglang);
  return true;
}

bool WithInputIds(std::string_view body, const std::vector<long long>& ids, std::string* out) {
  JsonObjectScan scan;
  std::string err;
  if (!ScanTopLevelObject(body, &scan, &err)) return false;
  ObjectSplicer splice(body, scan);
  for (size_t i = 0; i < scan.members.size(); ++i) {
    if (scan.members[i].key == "input") splice.Remove(i);
  }
  splice.Append(JsonMemberText("input", DumpJson(json(ids))));
  *out = splice.Build();
  return true;
}

}  // namespace shim::pooling

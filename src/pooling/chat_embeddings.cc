#include "pooling/chat_embeddings.h"

#include <array>

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

// The last value of `key` (Python's json keeps the last duplicate), or null when absent.
json Member(std::string_view body, const JsonObjectScan& scan, std::string_view key) {
  json value = nullptr;
  for (const JsonMember& m : scan.members) {
    if (m.key != key) continue;
    if (!ParseJsonValue(m.Value(body), kMaxDepth, &value)) value = nullptr;
  }
  return value;
}

// A boolean field with vLLM's default when absent or null; false with *err for another type.
bool BoolField(const json& value, bool fallback, std::string_view name, bool* out, std::string* err) {
  if (value.is_null()) {
    *out = fallback;
    return true;
  }
  if (!value.is_boolean()) {
    *err = std::string(name) + ": Input should be a valid boolean";
    return false;
  }
  *out = value.get<bool>();
  return true;
}

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

bool PlanChatRendering(std::string_view body, const JsonObjectScan& scan, std::string* tokenize_body,
                       std::string* err) {
  const json messages = Member(body, scan, "messages");
  if (!CheckMessages(messages, err)) return false;
  bool generation_prompt = false;
  bool continue_final = false;
  bool special_tokens = false;
  if (!BoolField(Member(body, scan, "add_generation_prompt"), false, "add_generation_prompt", &generation_prompt,
                 err) ||
      !BoolField(Member(body, scan, "continue_final_message"), false, "continue_final_message", &continue_final, err) ||
      !BoolField(Member(body, scan, "add_special_tokens"), false, "add_special_tokens", &special_tokens, err)) {
    return false;
  }
  if (generation_prompt && continue_final) {  // vLLM's own check (ChatRequestMixin)
    *err = "Cannot set both `continue_final_message` and `add_generation_prompt` to True.";
    return false;
  }
  if (!generation_prompt && !continue_final) {
    *err =
        "This engine renders a chat-style embedding request only with add_generation_prompt=true or "
        "continue_final_message=true: SGLang always adds the generation prompt (or leaves a final assistant message "
        "open), and without either a different text would be embedded. Set one of them, or send the rendered text "
        "as `input`.";
    return false;
  }
  if (continue_final && messages.back().value("role", "") != "assistant") {
    *err =
        "continue_final_message needs an assistant message last on this engine: SGLang continues only an "
        "assistant message.";
    return false;
  }
  if (special_tokens) {
    *err =
        "add_special_tokens=true is not served for chat-style embedding requests: SGLang adds no special tokens "
        "beyond the chat template's.";
    return false;
  }
  for (std::string_view key : {"chat_template", "mm_processor_kwargs", "media_io_kwargs"}) {
    if (!Member(body, scan, key).is_null()) {
      *err = std::string(key) + " is not served by this engine: SGLang renders with the model's own chat template.";
      return false;
    }
  }
  json request = {{"messages", messages}, {"continue_final_message", continue_final}};
  for (std::string_view key : {"chat_template_kwargs", "tools"}) {
    json value = Member(body, scan, key);
    if (value.is_null()) continue;
    const bool ok = key == "tools" ? value.is_array() : value.is_object();
    if (!ok) {
      *err = std::string(key) + (key == "tools" ? ": Input should be a valid list" : ": Input should be an object");
      return false;
    }
    request[std::string(key)] = std::move(value);
  }
  *tokenize_body = DumpJson(request);
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

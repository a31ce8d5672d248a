#include "endpoints/chat_rendering.h"

namespace shim::endpoints {
namespace {

using nlohmann::json;

bool ReadBool(const json& request, const char* key, bool fallback, bool* out, std::string* err, std::string* param) {
  auto it = request.find(key);
  *out = fallback;
  if (it == request.end() || it->is_null()) return true;
  if (!it->is_boolean()) {
    *err = std::string(key) + ": Input should be a valid boolean";
    *param = key;
    return false;
  }
  *out = it->get<bool>();
  return true;
}

bool Refuse(std::string message, const char* field, std::string* err, std::string* param) {
  *err = std::move(message);
  *param = field;
  return false;
}

bool LastMessageIsAssistant(const json& request) {
  auto messages = request.find("messages");
  if (messages == request.end() || !messages->is_array() || messages->empty()) return false;
  const json& last = messages->back();
  return last.is_object() && last.value("role", json(nullptr)) == "assistant";
}

}  // namespace

bool ReadChatRendering(const json& request, bool generation_prompt_default, ChatRendering* out, std::string* err,
                       std::string* param) {
  param->clear();
  if (!ReadBool(request, "add_generation_prompt", generation_prompt_default, &out->add_generation_prompt, err, param) ||
      !ReadBool(request, "continue_final_message", false, &out->continue_final_message, err, param) ||
      !ReadBool(request, "add_special_tokens", false, &out->add_special_tokens, err, param)) {
    return false;
  }
  if (out->add_generation_prompt && out->continue_final_message) {  // vLLM's own check
    return Refuse("Cannot set both `continue_final_message` and `add_generation_prompt` to True.", "", err, param);
  }
  if (!out->add_generation_prompt && !out->continue_final_message) {
    return Refuse(
        "This engine renders chat only with add_generation_prompt=true or continue_final_message=true: SGLang "
        "always adds the generation prompt (or leaves a final assistant message open), so without either a "
        "different text would be rendered. Set one of them, or send the rendered text instead of `messages`.",
        "add_generation_prompt", err, param);
  }
  if (out->continue_final_message && !LastMessageIsAssistant(request)) {
    return Refuse("continue_final_message needs an assistant message last on this engine.", "continue_final_message",
                  err, param);
  }
  if (out->add_special_tokens) {
    return Refuse(
        "add_special_tokens=true is not served for chat-style requests: SGLang adds no special tokens beyond the "
        "chat template's.",
        "add_special_tokens", err, param);
  }
  for (const char* key : {"chat_template", "mm_processor_kwargs", "media_io_kwargs"}) {
    auto it = request.find(key);
    if (it != request.end() && !it->is_null()) {
      return Refuse(std::string(key) +
                        " is not served by this engine: SGLang renders with the model's own chat "
                        "template.",
                    key, err, param);
    }
  }
  return true;
}

}  // namespace shim::endpoints

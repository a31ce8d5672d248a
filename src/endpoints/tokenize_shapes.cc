#include "endpoints/tokenize_shapes.h"

#include <nlohmann/json.hpp>

#include "endpoints/chat_rendering.h"

namespace shim::endpoints {
namespace {

using nlohmann::json;

std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

EndpointReply BadRequest(std::string_view message, std::string_view param = {}) {
  return VllmError(400, message, "Bad Request", param);
}

// Copies an optional boolean, defaulting it; false when present with another type.
bool CopyBool(const json& from, const char* key, bool fallback, json* to, EndpointReply* reject) {
  auto it = from.find(key);
  bool value = fallback;
  if (it != from.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      *reject = BadRequest(std::string(key) + ": Input should be a valid boolean", key);
      return false;
    }
    value = it->get<bool>();
  }
  (*to)[key] = value;
  return true;
}

bool CheckModel(const json& body, const ModelRegistry& registry, EndpointReply* reject) {
  auto it = body.find("model");
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *reject = BadRequest("model: Input should be a valid string", "model");
    return false;
  }
  std::string model = it->get<std::string>();
  if (!IsKnownModel(registry, model)) {
    *reject = ModelNotFoundReply(model);
    return false;
  }
  return true;
}

bool ParseBodyObject(std::string_view text, json* body, EndpointReply* reject) {
  *body = json::parse(text.begin(), text.end(), nullptr, false);
  if (body->is_discarded() || !body->is_object()) {
    *reject = BadRequest("The request body must be a JSON object.");
    return false;
  }
  return true;
}

}  // namespace

EndpointReply ModelNotFoundReply(const std::string& model) {
  return VllmError(404, "The model `" + model + "` does not exist.", "NotFoundError", "model");
}

bool IsKnownModel(const ModelRegistry& registry, const std::string& model) {
  return model.empty() || registry.IsServedName(model) || registry.FindAdapter(model).has_value();
}

bool PlanTokenize(std::string_view text, const ModelRegistry& registry, TokenizePlan* out, EndpointReply* reject) {
  json body;
  if (!ParseBodyObject(text, &body, reject)) return false;
  if (!CheckModel(body, registry, reject)) return false;
  TokenizePlan plan;
  json sglang = json::object();
  auto messages = body.find("messages");
  if (messages != body.end()) {
    if (!messages->is_array()) {
      *reject = BadRequest("messages: Input should be a valid list", "messages");
      return false;
    }
    plan.chat = true;
    sglang["messages"] = *messages;
    ChatRendering rendering;
    std::string err;
    std::string param;
    if (!ReadChatRendering(body, /*generation_prompt_default=*/true, &rendering, &err, &param)) {
      *reject = BadRequest(err, param);
      return false;
    }
    sglang["add_generation_prompt"] = rendering.add_generation_prompt;
    sglang["continue_final_message"] = rendering.continue_final_message;
    sglang["add_special_tokens"] = rendering.add_special_tokens;
    for (const char* key : {"chat_template_kwargs", "tools"}) {
      auto it = body.find(key);
      if (it != body.end() && !it->is_null()) sglang[key] = *it;
    }
  } else {
    auto prompt = body.find("prompt");
    if (prompt == body.end()) {
      *reject = BadRequest("prompt: Field required", "prompt");
      return false;
    }
    if (!prompt->is_string()) {
      *reject = BadRequest("prompt: Input should be a valid string", "prompt");
      return false;
    }
    sglang["prompt"] = *prompt;
    if (!CopyBool(body, "add_special_tokens", true, &sglang, reject)) return false;
  }
  json strs_flag = json::object();
  if (!CopyBool(body, "return_token_strs", false, &strs_flag, reject)) return false;
  plan.return_token_strs = strs_flag["return_token_strs"].get<bool>();
  plan.sglang_body = Dump(sglang);
  *out = std::move(plan);
  return true;
}

bool TokenIdsFromAnswer(std::string_view text, std::vector<long long>* ids) {
  json body = json::parse(text.begin(), text.end(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) return false;
  auto tokens = body.find("tokens");
  if (tokens == body.end() || !tokens->is_array()) return false;
  ids->clear();
  for (const auto& t : *tokens) {
    if (!t.is_number_integer()) return false;
    ids->push_back(t.get<long long>());
  }
  return true;
}

bool ConvertTokenizeAnswer(std::string_view text, const ModelRegistry& registry,
                           const std::optional<std::vector<std::string>>& token_strs, std::string* out) {
  std::vector<long long> ids;
  if (!TokenIdsFromAnswer(text, &ids)) return false;
  json body = json::parse(text.begin(), text.end(), nullptr, false);
  // The configured or learned length first (what /v1/models reports), else SGLang's.
  nlohmann::ordered_json max_len = nullptr;
  auto it = body.find("max_model_len");
  if (auto known = registry.max_model_len()) {
    max_len = *known;
  } else if (it != body.end() && it->is_number_integer()) {
    max_len = it->get<long long>();
  }
  // TokenizeResponse's member order (vllm/entrypoints/serve/tokenize/protocol.py).
  nlohmann::ordered_json answer = nlohmann::ordered_json::object();
  answer["count"] = ids.size();
  answer["max_model_len"] = max_len;
  answer["tokens"] = ids;
  answer["token_strs"] = token_strs ? nlohmann::ordered_json(*token_strs) : nlohmann::ordered_json(nullptr);
  *out = answer.dump(-1, ' ', false, json::error_handler_t::replace);
  return true;
}

bool PlanDetokenize(std::string_view text, const ModelRegistry& registry, std::string* sglang_body,
                    EndpointReply* reject) {
  json body;
  if (!ParseBodyObject(text, &body, reject)) return false;
  if (!CheckModel(body, registry, reject)) return false;
  auto tokens = body.find("tokens");
  if (tokens == body.end()) {
    *reject = BadRequest("tokens: Field required", "tokens");
    return false;
  }
  if (!tokens->is_array()) {
    *reject = BadRequest("tokens: Input should be a valid list", "tokens");
    return false;
  }
  std::vector<long long> ids;
  for (const auto& t : *tokens) {
    // vLLM: list[Annotated[int, Field(ge=0, le=2**63 - 1)]].
    if (!t.is_number_integer() || (t.is_number_integer() && !t.is_number_unsigned() && t.get<long long>() < 0)) {
      *reject = BadRequest("tokens: each token must be an integer between 0 and 2**63-1", "tokens");
      return false;
    }
    if (t.is_number_unsigned() && t.get<unsigned long long>() > 9223372036854775807ULL) {
      *reject = BadRequest("tokens: each token must be an integer between 0 and 2**63-1", "tokens");
      return false;
    }
    ids.push_back(t.get<long long>());
  }
  *sglang_body = DetokenizeBodyFor(ids);
  return true;
}

std::string DetokenizeBodyFor(const std::vector<long long>& ids) {
  return Dump(json{{"tokens", ids}, {"skip_special_tokens", false}});
}

bool TextFromDetokenizeAnswer(std::string_view text, std::string* out) {
  json body = json::parse(text.begin(), text.end(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) return false;
  auto it = body.find("text");
  if (it == body.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

bool ConvertDetokenizeAnswer(std::string_view text, std::string* out) {
  std::string prompt;
  if (!TextFromDetokenizeAnswer(text, &prompt)) return false;
  *out = Dump(json{{"prompt", prompt}});
  return true;
}

}  // namespace shim::endpoints

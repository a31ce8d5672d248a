#include "fake_sglang/openai_request.h"

#include "common/strings.h"
#include "fake_sglang/audio_content.h"
#include "fake_sglang/cli.h"
#include "fake_sglang/generator.h"
#include "fake_sglang/response_format.h"

namespace shim::fake_sglang {
namespace {

using nlohmann::json;

// Reads a string member without throwing on a wrong type (untrusted input).
std::string Str(const json& object, const char* key, const std::string& fallback = "") {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

enum class Kind { kBool, kInt, kPositiveInt, kFloat };

struct Rule {
  const char* field;
  Kind kind;
  bool nullable;
};

// Fields whose null/type SGLang's request models reject (python/sglang/srt/entrypoints/openai/protocol.py
// at 8905cbd4; the null cases were checked against the real pydantic models; docs/rewriting.md, rule 1).
constexpr Rule kChatRules[] = {
    {"logprobs", Kind::kBool, false},
    {"n", Kind::kInt, false},
    {"stream", Kind::kBool, false},
    {"frequency_penalty", Kind::kFloat, false},
    {"presence_penalty", Kind::kFloat, false},
    {"parallel_tool_calls", Kind::kBool, false},
    {"ignore_eos", Kind::kBool, false},
    {"skip_special_tokens", Kind::kBool, false},
    {"min_tokens", Kind::kInt, false},
    {"top_logprobs", Kind::kInt, true},
    {"max_tokens", Kind::kInt, true},
    {"max_completion_tokens", Kind::kInt, true},
    {"temperature", Kind::kFloat, true},
    {"top_p", Kind::kFloat, true},
    {"top_k", Kind::kInt, true},
    {"min_p", Kind::kFloat, true},
    {"seed", Kind::kInt, true},
};
constexpr Rule kCompletionRules[] = {
    {"n", Kind::kInt, false},
    {"stream", Kind::kBool, false},
    {"frequency_penalty", Kind::kFloat, false},
    {"presence_penalty", Kind::kFloat, false},
    {"ignore_eos", Kind::kBool, false},
    {"skip_special_tokens", Kind::kBool, false},
    {"min_tokens", Kind::kInt, false},
    {"temperature", Kind::kFloat, false},
    {"top_p", Kind::kFloat, false},
    {"max_tokens", Kind::kPositiveInt, false},
    {"echo", Kind::kBool, false},
    {"top_k", Kind::kInt, false},
    {"min_p", Kind::kFloat, false},
    {"repetition_penalty", Kind::kFloat, false},
    {"logprobs", Kind::kInt, true},
    {"seed", Kind::kInt, true},
};

// Pydantic's lax coercions: bools from 0/1 and yes/no strings, ints from whole floats and
// numeric strings, floats from numeric strings.
std::optional<bool> AsBool(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) {
    auto i = v.get<long long>();
    if (i == 0 || i == 1) return i == 1;
  }
  if (v.is_string()) return ParseBool(v.get<std::string>());
  return std::nullopt;
}

std::optional<long long> AsInt(const json& v) {
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d == static_cast<double>(static_cast<long long>(d))) return static_cast<long long>(d);
  }
  if (v.is_string()) return ParseInt(TrimSpaces(v.get<std::string>()));
  return std::nullopt;
}

std::optional<double> AsFloat(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return ParseDouble(TrimSpaces(v.get<std::string>()));
  return std::nullopt;
}

void CheckRule(const json& body, const Rule& rule, std::vector<FieldError>* errors) {
  auto it = body.find(rule.field);
  if (it == body.end()) return;
  const json& v = *it;
  if (v.is_null() && rule.nullable) return;
  std::string loc = std::string("('body', '") + rule.field + "')";
  switch (rule.kind) {
    case Kind::kBool:
      if (!AsBool(v)) errors->push_back({"bool_type", loc, "Input should be a valid boolean"});
      break;
    case Kind::kInt:
      if (!AsInt(v)) errors->push_back({"int_type", loc, "Input should be a valid integer"});
      break;
    case Kind::kPositiveInt: {
      auto i = AsInt(v);
      if (!i)
        errors->push_back({"int_type", loc, "Input should be a valid integer"});
      else if (*i <= 0)
        errors->push_back({"greater_than", loc, "Input should be greater than 0"});
      break;
    }
    case Kind::kFloat:
      if (!AsFloat(v)) errors->push_back({"float_type", loc, "Input should be a valid number"});
      break;
  }
}

ApiError BadRequest(const std::string& message) { return {400, SglangErrorBody(400, message, "BadRequestError")}; }

// FastAPI's default 422 body, as SGLang < v0.4.9 returned it for chat logprobs/top_logprobs
// (sglang issue #4440) — the behaviour that motivated the shim.
ApiError Legacy422(const std::string& field, const json& value) {
  json detail = json::array();
  detail.push_back({{"type", "value_error"},
                    {"loc", json::array({"body", field})},
                    {"msg", "Value error, " + field + " is not supported by this server"},
                    {"input", value}});
  return {422, json{{"detail", detail}}};
}

bool MessagesText(const json& messages, std::string* text, std::vector<FieldError>* errors, std::string* load_error,
                  int* audio_items) {
  for (size_t i = 0; i < messages.size(); ++i) {
    const json& m = messages[i];
    std::string loc = "('body', 'messages', " + std::to_string(i) + ")";
    if (!m.is_object()) {
      errors->push_back({"model_type", loc, "Input should be a valid dictionary or instance of a model"});
      continue;
    }
    auto role = m.find("role");
    if (role == m.end() || !role->is_string()) {
      errors->push_back({"missing", loc.substr(0, loc.size() - 1) + ", 'role')", "Field required"});
      continue;
    }
    auto content = m.find("content");
    if (content == m.end() || content->is_null()) continue;
    if (!text->empty()) *text += "\n";
    if (content->is_string()) {
      *text += content->get<std::string>();
    } else if (content->is_array()) {
      for (size_t j = 0; j < content->size(); ++j) {
        const json& part = (*content)[j];
        if (part.is_object() && Str(part, "type") == "text" && part.contains("text") && part["text"].is_string()) {
          *text += part["text"].get<std::string>();
        } else if (part.is_object()) {
          CheckAudioPart(part, i, j, errors, load_error, audio_items);
        }
      }
    } else {
      errors->push_back(
          {"string_type", loc.substr(0, loc.size() - 1) + ", 'content')", "Input should be a valid string"});
    }
  }
  return errors->empty();
}

bool CompletionPrompts(const json& prompt, std::vector<std::string>* prompts) {
  auto ids_text = [](const json& list, std::string* out) {
    std::vector<int64_t> ids;
    for (const json& id : list) {
      if (!id.is_number_integer()) return false;
      ids.push_back(id.get<int64_t>());
    }
    *out = DetokenizeIds(ids);
    return true;
  };
  if (prompt.is_string()) {
    prompts->push_back(prompt.get<std::string>());
    return true;
  }
  if (!prompt.is_array()) return false;
  if (!prompt.empty() && prompt[0].is_number_integer()) {
    std::string text;
    if (!ids_text(prompt, &text)) return false;
    prompts->push_back(text);
    return true;
  }
  for (const json& item : prompt) {
    std::string text;
    if (item.is_string()) {
      text = item.get<std::string>();
    } else if (item.is_array()) {
      if (!ids_text(item, &text)) return false;
    } else {
      return false;
    }
    prompts->push_back(text);
  }
  return true;
}

}  // namespace

ApiError ValidationError(const std::vector<FieldError>& errors, const char* model) {
  // http_server.py validation_exception_handler: message = f"{exc} {exc.errors()}", type "Bad Request".
  std::string message =
      std::to_string(errors.size()) + " validation error" + (errors.size() > 1 ? "s" : "") + " for " + model + ":";
  std::string list = "[";
  for (const FieldError& e : errors) {
    message += "\n  " + e.loc + ": " + e.msg;
    if (list.size() > 1) list += ", ";
    list += "{'type': '" + e.type + "', 'loc': " + e.loc + ", 'msg': '" + e.msg + "'}";
  }
  list += "]";
  return {400, SglangErrorBody(400, message + " " + list, "Bad Request")};
}

json SglangErrorBody(int status, const std::string& message, const std::string& type) {
  return json{{"object", "error"}, {"message", message}, {"type", type}, {"param", nullptr}, {"code", status}};
}

json ToolArguments(const json& parameters) {
  json args = json::object();
  if (!parameters.is_object()) return args;
  auto props = parameters.find("properties");
  if (props == parameters.end() || !props->is_object()) return args;
  for (auto it = props->begin(); it != props->end(); ++it) {
    std::string type = Str(it.value(), "type", "string");
    if (it.value().is_object() && it.value().contains("enum") && it.value()["enum"].is_array() &&
        !it.value()["enum"].empty()) {
      args[it.key()] = it.value()["enum"][0];
    } else if (type == "integer") {
      args[it.key()] = 1;
    } else if (type == "number") {
      args[it.key()] = 1.5;
    } else if (type == "boolean") {
      args[it.key()] = true;
    } else if (type == "array") {
      args[it.key()] = json::array();
    } else if (type == "object") {
      args[it.key()] = json::object();
    } else {
      args[it.key()] = "sample";
    }
  }
  return args;
}

bool ParseOpenAiRequest(std::string_view content_type, std::string_view body_text, bool chat,
                        const ParseContext& context, OpenAiRequest* out, ApiError* error) {
  const char* model_name = chat ? "ChatCompletionRequest" : "CompletionRequest";
  // http_server.py validate_json_request: OpenAI routes need Content-Type: application/json.
  if (!StartsWith(ToLower(TrimSpaces(content_type)), "application/json")) {
    *error = ValidationError(
        {{"value_error", "('header', 'content-type')", "Unsupported Media Type: Only 'application/json' is allowed"}},
        model_name);
    return false;
  }
  json body = json::parse(body_text, nullptr, false);
  if (body.is_discarded()) {
    *error = ValidationError({{"json_invalid", "('body', 0)", "JSON decode error"}}, model_name);
    return false;
  }
  if (!body.is_object()) {
    *error =
        ValidationError({{"model_attributes_type", "('body',)", "Input should be a valid dictionary"}}, model_name);
    return false;
  }
  if (chat && context.legacy_422) {
    for (const char* field : {"logprobs", "top_logprobs"}) {
      if (body.contains(field)) {
        *error = Legacy422(field, body[field]);
        return false;
      }
    }
  }
  std::vector<FieldError> errors;
  if (chat) {
    for (const Rule& rule : kChatRules) CheckRule(body, rule, &errors);
  } else {
    for (const Rule& rule : kCompletionRules) CheckRule(body, rule, &errors);
  }
  OpenAiRequest r;
  r.chat = chat;
  std::string text;
  std::string audio_load_error;
  if (chat) {
    auto messages = body.find("messages");
    if (messages == body.end()) {
      errors.push_back({"missing", "('body', 'messages')", "Field required"});
    } else if (!messages->is_array()) {
      errors.push_back({"list_type", "('body', 'messages')", "Input should be a valid list"});
    } else {
      MessagesText(*messages, &text, &errors, &audio_load_error, &r.audio_items);
    }
  } else {
    auto prompt = body.find("prompt");
    if (prompt == body.end()) {
      errors.push_back({"missing", "('body', 'prompt')", "Field required"});
    } else if (!CompletionPrompts(*prompt, &r.prompts)) {
      errors.push_back({"union_type", "('body', 'prompt')", "Input should be a valid string or list"});
    }
  }
  auto stop = body.find("stop");
  if (stop != body.end() && !stop->is_null()) {
    if (stop->is_string()) {
      r.stop.push_back(stop->get<std::string>());
    } else if (stop->is_array() &&
               std::all_of(stop->begin(), stop->end(), [](const json& s) { return s.is_string(); })) {
      for (const json& s : *stop) r.stop.push_back(s.get<std::string>());
    } else {
      errors.push_back({"union_type", "('body', 'stop')", "Input should be a valid string or list of strings"});
    }
  }
  auto tools = body.find("tools");
  if (tools != body.end() && !tools->is_null() && !tools->is_array()) {
    errors.push_back({"list_type", "('body', 'tools')", "Input should be a valid list"});
  }
  ResponseFormatResult format;
  if (chat) format = ReadResponseFormat(body, &errors);
  if (!errors.empty()) {
    *error = ValidationError(errors, model_name);
    return false;
  }

  if (format.failure) {
    *error = *format.failure;
    return false;
  }
  r.json_schema = format.schema;
  // Handler-level checks (serving_chat.py / serving_completions.py _validate_request).
  if (chat) {
    if (body["messages"].empty()) {
      *error = BadRequest("Messages cannot be empty.");
      return false;
    }
    if (!audio_load_error.empty()) {  // the multimodal loader fails after validation
      *error = BadRequest(audio_load_error);
      return false;
    }
    r.prompts.push_back(text);
  } else if (r.prompts.empty() || (r.prompts.size() == 1 && r.prompts[0].empty())) {
    *error = BadRequest("Prompt cannot be empty");
    return false;
  }
  if (body.contains("model") && body["model"].is_string()) r.model = body["model"].get<std::string>();
  r.n = static_cast<int>(body.contains("n") ? *AsInt(body["n"]) : 1);
  if (r.n < 1 || r.n > 128) {
    *error = BadRequest("n must be between 1 and 128");
    return false;
  }
  r.stream = body.contains("stream") && *AsBool(body["stream"]);
  r.ignore_eos = body.contains("ignore_eos") && *AsBool(body["ignore_eos"]);
  auto read_int = [&](const char* field) -> std::optional<int> {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    return static_cast<int>(std::clamp<long long>(*AsInt(*it), 0, 1 << 20));
  };
  if (chat) {
    r.max_tokens = read_int("max_completion_tokens");
    if (!r.max_tokens) r.max_tokens = read_int("max_tokens");
    r.logprobs = body.contains("logprobs") && *AsBool(body["logprobs"]);
    r.top_logprobs = read_int("top_logprobs").value_or(0);
  } else {
    r.max_tokens = read_int("max_tokens").value_or(16);  // CompletionRequest.max_tokens = 16
    auto lp = read_int("logprobs");
    r.logprobs = lp.has_value();
    r.top_logprobs = lp.value_or(0);
    r.echo = body.contains("echo") && *AsBool(body["echo"]);
  }
  if (auto so = body.find("stream_options"); so != body.end() && so->is_object()) {
    r.include_usage = so->contains("include_usage") && AsBool((*so)["include_usage"]).value_or(false);
    r.continuous_usage_stats =
        so->contains("continuous_usage_stats") && AsBool((*so)["continuous_usage_stats"]).value_or(false);
  }
  for (const std::string& prompt : r.prompts) {
    long long tokens = CountTokens(prompt);
    if (tokens >= context.config->context_length) {
      *error =
          BadRequest("The input (" + std::to_string(tokens) + " tokens) is longer than the model's context length (" +
                     std::to_string(context.config->context_length) + " tokens).");
      return false;
    }
  }

  // LoRA: "model": "base:adapter" (split on the first ':') or an explicit lora_path
  // (serving_base.py _resolve_lora_path). "model": "<adapter>" alone runs the base model.
  if (auto lp = body.find("lora_path"); lp != body.end() && lp->is_string()) {
    r.adapter = lp->get<std::string>();
  } else if (context.config->enable_lora) {
    if (size_t colon = r.model.find(':'); colon != std::string::npos) r.adapter = r.model.substr(colon + 1);
  }
  if (!r.adapter.empty()) {
    if (!context.config->enable_lora) {
      *error = BadRequest("LoRA is not enabled. Please set --enable-lora to use LoRA adapters.");
      return false;
    }
    if (!context.loras->Has(r.adapter)) {
      *error = BadRequest("LoRA adapter '" + r.adapter + "' is not loaded.");
      return false;
    }
  }

  // Tools (serving_chat.py): parsed iff --tool-call-parser is set, tools is non-empty and
  // tool_choice != "none".
  if (chat && tools != body.end() && tools->is_array()) {
    json choice = body.value("tool_choice", json("auto"));
    if (choice.is_string() && choice == "required" && tools->empty()) {
      *error = BadRequest("Tools cannot be empty if tool choice is set to required.");
      return false;
    }
    std::string wanted;
    if (choice.is_object() && choice.contains("function") && choice["function"].is_object()) {
      wanted = Str(choice["function"], "name");
      bool found = false;
      for (const json& tool : *tools) {
        if (tool.is_object() && tool.contains("function") && tool["function"].is_object() &&
            Str(tool["function"], "name") == wanted) {
          found = true;
        }
      }
      if (!found) {
        *error = BadRequest("Tool '" + wanted + "' not found in tools list.");
        return false;
      }
    }
    bool none = choice.is_string() && choice == "none";
    if (!tools->empty() && !none && !context.config->tool_call_parser.empty()) {
      for (const json& tool : *tools) {
        if (!tool.is_object() || !tool.contains("function") || !tool["function"].is_object()) continue;
        std::string name = Str(tool["function"], "name");
        if (!wanted.empty() && name != wanted) continue;
        r.use_tools = true;
        r.tool_name = name;
        r.tool_parameters = tool["function"].value("parameters", json::object());
        break;
      }
    }
  }
  // A reasoning parser splits the thinking off into reasoning_content unless the request
  // turns that off (separate_reasoning: false, python/sglang/srt/entrypoints/openai/protocol.py)
  // or asks the chat template not to think (chat_template_kwargs.enable_thinking: false).
  if (chat && !r.use_tools && !context.config->reasoning_parser.empty()) {
    const json separate = body.contains("separate_reasoning") ? body["separate_reasoning"] : json();
    const json kwargs = body.contains("chat_template_kwargs") ? body["chat_template_kwargs"] : json();
    const bool no_thinking = kwargs.is_object() && kwargs.contains("enable_thinking") &&
                             kwargs["enable_thinking"].is_boolean() && !kwargs["enable_thinking"].get<bool>();
    r.reasoning = !(separate.is_boolean() && !separate.get<bool>()) && !no_thinking;
  }
  *out = std::move(r);
  return true;
}

}  // namespace shim::fake_sglang

// Reads and validates /v1/chat/completions and /v1/completions bodies the way SGLang does
// (python/sglang/srt/entrypoints/openai/protocol.py pydantic models, serving_chat.py and
// serving_completions.py _validate_request; errors as serving_base.create_error_response and the
// RequestValidationError handler in http_server.py: flat {"object":"error",...,"code":400}).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fake_sglang/lora_registry.h"
#include "fake_sglang/serve_config.h"

namespace shim::fake_sglang {

struct ApiError {
  int status = 400;
  nlohmann::json body;
};

// One pydantic error entry, rendered as pydantic's errors() list renders in str().
struct FieldError {
  std::string type;
  std::string loc;
  std::string msg;
};

// http_server.py validation_exception_handler: a pydantic failure of `model` as a flat 400.
ApiError ValidationError(const std::vector<FieldError>& errors, const char* model);

// SGLang's flat error body: {"object":"error","message":...,"type":...,"param":null,"code":status}.
nlohmann::json SglangErrorBody(int status, const std::string& message, const std::string& type);

struct OpenAiRequest {
  bool chat = true;
  std::string model = "default";     // echoed back as SGLang does
  std::vector<std::string> prompts;  // chat: one (the messages' text); completions: one per prompt
  int n = 1;
  std::optional<int> max_tokens;
  bool ignore_eos = false;
  std::vector<std::string> stop;
  bool stream = false;
  bool include_usage = false;
  bool continuous_usage_stats = false;
  bool logprobs = false;
  int top_logprobs = 0;
  bool echo = false;       // completions only
  std::string adapter;     // LoRA adapter selected by "base:adapter" or lora_path
  bool use_tools = false;  // tools given, parser set, tool_choice != "none"
  bool reasoning = false;  // --reasoning-parser set: the first half of the answer is reasoning_content
  int audio_items = 0;     // audio_url parts (the answer starts with "[audio:N]")
  std::string tool_name;
  nlohmann::json tool_parameters;  // JSON schema of the chosen tool's parameters
  // response_format json_schema / json_object (chat): the content is an instance of this schema.
  std::optional<nlohmann::json> json_schema;
};

struct ParseContext {
  const ServeConfig* config = nullptr;
  const LoraRegistry* loras = nullptr;
  bool legacy_422 = false;  // FAKE_SGLANG_LEGACY_422
};

// Returns false with *error set (status and body) when SGLang would refuse the request.
bool ParseOpenAiRequest(std::string_view content_type, std::string_view body, bool chat, const ParseContext& context,
                        OpenAiRequest* out, ApiError* error);

// The tool-call arguments the stand-in "generates": one value per property of the schema.
nlohmann::json ToolArguments(const nlohmann::json& parameters);

}  // namespace shim::fake_sglang

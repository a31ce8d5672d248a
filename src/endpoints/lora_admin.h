// vLLM's runtime LoRA endpoints (POST /v1/load_lora_adapter and
// /v1/unload_lora_adapter, vllm/entrypoints/openai/serving_models.py) on top
// of SGLang's /load_lora_adapter and /unload_lora_adapter
// (python/sglang/srt/entrypoints/http_server.py), which take the same names
// but answer JSON {success, error_message, loaded_adapters}.
//
// Error bodies carry vLLM's {"error":{...}} AND the flat pre-2025-08 members
// (object/message/type/param/code) at the top level: the production-stack LoRA
// controller (operator/internal/controller/loraadapter_controller.go,
// sendRequest) accepts a 400 as "already loaded" only when it finds top-level
// `message` containing "has already been loaded" and `type` "InvalidUserInput".
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "endpoints/endpoint_reply.h"

namespace shim::endpoints {

struct LoadLoraRequest {
  std::string lora_name;
  std::string lora_path;
  bool load_inplace = false;
};

struct UnloadLoraRequest {
  std::string lora_name;
};

// Validates like vLLM: missing or mistyped fields are pydantic errors (400
// "Bad Request"), empty name or path is 400 InvalidUserInput. Returns false
// with *reject set.
bool ParseLoadLoraRequest(std::string_view body, LoadLoraRequest* out, EndpointReply* reject);
bool ParseUnloadLoraRequest(std::string_view body, UnloadLoraRequest* out, EndpointReply* reject);

// 200 answers: vLLM returns these strings as a plain Response body.
EndpointReply LoraLoadedReply(const std::string& name);
EndpointReply LoraRemovedReply(const std::string& name);
EndpointReply LoraAlreadyLoadedReply(const std::string& name);
EndpointReply LoraNotFoundReply(const std::string& name);
// Any LoRA-admin error in the combined nested + flat shape described above.
EndpointReply LoraErrorReply(int status, std::string_view message, std::string_view type);

// Request bodies for SGLang.
std::string SglangLoadLoraBody(const LoadLoraRequest& request);
std::string SglangUnloadLoraBody(const std::string& name);

// Interprets SGLang's answer. std::nullopt: success. Otherwise the vLLM error
// to send: SGLang unreachable → 503; a failure whose message says the path
// does not exist → 404 NotFoundError (vLLM's LoRAAdapterNotFoundError); any
// other failure → 400 BadRequestError with SGLang's message.
std::optional<EndpointReply> SglangLoraFailure(bool reached, int status, std::string_view body,
                                               std::string_view transport_error);

}  // namespace shim::endpoints

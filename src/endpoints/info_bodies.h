// Bodies of vLLM's small informational routes (/version, /load, /server_info)
// and the facts the shim reads from SGLang's informational answers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shim::endpoints {

// GET /version. vLLM answers {"version": "<vllm version>"} (among the routes
// vllm/entrypoints/openai/api_server.py build_app attaches @9aaf83ef), and clients and peers
// read it to tell vLLM from SGLang and to pick features. The shim reports there the vLLM
// API version it follows (VLLM_SGLANG_VLLM_VERSION), and says what runs underneath beside
// it: {"version", "shim_version", "engine": "sglang", "engine_version": <str|null>,
// "server": "vllm-sglang-shim"}.
std::string VersionJson(std::string_view vllm_version, std::string_view shim_version,
                        const std::optional<std::string>& sglang_version);

// The SGLang version in a /server_info (or /get_server_info) answer.
std::optional<std::string> SglangVersionFromServerInfo(std::string_view body);

// The model's context length as SGLang reports it: the first card's
// max_model_len in its /v1/models answer, or max_model_len in its /tokenize
// answer. std::nullopt when absent, not a positive integer, or not JSON.
std::optional<long long> MaxModelLenFromSglangModels(std::string_view body);
std::optional<long long> MaxModelLenFromTokenizeAnswer(std::string_view body);

// GET /load: {"server_load": <requests in flight>}.
std::string LoadJson(uint64_t in_flight);

// Removes every field whose name marks a secret (API keys, admin keys,
// passwords, tokens) from a JSON body relayed from one of SGLang's info
// routes, at any depth. False, body untouched, when it is not JSON.
bool RemoveSecretFields(std::string* body);

// GET /server_info?config_format=text|json (dev mode). vLLM answers
// {"vllm_config", "vllm_env", "system_env"}; here vllm_config describes the
// shim's view (served names, model, max_model_len) and sglang_server_info is
// SGLang's own /server_info (null when unavailable). config_format=text
// renders vllm_config as one string, as vLLM does.
std::string ServerInfoJson(std::string_view shim_config_json, std::string_view sglang_server_info, bool text_format);

}  // namespace shim::endpoints

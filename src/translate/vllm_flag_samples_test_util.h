// Sample vLLM command lines for the translator sweeps (all_flags_test.cc,
// release_sweep_test.cc): a value each flag of data/reference/vllm-flags*.json accepts.
#pragma once
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "translate/translator_test_util.h"

namespace shim::testing {

using nlohmann::json;

inline json Load(const std::string& name) {
  std::ifstream in(std::string(SHIM_DATA_DIR) + "/" + name);
  return json::parse(in);
}

// A value each flag accepts; flags that need a specific one are listed.
inline Words ArgsFor(const json& f) {
  static const std::map<std::string, Words> kSpecial = {
      {"--quantization", {"--quantization", "fp8"}},
      {"--load-format", {"--load-format", "auto"}},
      {"--tool-call-parser", {"--tool-call-parser", "hermes"}},
      {"--reasoning-parser", {"--reasoning-parser", "qwen3"}},
      {"--lora-modules", {"--lora-modules", "a=/p"}},
      {"--lora-target-modules", {"--lora-target-modules", "q_proj"}},
      {"--speculative-config", {"--speculative-config", R"({"method":"ngram","num_speculative_tokens":3})"}},
      {"--spec-method", {"--spec-method", "ngram"}},
      {"--spec-model", {"--spec-model", "draft/eagle"}},
      {"--spec-tokens", {"--spec-tokens", "2", "--spec-method", "ngram"}},
      {"--enable-auto-tool-choice", {"--enable-auto-tool-choice", "--tool-call-parser", "hermes"}},
      {"--enable-log-outputs", {"--enable-log-outputs", "--enable-log-requests"}},
      {"--port", {"--port", "8080"}},
      {"--gpu-memory-utilization", {"--gpu-memory-utilization", "0.5"}},
      {"--limit-mm-per-prompt", {"--limit-mm-per-prompt", R"({"image":1})"}},
      {"--served-model-name", {"--served-model-name", "a", "b"}},
      {"--ssl-keyfile", {"--ssl-keyfile", "None"}},
      {"--ssl-certfile", {"--ssl-certfile", "None"}},
      {"--num-speculative-tokens", {"--num-speculative-tokens", "2", "--speculative-model", "d/eagle"}},
  };
  const std::string flag = f["flag"].get<std::string>();
  if (auto it = kSpecial.find(flag); it != kSpecial.end()) return it->second;
  if (!f["takes_value"].get<bool>()) return {flag};
  std::string value = "x";
  if (f["choices"].is_array() && !f["choices"].empty()) {
    value = f["choices"][0].is_string() ? f["choices"][0].get<std::string>() : f["choices"][0].dump();
  } else if (f["type"] == "int") {
    value = "2";
  } else if (f["type"] == "float") {
    value = "0.5";
  } else if (f["type"] == "json") {
    value = "{}";
  } else if (f["type"] == "human_readable_int" || f["type"] == "human_readable_int_or_auto") {
    value = "1k";
  }
  return {flag, value};
}

}  // namespace shim::testing

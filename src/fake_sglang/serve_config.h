// What the stand-in takes from SGLang's parsed flags (python/sglang/srt/server_args.py
// ServerArgs defaults and __post_init__ rules that matter to a client).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fake_sglang/cli.h"
#include "fake_sglang/lora_registry.h"
#include "fake_sglang/metrics.h"

namespace shim::fake_sglang {

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 30000;
  std::string model_path;
  std::string served_model_name;  // defaults to model_path
  std::string tokenizer_path;     // defaults to model_path
  std::string api_key;
  std::string admin_api_key;
  std::string tool_call_parser;
  std::string reasoning_parser;
  bool enable_lora = false;  // auto-enabled by --lora-paths
  std::vector<LoraAdapter> lora_paths;
  int max_loaded_loras = 0;
  bool enable_metrics = false;
  TokenizerBuckets buckets;  // --bucket-time-to-first-token, --bucket-inter-token-latency, --bucket-e2e-request-latency
  bool enable_memory_saver = false;
  bool skip_server_warmup = false;
  bool disable_radix_cache = false;
  bool is_embedding = false;  // --is-embedding: an embedding / cross-encoder / classification model
  int tp_size = 1;
  int dp_size = 1;
  int max_running_requests = 0;  // 0: unlimited (no queue)
  long long max_total_tokens = 262144;
  long long context_length = 32768;
  // PD disaggregation (server_args.py): --disaggregation-mode null|prefill|decode, the
  // transfer backend ("fake" needs no bootstrap room) and the prefill's bootstrap port.
  std::string disaggregation_mode = "null";
  std::string transfer_backend = "mooncake";
  int bootstrap_port = 8998;
  nlohmann::json server_args;  // dest → value of every flag given, for /server_info
};

// Applies defaults and SGLang's post-parse rules. Returns false with *err on a value SGLang
// would refuse after parsing (e.g. a malformed --lora-paths item).
bool BuildServeConfig(const ParsedArgs& args, ServeConfig* out, std::string* err);

// "32k" → 32000, "1M" → 1000000, "1Ki" → 1024 (SGLang's human_readable_int).
std::optional<long long> ParseHumanReadableInt(const std::string& text);

}  // namespace shim::fake_sglang

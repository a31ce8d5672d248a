// Every setting the shim reads from the environment, read in one place.
// The README's configuration table lists the same rows (a test keeps them equal).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"

namespace shim {

// Looks up one environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
EnvLookup ProcessEnv();

struct Settings {
  // Launch and translation.
  std::vector<std::string> launcher{"python3", "-m", "sglang.launch_server"};
  std::vector<std::string> extra_args;  // SGLang flags that replace translated ones
  std::optional<int> backend_port;      // default: frontend port + 1
  bool strict = false;                  // unknown vLLM flags are errors
  LogLevel log_level = LogLevel::kInfo;

  // Front door health checks (seconds).
  double health_interval = 5.0;
  double health_timeout = 3.0;
  int health_rise = 2;
  int health_fall = 3;

  // Drain on SIGTERM (seconds).
  double drain_delay = 5.0;
  std::optional<double> drain_timeout;  // default: --shutdown-timeout, else 25
  double engine_stop_timeout = 5.0;     // SIGTERM → SIGKILL for SGLang's process group

  // Exposure and rewriting.
  bool expose_admin = false;
  bool expose_sglang_routes = false;  // SGLang's own non-admin routes (/generate, ...)
  std::vector<std::string> strip_params{"logprobs", "top_logprobs"};
  double metrics_interval = 2.0;

  // Limits against bad clients.
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 64 * 1024 * 1024;
  double header_timeout = 10.0;
  double idle_timeout = 60.0;
  size_t max_connections = 10000;
  double upstream_idle_timeout = 4.0;  // below SGLang's 5 s keep-alive
  // A hung engine (seconds; 0: wait forever): until SGLang's response head,
  // which for a non-streaming answer comes after the whole generation...
  double response_timeout = 1800.0;
  // ...and between two reads of its body (stream chunks).
  double stream_timeout = 600.0;

  // vLLM's own variables, honoured as vLLM does.
  std::vector<std::string> vllm_api_keys;    // VLLM_API_KEY
  bool allow_runtime_lora_updating = false;  // VLLM_ALLOW_RUNTIME_LORA_UPDATING
  bool server_dev_mode = false;              // VLLM_SERVER_DEV_MODE
};

// One documented setting: name, default as shown to users, what it does.
struct SettingSpec {
  const char* name;
  const char* default_text;
  const char* description;
};
const std::vector<SettingSpec>& AllSettingSpecs();

// Reads every setting. On a malformed value returns false with *err naming the
// variable and the problem; *out is then left unchanged.
bool LoadSettings(const EnvLookup& env, Settings* out, std::string* err);

}  // namespace shim

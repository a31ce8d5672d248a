// Every setting the shim reads from the environment, read in one place.
// The README's configuration table lists the same rows (a test keeps them equal).
#pragma once
#include <chrono>
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

// Durations are read as (possibly fractional) seconds and kept at millisecond
// resolution, so every user gets a typed duration and none converts again.
using Duration = std::chrono::milliseconds;

// For log lines that speak in seconds, as the settings do.
inline double InSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }

struct Settings {
  // Launch and translation.
  std::vector<std::string> launcher{"python3", "-m", "sglang.launch_server"};
  std::vector<std::string> extra_args;        // SGLang flags that replace translated ones
  std::optional<int> backend_port;            // default: frontend port + 1
  std::optional<std::string> sglang_version;  // VLLM_SGLANG_SGLANG_VERSION; unset: serve asks the launcher
  bool strict = false;                        // unknown vLLM flags are errors
  LogLevel log_level = LogLevel::kInfo;

  // Front door health checks.
  Duration health_interval = std::chrono::seconds(5);
  Duration health_timeout = std::chrono::seconds(3);
  int health_rise = 2;
  int health_fall = 3;

  // Drain on SIGTERM.
  Duration drain_delay = std::chrono::seconds(5);
  std::optional<Duration> drain_timeout;                   // default: --shutdown-timeout, else 25 s
  Duration engine_stop_timeout = std::chrono::seconds(5);  // SIGTERM → SIGKILL for SGLang's process group

  // Exposure and rewriting.
  bool expose_admin = false;
  bool expose_sglang_routes = false;  // SGLang's own non-admin routes (/generate, ...)
  std::vector<std::string> strip_params{"logprobs", "top_logprobs"};
  // VLLM_SGLANG_VLLM_VERSION: the vLLM version /version reports. The shim follows vLLM main
  // @9aaf83ef (2026-05-19); v0.22.0 (2026-05-30) is the first release after it.
  std::string vllm_version = "0.22.0";
  std::string reasoning_field = "reasoning";  // VLLM_SGLANG_REASONING_FIELD: reasoning | reasoning_content | both
  Duration metrics_interval = std::chrono::seconds(2);

  // Limits against bad clients.
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 64 * 1024 * 1024;
  Duration header_timeout = std::chrono::seconds(10);
  Duration idle_timeout = std::chrono::seconds(60);
  size_t max_connections = 10000;
  Duration upstream_idle_timeout = std::chrono::seconds(4);  // below SGLang's 5 s keep-alive
  // A hung engine (zero: wait forever): until SGLang's response head, which
  // for a non-streaming answer comes after the whole generation...
  Duration response_timeout = std::chrono::seconds(1800);
  // ...and between two reads of its body (stream chunks).
  Duration stream_timeout = std::chrono::seconds(600);

  // Disaggregated prefill (--kv-transfer-config with a prefill/decode connector; src/pd).
  std::string pd_role;              // VLLM_SGLANG_PD_ROLE: "", "prefill" or "decode" (needed with kv_both)
  std::string pd_transfer_backend;  // VLLM_SGLANG_PD_TRANSFER_BACKEND: "" follows the connector
  int pd_bootstrap_port = 8998;     // SGLang's --disaggregation-bootstrap-port default
  std::string pd_advertise_host;    // VLLM_SGLANG_PD_HOST, else POD_IP: where decode pods reach this pod
  std::string pd_prefill_host;      // decode side: the prefill's address when the leg names none
  Duration pd_prefill_timeout = std::chrono::seconds(30);  // a prefill waits this long for its decode leg

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

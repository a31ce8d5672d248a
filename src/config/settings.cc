#include "config/settings.h"

#include <cmath>
#include <cstdlib>

#include "common/strings.h"

namespace shim {

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

const std::vector<SettingSpec>& AllSettingSpecs() {
  static const std::vector<SettingSpec> specs = {
      {"VLLM_SGLANG_LAUNCHER", "`python3 -m sglang.launch_server`",
       "Command that starts SGLang, split like a shell would. The translated flags follow it."},
      {"VLLM_SGLANG_EXTRA_ARGS", "(empty)",
       "Extra SGLang flags, shell-quoted. A flag given here replaces the translated one instead of "
       "being added twice."},
      {"VLLM_SGLANG_SGLANG_VERSION", "read from the launcher's Python",
       "The installed SGLang's version (`0.5.14`) or a recorded release (`v0.5.4`, `main@2026-06-01`): the "
       "shim emits only flags that release knows. Unset: `vllm serve` asks the launcher's Python for the "
       "`sglang` package's version, and uses the newest recorded release when it cannot tell."},
      {"VLLM_SGLANG_BACKEND_PORT", "vLLM `--port` + 1", "Loopback port SGLang listens on."},
      {"VLLM_SGLANG_STRICT", "`0`",
       "`1`: a flag vLLM would not know is an error (exit 2) instead of a warning and a drop."},
      {"VLLM_SGLANG_LOG_LEVEL", "`info`", "`debug`, `info`, `warning` or `error`. `debug` logs one line per request."},
      {"VLLM_SGLANG_HEALTH_INTERVAL", "`5`", "Seconds between background checks of SGLang's `/health`."},
      {"VLLM_SGLANG_HEALTH_TIMEOUT", "`3`", "Seconds before one background check counts as failed."},
      {"VLLM_SGLANG_HEALTH_RISE", "`2`", "Consecutive good checks that bring `/health` back to 200."},
      {"VLLM_SGLANG_HEALTH_FALL", "`3`", "Consecutive failed checks that turn `/health` to 503."},
      {"VLLM_SGLANG_DRAIN_DELAY", "`5`",
       "Seconds to keep accepting after SIGTERM (while Kubernetes removes the pod from endpoints)."},
      {"VLLM_SGLANG_DRAIN_TIMEOUT", "vLLM `--shutdown-timeout`, else `25`",
       "Seconds, counted from SIGTERM, to wait for in-flight requests before stopping SGLang."},
      {"VLLM_SGLANG_ENGINE_STOP_TIMEOUT", "`5`",
       "Seconds between SIGTERM and SIGKILL for SGLang's process group at shutdown."},
      {"VLLM_SGLANG_EXPOSE_ADMIN", "`0`",
       "`1`: SGLang's admin and mutating routes are reachable through the front door (API key required "
       "when keys are set)."},
      {"VLLM_SGLANG_EXPOSE_SGLANG_ROUTES", "`0`",
       "`1`: SGLang's own routes that vLLM does not have (`/generate`, `/encode`, ...) are forwarded "
       "(API key required when keys are set); `0`: they answer vLLM's 404."},
      {"VLLM_SGLANG_STRIP_PARAMS", "`logprobs,top_logprobs`",
       "Comma-separated top-level keys removed from chat completion requests; empty disables."},
      {"VLLM_SGLANG_VLLM_VERSION", "`0.22.0`",
       "The vLLM version `/version` reports as `version` (clients and peers read it to tell vLLM from SGLang and "
       "to pick features). The default is the release of the vLLM API the shim follows."},
      {"VLLM_SGLANG_REASONING_FIELD", "`reasoning`",
       "With `--reasoning-parser`: the chat answer's field for the reasoning text. `reasoning` (vLLM's name), "
       "`reasoning_content` (SGLang's, and vLLM's before the rename) or `both`."},
      {"VLLM_SGLANG_METRICS_INTERVAL", "`2`", "Seconds between background scrapes of SGLang's metrics."},
      {"VLLM_SGLANG_MAX_HEADER_BYTES", "`65536`", "Largest request line plus headers (431 beyond)."},
      {"VLLM_SGLANG_MAX_BODY_BYTES", "`67108864`", "Largest body on routes that rewrite it (413 beyond)."},
      {"VLLM_SGLANG_HEADER_TIMEOUT", "`10`", "Seconds a client has to send a complete request head."},
      {"VLLM_SGLANG_IDLE_TIMEOUT", "`60`", "Seconds an idle keep-alive client connection is kept."},
      {"VLLM_SGLANG_MAX_CONNECTIONS", "`10000`", "Open client connections; more are refused with 503."},
      {"VLLM_SGLANG_UPSTREAM_IDLE_TIMEOUT", "`4`",
       "Seconds an idle pooled connection to SGLang is kept; stays below SGLang's 5 s keep-alive."},
      {"VLLM_SGLANG_RESPONSE_TIMEOUT", "`1800`",
       "Seconds SGLang has to begin its response before the client gets vLLM's 504; a non-streaming answer "
       "begins only when generation ends, so this bounds the whole generation. `0`: no limit."},
      {"VLLM_SGLANG_STREAM_TIMEOUT", "`600`",
       "Seconds SGLang may stay silent in the middle of a response (between stream chunks) before the "
       "response is cut. `0`: no limit."},
      {"VLLM_SGLANG_PD_ROLE", "(unset)",
       "With a prefill/decode `--kv-transfer-config` whose `kv_role` is `kv_both`: `prefill` or `decode`, the half "
       "of the SGLang pair this engine is. Must agree with `kv_producer`/`kv_consumer` when those are given."},
      {"VLLM_SGLANG_PD_TRANSFER_BACKEND", "(from the connector)",
       "SGLang's `--disaggregation-transfer-backend` (`mooncake`, `nixl`, ...); by default `nixl` for "
       "NixlConnector and LMCache, `mori` for MoRIIOConnector, else SGLang's `mooncake`."},
      {"VLLM_SGLANG_PD_BOOTSTRAP_PORT", "`8998`",
       "SGLang's `--disaggregation-bootstrap-port`, where a prefill engine's bootstrap listener is reached."},
      {"VLLM_SGLANG_PD_HOST", "`$POD_IP`",
       "Prefill engines: the address decode pods reach this pod's bootstrap listener on; it is named in the "
       "`kv_transfer_params` the prefill answers with. Unset: `POD_IP`."},
      {"VLLM_SGLANG_PD_PREFILL_HOST", "(unset)",
       "Decode engines: the prefill's address (a Service name or host) for decode legs that carry no "
       "`kv_transfer_params` (production-stack's `disaggregated_prefill` routing)."},
      {"VLLM_SGLANG_PD_PREFILL_TIMEOUT", "`30`",
       "Prefill engines: seconds a prefill waits for its decode leg before it is aborted in SGLang, so its KV "
       "is not held for SGLang's 300 s bootstrap timeout."},
      {"VLLM_API_KEY", "(unset)", "vLLM's API key variable; same effect as `--api-key`."},
      {"VLLM_ALLOW_RUNTIME_LORA_UPDATING", "`0`",
       "vLLM's gate for `/v1/load_lora_adapter` and `/v1/unload_lora_adapter`."},
      {"VLLM_SERVER_DEV_MODE", "`0`", "vLLM's gate for `/sleep`, `/wake_up`, `/is_sleeping`, `/server_info`."},
  };
  return specs;
}

namespace {

// Each reader leaves the target unchanged when the variable is unset or empty.
class Reader {
 public:
  Reader(const EnvLookup& env, std::string* err) : env_(env), err_(err) {}
  bool ok() const { return ok_; }

  std::optional<std::string> env_value(const char* name) { return env_(name); }

  std::optional<std::string> Raw(const char* name) {
    std::optional<std::string> value = env_(name);
    if (value && TrimSpaces(*value).empty()) return std::nullopt;
    return value;
  }

  void Seconds(const char* name, Duration* out, bool allow_zero = true) {
    auto raw = Raw(name);
    if (!raw || !ok_) return;
    auto value = ParseDouble(TrimSpaces(*raw));
    if (!value || !std::isfinite(*value) || *value < 0 || (!allow_zero && *value == 0) || *value > 86400) {
      Fail(name, *raw, allow_zero ? "a number of seconds (0 to 86400)" : "a positive number of seconds");
      return;
    }
    Duration rounded = std::chrono::round<Duration>(std::chrono::duration<double>(*value));
    // A positive value never rounds down to zero, which would mean "no limit".
    if (*value > 0 && rounded == Duration::zero()) rounded = Duration(1);
    *out = rounded;
  }

  template <typename Int>
  void Integer(const char* name, Int* out, long long min, long long max) {
    auto raw = Raw(name);
    if (!raw || !ok_) return;
    auto value = ParseInt(TrimSpaces(*raw));
    if (!value || *value < min || *value > max) {
      Fail(name, *raw, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return;
    }
    *out = static_cast<Int>(*value);
  }

  void Flag(const char* name, bool* out) {
    auto raw = Raw(name);
    if (!raw || !ok_) return;
    auto value = ParseBool(*raw);
    if (!value) {
      Fail(name, *raw, "1/true/yes/on or 0/false/no/off");
      return;
    }
    *out = *value;
  }

  void Fail(const char* name, const std::string& value, const std::string& expected) {
    ok_ = false;
    *err_ = std::string(name) + "='" + value + "' is invalid: expected " + expected;
  }

 private:
  const EnvLookup& env_;
  std::string* err_;
  bool ok_ = true;
};

}  // namespace

bool LoadSettings(const EnvLookup& env, Settings* out, std::string* err) {
  Settings s;
  Reader r(env, err);

  if (auto raw = r.Raw("VLLM_SGLANG_LAUNCHER")) {
    std::string why;
    if (!ShellSplit(*raw, &s.launcher, &why) || s.launcher.empty()) {
      r.Fail("VLLM_SGLANG_LAUNCHER", *raw, why.empty() ? "a command" : "a command (" + why + ")");
    }
  }
  if (auto raw = r.Raw("VLLM_SGLANG_EXTRA_ARGS"); raw && r.ok()) {
    std::string why;
    if (!ShellSplit(*raw, &s.extra_args, &why)) r.Fail("VLLM_SGLANG_EXTRA_ARGS", *raw, "shell words (" + why + ")");
  }
  // Matched to a recorded release by the translator, which refuses what it cannot read.
  if (auto raw = r.Raw("VLLM_SGLANG_SGLANG_VERSION"); raw && r.ok()) s.sglang_version = TrimSpaces(*raw);
  if (r.Raw("VLLM_SGLANG_BACKEND_PORT")) {
    int port = 0;
    r.Integer("VLLM_SGLANG_BACKEND_PORT", &port, 1, 65535);
    if (r.ok()) s.backend_port = port;
  }
  r.Flag("VLLM_SGLANG_STRICT", &s.strict);
  if (auto raw = r.Raw("VLLM_SGLANG_LOG_LEVEL"); raw && r.ok()) {
    if (!ParseLogLevel(ToLower(TrimSpaces(*raw)), &s.log_level)) {
      r.Fail("VLLM_SGLANG_LOG_LEVEL", *raw, "debug, info, warning or error");
    }
  }
  r.Seconds("VLLM_SGLANG_HEALTH_INTERVAL", &s.health_interval, false);
  r.Seconds("VLLM_SGLANG_HEALTH_TIMEOUT", &s.health_timeout, false);
  r.Integer("VLLM_SGLANG_HEALTH_RISE", &s.health_rise, 1, 1000);
  r.Integer("VLLM_SGLANG_HEALTH_FALL", &s.health_fall, 1, 1000);
  r.Seconds("VLLM_SGLANG_DRAIN_DELAY", &s.drain_delay);
  if (r.Raw("VLLM_SGLANG_DRAIN_TIMEOUT")) {
    Duration timeout{};
    r.Seconds("VLLM_SGLANG_DRAIN_TIMEOUT", &timeout);
    if (r.ok()) s.drain_timeout = timeout;
  }
  r.Seconds("VLLM_SGLANG_ENGINE_STOP_TIMEOUT", &s.engine_stop_timeout);
  r.Flag("VLLM_SGLANG_EXPOSE_ADMIN", &s.expose_admin);
  r.Flag("VLLM_SGLANG_EXPOSE_SGLANG_ROUTES", &s.expose_sglang_routes);
  if (auto raw = r.Raw("VLLM_SGLANG_VLLM_VERSION"); raw && r.ok()) s.vllm_version = TrimSpaces(*raw);
  if (auto raw = r.Raw("VLLM_SGLANG_REASONING_FIELD"); raw && r.ok()) {
    std::string value = ToLower(TrimSpaces(*raw));
    if (value == "reasoning" || value == "reasoning_content" || value == "both") {
      s.reasoning_field = value;
    } else {
      r.Fail("VLLM_SGLANG_REASONING_FIELD", *raw, "reasoning, reasoning_content or both");
    }
  }
  if (auto raw = r.env_value("VLLM_SGLANG_STRIP_PARAMS")) {
    // Set but empty means "strip nothing", unlike the other settings.
    s.strip_params.clear();
    for (const std::string& part : SplitString(*raw, ',')) {
      std::string_view key = TrimSpaces(part);
      if (!key.empty()) s.strip_params.emplace_back(key);
    }
  }
  r.Seconds("VLLM_SGLANG_METRICS_INTERVAL", &s.metrics_interval, false);
  r.Integer("VLLM_SGLANG_MAX_HEADER_BYTES", &s.max_header_bytes, 1024, 16LL * 1024 * 1024);
  r.Integer("VLLM_SGLANG_MAX_BODY_BYTES", &s.max_body_bytes, 1024, 4LL * 1024 * 1024 * 1024);
  r.Seconds("VLLM_SGLANG_HEADER_TIMEOUT", &s.header_timeout, false);
  r.Seconds("VLLM_SGLANG_IDLE_TIMEOUT", &s.idle_timeout, false);
  r.Integer("VLLM_SGLANG_MAX_CONNECTIONS", &s.max_connections, 1, 1000000);
  r.Seconds("VLLM_SGLANG_UPSTREAM_IDLE_TIMEOUT", &s.upstream_idle_timeout, false);
  r.Seconds("VLLM_SGLANG_RESPONSE_TIMEOUT", &s.response_timeout);
  r.Seconds("VLLM_SGLANG_STREAM_TIMEOUT", &s.stream_timeout);

  if (auto raw = r.Raw("VLLM_SGLANG_PD_ROLE"); raw && r.ok()) {
    std::string value = ToLower(TrimSpaces(*raw));
    if (value == "prefill" || value == "decode") {
      s.pd_role = value;
    } else {
      r.Fail("VLLM_SGLANG_PD_ROLE", *raw, "prefill or decode");
    }
  }
  if (auto raw = r.Raw("VLLM_SGLANG_PD_TRANSFER_BACKEND"); raw && r.ok()) s.pd_transfer_backend = TrimSpaces(*raw);
  r.Integer("VLLM_SGLANG_PD_BOOTSTRAP_PORT", &s.pd_bootstrap_port, 1, 65535);
  if (auto raw = r.Raw("POD_IP"); raw && r.ok()) s.pd_advertise_host = TrimSpaces(*raw);
  if (auto raw = r.Raw("VLLM_SGLANG_PD_HOST"); raw && r.ok()) s.pd_advertise_host = TrimSpaces(*raw);
  if (auto raw = r.Raw("VLLM_SGLANG_PD_PREFILL_HOST"); raw && r.ok()) s.pd_prefill_host = TrimSpaces(*raw);
  r.Seconds("VLLM_SGLANG_PD_PREFILL_TIMEOUT", &s.pd_prefill_timeout, false);

  if (auto raw = r.Raw("VLLM_API_KEY")) s.vllm_api_keys = {*raw};
  // vLLM reads these two as "1"/"true" (case-insensitive); anything else is off.
  for (auto [name, target] : {std::pair{"VLLM_ALLOW_RUNTIME_LORA_UPDATING", &s.allow_runtime_lora_updating},
                              std::pair{"VLLM_SERVER_DEV_MODE", &s.server_dev_mode}}) {
    if (auto raw = r.Raw(name)) {
      std::string lower = ToLower(TrimSpaces(*raw));
      *target = lower == "1" || lower == "true";
    }
  }

  if (!r.ok()) return false;
  *out = std::move(s);
  return true;
}

}  // namespace shim

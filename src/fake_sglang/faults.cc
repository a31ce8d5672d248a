#include "fake_sglang/faults.h"

#include <cmath>

#include "common/strings.h"

namespace shim::fake_sglang {

const std::vector<KnobDoc>& KnobDocs() {
  static const std::vector<KnobDoc> docs = {
      {"FAKE_SGLANG_LOAD_DELAY", "0", "seconds before the port opens (models load)"},
      {"FAKE_SGLANG_WARMUP_DELAY", "0",
       "seconds after the port opens during which /health is 503 while /v1/models and /model_info answer"},
      {"FAKE_SGLANG_TTFT_MS", "0", "milliseconds before the first generated token"},
      {"FAKE_SGLANG_ITL_MS", "0", "milliseconds between generated tokens"},
      {"FAKE_SGLANG_HEALTH_DELAY", "1.0", "seconds a /health generation check takes (SGLang sleeps 1 s)"},
      {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION", "true", "false/0/no/n: /health answers at once (SGLang's variable)"},
      {"FAKE_SGLANG_FAIL_HEALTH", "0", "1: the /health generation check fails (503 after the delay)"},
      {"FAKE_SGLANG_CRASH_AFTER", "0", "exit 1 after N generation requests were answered (0: never)"},
      {"FAKE_SGLANG_CRASH_MID_STREAM", "0", "exit 1 after N SSE events of a streamed answer (0: never)"},
      {"FAKE_SGLANG_HANG", "0", "1: generation requests are read but never answered"},
      {"FAKE_SGLANG_500_RATE", "0", "fraction 0..1 of generation requests answered with a 500 (deterministic spread)"},
      {"FAKE_SGLANG_500_EVERY", "0", "every N-th generation request is answered with a 500 (0: never)"},
      {"FAKE_SGLANG_LEGACY_422", "0",
       "1: chat requests carrying logprobs/top_logprobs get FastAPI's 422 {\"detail\":[...]} (SGLang < v0.4.9)"},
      {"FAKE_SGLANG_KEEPALIVE_TIMEOUT", "5", "seconds an idle keep-alive connection stays open (uvicorn default 5)"},
      {"FAKE_SGLANG_STAMP_CHUNKS", "0",
       "1: every SSE JSON chunk gets a top-level \"fake_sent_ns\" (CLOCK_MONOTONIC send time), for latency benchmarks"},
      {"FAKE_SGLANG_RECORD", "", "file that gets one JSON line per request: method, path, headers, body"},
      {"FAKE_SGLANG_ARGV_FILE", "", "file that gets {argv, env: {PYTHONPATH, PROMETHEUS_MULTIPROC_DIR, ...}} at start"},
      {"FAKE_SGLANG_RELEASE", "",
       "a recorded SGLang release label (v0.5.2, ..., main@2026-07-20): accept only its flags, aliases and choices"},
      {"SGL_FORCE_SHUTDOWN", "0", "1: SIGTERM exits at once instead of draining (SGLang's variable)"},
      {"SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT", "300",
       "PD: whole seconds a prefill request waits for its decode leg to reach the bootstrap server (SGLang's "
       "variable)"},
      {"SGLANG_DISAGGREGATION_WAITING_TIMEOUT", "300",
       "PD: whole seconds a bootstrapped decode request waits for the prefill's KV (SGLang's variable)"},
      {"FAKE_SGLANG_BOOTSTRAP_HOST", "",
       "PD prefill: address the bootstrap listener binds instead of --host (SGLang always binds --host)"},
  };
  return docs;
}

namespace {

bool ReadDouble(const EnvLookup& env, const char* name, double min, double* out, std::string* err) {
  auto value = env(name);
  if (!value || value->empty()) return true;
  auto parsed = ParseDouble(TrimSpaces(*value));
  if (!parsed || !std::isfinite(*parsed) || *parsed < min) {
    *err = std::string(name) + ": expected a number >= " + std::to_string(min) + ", got '" + *value + "'";
    return false;
  }
  *out = *parsed;
  return true;
}

bool ReadInt(const EnvLookup& env, const char* name, long long* out, std::string* err) {
  auto value = env(name);
  if (!value || value->empty()) return true;
  auto parsed = ParseInt(TrimSpaces(*value));
  if (!parsed || *parsed < 0) {
    *err = std::string(name) + ": expected a non-negative integer, got '" + *value + "'";
    return false;
  }
  *out = *parsed;
  return true;
}

bool ReadBool(const EnvLookup& env, const char* name, bool* out, std::string* err) {
  auto value = env(name);
  if (!value) return true;
  // SGLang's get_bool_env_var also accepts "n" as false.
  if (EqualsIgnoreCase(TrimSpaces(*value), "n")) {
    *out = false;
    return true;
  }
  auto parsed = ParseBool(TrimSpaces(*value));
  if (!parsed) {
    *err = std::string(name) + ": expected a boolean, got '" + *value + "'";
    return false;
  }
  *out = *parsed;
  return true;
}

}  // namespace

bool LoadKnobs(const EnvLookup& env, FakeKnobs* out, std::string* err) {
  FakeKnobs k;
  if (!ReadDouble(env, "FAKE_SGLANG_LOAD_DELAY", 0, &k.load_delay_s, err) ||
      !ReadDouble(env, "FAKE_SGLANG_WARMUP_DELAY", 0, &k.warmup_delay_s, err) ||
      !ReadDouble(env, "FAKE_SGLANG_TTFT_MS", 0, &k.ttft_ms, err) ||
      !ReadDouble(env, "FAKE_SGLANG_ITL_MS", 0, &k.itl_ms, err) ||
      !ReadDouble(env, "FAKE_SGLANG_HEALTH_DELAY", 0, &k.health_delay_s, err) ||
      !ReadBool(env, "SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION", &k.health_generation, err) ||
      !ReadBool(env, "FAKE_SGLANG_FAIL_HEALTH", &k.fail_health, err) ||
      !ReadInt(env, "FAKE_SGLANG_CRASH_AFTER", &k.crash_after, err) ||
      !ReadInt(env, "FAKE_SGLANG_CRASH_MID_STREAM", &k.crash_mid_stream, err) ||
      !ReadBool(env, "FAKE_SGLANG_HANG", &k.hang, err) ||
      !ReadDouble(env, "FAKE_SGLANG_500_RATE", 0, &k.error_rate, err) ||
      !ReadInt(env, "FAKE_SGLANG_500_EVERY", &k.error_every, err) ||
      !ReadBool(env, "FAKE_SGLANG_LEGACY_422", &k.legacy_422, err) ||
      !ReadDouble(env, "FAKE_SGLANG_KEEPALIVE_TIMEOUT", 0.001, &k.keepalive_timeout_s, err) ||
      !ReadBool(env, "FAKE_SGLANG_STAMP_CHUNKS", &k.stamp_chunks, err) ||
      !ReadBool(env, "SGL_FORCE_SHUTDOWN", &k.force_shutdown, err)) {
    return false;
  }
  long long bootstrap_timeout = 300;
  long long waiting_timeout = 300;
  if (!ReadInt(env, "SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT", &bootstrap_timeout, err) ||
      !ReadInt(env, "SGLANG_DISAGGREGATION_WAITING_TIMEOUT", &waiting_timeout, err)) {
    return false;
  }
  k.pd_bootstrap_timeout_s = static_cast<double>(bootstrap_timeout);
  k.pd_waiting_timeout_s = static_cast<double>(waiting_timeout);
  if (auto v = env("FAKE_SGLANG_BOOTSTRAP_HOST")) k.bootstrap_host = *v;
  if (k.error_rate > 1.0) {
    *err = "FAKE_SGLANG_500_RATE: expected a fraction between 0 and 1";
    return false;
  }
  if (auto v = env("FAKE_SGLANG_RECORD")) k.record_file = *v;
  if (auto v = env("FAKE_SGLANG_ARGV_FILE")) k.argv_file = *v;
  *out = k;
  return true;
}

bool FaultPlan::NextRequestFails() {
  ++received_;
  if (knobs_.error_every > 0 && received_ % static_cast<uint64_t>(knobs_.error_every) == 0) return true;
  if (knobs_.error_rate > 0) {
    // Request k fails when floor(k*rate) steps up: exactly rate*N of N requests, evenly spread.
    auto before = static_cast<uint64_t>(std::floor(static_cast<double>(received_ - 1) * knobs_.error_rate));
    auto now = static_cast<uint64_t>(std::floor(static_cast<double>(received_) * knobs_.error_rate));
    return now > before;
  }
  return false;
}

bool FaultPlan::CrashAfterAnswer() {
  ++answered_;
  return knobs_.crash_after > 0 && answered_ >= static_cast<uint64_t>(knobs_.crash_after);
}

}  // namespace shim::fake_sglang

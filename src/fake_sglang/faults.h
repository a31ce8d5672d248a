// Test knobs of the stand-in engine: timing (load, warm-up, token rate, /health)
// and injected faults (crash, hang, 500s, legacy 422). Read from FAKE_SGLANG_*
// environment variables so they never collide with SGLang's own flags.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config/settings.h"

namespace shim::fake_sglang {

struct FakeKnobs {
  double load_delay_s = 0.0;         // before the port opens (weights load)
  double warmup_delay_s = 0.0;       // port open, /health 503, /v1/models answers
  double ttft_ms = 0.0;              // time to first token
  double itl_ms = 0.0;               // time between tokens
  double health_delay_s = 1.0;       // SGLang sleeps 1 s before its first health check
  bool health_generation = true;     // SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION
  bool fail_health = false;          // the health generation never completes → 503
  long long crash_after = 0;         // exit 1 after N generation requests answered (0: never)
  long long crash_mid_stream = 0;    // exit 1 after N SSE events of a stream (0: never)
  bool hang = false;                 // generation requests never answer
  double error_rate = 0.0;           // fraction of generation requests answered 500
  long long error_every = 0;         // every N-th generation request answered 500
  bool legacy_422 = false;           // pre-v0.4.9 FastAPI 422 for chat logprobs/top_logprobs
  double keepalive_timeout_s = 5.0;  // uvicorn's timeout_keep_alive default
  bool stamp_chunks = false;         // benchmarks: SSE chunks carry the send time (fake_sent_ns)
  bool force_shutdown = false;       // SGL_FORCE_SHUTDOWN: SIGTERM exits without draining
  std::string record_file;           // append every request as one JSON line
  std::string argv_file;             // write argv and selected env as JSON at start
  // PD disaggregation. SGLang's own variables (environ.py, EnvInt seconds) bound the waits;
  // the bootstrap host is the stand-in's: SGLang binds its bootstrap server on --host.
  double pd_bootstrap_timeout_s = 300;  // SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT
  double pd_waiting_timeout_s = 300;    // SGLANG_DISAGGREGATION_WAITING_TIMEOUT
  std::string bootstrap_host;           // FAKE_SGLANG_BOOTSTRAP_HOST ("" = --host)
};

// One row of `fake-sglang --help`'s knob section.
struct KnobDoc {
  const char* name;
  const char* default_text;
  const char* description;
};
const std::vector<KnobDoc>& KnobDocs();

// Reads every knob. On a malformed value returns false with *err naming the variable.
bool LoadKnobs(const EnvLookup& env, FakeKnobs* out, std::string* err);

// Decides, per generation request, which fault applies. Counting is deterministic
// so tests can predict exactly which request fails.
class FaultPlan {
 public:
  explicit FaultPlan(const FakeKnobs& knobs) : knobs_(knobs) {}
  // Called once per generation request, in arrival order; true → answer 500.
  bool NextRequestFails();
  // Called when a generation response has been fully written; true → crash now.
  bool CrashAfterAnswer();

 private:
  FakeKnobs knobs_;
  uint64_t received_ = 0;
  uint64_t answered_ = 0;
};

}  // namespace shim::fake_sglang

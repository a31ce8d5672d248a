// What a generation request goes through in PD mode before it generates (SGLang @8905cbd4
// python/sglang/srt/disaggregation/prefill.py, decode.py; the load balancer that sends both
// legs at once with the same bootstrap fields is python/sglang/srt/disaggregation/mini_lb.py):
//
//   prefill leg: waits until a decode leg is in its room on this server's bootstrap listener
//     (SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT, then 500), "sends" the KV, and answers with
//     one token and finish_reason "length" (max_new_tokens = 1, FINISH_LENGTH).
//   decode leg: reaches the prefill's bootstrap listener, waits there for the KV
//     (SGLANG_DISAGGREGATION_WAITING_TIMEOUT, then 500), then generates as usual.
//
// So a client that awaits the prefill's answer before sending the decode leg waits for the
// bootstrap timeout, as on SGLang. An abort (abort_all) or a client that leaves ends the
// wait and frees the room.
#pragma once
#include <cstdint>

#include "fake_sglang/engine_state.h"
#include "fake_sglang/exchange.h"

namespace shim::fake_sglang {

struct PdGate {
  enum class Verdict {
    kGenerate,  // go on and generate (an abort during the wait shows as finish_reason "abort")
    kAnswered,  // refused or failed: the answer is sent
    kGone,      // the client left while waiting
  };
  Verdict verdict = Verdict::kGenerate;
  bool prefill_only = false;   // a prefill leg: one token, finish_reason "length"
  bool waited = false;         // the abort epoch below applies
  uint64_t arrival_epoch = 0;  // the engine's abort epoch when the request arrived
};

// In --disaggregation-mode null this is {kGenerate}. `stream` chooses how errors are sent
// (an SSE error frame after a 200, as SGLang's streaming routes report them).
net::awaitable<PdGate> PassPdGate(EngineState& state, Exchange& ex, bool chat, bool stream);

}  // namespace shim::fake_sglang

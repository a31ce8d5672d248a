// The front door's half of the disaggregated-prefill bridge (the parts are in src/pd).
//
// production-stack's router sends a request's prefill leg, waits for its JSON answer, then
// sends the decode leg (production-stack @a6c01db0
// src/vllm_router/services/request_service/request.py). An SGLang prefill server holds a
// request until the decode server for the same bootstrap room connects, so forwarded as it
// comes the prefill leg would wait out SGLang's bootstrap timeout (300 s). Instead:
//
// - on a prefill engine, the leg is answered at once (pd/prefill_answer.h) and sent to SGLang
//   in the background with the bootstrap fields; if no decode leg takes its KV within
//   VLLM_SGLANG_PD_PREFILL_TIMEOUT, the front door hangs up on SGLang, which then aborts the
//   request and frees its KV (SGLang aborts a request whose client has gone);
// - on a decode engine, the leg reaches SGLang with the bootstrap fields its kv_transfer_params
//   (or, without them, the prefill host setting and its X-Request-Id) name, and is relayed as
//   any other request, streamed or not; a prefill whose bootstrap listener refuses a
//   connection fails the leg at once with a 503 (pd/bootstrap_probe.h).
//
// Only /v1/chat/completions and /v1/completions are legs: those are the routes the router's
// PD logic serves.
#pragma once
#include <chrono>
#include <string>

#include "common/prelude.h"
#include <boost/asio/io_context.hpp>

#include "frontdoor/route.h"
#include "pd/pd_mode.h"
#include "translate/translation.h"

namespace shim {

struct PdLegOptions {
  pd::PdMode mode = pd::PdMode::kNone;
  int bootstrap_port = pd::kDefaultBootstrapPort;
  std::string pod_address;   // prefill: named in the answer's kv_transfer_params
  std::string prefill_host;  // decode: for legs without kv_transfer_params
  std::chrono::milliseconds prefill_timeout{30000};
  Endpoint backend;             // SGLang
  std::string backend_api_key;  // SGLang's key, for the front door's own calls
};

// A decision filter that gives chat and completions decisions their leg filter. Register it
// after vLLM's gates, so that the leg filter runs after theirs (model checks, renaming).
RouteTable::DecisionFilter PdLegFilter(boost::asio::io_context& io, PdLegOptions options);

}  // namespace shim

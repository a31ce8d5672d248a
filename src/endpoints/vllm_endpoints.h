// The vLLM routes the shim answers itself, registered into the front door's
// route table: /v1/models, runtime LoRA, sleep mode, /tokenize, /detokenize,
// /version, /load, /server_info, the cache and pause routes (cache_admin.h),
// plus the gates vLLM applies to every request (API key, model name, engine
// asleep, X-Request-Id).
//
// Wiring (src/app/front_door_routes.cc, on the front door's I/O thread,
// before FrontDoor::Start):
//   auto ctx = MakeEndpointContext(translation.frontend, settings, in_flight);
//   RegisterVllmEndpoints(door.routes(), *ctx);
//   door.routes().AddFilter([&](const RequestHead& h, RouteDecision* d) { ApplyVllmGates(*ctx, h, d); });
// The gates must run exactly once per decision, so they live in the filter
// and RegisterVllmEndpoints does not apply them itself.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/prelude.h"

#include "config/settings.h"
#include "endpoints/api_key_auth.h"
#include "endpoints/endpoint_reply.h"
#include "endpoints/model_registry.h"
#include "endpoints/sleep_mode.h"
#include "frontdoor/route.h"
#include "metrics/metrics_render.h"
#include "translate/translation.h"

namespace shim::endpoints {

struct EndpointContext {
  Endpoint backend;
  std::string backend_api_key;               // our own calls to SGLang carry it (never logged)
  bool allow_runtime_lora_updating = false;  // VLLM_ALLOW_RUNTIME_LORA_UPDATING
  bool server_dev_mode = false;              // VLLM_SERVER_DEV_MODE
  bool expose_admin = false;                 // VLLM_SGLANG_EXPOSE_ADMIN
  bool expose_sglang_routes = false;         // VLLM_SGLANG_EXPOSE_SGLANG_ROUTES
  bool enable_request_id_headers = false;    // --enable-request-id-headers
  std::string shim_version;
  std::string vllm_version;                      // VLLM_SGLANG_VLLM_VERSION: what /version reports as vLLM's
  std::function<uint64_t()> requests_in_flight;  // front door's count, this request included

  std::unique_ptr<ModelRegistry> registry;
  std::unique_ptr<ApiKeyGuard> guard;
  SleepState sleep;                           // touched only on the I/O thread
  std::optional<std::string> sglang_version;  // learned from SGLang's /server_info
  // Stateless filters shared by every request (gate_filters.h).
  std::shared_ptr<RouteFilter> request_id_filter;
  std::shared_ptr<RouteFilter> secret_fields_filter;
  bool sleep_transition = false;  // a /sleep or /wake_up is talking to SGLang
  bool pooling = false;           // a pooling model: vLLM has no RLHF routes (cache_admin.h)
  bool paused = false;            // POST /pause succeeded and no /resume since (GET /is_paused)
};

// Builds the context from the translated vLLM options and the settings.
// `requests_in_flight` may be empty (then /load reports 0). Start-up adapters
// (--lora-modules) are registered as loaded: the translation hands them to
// SGLang as --lora-paths.
std::unique_ptr<EndpointContext> MakeEndpointContext(const FrontendOptions& options, const Settings& settings,
                                                     std::function<uint64_t()> requests_in_flight);

// Registers the routes above. Each answers FastAPI's 405 for other methods;
// gated routes whose variable is off answer 404 {"detail":"Not Found"}.
void RegisterVllmEndpoints(RouteTable& routes, EndpointContext& ctx);

// vLLM's per-request rules, applied by the RouteTable filter to every
// decision: 401 for a missing/wrong key on /v1, /v2, /inference and on every
// forwarded route vLLM does not have; 503 while the engine sleeps (generation
// paths); 404 for an unknown `model` and the LoRA model rewrite (JSON bodies
// of generation paths); X-Request-Id on answers when enabled (on proxied
// answers through the response-head filter, so streamed answers carry it too).
void ApplyVllmGates(EndpointContext& ctx, const RequestHead& head, RouteDecision* decision);

// vllm:engine_sleep_state for /metrics (label sleep_state).
metrics::ExtraGauge SleepStateGauge(const EndpointContext& ctx);

// EndpointReply → the front door's LocalResponse.
LocalResponse ToLocalResponse(EndpointReply reply);

}  // namespace shim::endpoints

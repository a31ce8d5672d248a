// vLLM's cache and scheduling admin routes (development mode) over SGLang's:
//   POST /reset_prefix_cache  → SGLang /flush_cache (retried while SGLang is busy)
//   POST /reset_mm_cache      → 200, nothing to do (see cache_admin.cc)
//   POST /reset_encoder_cache → 501: SGLang cannot drop its multimodal embedding cache
//   POST /pause, POST /resume, GET /is_paused → SGLang /pause_generation, /continue_generation
//   POST /collective_rpc and the RLHF weight-transfer routes → 501
// Sources: vLLM @9aaf83ef vllm/entrypoints/serve/dev/cache/api_router.py (read at b35f7c2b),
// vllm/entrypoints/serve/dev/rlhf/api_router.py (read at 0100a212); SGLang @8905cbd4
// python/sglang/srt/entrypoints/http_server.py (flush_cache, pause_generation,
// continue_generation) and managers/io_struct.py (PauseGenerationReqInput).
// The parsing and answers here are pure; cache_admin_routes.cc talks to SGLang.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "endpoints/endpoint_reply.h"
#include "endpoints/sleep_mode.h"
#include "frontdoor/route.h"

namespace shim::endpoints {

struct EndpointContext;

// One boolean query parameter the way FastAPI/pydantic reads it (the last value wins):
// 1/0, true/false, yes/no, on/off, t/f, y/n, any case. Absent: `fallback`. Anything
// else is a 400 naming the parameter (vLLM answers FastAPI's 422).
bool ParseQueryBool(std::string_view query, std::string_view name, bool fallback, bool* out, EndpointReply* reject);

struct ResetPrefixCacheCommand {
  bool reset_running_requests = false;  // preempted: SGLang pause mode "retract", flush, continue
  bool reset_external = false;          // connector-managed caches: none through the shim
};
bool ParseResetPrefixCacheQuery(std::string_view query, ResetPrefixCacheCommand* out, EndpointReply* reject);

struct PauseCommand {
  PauseMode mode = PauseMode::kAbort;
  bool clear_cache = true;  // ignored for keep, as in vLLM
};
// mode (abort|wait|keep, default abort), wait_for_inflight_requests (deprecated:
// true means wait) and clear_cache (default true).
bool ParsePauseQuery(std::string_view query, PauseCommand* out, EndpointReply* reject);

// SGLang's PauseGenerationReqInput for a vLLM mode: abort → "abort"; keep →
// "in_place" (requests stay frozen with their KV cache until /continue_generation);
// wait → "in_place" once nothing runs any more (SGLang has no waiting pause).
std::string SglangPauseBody(PauseMode mode);
// {"mode":"retract"}: running requests back to waiting, their KV cache freed.
std::string SglangRetractBody();
// Whether the prefix cache is flushed after the pause (vLLM's clear_cache).
bool FlushAfterPause(const PauseCommand& command);

// vLLM's answers (rlhf/api_router.py): 200 {"status":"paused"} / {"status":"resumed"},
// 500 {"error":"Failed to pause generation: ..."} / "Failed to resume generation: ...",
// and GET /is_paused {"is_paused": bool}.
EndpointReply PausedReply();
EndpointReply ResumedReply();
EndpointReply PauseFailedReply(std::string_view why);
EndpointReply ResumeFailedReply(std::string_view why);
std::string IsPausedJson(bool paused);

// /reset_prefix_cache: 200 {"success":true} once SGLang flushed; 503 (vLLM's error
// body) when SGLang still had requests after the retry bound.
EndpointReply PrefixCacheResetReply();
EndpointReply PrefixCacheBusyReply(std::chrono::milliseconds waited);

// How long /reset_prefix_cache keeps asking SGLang while it refuses (requests
// running or waiting), and the pause before attempt `attempt` (1-based):
// 50 ms doubling up to 500 ms.
inline constexpr std::chrono::milliseconds kFlushRetryBound{5000};
std::chrono::milliseconds FlushRetryDelay(int attempt);

// The routes vLLM has in development mode that SGLang cannot serve through the
// shim, with their methods: /collective_rpc and the RLHF weight-transfer routes.
struct UnservedRoute {
  const char* path;
  const char* method;
  bool needs_generate_task;  // registered by vLLM only for a generation model
};
const std::vector<UnservedRoute>& UnservedDevRoutes();
// 501 NotImplementedError naming the route.
EndpointReply UnservedDevRouteReply(std::string_view path);
// 501 for /reset_encoder_cache.
EndpointReply EncoderCacheResetReply();

// Registers every route above: with VLLM_SERVER_DEV_MODE (the RLHF ones also
// only for a generation model, as vLLM), else FastAPI's 404.
void RegisterCacheAdminRoutes(RouteTable& routes, EndpointContext& ctx);

}  // namespace shim::endpoints

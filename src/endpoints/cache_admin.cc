#include "endpoints/cache_admin.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace shim::endpoints {
namespace {

using nlohmann::json;

std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// vLLM's RLHF router answers its failures as {"error": "<text>"} with 500.
EndpointReply FlatError(int status, std::string text) {
  json body = json::object();
  body["error"] = std::move(text);
  return JsonReply(status, Dump(body));
}

}  // namespace

bool ParseQueryBool(std::string_view query, std::string_view name, bool fallback, bool* out, EndpointReply* reject) {
  auto values = QueryValues(query, name);
  if (values.empty()) {
    *out = fallback;
    return true;
  }
  const std::string value = ToLower(values.back());
  // pydantic's bool: ParseBool's words plus t/f/y/n; an empty value is refused.
  std::optional<bool> parsed;
  if (value == "t" || value == "y") {
    parsed = true;
  } else if (value == "f" || value == "n") {
    parsed = false;
  } else if (!value.empty()) {
    parsed = ParseBool(value);
  }
  if (!parsed) {
    *reject =
        VllmError(400, "Invalid value '" + values.back() + "' for " + std::string(name) + ": expected true or false.",
                  "BadRequestError", name);
    return false;
  }
  *out = *parsed;
  return true;
}

bool ParseResetPrefixCacheQuery(std::string_view query, ResetPrefixCacheCommand* out, EndpointReply* reject) {
  ResetPrefixCacheCommand command;
  if (!ParseQueryBool(query, "reset_running_requests", false, &command.reset_running_requests, reject)) return false;
  if (!ParseQueryBool(query, "reset_external", false, &command.reset_external, reject)) return false;
  *out = command;
  return true;
}

bool ParsePauseQuery(std::string_view query, PauseCommand* out, EndpointReply* reject) {
  PauseCommand command;
  if (!ParsePauseModeParam(query, &command.mode, reject)) return false;
  bool wait_for_inflight = false;
  if (!ParseQueryBool(query, "wait_for_inflight_requests", false, &wait_for_inflight, reject)) return false;
  // vLLM: the deprecated flag turns the default abort into wait.
  if (wait_for_inflight && command.mode == PauseMode::kAbort) command.mode = PauseMode::kWait;
  if (!ParseQueryBool(query, "clear_cache", true, &command.clear_cache, reject)) return false;
  *out = command;
  return true;
}

std::string SglangPauseBody(PauseMode mode) {
  return mode == PauseMode::kAbort ? R"({"mode":"abort"})" : R"({"mode":"in_place"})";
}

std::string SglangRetractBody() { return R"({"mode":"retract"})"; }

bool FlushAfterPause(const PauseCommand& command) { return command.clear_cache && command.mode != PauseMode::kKeep; }

EndpointReply PausedReply() { return JsonReply(200, R"({"status":"paused"})"); }
EndpointReply ResumedReply() { return JsonReply(200, R"({"status":"resumed"})"); }
EndpointReply PauseFailedReply(std::string_view why) {
  return FlatError(500, "Failed to pause generation: " + std::string(why));
}
EndpointReply ResumeFailedReply(std::string_view why) {
  return FlatError(500, "Failed to resume generation: " + std::string(why));
}
std::string IsPausedJson(bool paused) { return paused ? R"({"is_paused":true})" : R"({"is_paused":false})"; }

// vLLM before v0.26 answers an empty 200 whether or not the reset happened;
// later ones answer {"success": bool}. The shim answers success only when SGLang
// flushed, in the later body (an older client reads the status alone).
EndpointReply PrefixCacheResetReply() { return JsonReply(200, R"({"success":true})"); }

EndpointReply PrefixCacheBusyReply(std::chrono::milliseconds waited) {
  const double seconds = static_cast<double>(waited.count()) / 1000.0;
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", seconds);
  return VllmError(503,
                   std::string("The prefix cache was not reset: the engine still had running or waiting requests "
                               "after ") +
                       text +
                       " s. Retry when it is idle, or pass reset_running_requests=true to abort the running "
                       "requests first.",
                   "Service Unavailable");
}

std::chrono::milliseconds FlushRetryDelay(int attempt) {
  long long ms = 50;
  for (int i = 1; i < attempt && ms < 500; ++i) ms *= 2;
  return std::chrono::milliseconds(std::min(ms, 500LL));
}

const std::vector<UnservedRoute>& UnservedDevRoutes() {
  // vLLM @9aaf83ef: vllm/entrypoints/serve/dev/rpc/api_router.py (/collective_rpc) and
  // dev/rlhf/api_router.py (the weight-transfer routes, generation models only).
  static const std::vector<UnservedRoute> routes = {
      {"/collective_rpc", "POST", false},      {"/init_weight_transfer_engine", "POST", true},
      {"/start_weight_update", "POST", true},  {"/update_weights", "POST", true},
      {"/finish_weight_update", "POST", true}, {"/get_world_size", "GET", true},
  };
  return routes;
}

EndpointReply UnservedDevRouteReply(std::string_view path) {
  return VllmError(501,
                   std::string(path) +
                       " is not available: it calls vLLM's workers directly, and SGLang behind "
                       "vllm-sglang-shim has no equivalent.",
                   "NotImplementedError");
}

EndpointReply EncoderCacheResetReply() {
  return VllmError(501,
                   "/reset_encoder_cache is not available: SGLang has no route that drops its cached multimodal "
                   "encoder outputs.",
                   "NotImplementedError");
}

}  // namespace shim::endpoints

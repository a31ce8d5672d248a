// The coroutines behind vLLM's cache and pause routes (cache_admin.h) and their
// registration. SGLang is asked through FetchFromBackend, as the sleep routes do.
#include <chrono>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "endpoints/cache_admin.h"
#include "endpoints/fastapi_route.h"
#include "endpoints/vllm_endpoints.h"
#include "frontdoor/backend_client.h"

namespace shim::endpoints {
namespace {

namespace asio = boost::asio;
using Awaitable = asio::awaitable<LocalResponse>;
using Clock = std::chrono::steady_clock;

BackendRequest Post(const EndpointContext& ctx, std::string target, std::string body, std::chrono::seconds timeout) {
  return OwnBackendRequest("POST", std::move(target), std::move(body), ctx.backend_api_key, timeout);
}

std::string Failure(const BackendResponse& response) {
  if (!response.ok) return "the engine could not be reached (" + response.error + ")";
  return "the engine answered HTTP " + std::to_string(response.status);
}

LocalResponse EngineFailure(const BackendResponse& response, std::string_view what) {
  const bool unreachable = !response.ok;
  return ToLocalResponse(VllmError(unreachable ? 503 : 502, std::string(what) + ": " + Failure(response) + ".",
                                   unreachable ? "Service Unavailable" : "Bad Gateway"));
}

asio::awaitable<void> Pause(std::chrono::milliseconds delay) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(delay);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

enum class FlushOutcome { kFlushed, kBusy, kFailed };

// SGLang's /flush_cache answers 400 while requests run or wait (scheduler
// flush_cache checks that it is idle). It is asked again, with backoff, for at
// most kFlushRetryBound; *last holds SGLang's last answer.
asio::awaitable<FlushOutcome> FlushWithRetry(EndpointContext* ctx, BackendResponse* last) {
  const Clock::time_point deadline = Clock::now() + kFlushRetryBound;
  for (int attempt = 1;; ++attempt) {
    *last = co_await FetchFromBackend(ctx->backend, Post(*ctx, "/flush_cache", "", std::chrono::seconds(30)));
    if (last->ok && last->status == 200) co_return FlushOutcome::kFlushed;
    if (!last->ok || last->status != 400) co_return FlushOutcome::kFailed;
    const std::chrono::milliseconds delay = FlushRetryDelay(attempt);
    if (Clock::now() + delay >= deadline) co_return FlushOutcome::kBusy;
    co_await Pause(delay);
  }
}

// Waits (bounded) until this request is the only one in flight at the front door.
asio::awaitable<bool> WaitUntilAlone(EndpointContext* ctx, std::chrono::seconds limit) {
  // One co_return at the end (an early co_return in such a loop trapped under GCC 12 in the stand-in).
  const Clock::time_point deadline = Clock::now() + limit;
  bool alone = !ctx->requests_in_flight || ctx->requests_in_flight() <= 1;
  while (!alone && Clock::now() < deadline) {
    co_await Pause(std::chrono::milliseconds(50));
    alone = ctx->requests_in_flight() <= 1;
  }
  co_return alone;
}

asio::awaitable<void> AbortAll(EndpointContext* ctx, const char* why) {
  BackendResponse abort = co_await FetchFromBackend(
      ctx->backend, Post(*ctx, "/abort_request", R"({"rid":"","abort_all":true})", std::chrono::seconds(30)));
  if (!abort.ok || abort.status != 200) LogWarning(why, ": aborting running requests failed (", Failure(abort), ")");
}

Awaitable ResetPrefixCache(EndpointContext* ctx, std::string query) {
  ResetPrefixCacheCommand command;
  EndpointReply reject;
  if (!ParseResetPrefixCacheQuery(query, &command, &reject)) co_return ToLocalResponse(std::move(reject));
  LogInfo("Resetting prefix cache...");
  // vLLM moves running requests back to waiting and recomputes them later. SGLang does
  // the same with pause_generation mode "retract", and flushes while retracted
  // (io_struct.py PauseGenerationReqInput); an SGLang without that mode aborts them.
  // While a /pause holds the engine, its pause is left as it is.
  bool retracted = false;
  if (command.reset_running_requests && !ctx->paused) {
    BackendResponse retract = co_await FetchFromBackend(
        ctx->backend, Post(*ctx, "/pause_generation", SglangRetractBody(), std::chrono::seconds(120)));
    retracted = retract.ok && retract.status == 200;
    if (!retracted) co_await AbortAll(ctx, "reset_prefix_cache");
  }
  const Clock::time_point start = Clock::now();
  BackendResponse last;
  FlushOutcome outcome = co_await FlushWithRetry(ctx, &last);
  if (retracted) {
    BackendResponse resumed =
        co_await FetchFromBackend(ctx->backend, Post(*ctx, "/continue_generation", "{}", std::chrono::seconds(120)));
    if (!resumed.ok || resumed.status != 200) {
      LogWarning("reset_prefix_cache: resuming the retracted requests failed (", Failure(resumed), ")");
    }
  }
  if (outcome == FlushOutcome::kFailed) co_return EngineFailure(last, "Resetting the prefix cache failed");
  if (outcome == FlushOutcome::kBusy) {
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    LogWarning("reset_prefix_cache: the engine still had requests after ", waited.count(), " ms; not reset");
    co_return ToLocalResponse(PrefixCacheBusyReply(waited));
  }
  co_return ToLocalResponse(PrefixCacheResetReply());
}

Awaitable PauseGeneration(EndpointContext* ctx, std::string query) {
  PauseCommand command;
  EndpointReply reject;
  if (!ParsePauseQuery(query, &command, &reject)) co_return ToLocalResponse(std::move(reject));
  if (command.mode == PauseMode::kWait && !co_await WaitUntilAlone(ctx, std::chrono::seconds(300))) {
    co_return ToLocalResponse(PauseFailedReply("requests still running after 300 s"));
  }
  BackendResponse paused = co_await FetchFromBackend(
      ctx->backend, Post(*ctx, "/pause_generation", SglangPauseBody(command.mode), std::chrono::seconds(120)));
  if (!paused.ok || paused.status != 200) co_return ToLocalResponse(PauseFailedReply(Failure(paused)));
  ctx->paused = true;
  if (FlushAfterPause(command)) {
    BackendResponse last;
    if (co_await FlushWithRetry(ctx, &last) != FlushOutcome::kFlushed) {
      // vLLM's engine logs a failed reset and still reports the pause.
      LogWarning("pause: the prefix cache was not cleared (", Failure(last), ")");
    }
  }
  LogInfo("Generation paused");
  co_return ToLocalResponse(PausedReply());
}

Awaitable ResumeGeneration(EndpointContext* ctx) {
  BackendResponse resumed =
      co_await FetchFromBackend(ctx->backend, Post(*ctx, "/continue_generation", "{}", std::chrono::seconds(120)));
  if (!resumed.ok || resumed.status != 200) co_return ToLocalResponse(ResumeFailedReply(Failure(resumed)));
  ctx->paused = false;
  LogInfo("Generation resumed");
  co_return ToLocalResponse(ResumedReply());
}

}  // namespace

void RegisterCacheAdminRoutes(RouteTable& routes, EndpointContext& ctx) {
  EndpointContext* c = &ctx;
  auto add = [&](const std::string& path, std::vector<std::string> methods, RouteHandler handler) {
    AddFastApiRoute(routes, path, std::move(methods), std::move(handler));
  };
  auto not_found = [&](const std::string& path) {
    routes.AddExact(path, {}, [](const RequestHead&) {
      return RouteDecision::Answer("not_found", ToLocalResponse(RouteNotFound()));
    });
  };
  // vLLM registers the RLHF router only for a generation model.
  const bool rlhf = ctx.server_dev_mode && !ctx.pooling;

  if (ctx.server_dev_mode) {
    add("/reset_prefix_cache", {"POST"}, [c](const RequestHead& head) {
      std::string query(head.query());
      return RouteDecision::AnswerAsync(
          "reset_prefix_cache", [c, query](const RequestHead&, std::string) { return ResetPrefixCache(c, query); });
    });
    // vLLM's multimodal cache holds preprocessed inputs keyed by their content hash:
    // dropping it changes no answer. SGLang exposes no such cache, so there is nothing to do.
    add("/reset_mm_cache", {"POST"}, [](const RequestHead&) {
      LocalResponse ok;
      ok.status = 200;
      return RouteDecision::Answer("reset_mm_cache", std::move(ok));
    });
    // The encoder cache holds outputs of the current weights (stale after a weight
    // update); SGLang has no route to drop its multimodal embedding cache, so 501.
    add("/reset_encoder_cache", {"POST"}, [](const RequestHead&) {
      return RouteDecision::Answer("reset_encoder_cache", ToLocalResponse(EncoderCacheResetReply()));
    });
  } else {
    for (const char* path : {"/reset_prefix_cache", "/reset_mm_cache", "/reset_encoder_cache"}) not_found(path);
  }

  if (rlhf) {
    add("/pause", {"POST"}, [c](const RequestHead& head) {
      std::string query(head.query());
      return RouteDecision::AnswerAsync(
          "pause", [c, query](const RequestHead&, std::string) { return PauseGeneration(c, query); });
    });
    add("/resume", {"POST"}, [c](const RequestHead&) {
      return RouteDecision::AnswerAsync("resume", [c](const RequestHead&, std::string) { return ResumeGeneration(c); });
    });
    add("/is_paused", {"GET", "HEAD"}, [c](const RequestHead&) {
      return RouteDecision::Answer("is_paused", ToLocalResponse(JsonReply(200, IsPausedJson(c->paused))));
    });
  } else {
    for (const char* path : {"/pause", "/resume", "/is_paused"}) not_found(path);
  }

  for (const UnservedRoute& route : UnservedDevRoutes()) {
    const bool registered = route.needs_generate_task ? rlhf : ctx.server_dev_mode;
    std::string path(route.path);
    if (!registered) {
      not_found(path);
      continue;
    }
    std::vector<std::string> methods(1, route.method);
    if (methods.front() == "GET") methods.emplace_back("HEAD");
    add(path, std::move(methods), [path](const RequestHead&) {
      return RouteDecision::Answer("dev_unserved", ToLocalResponse(UnservedDevRouteReply(path)));
    });
  }
}

}  // namespace shim::endpoints

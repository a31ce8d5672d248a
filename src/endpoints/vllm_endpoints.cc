#include "endpoints/vllm_endpoints.h"

#include <chrono>
#include <ctime>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/redirect_error.hpp>

#include "common/log.h"
#include "common/strings.h"
#include "endpoints/cache_admin.h"
#include "endpoints/fastapi_route.h"
#include "endpoints/gate_filters.h"
#include "endpoints/info_bodies.h"
#include "endpoints/lora_admin.h"
#include "endpoints/model_selection.h"
#include "endpoints/request_id.h"
#include "endpoints/tokenize_shapes.h"
#include "endpoints/vllm_routes.h"
#include "frontdoor/backend_client.h"
#include "rewrite/error_shape.h"
#include "version.h"

#include <nlohmann/json.hpp>

namespace shim::endpoints {
namespace {

namespace asio = boost::asio;
using Awaitable = asio::awaitable<LocalResponse>;

int64_t NowSeconds() { return static_cast<int64_t>(std::time(nullptr)); }

LocalResponse EmptyOk() {
  LocalResponse response;
  response.status = 200;
  return response;
}

LocalResponse JsonLocal(int status, std::string body) {
  LocalResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

BackendRequest Call(const EndpointContext& ctx, std::string method, std::string target, std::string body,
                    std::chrono::milliseconds timeout) {
  return OwnBackendRequest(std::move(method), std::move(target), std::move(body), ctx.backend_api_key, timeout);
}

LocalResponse EngineError(const BackendResponse& response, std::string_view what) {
  if (!response.ok) {
    return ToLocalResponse(VllmError(
        503, std::string(what) + ": the engine could not be reached (" + response.error + ").", "Service Unavailable"));
  }
  return ToLocalResponse(VllmError(
      502, std::string(what) + ": the engine answered HTTP " + std::to_string(response.status) + ".", "Bad Gateway"));
}

// A JSON error SGLang sent for a request the client made (e.g. /tokenize):
// relayed in vLLM's shape with SGLang's status and message.
LocalResponse RelaySglangError(const BackendResponse& response) {
  int status = response.status;
  auto converted = VllmErrorFromSglang(response.status, response.body, &status);
  if (converted) return JsonLocal(status, *converted);
  return EngineError(response, "The engine refused the request");
}

// ---- LoRA -----------------------------------------------------------------

Awaitable LoadLora(EndpointContext* ctx, std::string body) {
  LoadLoraRequest request;
  EndpointReply reject;
  if (!ParseLoadLoraRequest(body, &request, &reject)) co_return ToLocalResponse(std::move(reject));
  bool exists = ctx->registry->FindAdapter(request.lora_name).has_value();
  if (exists && !request.load_inplace) co_return ToLocalResponse(LoraAlreadyLoadedReply(request.lora_name));
  if (exists) {
    // SGLang has no in-place load: unload, then load the new weights under the same name.
    BackendResponse unload = co_await FetchFromBackend(
        ctx->backend,
        Call(*ctx, "POST", "/unload_lora_adapter", SglangUnloadLoraBody(request.lora_name), std::chrono::seconds(120)));
    if (auto failure = SglangLoraFailure(unload.ok, unload.status, unload.body, unload.error)) {
      co_return ToLocalResponse(std::move(*failure));
    }
    ctx->registry->RemoveAdapter(request.lora_name);
  }
  BackendResponse load = co_await FetchFromBackend(
      ctx->backend, Call(*ctx, "POST", "/load_lora_adapter", SglangLoadLoraBody(request), std::chrono::seconds(600)));
  if (auto failure = SglangLoraFailure(load.ok, load.status, load.body, load.error)) {
    co_return ToLocalResponse(std::move(*failure));
  }
  ctx->registry->PutAdapter(request.lora_name, request.lora_path, "", NowSeconds());
  LogInfo("Loaded new LoRA adapter: name '", request.lora_name, "', path '", request.lora_path, "'");
  co_return ToLocalResponse(LoraLoadedReply(request.lora_name));
}

Awaitable UnloadLora(EndpointContext* ctx, std::string body) {
  UnloadLoraRequest request;
  EndpointReply reject;
  if (!ParseUnloadLoraRequest(body, &request, &reject)) co_return ToLocalResponse(std::move(reject));
  if (!ctx->registry->FindAdapter(request.lora_name)) co_return ToLocalResponse(LoraNotFoundReply(request.lora_name));
  BackendResponse unload = co_await FetchFromBackend(
      ctx->backend,
      Call(*ctx, "POST", "/unload_lora_adapter", SglangUnloadLoraBody(request.lora_name), std::chrono::seconds(120)));
  if (auto failure = SglangLoraFailure(unload.ok, unload.status, unload.body, unload.error)) {
    co_return ToLocalResponse(std::move(*failure));
  }
  ctx->registry->RemoveAdapter(request.lora_name);
  LogInfo("Removed LoRA adapter: name '", request.lora_name, "'");
  co_return ToLocalResponse(LoraRemovedReply(request.lora_name));
}

// ---- Sleep mode -------------------------------------------------------------

// Holds ctx->sleep_transition for the life of one /sleep or /wake_up, however
// that ends (an exception included), so a failure cannot leave every later
// /sleep and /wake_up answering 409.
class TransitionGuard {
 public:
  explicit TransitionGuard(bool* flag) : flag_(flag) { *flag_ = true; }
  ~TransitionGuard() { *flag_ = false; }
  TransitionGuard(const TransitionGuard&) = delete;
  TransitionGuard& operator=(const TransitionGuard&) = delete;

 private:
  bool* flag_;
};

// Waits (bounded) until this /sleep is the only request in flight.
asio::awaitable<bool> WaitForIdle(EndpointContext* ctx, std::chrono::seconds limit) {
  if (!ctx->requests_in_flight) co_return true;
  auto deadline = std::chrono::steady_clock::now() + limit;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (ctx->requests_in_flight() > 1) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    timer.expires_after(std::chrono::milliseconds(50));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return true;
}

Awaitable Sleep(EndpointContext* ctx, std::string query) {
  SleepCommand command;
  EndpointReply reject;
  if (!ParseSleepQuery(query, &command, &reject)) co_return ToLocalResponse(std::move(reject));
  if (ctx->sleep_transition) {
    co_return ToLocalResponse(VllmError(409, "A sleep or wake-up is already in progress.", "Conflict"));
  }
  std::string release = ctx->sleep.ReleaseBody();
  if (release.empty()) {  // already asleep: only the reported level changes
    ctx->sleep.OnSlept(command.level);
    co_return EmptyOk();
  }
  TransitionGuard transition(&ctx->sleep_transition);
  if (command.mode == PauseMode::kAbort) {
    BackendResponse abort = co_await FetchFromBackend(
        ctx->backend, Call(*ctx, "POST", "/abort_request", R"({"rid":"","abort_all":true})", std::chrono::seconds(30)));
    if (!abort.ok || abort.status != 200)
      LogWarning("sleep: aborting running requests failed (HTTP ", abort.status, ")");
  }
  // wait and keep: SGLang cannot freeze requests across a release, so both wait for them to finish.
  if (!co_await WaitForIdle(ctx, std::chrono::seconds(300))) {
    co_return ToLocalResponse(
        VllmError(503, "Requests still running after 300 s; the engine was not put to sleep.", "Service Unavailable"));
  }
  BackendResponse released = co_await FetchFromBackend(
      ctx->backend, Call(*ctx, "POST", "/release_memory_occupation", release, std::chrono::seconds(600)));
  if (!released.ok || released.status != 200) co_return EngineError(released, "Putting the engine to sleep failed");
  ctx->sleep.OnSlept(command.level);
  LogInfo("Engine put to sleep (level ", command.level, ")");
  co_return EmptyOk();
}

Awaitable WakeUp(EndpointContext* ctx, std::string query) {
  std::vector<std::string> tags;
  EndpointReply reject;
  if (!ParseWakeTags(query, &tags, &reject)) co_return ToLocalResponse(std::move(reject));
  if (ctx->sleep_transition) {
    co_return ToLocalResponse(VllmError(409, "A sleep or wake-up is already in progress.", "Conflict"));
  }
  std::string resume = ctx->sleep.ResumeBody(tags);
  if (resume.empty()) co_return EmptyOk();
  TransitionGuard transition(&ctx->sleep_transition);
  BackendResponse resumed = co_await FetchFromBackend(
      ctx->backend, Call(*ctx, "POST", "/resume_memory_occupation", resume, std::chrono::seconds(600)));
  if (!resumed.ok || resumed.status != 200) co_return EngineError(resumed, "Waking the engine failed");
  ctx->sleep.OnWoken(tags);
  LogInfo(ctx->sleep.sleeping() ? "Engine partly woken" : "Engine woken up");
  co_return EmptyOk();
}

// ---- Tokenizer routes -------------------------------------------------------

Awaitable Tokenize(EndpointContext* ctx, std::string body) {
  TokenizePlan plan;
  EndpointReply reject;
  if (!PlanTokenize(body, *ctx->registry, &plan, &reject)) co_return ToLocalResponse(std::move(reject));
  BackendResponse answer = co_await FetchFromBackend(
      ctx->backend, Call(*ctx, "POST", "/tokenize", plan.sglang_body, std::chrono::seconds(60)));
  if (!answer.ok) co_return EngineError(answer, "Tokenization failed");
  if (answer.status != 200) co_return RelaySglangError(answer);
  if (!ctx->registry->max_model_len()) {
    if (auto length = MaxModelLenFromTokenizeAnswer(answer.body)) ctx->registry->LearnMaxModelLen(*length);
  }
  std::optional<std::vector<std::string>> strs;
  if (plan.return_token_strs) {
    // SGLang has no token strings: decode each id on its own (bounded).
    std::vector<long long> ids;
    if (!TokenIdsFromAnswer(answer.body, &ids)) co_return EngineError(answer, "Tokenization gave an unexpected answer");
    if (ids.size() > 4096) {
      co_return ToLocalResponse(VllmError(400, "return_token_strs is limited to 4096 tokens by the shim.",
                                          "BadRequestError", "return_token_strs"));
    }
    strs.emplace();
    for (size_t i = 0; i < ids.size(); ++i) {
      // (No braced lists inside coroutines: GCC 12 miscompiles their backing arrays.)
      std::vector<long long> one(1, ids[i]);
      BackendResponse piece = co_await FetchFromBackend(
          ctx->backend, Call(*ctx, "POST", "/detokenize", DetokenizeBodyFor(one), std::chrono::seconds(30)));
      std::string text;
      if (!piece.ok || piece.status != 200 || !TextFromDetokenizeAnswer(piece.body, &text)) {
        co_return EngineError(piece, "Decoding token strings failed");
      }
      strs->push_back(std::move(text));
    }
  }
  std::string out;
  if (!ConvertTokenizeAnswer(answer.body, *ctx->registry, strs, &out)) {
    co_return EngineError(answer, "Tokenization gave an unexpected answer");
  }
  co_return JsonLocal(200, std::move(out));
}

Awaitable Detokenize(EndpointContext* ctx, std::string body) {
  std::string sglang_body;
  EndpointReply reject;
  if (!PlanDetokenize(body, *ctx->registry, &sglang_body, &reject)) co_return ToLocalResponse(std::move(reject));
  BackendResponse answer =
      co_await FetchFromBackend(ctx->backend, Call(*ctx, "POST", "/detokenize", sglang_body, std::chrono::seconds(60)));
  if (!answer.ok) co_return EngineError(answer, "Detokenization failed");
  if (answer.status != 200) co_return RelaySglangError(answer);
  std::string out;
  if (!ConvertDetokenizeAnswer(answer.body, &out))
    co_return EngineError(answer, "Detokenization gave an unexpected answer");
  co_return JsonLocal(200, std::move(out));
}

// ---- Models -----------------------------------------------------------------

// vLLM always reports the model's length; without --max-model-len only SGLang
// knows it (its /v1/models cards carry max_model_len = context length). Asked
// once, on the first listing after start-up; a failure leaves it null.
Awaitable Models(EndpointContext* ctx) {
  if (!ctx->registry->max_model_len()) {
    BackendResponse answer =
        co_await FetchFromBackend(ctx->backend, Call(*ctx, "GET", "/v1/models", "", std::chrono::seconds(5)));
    if (answer.ok && answer.status == 200) {
      if (auto length = MaxModelLenFromSglangModels(answer.body)) ctx->registry->LearnMaxModelLen(*length);
    }
  }
  co_return JsonLocal(200, ctx->registry->ModelsJson());
}

// ---- Info routes ------------------------------------------------------------

asio::awaitable<BackendResponse> FetchServerInfo(EndpointContext* ctx) {
  BackendResponse info =
      co_await FetchFromBackend(ctx->backend, Call(*ctx, "GET", "/server_info", "", std::chrono::seconds(10)));
  if (info.ok && info.status == 404) {  // SGLang before v0.5.6 only has the old name
    info = co_await FetchFromBackend(ctx->backend, Call(*ctx, "GET", "/get_server_info", "", std::chrono::seconds(10)));
  }
  if (info.ok && info.status == 200) {
    if (auto version = SglangVersionFromServerInfo(info.body)) ctx->sglang_version = version;
  }
  co_return info;
}

Awaitable Version(EndpointContext* ctx) {
  if (!ctx->sglang_version) co_await FetchServerInfo(ctx);
  co_return JsonLocal(200, VersionJson(ctx->vllm_version, ctx->shim_version, ctx->sglang_version));
}

// The shim's own configuration for /server_info (kept out of the coroutine:
// braced initialisers inside coroutines trip GCC 11/12).
std::string ShimConfigJson(const EndpointContext& ctx) {
  nlohmann::json config = nlohmann::json::object();
  config["served_model_names"] = ctx.registry->served_model_names();
  config["model"] = ctx.registry->model_path();
  auto max_len = ctx.registry->max_model_len();
  config["max_model_len"] = max_len ? nlohmann::json(*max_len) : nlohmann::json(nullptr);
  config["shim_version"] = ctx.shim_version;
  return config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Awaitable ServerInfo(EndpointContext* ctx, std::string query) {
  BackendResponse info = co_await FetchServerInfo(ctx);
  auto formats = QueryValues(query, "config_format");
  bool text = !formats.empty() && formats.back() == "text";
  std::string config = ShimConfigJson(*ctx);
  std::string sglang = info.ok && info.status == 200 ? info.body : "";
  co_return JsonLocal(200, ServerInfoJson(config, sglang, text));
}

// ---- Registration helpers ----------------------------------------------------

bool IsModelSelectingPath(std::string_view path) {
  return path == "/v1/chat/completions" || path == "/v1/completions" || path == "/v1/embeddings" ||
         path == "/v1/responses" || path == "/v1/messages" || path == "/classify" || path == "/score" ||
         path == "/v1/score" || path == "/rerank" || path == "/v1/rerank" || path == "/v2/rerank";
}

}  // namespace

LocalResponse ToLocalResponse(EndpointReply reply) {
  LocalResponse response;
  response.status = reply.status;
  response.content_type = std::move(reply.content_type);
  response.body = std::move(reply.body);
  for (auto& h : reply.headers) response.headers.push_back(std::move(h));
  return response;
}

std::unique_ptr<EndpointContext> MakeEndpointContext(const FrontendOptions& options, const Settings& settings,
                                                     std::function<uint64_t()> requests_in_flight) {
  auto ctx = std::make_unique<EndpointContext>();
  ctx->backend = options.backend;
  ctx->backend_api_key = options.api_keys.empty() ? std::string() : options.api_keys.front();
  ctx->allow_runtime_lora_updating = settings.allow_runtime_lora_updating;
  ctx->server_dev_mode = settings.server_dev_mode;
  ctx->pooling = options.pooling;
  ctx->expose_admin = settings.expose_admin;
  ctx->expose_sglang_routes = settings.expose_sglang_routes;
  ctx->enable_request_id_headers = options.enable_request_id_headers;
  ctx->requests_in_flight = std::move(requests_in_flight);
  ctx->shim_version = SHIM_VERSION;
  ctx->vllm_version = settings.vllm_version;
  ModelRegistryConfig config;
  config.served_model_names = options.served_model_names;
  config.model_path = options.model;
  config.max_model_len = options.max_model_len;
  const int64_t started = NowSeconds();
  config.created = started;
  ctx->registry = std::make_unique<ModelRegistry>(std::move(config));
  for (const auto& module : options.lora_modules) {
    ctx->registry->PutAdapter(module.name, module.path, module.base_model_name.value_or(""), started);
  }
  ctx->guard = std::make_unique<ApiKeyGuard>(options.api_keys, options.root_path);
  ctx->request_id_filter = std::make_shared<RequestIdFilter>();
  ctx->secret_fields_filter = std::make_shared<SecretFieldsFilter>();
  return ctx;
}

void ApplyVllmGates(EndpointContext& ctx, const RequestHead& head, RouteDecision* decision) {
  std::string storage;
  const std::string_view path = NormalizedPath(head.path(), &storage);
  // vLLM's rule (prefixes), and a key on everything forwarded that vLLM does
  // not have: SGLang's own and admin routes, when a setting exposes them.
  // (Without keys nothing is guarded: no route-list scan on the request path.)
  const bool guarded = ctx.guard->enabled() && (ctx.guard->IsGuardedPath(path) ||
                                                (decision->kind == RouteDecision::Kind::kProxy && !IsVllmRoute(path)));
  if (!ctx.guard->AllowsRequest(head.method, guarded, head.Find("Authorization"))) {
    // Never log the header: it may hold a near-miss of a real key.
    *decision = RouteDecision::Answer("unauthorized", ToLocalResponse(ApiKeyGuard::Unauthorized()));
  } else if (ctx.sleep.sleeping() && IsGenerationPath(path)) {
    *decision = RouteDecision::Answer("sleeping", ToLocalResponse(EngineSleepingReply()));
  } else if (decision->kind == RouteDecision::Kind::kProxy && IsModelSelectingPath(path) && head.method == "POST") {
    decision->filters.Add(std::make_shared<ModelSelectionFilter>(ctx.registry.get()));
  }
  // Last, so that it sees every answer, a refused body included.
  if (ctx.enable_request_id_headers) decision->filters.Add(ctx.request_id_filter);
}

void RegisterVllmEndpoints(RouteTable& routes, EndpointContext& ctx) {
  EndpointContext* c = &ctx;
  // The gates are not applied here: ApplyVllmGates runs as the table's filter
  // on every decision (applying it twice would select the model twice).
  // (Starlette lists HEAD with every GET route, hence {"GET", "HEAD"} below.) An empty method
  // list is a route for every method.
  auto add = [&](const std::string& path, std::vector<std::string> methods, RouteHandler handler) {
    if (methods.empty()) {
      routes.AddExact(path, {}, std::move(handler));
    } else {
      AddFastApiRoute(routes, path, std::move(methods), std::move(handler));
    }
  };
  auto not_found = [](RouteLabel label) {
    return [label](const RequestHead&) { return RouteDecision::Answer(label, ToLocalResponse(RouteNotFound())); };
  };

  // What no route above matches: vLLM's own routes go to SGLang; SGLang's
  // routes that vLLM does not have only when a setting exposes them.
  routes.SetFallback([c](const RequestHead& head) {
    std::string storage;
    const std::string_view path = NormalizedPath(head.path(), &storage);
    if (IsSglangAdminPath(path)) {
      // Reached only with VLLM_SGLANG_EXPOSE_ADMIN=1 (the front door hides them otherwise).
      if (!c->expose_admin) return RouteDecision::Answer("admin_hidden", ToLocalResponse(RouteNotFound()));
      RouteDecision d = RouteDecision::Proxy("admin");
      if (path == "/get_server_info") d.filters.Add(c->secret_fields_filter);
      return d;
    }
    if (IsVllmRoute(path) || c->expose_sglang_routes) return RouteDecision::Proxy("proxy");
    return RouteDecision::Answer("not_found", ToLocalResponse(RouteNotFound()));
  });

  add("/v1/models", {"GET", "HEAD"}, [c](const RequestHead&) {
    if (c->registry->max_model_len()) return RouteDecision::Answer("models", JsonLocal(200, c->registry->ModelsJson()));
    return RouteDecision::AnswerAsync("models", [c](const RequestHead&, std::string) { return Models(c); });
  });

  if (ctx.allow_runtime_lora_updating) {
    LogWarning(
        "LoRA dynamic loading & unloading is enabled in the API server. "
        "This should ONLY be used for local development!");
    add("/v1/load_lora_adapter", {"POST"}, [c](const RequestHead&) {
      return RouteDecision::AnswerAsync(
          "load_lora", [c](const RequestHead&, std::string body) { return LoadLora(c, std::move(body)); });
    });
    add("/v1/unload_lora_adapter", {"POST"}, [c](const RequestHead&) {
      return RouteDecision::AnswerAsync(
          "unload_lora", [c](const RequestHead&, std::string body) { return UnloadLora(c, std::move(body)); });
    });
  } else {
    // Not registered in vLLM: FastAPI's 404, and SGLang must not see them either.
    add("/v1/load_lora_adapter", {}, not_found("not_found"));
    add("/v1/unload_lora_adapter", {}, not_found("not_found"));
  }

  if (ctx.server_dev_mode) {
    add("/sleep", {"POST"}, [c](const RequestHead& head) {
      std::string query(head.query());
      return RouteDecision::AnswerAsync("sleep",
                                        [c, query](const RequestHead&, std::string) { return Sleep(c, query); });
    });
    add("/wake_up", {"POST"}, [c](const RequestHead& head) {
      std::string query(head.query());
      return RouteDecision::AnswerAsync("wake_up",
                                        [c, query](const RequestHead&, std::string) { return WakeUp(c, query); });
    });
    add("/is_sleeping", {"GET", "HEAD"}, [c](const RequestHead&) {
      return RouteDecision::Answer("is_sleeping", JsonLocal(200, c->sleep.IsSleepingJson()));
    });
    add("/server_info", {"GET", "HEAD"}, [c](const RequestHead& head) {
      std::string query(head.query());
      return RouteDecision::AnswerAsync("server_info",
                                        [c, query](const RequestHead&, std::string) { return ServerInfo(c, query); });
    });
  } else {
    for (const char* path : {"/sleep", "/wake_up", "/is_sleeping", "/server_info"})
      add(path, {}, not_found("not_found"));
  }

  RegisterCacheAdminRoutes(routes, ctx);  // /reset_*_cache, /pause, /resume, /is_paused, RLHF routes
  add("/tokenize", {"POST"}, [c](const RequestHead&) {
    return RouteDecision::AnswerAsync(
        "tokenize", [c](const RequestHead&, std::string body) { return Tokenize(c, std::move(body)); });
  });
  add("/detokenize", {"POST"}, [c](const RequestHead&) {
    return RouteDecision::AnswerAsync(
        "detokenize", [c](const RequestHead&, std::string body) { return Detokenize(c, std::move(body)); });
  });
  add("/version", {"GET", "HEAD"}, [c](const RequestHead&) {
    return RouteDecision::AnswerAsync("version", [c](const RequestHead&, std::string) { return Version(c); });
  });
  add("/load", {"GET", "HEAD"}, [c](const RequestHead&) {
    uint64_t in_flight = c->requests_in_flight ? c->requests_in_flight() : 0;
    // The /load request itself is in flight too; vLLM counts generation requests only.
    uint64_t others = in_flight > 0 ? in_flight - 1 : 0;
    return RouteDecision::Answer("load", JsonLocal(200, LoadJson(others)));
  });
}

metrics::ExtraGauge SleepStateGauge(const EndpointContext& ctx) {
  metrics::ExtraGauge gauge;
  gauge.name = "vllm:engine_sleep_state";
  gauge.help =
      "Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means engine is awake; "
      "weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.";
  for (const auto& [state, value] : ctx.sleep.GaugeSamples()) {
    gauge.samples.push_back({{{"sleep_state", state}}, value});
  }
  return gauge;
}

}  // namespace shim::endpoints

// Route table, API-key checks (python/sglang/srt/utils/auth.py) and request recording.
#include <cstdlib>
#include <unordered_map>

#include "common/strings.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {

using nlohmann::json;

namespace {

const std::unordered_map<std::string_view, Route>& RouteTable() {
  static const std::unordered_map<std::string_view, Route> table = [] {
    std::unordered_map<std::string_view, Route> t;
    auto get = [&](std::string_view path, Handler h) { t[path] = Route{h, false, true, false}; };
    auto post = [&](std::string_view path, Handler h) { t[path] = Route{h, false, false, true}; };
    auto admin = [&](std::string_view path, Handler h) { t[path] = Route{h, true, true, true}; };
    get("/health", HandleHealth);
    get("/health_generate", HandleHealth);
    get("/ping", HandlePing);
    get("/", HandleRoot);
    get("/model_info", HandleModelInfo);
    get("/get_model_info", HandleModelInfo);
    get("/server_info", HandleServerInfo);
    get("/get_server_info", HandleServerInfo);
    get("/v1/loads", HandleLoads);
    get("/get_load", HandleGetLoad);
    get("/metrics", HandleMetrics);
    get("/v1/models", HandleModels);
    post("/v1/chat/completions", HandleChatCompletions);
    post("/v1/completions", HandleCompletions);
    post("/v1/responses", HandleResponses);
    post("/v1/audio/transcriptions", HandleTranscriptions);
    post("/tokenize", HandleTokenize);
    post("/v1/tokenize", HandleTokenize);
    post("/detokenize", HandleDetokenize);
    post("/v1/detokenize", HandleDetokenize);
    admin("/load_lora_adapter", HandleLoadLora);
    admin("/unload_lora_adapter", HandleUnloadLora);
    admin("/flush_cache", HandleFlushCache);
    admin("/release_memory_occupation", HandleReleaseMemory);
    admin("/resume_memory_occupation", HandleResumeMemory);
    admin("/pause_generation", HandlePauseGeneration);
    admin("/continue_generation", HandleContinueGeneration);
    admin("/abort_request", HandleAbortRequest);
    // The other admin routes of SGLang @8905cbd4 python/sglang/srt/entrypoints/http_server.py:
    // they answer 200 so a test can prove the shim does not let them through.
    for (std::string_view path : {"/set_internal_state",
                                  "/add_external_corpus",
                                  "/remove_external_corpus",
                                  "/list_external_corpora",
                                  "/clear_hicache_storage_backend",
                                  "/hicache/storage-backend/clear",
                                  "/hicache/storage-backend",
                                  "/start_profile",
                                  "/stop_profile",
                                  "/set_trace_level",
                                  "/freeze_gc",
                                  "/start_expert_distribution_record",
                                  "/stop_expert_distribution_record",
                                  "/dump_expert_distribution_record",
                                  "/update_weights_from_disk",
                                  "/update_weights_from_tensor",
                                  "/update_weights_from_distributed",
                                  "/update_weights_from_ipc",
                                  "/update_weight_version",
                                  "/init_weights_update_group",
                                  "/destroy_weights_update_group",
                                  "/init_weights_send_group_for_remote_instance",
                                  "/send_weights_to_remote_instance",
                                  "/get_remote_instance_transfer_engine_info",
                                  "/remote_instance_transfer_engine_info",
                                  "/get_weights_by_name",
                                  "/weights_checker",
                                  "/slow_down",
                                  "/configure_logging",
                                  "/scale_elastic_ep",
                                  "/is_scaling_elastic_ep",
                                  "/load_lora_adapter_from_tensors"}) {
      admin(path, HandleOtherAdmin);
    }
    // SGLang's own routes that vLLM does not have (http_server.py @8905cbd4):
    // each answers 200 naming itself, so a test can prove whether the front
    // door let a request through to the engine.
    for (std::string_view path : {
             "/invocations",
             "/api/generate",
             "/api/chat",
             "/api/tags",
             "/api/show",
             "/vertex_generate",
             "/open_session",
             "/close_session",
             "/v1/score",
             "/parse_function_call",
             "/separate_reasoning",
             "/generate_from_file",
         }) {
      t[path] = Route{HandleNativeRoute, false, true, true};
    }
    // The pooling routes: the same native answer, unless --is-embedding (routes_pooling.cc).
    const std::pair<std::string_view, Handler> pooling[] = {
        {"/generate", HandleGenerate},          {"/encode", HandleEncode},    {"/classify", HandleClassify},
        {"/v1/classify", HandleOpenAiClassify}, {"/v1/rerank", HandleRerank}, {"/v1/embeddings", HandleEmbeddings},
    };
    for (const auto& [path, handler] : pooling) t[path] = Route{handler, false, true, true};
    return t;
  }();
  return table;
}

std::string_view BearerToken(const Request& req) {
  std::string_view value = req[http::field::authorization];
  if (value.size() > 7 && EqualsIgnoreCase(value.substr(0, 7), "Bearer ")) return TrimSpaces(value.substr(7));
  return {};
}

void RecordRequest(EngineState& state, const Exchange& ex) {
  const Request& req = ex.request();
  json headers = json::object();
  for (const auto& field : req) headers[ToLower(field.name_string())] = std::string(field.value());
  json line{{"method", std::string(req.method_string())},
            {"path", std::string(req.target())},
            {"route_path", std::string(ex.path())},
            {"headers", headers},
            {"body", req.body()}};
  state.Record(line.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

Route FindRoute(std::string_view path) {
  const auto& table = RouteTable();
  auto it = table.find(path);
  if (it != table.end()) return it->second;
  if (StartsWith(path, "/v1/models/")) return Route{HandleModels, false, true, false};
  if (StartsWith(path, "/v1/responses/")) return Route{HandleResponsesById, false, true, true};
  return Route{};
}

void Crash(const std::string& why) {
  SglangLog("fake-sglang: injected crash " + why);
  std::_Exit(1);
}

net::awaitable<void> Dispatch(EngineState& state, Exchange& ex) {
  if (!state.knobs().record_file.empty()) RecordRequest(state, ex);
  std::string_view path = ex.path();
  Route route = FindRoute(path);
  if (route.handler == nullptr) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = json{{"detail", "Not Found"}};
      co_await ex.SendJson(http::status::not_found, reply);
    }
    co_return;
  }
  // utils/auth.py: /health* and /metrics* are exempt; everything else needs the key.
  bool exempt = StartsWith(path, "/health") || StartsWith(path, "/metrics");
  const ServeConfig& c = state.config();
  if (!exempt) {
    std::string_view token = BearerToken(ex.request());
    bool ok = true;
    if (route.admin && !c.admin_api_key.empty()) {
      if (token != c.admin_api_key) {
        bool is_api_key = !c.api_key.empty() && token == c.api_key;
        {
          // GCC 12 cannot keep braced json temporaries inside a co_await expression.
          const json reply = json{{"error", is_api_key ? "Forbidden" : "Unauthorized"}};
          co_await ex.SendJson(is_api_key ? http::status::forbidden : http::status::unauthorized, reply);
        }
        co_return;
      }
    } else if (!c.api_key.empty()) {
      ok = token == c.api_key || (!c.admin_api_key.empty() && token == c.admin_api_key);
    }
    if (!ok) {
      {
        // GCC 12 cannot keep braced json temporaries inside a co_await expression.
        const json reply = json{{"error", "Unauthorized"}};
        co_await ex.SendJson(http::status::unauthorized, reply);
      }
      co_return;
    }
  }
  http::verb method = ex.request().method();
  bool allowed = (method == http::verb::get && route.allow_get) || (method == http::verb::head && route.allow_get) ||
                 ((method == http::verb::post || method == http::verb::put) && route.allow_post);
  if (!allowed) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = json{{"detail", "Method Not Allowed"}};
      co_await ex.SendJson(http::status::method_not_allowed, reply);
    }
    co_return;
  }
  co_await route.handler(state, ex);
}

}  // namespace shim::fake_sglang

// Health, info, load and metrics routes (python/sglang/srt/entrypoints/http_server.py,
// entrypoints/v1_loads.py, metrics collector exposition).
#include <chrono>

#include "fake_sglang/openai_request.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {

using nlohmann::json;

net::awaitable<void> HandleHealth(EngineState& state, Exchange& ex) {
  // http_server.py health_generate: 503 once SIGTERM was received or while starting;
  // /health answers at once when SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION is false;
  // otherwise a one-token generation runs and the first check comes after a 1 s sleep.
  if (state.status() != ServerStatus::kUp) {
    co_await ex.Send(http::status::service_unavailable, "", "");
    co_return;
  }
  const FakeKnobs& knobs = state.knobs();
  if (ex.path() == "/health" && !knobs.health_generation) {
    co_await ex.Send(http::status::ok, "", "");
    co_return;
  }
  ex.StartWatch();
  auto delay = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(knobs.health_delay_s));
  if (!co_await ex.Sleep(delay)) co_return;
  bool healthy = !knobs.fail_health && !state.memory_released() && !knobs.hang;
  if (!healthy) SglangLog("Health check failed. Server couldn't get a response from detokenizer for last 20 seconds.");
  co_await ex.Send(healthy ? http::status::ok : http::status::service_unavailable, "", "");
}

net::awaitable<void> HandlePing(EngineState&, Exchange& ex) { co_await ex.Send(http::status::ok, "", ""); }

net::awaitable<void> HandleRoot(EngineState&, Exchange& ex) {
  co_await ex.Send(http::status::ok, "SGLang is running", "text/plain; charset=utf-8");
}

net::awaitable<void> HandleModelInfo(EngineState& state, Exchange& ex) {
  const ServeConfig& c = state.config();
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"model_path", c.model_path},
                            {"tokenizer_path", c.tokenizer_path},
                            {"is_generation", true},
                            {"preferred_sampling_params", nullptr},
                            {"weight_version", "default"},
                            {"has_image_understanding", false},
                            {"has_audio_understanding", false},
                            {"model_type", "llama"},
                            {"architectures", json::array({"LlamaForCausalLM"})}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

namespace {

json LoadEntry(EngineState& state, int dp_rank, const LoadSnapshot& load) {
  return json{{"dp_rank", dp_rank},
              {"num_running_reqs", load.running},
              {"num_waiting_reqs", load.queued},
              {"num_waiting_uncached_tokens", 0},
              {"num_used_tokens", load.used_tokens},
              {"num_total_tokens", load.used_tokens},
              {"max_total_num_tokens", load.max_total_tokens},
              {"max_running_requests", load.max_running_requests},
              {"token_usage", load.token_usage()},
              {"gen_throughput", load.gen_throughput},
              {"cache_hit_rate", load.cache_hit_rate},
              {"utilization", load.token_usage()}};
}

}  // namespace

net::awaitable<void> HandleServerInfo(EngineState& state, Exchange& ex) {
  json info = state.config().server_args;
  LoadSnapshot load = state.Snapshot();
  info["version"] = "0.5.15";
  info["internal_states"] =
      json::array({json{{"last_gen_throughput", load.gen_throughput}, {"load", LoadEntry(state, 0, load)}}});
  info["scheduler_info"] = json{{"max_total_num_tokens", load.max_total_tokens}};
  co_await ex.SendJson(http::status::ok, info);
}

net::awaitable<void> HandleLoads(EngineState& state, Exchange& ex) {
  // entrypoints/v1_loads.py: per-DP-rank load, JSON by default or Prometheus text with
  // format=prometheus; works without --enable-metrics. The envelope shape here is the
  // stand-in's reading of that file; the per-rank field names are those of SGLang @8905cbd4
  // python/sglang/srt/entrypoints/v1_loads.py (docs/metrics.md names the ones the shim reads).
  LoadSnapshot load = state.Snapshot();
  int dp = state.config().dp_size;
  std::string rank_param = ex.QueryParam("dp_rank");
  json loads = json::array();
  for (int rank = 0; rank < dp; ++rank) {
    if (!rank_param.empty() && rank_param != std::to_string(rank)) continue;
    // The stand-in puts its whole load on rank 0.
    LoadSnapshot part =
        rank == 0 ? load : LoadSnapshot{0, 0, 0, load.max_total_tokens, load.max_running_requests, 0, 0};
    loads.push_back(LoadEntry(state, rank, part));
  }
  if (ex.QueryParam("format") == "prometheus") {
    std::string text;
    for (const char* field : {"num_running_reqs", "num_waiting_reqs", "num_used_tokens", "token_usage"}) {
      text += std::string("# TYPE sglang:") + field + " gauge\n";
      for (const json& entry : loads) {
        text += std::string("sglang:") + field + "{dp_rank=\"" + std::to_string(entry["dp_rank"].get<int>()) + "\"} " +
                entry[field].dump() + "\n";
      }
    }
    co_await ex.Send(http::status::ok, text, "text/plain; version=0.0.4; charset=utf-8");
    co_return;
  }
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"timestamp", state.Now()}, {"dp_rank_count", dp}, {"loads", loads}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

net::awaitable<void> HandleGetLoad(EngineState& state, Exchange& ex) {
  LoadSnapshot load = state.Snapshot();
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json::array({json{{"dp_rank", 0},
                                         {"num_reqs", load.running + load.queued},
                                         {"num_waiting_reqs", load.queued},
                                         {"num_tokens", load.used_tokens},
                                         {"num_pending_tokens", 0},
                                         {"ts_tic", state.Now()}}});
    co_await ex.SendJson(http::status::ok, reply);
  }
}

net::awaitable<void> HandleMetrics(EngineState& state, Exchange& ex) {
  // /metrics exists only with --enable-metrics; otherwise FastAPI's plain 404.
  if (!state.config().enable_metrics) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = json{{"detail", "Not Found"}};
      co_await ex.SendJson(http::status::not_found, reply);
    }
    co_return;
  }
  LoadSnapshot load = state.Snapshot();
  co_await ex.Send(http::status::ok,
                   state.metrics().Render(state.config().served_model_name, state.config().tp_size, load),
                   "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace shim::fake_sglang

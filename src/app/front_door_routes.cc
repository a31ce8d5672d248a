#include "app/front_door_routes.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/co_spawn.hpp>

#include "app/audio_routes.h"
#include "common/task_failure.h"
#include "common/log.h"
#include "common/strings.h"
#include "app/invocations_route.h"
#include "app/pd_legs.h"
#include "endpoints/chat_shape_filter.h"
#include "endpoints/gate_filters.h"
#include "endpoints/reasoning_filter.h"
#include "endpoints/vllm_endpoints.h"
#include "metrics/frontdoor_bridge.h"
#include "metrics/metrics_render.h"
#include "metrics/metrics_scraper.h"
#include "metrics/request_metrics.h"
#include "pd/pod_address.h"
#include "pooling/pooling_routes.h"
#include "responses/responses_routes.h"
#include "rewrite/error_shape.h"
#include "rewrite/request_rewriter.h"
#include "rewrite/sse_rewriter.h"

namespace shim {
namespace {

namespace asio = boost::asio;

// Request and response rewriting for the OpenAI generation routes
// (src/rewrite): vLLM-only request fields, and SGLang's errors in vLLM's
// shape, whole or in a stream; a successful answer streams straight through.
// Stateless: one instance serves every request of its route.
class GenerationRewrite final : public RouteFilter {
 public:
  GenerationRewrite(RouteKind kind, const RewriteOptions* options) : kind_(kind), options_(options) {}

  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& h, std::string* body, BodyScan* scan, LocalResponse* reject) override {
    RequestRewrite r = RewriteRequestBody(kind_, *body, *options_);
    if (!r.notes.empty()) LogDebug(h.method, " ", h.path(), " body: ", JoinStrings(r.notes, "; "));
    if (r.outcome == RequestRewrite::kRewritten) *body = std::move(r.body);
    *scan = std::move(r.scan);
    if (r.outcome != RequestRewrite::kReject) return true;
    *reject = LocalResponse{r.status, "application/json", std::move(r.body), {}};
    return false;
  }

  bool WantsResponseBody(int status) const override { return status >= 400; }
  void OnResponseBody(const RequestHead&, int* status, HeaderList*, std::string* body) override {
    ReshapeSglangError(status, body);  // FastAPI's 422 becomes vLLM's 400
  }

  bool RewritesSseFrames() const override { return true; }
  bool OnSseFrame(std::string_view frame, std::string* out) override { return RewriteSseErrorFrame(frame, out); }

 private:
  RouteKind kind_;
  const RewriteOptions* options_;
};

// Measures one generation request for vLLM's per-request metrics
// (metrics/generation_watch.h) and records it when the exchange ends.
class GenerationMetricsWatch final : public RouteFilter {
 public:
  explicit GenerationMetricsWatch(std::shared_ptr<metrics::RequestMetrics> sink)
      : sink_(std::move(sink)), watch_(metrics::GenerationWatch::Clock::now()) {}

  // The body's model names the LoRA adapter, if any (the rewrite before this
  // filter leaves its scan of the body).
  bool NeedsRequestBody() const override { return sink_->lora() != nullptr; }
  bool OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse*) override {
    if (!scan->has_value()) return true;
    for (const JsonMember& member : (*scan)->members) {
      if (member.key == "model" && member.kind == JsonKind::kString) {
        DecodeJsonString(member.Value(*body), &model_);
      }
    }
    sink_->lora()->Started(model_);
    return true;
  }

  bool WatchesExchange() const override { return true; }
  void OnWatchedHead(int status, bool event_stream) override { watch_.OnResponseHead(status, event_stream); }
  void OnWatchedBody(std::string_view bytes) override { watch_.OnBody(bytes, metrics::GenerationWatch::Clock::now()); }
  void OnExchangeEnd(const ExchangeEnd& end) override {
    if (sink_->lora()) sink_->lora()->Finished(model_);
    metrics::GenerationRecord record;
    if (watch_.Finish(end.response_complete, end.client_gone, metrics::GenerationWatch::Clock::now(), &record)) {
      sink_->Record(record);
    }
  }

 private:
  std::shared_ptr<metrics::RequestMetrics> sink_;
  metrics::GenerationWatch watch_;
  std::string model_;
};

// vLLM's --max-loras (default 1), which the translation passed on as SGLang's
// --max-loras-per-batch.
int MaxLoras(const Translation& translation) {
  for (const FlagOutcome& outcome : translation.flags) {
    if (outcome.flag != "--max-loras" || outcome.sglang.empty()) continue;
    std::string_view value = outcome.sglang.back();
    if (size_t eq = value.find('='); eq != std::string_view::npos) value.remove_prefix(eq + 1);
    if (auto n = ParseInt(value)) return static_cast<int>(*n);
  }
  return 1;
}

class Routes : public FrontDoorRoutes {
 public:
  Routes(asio::io_context& io, FrontDoor& door, const Settings& settings, const Translation& translation)
      : io_(io), door_(door) {
    rewrite_options_.strip_params = settings.strip_params;
    rewrite_options_.explain = LogEnabled(LogLevel::kDebug);
    const FrontendOptions& frontend = translation.frontend;
    labels_.model_name = frontend.served_model_names.empty() ? frontend.model : frontend.served_model_names.front();
    request_metrics_ = std::make_shared<metrics::RequestMetrics>(
        frontend.max_model_len && *frontend.max_model_len > 0 ? static_cast<uint64_t>(*frontend.max_model_len) : 0);
    if (frontend.enable_lora) {
      request_metrics_->EnableLoraInfo(MaxLoras(translation), frontend.served_model_names, [] {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
      });
    }

    endpoints_ =
        endpoints::MakeEndpointContext(frontend, settings, [&door] { return door.stats().requests_in_flight; });
    HeaderList backend_headers = BearerHeaders(endpoints_->backend_api_key);
    scraper_ = std::make_unique<metrics::MetricsScraper>(
        metrics::BackendMetricsFetcher(frontend.backend, backend_headers, settings.health_timeout),
        settings.metrics_interval);

    RouteTable& routes = door.routes();
    endpoints::RegisterVllmEndpoints(routes, *endpoints_);
    // vLLM's routes by the model's task: pooling routes over SGLang's for a pooling model,
    // FastAPI's 404 for the other task's routes.
    auto sglang = std::make_shared<const pooling::SglangAccess>(
        pooling::SglangAccess{frontend.backend, endpoints_->backend_api_key});
    pooling::RegisterTaskRoutes(routes, frontend.pooling, frontend.pooling_task, labels_.model_name, sglang);
    if (!frontend.pooling) {
      responses::RegisterResponsesRoutes(routes, std::make_shared<responses::ResponsesStore>(
                                                     responses::kStoredResponses, responses::kStoredResponseBytes));
    }
    // Audio: transcriptions relayed to SGLang, translations 501 (a pooling model has neither).
    if (!frontend.pooling) RegisterAudioRoutes(routes);
    // The rewritten routes come from the rewrite rules table (rewrite_rules.cc).
    // Each request of these routes goes through: the rewrite (this filter),
    // then the gates' model selection and X-Request-Id (ApplyVllmGates below).
    // With a reasoning parser, chat answers carry vLLM's name for the reasoning text;
    // without one the chat route gets no such filter.
    std::optional<ReasoningField> reasoning;
    ReasoningField field = ReasoningField::kReasoning;
    if (frontend.reasoning_parser && ParseReasoningField(settings.reasoning_field, &field)) reasoning = field;
    // Whole chat answers in vLLM's response shape (tool_calls a list).
    auto chat_shape = std::make_shared<endpoints::ChatShapeFilter>();
    std::vector<InvocationTarget> invocations;
    for (const RouteRule& rule : RouteRules()) {
      if (frontend.pooling) break;  // a pooling model has no generation routes
      auto rewrite = std::make_shared<GenerationRewrite>(rule.kind, &rewrite_options_);
      const bool chat = rule.kind == RouteKind::kChatCompletions;
      // Both are generation routes: each request is measured (one small
      // allocation) for vLLM's per-request metrics.
      std::function<RouteDecision()> decide = [rewrite, chat, reasoning = chat ? reasoning : std::nullopt,
                                               chat_shape = chat ? chat_shape : nullptr, sink = request_metrics_] {
        RouteDecision d = chat ? RouteDecision::Proxy("chat_completions") : RouteDecision::Proxy("completions");
        d.filters.Add(rewrite);
        d.filters.Add(std::make_shared<GenerationMetricsWatch>(sink));
        // After the watch: the watch reads the body's model from the rewrite's scan.
        // One per request: it remembers the request's include_reasoning.
        if (reasoning) d.filters.Add(std::make_shared<endpoints::ReasoningFieldFilter>(*reasoning));
        if (chat_shape) d.filters.Add(chat_shape);
        return d;
      };
      routes.AddExact(std::string(rule.path), {std::string(rule.method)},
                      [decide](const RequestHead&) { return decide(); });
      invocations.push_back(chat ? InvocationTarget{"ChatCompletionRequest", LooksLikeChat, decide, rule.path}
                                 : InvocationTarget{"CompletionRequest", LooksLikeCompletion, decide, rule.path});
    }
    if (frontend.pooling) {
      // vLLM's order (vllm/entrypoints/pooling/factories.py, get_pooling_invocation_types): the
      // task's own request, then rerank, then score.
      const std::string name = labels_.model_name;
      const std::string& task = frontend.pooling_task;
      const pooling::Scoring scoring = pooling::ScoringForTask(task);
      if (task != "classify") {
        invocations.push_back({"EmbeddingRequest",
                               LooksLikeEmbedding,
                               [name, sglang] { return pooling::EmbeddingsDecision(name, sglang); },
                               {}});
      }
      if (task != "embed") {
        invocations.push_back(
            {"ClassificationRequest", LooksLikeClassification, [] { return pooling::ClassifyDecision(); }, {}});
      }
      invocations.push_back(
          {"RerankRequest", LooksLikeRerank, [name, scoring] { return pooling::RerankDecision(name, scoring); }, {}});
      invocations.push_back(
          {"ScoreRequest", LooksLikeScore, [name, scoring] { return pooling::ScoreDecision(name, scoring); }, {}});
    }
    // Chat before completions, as vLLM lists its generation requests.
    std::stable_partition(invocations.begin(), invocations.end(),
                          [](const InvocationTarget& t) { return t.request_type == "ChatCompletionRequest"; });
    RegisterInvocations(routes, std::move(invocations), [this](FilterChain* chain) {
      chain->Add(std::make_shared<endpoints::ModelSelectionFilter>(endpoints_->registry.get()));
    });
    // vLLM answers /metrics itself, without auth (vLLM @9aaf83ef vllm/entrypoints/openai/api_server.py
    // build_app; server_utils.py AuthenticationMiddleware guards only /v1, /v2, /inference). Never proxied.
    routes.AddExact("/metrics", {"GET", "HEAD"}, [this](const RequestHead&) {
      std::string text =
          metrics::RenderMetrics(*scraper_->Latest(), metrics::CountersForMetricsRequest(door_.stats()), labels_,
                                 {endpoints::SleepStateGauge(*endpoints_)}, request_metrics_.get());
      return RouteDecision::Answer("metrics",
                                   LocalResponse{200, std::string(metrics::kMetricsContentType), std::move(text), {}});
    });
    // vLLM's gates hold on every route, whoever registered it.
    routes.AddFilter([this](const RequestHead& head, RouteDecision* decision) {
      endpoints::ApplyVllmGates(*endpoints_, head, decision);
    });
    // Disaggregated prefill: the leg filters run after the gates' (app/pd_legs.h).
    if (frontend.pd_mode != pd::PdMode::kNone) {
      PdLegOptions pd_options;
      pd_options.mode = frontend.pd_mode;
      pd_options.bootstrap_port = frontend.pd_bootstrap_port;
      pd_options.pod_address = pd::PodAddress(settings.pd_advertise_host);
      pd_options.prefill_host = settings.pd_prefill_host;
      pd_options.prefill_timeout = settings.pd_prefill_timeout;
      pd_options.backend = frontend.backend;
      pd_options.backend_api_key = endpoints_->backend_api_key;
      routes.AddFilter(PdLegFilter(io_, std::move(pd_options)));
    }
    door.SetHealthCheckPause([this] { return endpoints_->sleep.sleeping(); });
  }

  void Start() override { asio::co_spawn(io_, scraper_->Run(), LogTaskFailure("the metrics scraper")); }
  void Stop() override { scraper_->Stop(); }

 private:
  asio::io_context& io_;
  FrontDoor& door_;
  RewriteOptions rewrite_options_;
  metrics::MetricsLabels labels_;
  std::shared_ptr<metrics::RequestMetrics> request_metrics_;
  std::unique_ptr<endpoints::EndpointContext> endpoints_;
  std::unique_ptr<metrics::MetricsScraper> scraper_;
};

}  // namespace

std::unique_ptr<FrontDoorRoutes> InstallFrontDoorRoutes(asio::io_context& io, FrontDoor& door, const Settings& settings,
                                                        const Translation& translation) {
  return std::make_unique<Routes>(io, door, settings, translation);
}

}  // namespace shim

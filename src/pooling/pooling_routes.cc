#include "pooling/pooling_routes.h"

#include <memory>

#include "endpoints/endpoint_reply.h"
#include "endpoints/fastapi_route.h"
#include "endpoints/sglang_error_filter.h"
#include "endpoints/vllm_endpoints.h"
#include "pooling/embeddings_filter.h"
#include "pooling/pooling_answer.h"
#include "rewrite/error_shape.h"

namespace shim::pooling {
namespace {

using endpoints::ToLocalResponse;

constexpr const char* kPoolingPaths[] = {"/v1/embeddings", "/v2/embed", "/classify",  "/pooling",  "/score",
                                         "/v1/score",      "/rerank",   "/v1/rerank", "/v2/rerank"};

// vLLM's generation routes (src/app adds chat and completions for a generation model).
constexpr const char* kGenerationPaths[] = {
    "/v1/chat/completions", "/v1/completions", "/v1/chat/completions/batch", "/v1/responses", "/v1/messages",
    "/v1/messages/count_tokens", "/inference/v1/generate", "/generative_scoring", "/v1/chat/completions/render",
    "/v1/completions/render", "/scale_elastic_ep", "/is_scaling_elastic_ep",
    // vLLM registers these for the transcription task only, never for a pooling model.
    "/v1/audio/transcriptions", "/v1/audio/translations"};

RouteHandler NotFound() {
  return [](const RequestHead&) {
    return RouteDecision::Answer("not_found", ToLocalResponse(endpoints::RouteNotFound()));
  };
}

void AddPost(RouteTable& routes, const std::string& path, RouteHandler handler) {
  endpoints::AddFastApiRoute(routes, path, {"POST"}, std::move(handler));
}

RouteDecision ProxyTo(RouteLabel label, std::string_view sglang_path, std::shared_ptr<RouteFilter> filter) {
  RouteDecision d = RouteDecision::Proxy(label);
  d.upstream_path = sglang_path;
  d.filters.Add(std::move(filter));
  return d;
}

}  // namespace

RouteDecision EmbeddingsDecision(const std::string& served_name, std::shared_ptr<const SglangAccess> sglang) {
  return ProxyTo("embeddings", "/v1/embeddings", std::make_shared<EmbeddingsFilter>(served_name, std::move(sglang)));
}

RouteDecision ClassifyDecision() {
  static const auto errors = std::make_shared<endpoints::SglangErrorFilter>();  // the answer is already vLLM's
  return ProxyTo("classify", "/v1/classify", errors);
}

Scoring ScoringForTask(const std::string& task) {
  return task == "embed" ? Scoring::kBiEncoder : Scoring::kCrossEncoder;
}

RouteDecision ScoreDecision(const std::string& served_name, Scoring scoring) {
  return ProxyTo("score", ScoreUpstream(scoring), std::make_shared<ScoreFilter>(served_name, scoring));
}

RouteDecision RerankDecision(const std::string& served_name, Scoring scoring) {
  return ProxyTo("rerank", RerankUpstream(scoring), std::make_shared<RerankFilter>(served_name, scoring));
}

void RegisterTaskRoutes(RouteTable& routes, bool pooling_model, const std::string& task, const std::string& served_name,
                        std::shared_ptr<const SglangAccess> sglang) {
  if (!pooling_model) {
    for (const char* path : kPoolingPaths) routes.AddExact(path, {}, NotFound());
    return;
  }
  for (const char* path : kGenerationPaths) routes.AddExact(path, {}, NotFound());
  routes.AddPrefix("/v1/responses/", {}, NotFound());

  // A task the flags name has one of the two routes only.
  if (task == "classify") {
    routes.AddExact("/v1/embeddings", {}, NotFound());
  } else {
    AddPost(routes, "/v1/embeddings",
            [served_name, sglang](const RequestHead&) { return EmbeddingsDecision(served_name, sglang); });
  }
  if (task == "embed") {
    routes.AddExact("/classify", {}, NotFound());
  } else {
    AddPost(routes, "/classify", [](const RequestHead&) { return ClassifyDecision(); });
  }
  const Scoring scoring = ScoringForTask(task);
  for (const char* path : {"/rerank", "/v1/rerank", "/v2/rerank"}) {
    AddPost(routes, path, [served_name, scoring](const RequestHead&) { return RerankDecision(served_name, scoring); });
  }
  for (const char* path : {"/score", "/v1/score"}) {
    AddPost(routes, path, [served_name, scoring](const RequestHead&) { return ScoreDecision(served_name, scoring); });
  }
  for (const char* path : {"/pooling", "/v2/embed"}) {
    AddPost(routes, path, [path](const RequestHead&) {
      std::string message = "The engine behind this server (SGLang) has no equivalent of " + std::string(path) +
                            "; use /v1/embeddings, /classify, /score or /rerank.";
      return RouteDecision::Answer(
          "pooling_unsupported",
          LocalResponse{501, "application/json", VllmErrorBody(501, message, "NotImplementedError"), {}});
    });
  }
}

}  // namespace shim::pooling

// The route table: for each request head, a handler decides whether the front
// door answers locally or proxies to SGLang, and which filters (route_filter.h)
// the exchange goes through. Later components plug in here:
//
//   front_door.routes().AddExact("/metrics", {"GET"}, [&](const RequestHead&) {
//     return RouteDecision::Answer("metrics", LocalResponse{200, kMetricsType, RenderMetrics(...), {}});
//   });
//   front_door.routes().AddExact("/v1/chat/completions", {"POST"}, [&](const RequestHead&) {
//     RouteDecision d = RouteDecision::Proxy("chat_completions");
//     d.filters.Add(chat_rewrite);   // a RouteFilter: request body in, errors and SSE frames out
//     return d;
//   });
//   front_door.routes().AddFilter(...);  // vLLM's gates: run on every decision, append their filters
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>

#include "frontdoor/local_response.h"
#include "frontdoor/request_head.h"
#include "frontdoor/request_path.h"
#include "frontdoor/route_filter.h"

namespace shim {

// Answers a request asynchronously (it may call SGLang with FetchFromBackend).
// Gets the request body, buffered up to max_body_bytes.
using AsyncAnswer = std::function<boost::asio::awaitable<LocalResponse>(const RequestHead& head, std::string body)>;

// A route's name in stats and logs: a string literal, so that deciding a
// route copies nothing (consteval rejects anything built at run time).
struct RouteLabel {
  consteval RouteLabel(const char* literal) : text(literal) {}  // NOLINT: implicit on purpose
  std::string_view text;
};

struct RouteDecision {
  enum class Kind {
    kProxy,        // relay to SGLang (streaming unless a transform needs the whole body)
    kAnswer,       // answer `answer` locally, never touching SGLang
    kAnswerAsync,  // answer with `async_answer`
  };
  Kind kind = Kind::kProxy;
  std::string_view label = "proxy";  // a RouteLabel's text (static storage); keep it short
  // kProxy: SGLang's path when it differs from the client's (a literal, as the label); the
  // query string is kept. Empty: the client's target as it came.
  std::string_view upstream_path;
  LocalResponse answer;
  AsyncAnswer async_answer;
  // What a proxied exchange goes through, in order; a local answer goes
  // through the filters' OnLocalAnswer.
  FilterChain filters;

  static RouteDecision Proxy(RouteLabel label);
  static RouteDecision Answer(RouteLabel label, LocalResponse response);
  static RouteDecision AnswerAsync(RouteLabel label, AsyncAnswer answer);
};

using RouteHandler = std::function<RouteDecision(const RequestHead& head)>;

class RouteTable {
 public:
  // `methods` empty: any method. A request whose method is not listed falls
  // through to the next match. The latest registration for a path wins.
  void AddExact(std::string path, std::vector<std::string> methods, RouteHandler handler);
  // Matches every path that starts with `prefix`.
  void AddPrefix(std::string prefix, std::vector<std::string> methods, RouteHandler handler);
  // Runs on every decision, matched or not, in the order added: rules that hold
  // for every route (vLLM's API key, model-name and sleep gates) live here, so
  // that no route can be registered without them.
  using DecisionFilter = std::function<void(const RequestHead& head, RouteDecision* decision)>;
  void AddFilter(DecisionFilter filter);

  // Decides a request that no route matches. Unset: RouteDecision::Proxy("proxy").
  void SetFallback(RouteHandler handler);

  // Matching uses NormalizePath(head.path()); exact routes before prefixes;
  // no match: the fallback. Filters run on the result.
  RouteDecision Decide(const RequestHead& head) const;

 private:
  struct Entry {
    std::string path;
    bool prefix = false;
    std::vector<std::string> methods;
    RouteHandler handler;
  };
  RouteDecision Match(const RequestHead& head) const;

  std::vector<Entry> entries_;
  RouteHandler fallback_;
  std::vector<DecisionFilter> filters_;
};

// SGLang's admin and mutating routes (SGLang @8905cbd4
// python/sglang/srt/entrypoints/http_server.py; docs/configuration.md#security) that the front door
// hides unless VLLM_SGLANG_EXPOSE_ADMIN=1. Exact paths, then prefixes.
const std::vector<std::string>& SglangAdminPaths();
const std::vector<std::string>& SglangAdminPrefixes();
bool IsSglangAdminPath(std::string_view normalized_path);
// Registers FastAPI's 404 for every admin path and prefix (a prefix's bare
// path too): the front door's registration, shared with the request fuzzer.
void HideSglangAdminRoutes(RouteTable* routes);

}  // namespace shim

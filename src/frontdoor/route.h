// The route table: for each request head, a handler decides whether the front
// door answers locally or proxies to SGLang, and which rewriting hooks apply.
// Later components (rewrite, metrics, LoRA, /version...) plug in here:
//
//   front_door.routes().AddExact("/metrics", {"GET"}, [&](const RequestHead&) {
//     RouteDecision d = RouteDecision::AnswerAsync("metrics", [&](const RequestHead& h, std::string) {
//       return RenderMetrics(...);   // awaitable<LocalResponse>, may call FetchFromBackend
//     });
//     return d;
//   });
//   front_door.routes().AddExact("/v1/chat/completions", {"POST"}, [&](const RequestHead&) {
//     RouteDecision d = RouteDecision::Proxy("chat_completions");
//     d.body_transform = [&](const RequestHead& h, std::string* body, BodyScan* scan, LocalResponse* reject) {
//       return RewriteChatRequest(settings, body, reject);       // src/rewrite, pure
//     };
//     d.sse_transform = [&](std::string_view frame, std::string* out) { return RewriteSseFrame(frame, out); };
//     d.response_transform = [&](const RequestHead& h, int* status, HeaderList* headers,
//                                std::string* body) { RewriteErrorBody(status, body); };
//     d.wants_response_body = [](int status) { return status >= 400; };
//     return d;
//   });
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
#include "rewrite/json_scanner.h"

namespace shim {

// What the body transforms of one request know of its body: a scan of its
// root object, when one was made. Transforms are chained (rewrite, then model
// selection); one that scanned the body leaves its scan here so the next need
// not scan again, and one that changes the body must either leave a scan of
// the new body or reset it.
using BodyScan = std::optional<JsonObjectScan>;

// Rewrites a buffered request body (at most Settings::max_body_bytes; larger
// bodies get 413 before this runs). Return false to answer *reject instead of
// proxying. Runs on the I/O thread: keep it short and never throw.
using BodyTransform =
    std::function<bool(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject)>;

// Rewrites a whole non-streaming response (status, headers without hop-by-hop
// ones, body up to max_body_bytes); it may change the status too (FastAPI's 422
// becomes vLLM's 400). Content-Length is recomputed afterwards.
using ResponseTransform =
    std::function<void(const RequestHead& head, int* status, HeaderList* headers, std::string* body)>;

// Looks at one Server-Sent-Events frame of a text/event-stream response,
// including its terminating blank line ("data: {...}\n\n"). Return false to
// relay it unchanged (no copy is made), or true with *out holding the frame to
// send instead (empty drops it). Frames are relayed as soon as they are complete.
using SseFrameTransform = std::function<bool(std::string_view frame, std::string* out)>;

// Decides from the status whether a non-streaming response needs its whole
// body for response_transform; a response that does not is streamed through.
using ResponseBodyWanted = std::function<bool(int status)>;

// Edits the head of every proxied response, streaming or not, before it is sent
// (e.g. X-Request-Id). Content-Length and framing headers are the front door's.
using ResponseHeadersTransform = std::function<void(const RequestHead& head, int status, HeaderList* headers)>;

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
  LocalResponse answer;
  AsyncAnswer async_answer;
  BodyTransform body_transform;
  ResponseTransform response_transform;
  ResponseBodyWanted wants_response_body;  // unset: every status goes through response_transform
  SseFrameTransform sse_transform;
  ResponseHeadersTransform response_headers;
  // Whatever the hooks above share for this one request (a filter that wraps
  // them keeps its state here, so each hook captures a plain pointer and fits
  // in std::function without an allocation of its own). Lives as long as the
  // decision.
  std::shared_ptr<void> hook_state;

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

}  // namespace shim

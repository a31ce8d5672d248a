// The per-route filter chain: what happens to one proxied exchange, as an
// ordered list of small filters that the route and vLLM's gates append to.
// Reading a route's registration tells the order: the route's own filters
// first (request rewriting), then the gates' (model selection, X-Request-Id).
//
//   request body    each filter in order may edit it or refuse the request
//                   (its answer then goes through every filter's OnLocalAnswer)
//   preflight       each filter that has one, in order: an asynchronous step of its own
//                   (a call to SGLang) that may edit the body or answer instead
//   response head   each filter in order, for every proxied response
//   response body   each filter that wants the whole body for the status it
//                   sees (a filter before it may have changed the status)
//   SSE frames      each filter in order sees the previous one's output
//   local answers   any answer the front door gives itself for the request
//   watching        read-only: SGLang's status, the body bytes as they go out,
//                   and how the exchange ended (the front door's metrics)
//
// Filters run on the I/O thread: keep them short and never throw. A filter
// that holds per-request state is created per request; a stateless one may be
// shared by every request of a route.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>
#include <boost/container/small_vector.hpp>

#include "frontdoor/local_response.h"
#include "frontdoor/request_head.h"
#include "rewrite/json_scanner.h"

namespace shim {

// What the request-body filters know of the body: a scan of its root object,
// when one was made. A filter that scanned the body leaves its scan here so
// the next need not scan again; one that changes the body must either leave a
// scan of the new body or reset it.
using BodyScan = std::optional<JsonObjectScan>;

// How a proxied exchange ended, for the filters that watch it.
struct ExchangeEnd {
  bool response_complete = false;  // the whole response went to the client
  bool client_gone = false;        // the client left before it did
};

class RouteFilter {
 public:
  virtual ~RouteFilter() = default;

  // Request body, buffered whole (at most Settings::max_body_bytes; larger
  // bodies get 413 first). Return false to answer *reject instead of proxying.
  virtual bool NeedsRequestBody() const { return false; }
  virtual bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) {
    return true;
  }

  // After every filter's OnRequestBody, before the exchange is proxied: a step that needs
  // to wait (a call of the filter's own to SGLang). It may edit *body (with any scan the
  // filter keeps now stale), or set *answer and return true to answer it instead of
  // proxying. Called only when HasPreflight(); it must not throw.
  virtual bool HasPreflight() const { return false; }
  virtual boost::asio::awaitable<bool> Preflight(const RequestHead& head, std::string* body, LocalResponse* answer);

  // SGLang's path chosen from the request body (read after OnRequestBody): a non-empty
  // literal overrides the decision's upstream_path. vLLM's /v1/responses with a JSON-schema
  // text format is served by SGLang's chat route, which the body alone tells.
  virtual std::string_view UpstreamPath() const { return {}; }

  // The head of every proxied response, streamed or not, before it is sent.
  // Content-Length and framing headers are the front door's.
  virtual bool EditsResponseHead() const { return false; }
  virtual void OnResponseHead(const RequestHead& head, int status, HeaderList* headers) {}

  // A whole non-streaming response body (up to max_body_bytes) for the
  // statuses this filter asks for; it may change the status too.
  // Content-Length is recomputed afterwards.
  virtual bool WantsResponseBody(int status) const { return false; }
  virtual void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) {}

  // One Server-Sent-Events frame with its terminating blank line. Return false
  // to pass it on unchanged (no copy is made), or true with *out holding the
  // frame to send instead (empty drops it).
  virtual bool RewritesSseFrames() const { return false; }
  virtual bool OnSseFrame(std::string_view frame, std::string* out) { return false; }

  // An answer the front door gives itself for this request (a refused body,
  // a local route's answer, an error), before it is sent.
  virtual void OnLocalAnswer(const RequestHead& head, LocalResponse* response) {}

  // Watching a proxied exchange without changing it: SGLang's response status,
  // the decoded body bytes in order as they are relayed (before any SSE
  // rewrite), then once how the exchange ended, whether or not SGLang answered.
  virtual bool WatchesExchange() const { return false; }
  virtual void OnWatchedHead(int status, bool event_stream) {}
  virtual void OnWatchedBody(std::string_view bytes) {}
  virtual void OnExchangeEnd(const ExchangeEnd& end) {}
};

class FilterChain {
 public:
  // Appends a filter: it runs after every filter already in the chain.
  void Add(std::shared_ptr<RouteFilter> filter);
  bool empty() const { return filters_.empty(); }
  size_t size() const { return filters_.size(); }

  bool NeedsRequestBody() const;
  // False with *reject (already through OnLocalAnswer) when a filter refused.
  bool RunRequestBody(const RequestHead& head, std::string* body, LocalResponse* reject) const;

  bool HasPreflight() const;
  // True with *answer (already through OnLocalAnswer) when a filter answered; a filter that
  // throws is answered with a 500.
  boost::asio::awaitable<bool> RunPreflight(const RequestHead& head, std::string* body, LocalResponse* answer) const;

  // The last non-empty UpstreamPath() of the chain, or empty.
  std::string_view UpstreamPath() const;

  bool EditsResponseHead() const;
  void RunResponseHead(const RequestHead& head, int status, HeaderList* headers) const;

  bool WantsResponseBody(int status) const;
  void RunResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) const;

  bool RewritesSseFrames() const;
  bool RunSseFrame(std::string_view frame, std::string* out) const;

  void RunLocalAnswer(const RequestHead& head, LocalResponse* response) const;

  bool WatchesExchange() const;
  void RunWatchedHead(int status, bool event_stream) const;
  void RunWatchedBody(std::string_view bytes) const;
  void RunExchangeEnd(const ExchangeEnd& end) const;

 private:
  // A route has at most a few filters: kept inline, no allocation per request.
  boost::container::small_vector<std::shared_ptr<RouteFilter>, 4> filters_;
};

}  // namespace shim

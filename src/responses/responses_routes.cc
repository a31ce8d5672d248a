#include "responses/responses_routes.h"

#include "endpoints/endpoint_reply.h"
#include "endpoints/fastapi_route.h"
#include "endpoints/vllm_endpoints.h"
#include "frontdoor/request_path.h"
#include "responses/responses_filter.h"
#include "rewrite/error_shape.h"

namespace shim::responses {
namespace {

using endpoints::ToLocalResponse;

constexpr std::string_view kPrefix = "/v1/responses/";
constexpr std::string_view kCancel = "/cancel";

RouteDecision MethodNotAllowed() {
  return RouteDecision::Answer("method_not_allowed", ToLocalResponse(endpoints::MethodNotAllowed()));
}

RouteDecision ProxyStored(RouteLabel label) {
  RouteDecision d = RouteDecision::Proxy(label);
  d.filters.Add(std::make_shared<StoredResponseUsageFilter>());
  return d;
}

// GET /v1/responses/{id} and POST /v1/responses/{id}/cancel.
RouteDecision ById(const ResponsesStore& store, const RequestHead& head) {
  std::string storage;
  std::string_view rest = NormalizedPath(head.path(), &storage).substr(kPrefix.size());
  const bool cancel = rest.size() > kCancel.size() && rest.substr(rest.size() - kCancel.size()) == kCancel;
  if (cancel) rest.remove_suffix(kCancel.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return RouteDecision::Answer("not_found", ToLocalResponse(endpoints::RouteNotFound()));
  }
  if (cancel != (head.method == "POST") || (!cancel && head.method != "GET" && head.method != "HEAD")) {
    return MethodNotAllowed();
  }
  const std::string* stored = store.Response(std::string(rest));
  if (stored == nullptr) return ProxyStored(cancel ? RouteLabel("responses_cancel") : RouteLabel("responses_get"));
  if (cancel) {
    // The front door's responses are never background ones (vLLM's answer for a synchronous one).
    return RouteDecision::Answer(
        "responses_cancel",
        LocalResponse{400,
                      "application/json",
                      VllmErrorBody(400, "Cannot cancel a synchronous response.", "invalid_request_error"),
                      {}});
  }
  return RouteDecision::Answer("responses_get", LocalResponse{200, "application/json", *stored, {}});
}

}  // namespace

void RegisterResponsesRoutes(RouteTable& routes, std::shared_ptr<ResponsesStore> store) {
  endpoints::AddFastApiRoute(routes, "/v1/responses", {"POST"}, [store](const RequestHead&) {
    RouteDecision d = RouteDecision::Proxy("responses");
    d.filters.Add(std::make_shared<ResponsesFilter>(store));
    return d;
  });
  routes.AddPrefix(std::string(kPrefix), {}, [store](const RequestHead& head) { return ById(*store, head); });
}

}  // namespace shim::responses

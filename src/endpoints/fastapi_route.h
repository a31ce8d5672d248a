// Registering a route as FastAPI has it: the route's methods reach the handler, and any other
// method answers FastAPI's 405 {"detail":"Method Not Allowed"} without reaching SGLang.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "endpoints/endpoint_reply.h"
#include "endpoints/vllm_endpoints.h"
#include "frontdoor/route.h"

namespace shim::endpoints {

inline void AddFastApiRoute(RouteTable& routes, const std::string& path, std::vector<std::string> methods,
                            RouteHandler handler) {
  // Registered first, so the real route wins for its own methods.
  routes.AddExact(path, {}, [](const RequestHead&) {
    return RouteDecision::Answer("method_not_allowed", ToLocalResponse(MethodNotAllowed()));
  });
  routes.AddExact(path, std::move(methods), std::move(handler));
}

}  // namespace shim::endpoints

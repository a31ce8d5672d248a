#include "endpoints/endpoint_reply.h"

#include "rewrite/error_shape.h"

namespace shim::endpoints {

EndpointReply JsonReply(int status, std::string body) {
  EndpointReply reply;
  reply.status = status;
  reply.content_type = std::string(kJsonContentType);
  reply.body = std::move(body);
  return reply;
}

EndpointReply VllmError(int status, std::string_view message, std::string_view type, std::string_view param) {
  // One builder for the whole shim (src/rewrite): vLLM's member order
  // message, type, param, code, and invalid UTF-8 from client names replaced.
  return JsonReply(status, VllmErrorBody(status, message, type, param));
}

EndpointReply RouteNotFound() { return JsonReply(404, R"({"detail":"Not Found"})"); }

EndpointReply MethodNotAllowed() { return JsonReply(405, R"({"detail":"Method Not Allowed"})"); }

}  // namespace shim::endpoints

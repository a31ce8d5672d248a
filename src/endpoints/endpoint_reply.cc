#include "endpoints/endpoint_reply.h"

#include <nlohmann/json.hpp>

namespace shim::endpoints {

EndpointReply JsonReply(int status, std::string body) {
  EndpointReply reply;
  reply.status = status;
  reply.content_type = std::string(kJsonContentType);
  reply.body = std::move(body);
  return reply;
}

EndpointReply VllmError(int status, std::string_view message, std::string_view type,
                        std::string_view param) {
  nlohmann::json error = {{"message", std::string(message)},
                          {"type", std::string(type)},
                          {"param", nullptr},
                          {"code", status}};
  if (!param.empty()) error["param"] = std::string(param);
  nlohmann::json body = {{"error", std::move(error)}};
  // Replace keeps invalid UTF-8 from client-supplied names from throwing.
  return JsonReply(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

EndpointReply RouteNotFound() { return JsonReply(404, R"({"detail":"Not Found"})"); }

}  // namespace shim::endpoints

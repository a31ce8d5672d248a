#include "frontdoor/local_response.h"

#include "rewrite/error_shape.h"

namespace shim {

LocalResponse VllmErrorResponse(int status, std::string_view message, std::string_view type) {
  // The same body builder as rewritten SGLang errors, so every error a client
  // sees has vLLM's member order (message, type, param, code).
  LocalResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = VllmErrorBody(status, message, type.empty() ? VllmErrorTypeForStatus(status) : type);
  return response;
}

LocalResponse FastApiNotFound() {
  LocalResponse response;
  response.status = 404;
  response.content_type = "application/json";
  response.body = R"({"detail":"Not Found"})";
  return response;
}

std::string SerializeLocalResponse(const LocalResponse& response, int version_minor, bool keep_alive, bool head_only) {
  std::string out;
  out.reserve(128 + response.body.size());
  out.append(version_minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(response.status));
  out.push_back(' ');
  out.append(HttpStatusPhrase(response.status));
  out.append("\r\n");
  if (!response.content_type.empty()) {
    out.append("Content-Type: ").append(response.content_type).append("\r\n");
  }
  for (const auto& [name, value] : response.headers) {
    out.append(name).append(": ").append(value).append("\r\n");
  }
  out.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n");
  if (!keep_alive) {
    out.append("Connection: close\r\n");
  } else if (version_minor == 0) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
  if (!head_only) out.append(response.body);
  return out;
}

}  // namespace shim

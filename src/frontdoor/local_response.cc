#include "frontdoor/local_response.h"

#include "rewrite/error_shape.h"

namespace shim {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

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
  out.append(ReasonPhrase(response.status));
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

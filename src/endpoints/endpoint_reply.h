// An answer an endpoint handler produces locally, independent of the front
// door's response type so the pure logic here can be tested on its own.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shim::endpoints {

struct EndpointReply {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

inline constexpr std::string_view kJsonContentType = "application/json";
// vLLM's plain-string answers (LoRA load/unload) are FastAPI Response objects
// with media_type None; Starlette then sends no Content-Type. We send text/plain
// so clients that log the body see text; the body bytes are vLLM's.
inline constexpr std::string_view kTextContentType = "text/plain; charset=utf-8";

EndpointReply JsonReply(int status, std::string body);

// vLLM's ErrorResponse (vllm/entrypoints/openai/engine/protocol.py):
// {"error":{"message","type","param","code"}} with the HTTP status = code.
EndpointReply VllmError(int status, std::string_view message, std::string_view type, std::string_view param = {});

// FastAPI's answer for a route that is not registered: 404 {"detail":"Not Found"}.
// Gated vLLM routes answer this way when their environment variable is off.
EndpointReply RouteNotFound();

// FastAPI's answer for a registered path called with another method:
// 405 {"detail":"Method Not Allowed"}.
EndpointReply MethodNotAllowed();

}  // namespace shim::endpoints

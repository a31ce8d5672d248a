// Responses the front door writes itself (health, errors, blocked routes) and
// the vLLM-shaped JSON error bodies they carry.
#pragma once
#include <string>
#include <string_view>

#include "frontdoor/request_head.h"

namespace shim {

struct LocalResponse {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::string body;
  HeaderList headers;  // extra headers (never hop-by-hop ones)
};

// vLLM's ErrorResponse (vllm/entrypoints/openai/engine/protocol.py):
// {"error":{"message":..,"type":..,"param":null,"code":<status>}}. When `type`
// is empty the HTTP reason phrase is used, as vLLM does for HTTPException.
LocalResponse VllmErrorResponse(int status, std::string_view message, std::string_view type = {});

// FastAPI's default answer for a path that has no route: 404 {"detail":"Not Found"}.
// vLLM answers unknown paths this way, so hidden SGLang admin routes look absent.
LocalResponse FastApiNotFound();

// Wire form of a local response. `head_only` (HEAD requests) keeps the
// Content-Length of the body but leaves the body out.
std::string SerializeLocalResponse(const LocalResponse& response, int version_minor, bool keep_alive, bool head_only);

}  // namespace shim

// Request ids as vLLM handles them: an incoming X-Request-Id is the request's
// id and is passed on to SGLang; with --enable-request-id-headers every answer
// carries X-Request-Id, the incoming one or a new uuid4 hex
// (vllm/entrypoints/openai/api_server.py, add_request_id middleware).
#pragma once
#include <string>

namespace shim::endpoints {

// 32 lowercase hex digits of a random version-4 UUID (Python's uuid4().hex).
std::string NewRequestIdHex();

// The id to echo: the incoming header value when present and non-empty, else a new one.
std::string ResponseRequestId(const std::string* incoming);

}  // namespace shim::endpoints

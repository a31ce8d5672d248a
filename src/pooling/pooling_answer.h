// What vLLM's pooling answers share (vLLM @9aaf83ef vllm/entrypoints/pooling/): response ids
// and errors.
#pragma once
#include <string>
#include <string_view>

#include "frontdoor/local_response.h"
#include "frontdoor/request_head.h"

namespace shim::pooling {

// "<prefix>-<id>": vLLM builds a pooling answer's id from the request's X-Request-Id, or a new
// uuid4 hex without one (pooling/base/serving.py, _base_request_id).
std::string PoolingResponseId(std::string_view prefix, const RequestHead& head);

long long UnixSecondsNow();

// A 400 in vLLM's error shape, as vLLM answers a request its models refuse.
LocalResponse PoolingBadRequest(std::string_view message);

// The engine answered 200 with something that is not the documented shape: a 502 in vLLM's
// shape instead of a half-translated answer.
void ReplaceWithBadGateway(int* status, std::string* body, std::string_view what);

}  // namespace shim::pooling

// A small coroutine HTTP/1.1 client for the shim's own calls to SGLang
// (health checks now; metrics scrapes and LoRA calls later). One fresh
// loopback connection per call, so it never competes with the proxy's pool.
#pragma once
#include <chrono>
#include <string>
#include <string_view>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>

#include "frontdoor/request_head.h"
#include "translate/translation.h"

namespace shim {

struct BackendResponse {
  bool ok = false;      // a complete response arrived (any status)
  std::string error;    // when !ok: one line, e.g. "connect: Connection refused"
  int status = 0;
  HeaderList headers;
  std::string body;
};

struct BackendRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  HeaderList headers;   // e.g. {"Authorization", "Bearer ..."}; Host is added
  std::chrono::milliseconds timeout{3000};  // whole exchange, connect included
  size_t max_response_bytes = 16 * 1024 * 1024;
};

// Never throws; every failure (refused, timeout, malformed, too large) is a
// BackendResponse with ok == false.
boost::asio::awaitable<BackendResponse> FetchFromBackend(const Endpoint& backend, BackendRequest request);

// Header list carrying `Authorization: Bearer <key>` when `api_key` is not empty.
HeaderList BearerHeaders(std::string_view api_key);

}  // namespace shim

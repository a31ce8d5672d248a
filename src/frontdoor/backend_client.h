// A small coroutine HTTP/1.1 client for the shim's own calls to SGLang
// (health checks now; metrics scrapes and LoRA calls later). One fresh
// loopback connection per call, so it never competes with the proxy's pool.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>

#include "frontdoor/request_head.h"
#include "translate/translation.h"

namespace shim {

struct BackendResponse {
  bool ok = false;    // a complete response arrived (any status)
  std::string error;  // when !ok: one line, e.g. "connect: Connection refused"
  int status = 0;
  HeaderList headers;
  std::string body;
};

// Lets the owner of a fetch end it early (shutdown must not wait for a slow
// SGLang /health). Single-threaded, like everything on the io_context.
struct FetchCancel {
  void Cancel() {
    cancelled = true;
    if (abort) abort();
  }
  bool cancelled = false;       // sticky: later fetches with it fail at once
  std::function<void()> abort;  // set by FetchFromBackend while it runs
};

struct BackendRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  HeaderList headers;                       // e.g. {"Authorization", "Bearer ..."}; Host is added
  std::chrono::milliseconds timeout{3000};  // whole exchange, connect included
  size_t max_response_bytes = 16 * 1024 * 1024;
  std::shared_ptr<FetchCancel> cancel;  // optional
};

// Never throws; every failure (refused, timeout, malformed, too large,
// cancelled) is a BackendResponse with ok == false. `backend` is taken by
// value: a coroutine must not keep a reference its caller may outlive. Pass a
// named Endpoint, not a braced temporary: GCC 12 destroys a braced prvalue
// argument of a coroutine twice (seen in backend_client_test.cc).
boost::asio::awaitable<BackendResponse> FetchFromBackend(Endpoint backend, BackendRequest request);

// Header list carrying `Authorization: Bearer <key>` when `api_key` is not empty.
HeaderList BearerHeaders(std::string_view api_key);

// A call the front door makes to SGLang on its own: the key SGLang knows, and a JSON
// Content-Type when there is a body.
BackendRequest OwnBackendRequest(std::string method, std::string target, std::string body, std::string_view api_key,
                                 std::chrono::milliseconds timeout);

}  // namespace shim

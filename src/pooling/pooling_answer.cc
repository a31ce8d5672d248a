#include "pooling/pooling_answer.h"

#include <chrono>

#include "endpoints/request_id.h"
#include "rewrite/error_shape.h"

namespace shim::pooling {

std::string PoolingResponseId(std::string_view prefix, const RequestHead& head) {
  std::string id(prefix);
  id.push_back('-');
  const std::string* incoming = head.Find("X-Request-Id");
  id.append(endpoints::ResponseRequestId(incoming));
  return id;
}

long long UnixSecondsNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

LocalResponse PoolingBadRequest(std::string_view message) {
  return LocalResponse{400, "application/json", VllmErrorBody(400, message, "BadRequestError"), {}};
}

void ReplaceWithBadGateway(int* status, std::string* body, std::string_view what) {
  *status = 502;
  *body = VllmErrorBody(502, std::string("The engine's ") + std::string(what) + " answer was not in SGLang's shape.",
                        "Bad Gateway");
}

}  // namespace shim::pooling

#include "pooling/cross_encoder_filters.h"

#include "pooling/pooling_answer.h"
#include "rewrite/error_shape.h"
#include "rewrite/json_scanner.h"

namespace shim::pooling {
namespace {

constexpr size_t kMaxDepth = 64;

// The request as JSON; false with *reject in vLLM's shape when it is not a JSON object.
bool ParseRequest(const std::string& body, nlohmann::json* out, LocalResponse* reject) {
  if (ParseJsonValue(body, kMaxDepth, out) && out->is_object()) return true;
  *reject = PoolingBadRequest("The request body must be a JSON object.");
  return false;
}

}  // namespace

bool RerankFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse* reject) {
  nlohmann::json request;
  if (!ParseRequest(*body, &request, reject)) return false;
  std::string sglang;
  std::string err;
  if (!SglangRerankRequest(request, &plan_, &sglang, &err)) {
    *reject = PoolingBadRequest(err);
    return false;
  }
  *body = std::move(sglang);
  scan->reset();
  return true;
}

void RerankFilter::OnResponseBody(const RequestHead& head, int* status, HeaderList*, std::string* body) {
  if (*status != 200) {
    ReshapeSglangError(status, body);
    return;
  }
  std::string out;
  std::string err;
  if (!VllmRerankAnswer(*body, plan_, PoolingResponseId("score", head), model_, &out, &err)) {
    ReplaceWithBadGateway(status, body, "rerank");
    return;
  }
  *body = std::move(out);
}

bool ScoreFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse* reject) {
  nlohmann::json request;
  if (!ParseRequest(*body, &request, reject)) return false;
  std::string sglang;
  std::string err;
  if (!SglangScoreRequest(request, &plan_, &sglang, &err)) {
    *reject = PoolingBadRequest(err);
    return false;
  }
  *body = std::move(sglang);
  scan->reset();
  return true;
}

void ScoreFilter::OnResponseBody(const RequestHead& head, int* status, HeaderList*, std::string* body) {
  if (*status != 200) {
    ReshapeSglangError(status, body);
    return;
  }
  std::string out;
  std::string err;
  if (!VllmScoreAnswer(*body, plan_, PoolingResponseId("score", head), UnixSecondsNow(), model_, &out, &err)) {
    ReplaceWithBadGateway(status, body, "score");
    return;
  }
  *body = std::move(out);
}

}  // namespace shim::pooling

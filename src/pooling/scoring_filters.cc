#include "pooling/scoring_filters.h"

#include "pooling/bi_encoder.h"
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

// Pair i's scores as rerank results, in document order (vLLM sorts them from there).
std::vector<Scored> InDocumentOrder(const std::vector<double>& scores) {
  std::vector<Scored> scored;
  scored.reserve(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) scored.push_back({i, scores[i]});
  return scored;
}

// The end of both filters' request hook: SGLang's body, or vLLM's 400 with why not.
bool SendOrRefuse(bool ok, std::string sglang, const std::string& err, std::string* body, BodyScan* scan,
                  LocalResponse* reject) {
  if (!ok) {
    *reject = PoolingBadRequest(err);
    return false;
  }
  *body = std::move(sglang);
  scan->reset();
  return true;
}

// The end of both filters' answer hook: vLLM's answer, or a 502 when SGLang's was not its shape.
void AnswerOrBadGateway(bool ok, std::string out, std::string_view what, int* status, std::string* body) {
  if (!ok) {
    ReplaceWithBadGateway(status, body, what);
    return;
  }
  *body = std::move(out);
}

}  // namespace

std::string_view RerankUpstream(Scoring scoring) {
  return scoring == Scoring::kBiEncoder ? "/v1/embeddings" : "/v1/rerank";
}

std::string_view ScoreUpstream(Scoring scoring) {
  return scoring == Scoring::kBiEncoder ? "/v1/embeddings" : "/encode";
}

bool RerankFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse* reject) {
  nlohmann::json request;
  if (!ParseRequest(*body, &request, reject)) return false;
  std::string sglang;
  std::string err;
  bool ok = false;
  if (scoring_ == Scoring::kBiEncoder) {
    std::string query;
    ok = ParseRerankRequest(request, &query, &plan_, &err);
    if (ok) sglang = SglangEmbeddingsBody(request, {query}, plan_.documents);
  } else {
    ok = SglangRerankRequest(request, &plan_, &sglang, &err);
  }
  return SendOrRefuse(ok, std::move(sglang), err, body, scan, reject);
}

void RerankFilter::OnResponseBody(const RequestHead& head, int* status, HeaderList*, std::string* body) {
  if (*status != 200) {
    ReshapeSglangError(status, body);
    return;
  }
  std::string out;
  std::string err;
  bool ok = false;
  if (scoring_ == Scoring::kBiEncoder) {
    std::vector<double> scores;
    long long prompt_tokens = 0;
    ok = CosineScores(*body, 1, plan_.documents.size(), &scores, &prompt_tokens, &err);
    if (ok) {
      out = RerankAnswerJson(InDocumentOrder(scores), plan_, prompt_tokens, PoolingResponseId("score", head), model_);
    }
  } else {
    ok = VllmRerankAnswer(*body, plan_, PoolingResponseId("score", head), model_, &out, &err);
  }
  AnswerOrBadGateway(ok, std::move(out), "rerank", status, body);
}

bool ScoreFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse* reject) {
  nlohmann::json request;
  if (!ParseRequest(*body, &request, reject)) return false;
  std::string sglang;
  std::string err;
  bool ok = false;
  if (scoring_ == Scoring::kBiEncoder) {
    ok = ParseScoreRequest(request, &sides_, &err);
    if (ok) sglang = SglangEmbeddingsBody(request, sides_.queries, sides_.documents);
  } else {
    ok = SglangScoreRequest(request, &plan_, &sglang, &err);
  }
  return SendOrRefuse(ok, std::move(sglang), err, body, scan, reject);
}

void ScoreFilter::OnResponseBody(const RequestHead& head, int* status, HeaderList*, std::string* body) {
  if (*status != 200) {
    ReshapeSglangError(status, body);
    return;
  }
  std::string out;
  std::string err;
  bool ok = false;
  if (scoring_ == Scoring::kBiEncoder) {
    std::vector<double> scores;
    long long prompt_tokens = 0;
    ok = CosineScores(*body, sides_.queries.size(), sides_.documents.size(), &scores, &prompt_tokens, &err);
    if (ok) out = ScoreAnswerJson(scores, prompt_tokens, PoolingResponseId("score", head), UnixSecondsNow(), model_);
  } else {
    ok = VllmScoreAnswer(*body, plan_, PoolingResponseId("score", head), UnixSecondsNow(), model_, &out, &err);
  }
  AnswerOrBadGateway(ok, std::move(out), "score", status, body);
}

}  // namespace shim::pooling

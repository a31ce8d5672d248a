// libFuzzer target: arbitrary bytes through the translations of vLLM's pooling and Responses
// APIs (src/pooling, src/responses): client requests (untrusted) and SGLang answers and
// stream frames. The first byte picks the parser. Checks that every output the front door
// would send is valid JSON, not just the absence of crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pooling/chat_embeddings.h"
#include "pooling/cross_encoder.h"
#include "pooling/embeddings_filter.h"
#include "responses/chat_bridge.h"
#include "responses/chat_stream_bridge.h"
#include "responses/responses_usage.h"
#include "rewrite/json_scanner.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void RequireJson(std::string_view text) {
  size_t depth = 0;
  std::string err;
  Require(shim::ValidateJson(text, &depth, &err));
}

nlohmann::json Parse(std::string_view text) {
  nlohmann::json value;
  if (!shim::ParseJsonValue(text, 256, &value)) return nlohmann::json();
  return value;
}

void Embeddings(std::string_view data) {
  shim::RequestHead head;
  head.method = "POST";
  head.target = "/v1/embeddings";
  // With SGLang access, so chat-style requests are planned (their /tokenize call is not made).
  static const auto sglang =
      std::make_shared<const shim::pooling::SglangAccess>(shim::pooling::SglangAccess{{"127.0.0.1", 1}, "k"});
  shim::pooling::EmbeddingsFilter filter("served", sglang);
  std::string body(data);
  shim::BodyScan scan;
  shim::LocalResponse reject;
  if (!filter.OnRequestBody(head, &body, &scan, &reject)) {
    RequireJson(reject.body);
  } else if (filter.HasPreflight()) {
    // The embeddings request SGLang gets once the ids are in.
    std::string with_ids;
    Require(shim::pooling::WithInputIds(body, {1, 2, 3}, &with_ids));
    RequireJson(with_ids);
  }
  int status = 200;
  shim::HeaderList headers;
  std::string answer(data);
  filter.OnResponseBody(head, &status, &headers, &answer);
  if (status == 200 || status == 502) RequireJson(answer);
}

void CrossEncoder(std::string_view data) {
  const nlohmann::json request = Parse(data);
  std::string body;
  std::string out;
  std::string err;
  shim::pooling::RerankPlan rerank;
  if (shim::pooling::SglangRerankRequest(request, &rerank, &body, &err)) RequireJson(body);
  if (shim::pooling::VllmRerankAnswer(data, rerank, "score-1", "m", &out, &err)) RequireJson(out);
  shim::pooling::ScorePlan score;
  if (shim::pooling::SglangScoreRequest(request, &score, &body, &err)) RequireJson(body);
  score.pairs = 2;
  if (shim::pooling::VllmScoreAnswer(data, score, "score-1", 1, "m", &out, &err)) RequireJson(out);
}

void Responses(std::string_view data) {
  nlohmann::json request = Parse(data);
  shim::responses::BridgePlan plan;
  std::string body;
  std::string err;
  if (shim::responses::ChatRequestFromResponses(request, Parse(R"([{"role":"user","content":"a"}])"), &plan, &body,
                                                &err)) {
    RequireJson(body);
  }
  std::string out;
  nlohmann::json assistant;
  if (shim::responses::ResponsesAnswerFromChat(data, plan, &out, &assistant, &err)) RequireJson(out);
  if (shim::responses::FixAnswerUsage(data, &out)) RequireJson(out);
  shim::responses::FixEventUsage(data, &out);
}

// The input as a chat stream: frames split at blank lines.
void Stream(std::string_view data) {
  shim::responses::BridgePlan plan;
  shim::responses::ChatStreamBridge bridge(&plan);
  std::string out;
  size_t pos = 0;
  while (pos <= data.size()) {
    size_t end = data.find("\n\n", pos);
    if (end == std::string_view::npos) end = data.size();
    bridge.OnChatFrame(data.substr(pos, end - pos + (end < data.size() ? 2 : 0)), &out);
    for (size_t at = out.find("data: "); at != std::string::npos; at = out.find("data: ", at + 1)) {
      size_t eol = out.find('\n', at);
      RequireJson(std::string_view(out).substr(at + 6, eol - at - 6));
    }
    pos = end + 2;
  }
  if (bridge.finished() && !bridge.final_response().empty()) RequireJson(bridge.final_response());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      Embeddings(input);
      break;
    case 1:
      CrossEncoder(input);
      break;
    case 2:
      Responses(input);
      break;
    default:
      Stream(input);
      break;
  }
  return 0;
}

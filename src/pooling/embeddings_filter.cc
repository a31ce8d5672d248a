#include "pooling/embeddings_filter.h"

#include <chrono>
#include <vector>

#include "endpoints/tokenize_shapes.h"
#include "frontdoor/backend_client.h"
#include "pooling/chat_embeddings.h"
#include "pooling/pooling_answer.h"
#include "rewrite/error_shape.h"
#include "rewrite/json_scanner.h"
#include "rewrite/json_splice.h"

namespace shim::pooling {
namespace {

// Deep enough for any request or answer of this route: data[i].embedding is depth 3.
constexpr size_t kMaxDepth = 64;

const JsonMember* FindLast(const JsonObjectScan& scan, std::string_view key) {
  const JsonMember* found = nullptr;
  for (const JsonMember& m : scan.members) {
    if (m.key == key) found = &m;  // Python's json keeps the last duplicate
  }
  return found;
}

// data[] with each embedding replaced by its base64 text. False when an item is not
// {"embedding":[numbers...],...}.
bool EncodeData(std::string_view data_text, const EmbeddingEncoding& encoding, std::string* out) {
  nlohmann::json data;
  if (!ParseJsonValue(data_text, kMaxDepth, &data) || !data.is_array()) return false;
  std::vector<float> values;
  for (nlohmann::json& item : data) {
    if (!item.is_object()) return false;
    auto embedding = item.find("embedding");
    if (embedding == item.end() || !embedding->is_array()) return false;
    values.clear();
    values.reserve(embedding->size());
    for (const nlohmann::json& v : *embedding) {
      if (!v.is_number()) return false;
      values.push_back(v.get<float>());
    }
    *embedding = EncodeEmbeddingBase64(values, encoding);
  }
  *out = DumpJson(data);
  return true;
}

}  // namespace

bool VllmEmbeddingsAnswer(std::string_view sglang_body, const EmbeddingEncoding& encoding,
                          const EmbeddingsAnswerFields& fields, std::string* out, std::string* err) {
  JsonObjectScan scan;
  if (!ScanTopLevelObject(sglang_body, &scan, err)) return false;
  ObjectSplicer splice(sglang_body, scan);
  bool has_data = false;
  for (size_t i = 0; i < scan.members.size(); ++i) {
    const JsonMember& m = scan.members[i];
    if (m.key == "model") {
      splice.Replace(i, JsonMemberText("model", DumpJson(nlohmann::json(fields.model))));
    } else if (m.key == "data") {
      has_data = m.kind == JsonKind::kArray;
      if (!has_data) break;
      if (!encoding.base64) continue;
      std::string encoded;
      if (!EncodeData(m.Value(sglang_body), encoding, &encoded)) {
        *err = "data[] items are not {\"embedding\": [numbers]}";
        return false;
      }
      splice.Replace(i, JsonMemberText("data", encoded));
    }
  }
  if (!has_data) {
    *err = "no data[] list";
    return false;
  }
  if (FindLast(scan, "model") == nullptr)
    splice.Append(JsonMemberText("model", DumpJson(nlohmann::json(fields.model))));
  if (FindLast(scan, "id") == nullptr) splice.Append(JsonMemberText("id", DumpJson(nlohmann::json(fields.id))));
  if (FindLast(scan, "created") == nullptr) {
    splice.Append(JsonMemberText("created", std::to_string(fields.created)));
  }
  *out = splice.Build();
  return true;
}

bool EmbeddingsFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse* reject) {
  JsonObjectScan own;
  std::string err;
  if (!ScanTopLevelObject(*body, &own, &err)) return true;  // SGLang's validation answers, in vLLM's shape
  nlohmann::json fields = nlohmann::json::object();
  for (const JsonMember& m : own.members) {
    if (m.key != "encoding_format" && m.key != "embed_dtype" && m.key != "endianness" && m.key != "messages" &&
        m.key != "normalize") {
      continue;
    }
    nlohmann::json value;
    if (!ParseJsonValue(m.Value(*body), kMaxDepth, &value)) value = nullptr;
    fields[m.key] = std::move(value);
  }
  const bool chat = fields.contains("messages");
  if (chat && !sglang_) {
    *reject = PoolingBadRequest("Chat-style embedding requests (`messages`) are not served on this route.");
    return false;
  }
  if (chat && !PlanChatRendering(*body, &tokenize_body_, &err)) {
    *reject = PoolingBadRequest(err);
    return false;
  }
  if (!ParseEmbeddingEncoding(fields, &encoding_, &err)) {
    *reject = PoolingBadRequest(err);
    return false;
  }
  if (auto normalize = fields.find("normalize");
      normalize != fields.end() && normalize->is_boolean() && !normalize->get<bool>()) {
    *reject =
        PoolingBadRequest("normalize=false is not served by this engine: SGLang always applies the model's pooler.");
    return false;
  }
  ObjectSplicer splice(*body, own);
  for (size_t i = 0; i < own.members.size(); ++i) {
    const std::string& key = own.members[i].key;
    if (key == "embed_dtype" || key == "endianness" || key == "normalize" || (chat && IsChatRenderingField(key))) {
      splice.Remove(i);
    } else if (key == "encoding_format" && encoding_.base64) {
      splice.Replace(i, JsonMemberText("encoding_format", "\"float\""));
    }
  }
  if (!splice.HasEdits()) {
    *scan = std::move(own);
    return true;
  }
  *body = splice.Build();
  scan->reset();
  return true;
}

boost::asio::awaitable<bool> EmbeddingsFilter::Preflight(const RequestHead&, std::string* body, LocalResponse* answer) {
  BackendResponse rendered = co_await FetchFromBackend(
      sglang_->backend,
      OwnBackendRequest("POST", "/tokenize", std::move(tokenize_body_), sglang_->api_key, std::chrono::seconds(60)));
  tokenize_body_.clear();
  if (!rendered.ok) {
    *answer = VllmErrorResponse(503, "The engine could not render the chat messages: " + rendered.error,
                                "ServiceUnavailableError");
    co_return true;
  }
  if (rendered.status != 200) {  // e.g. a model without a chat template: SGLang's error, in vLLM's shape
    int status = rendered.status;
    ReshapeSglangError(&status, &rendered.body);
    *answer = LocalResponse{status, "application/json", std::move(rendered.body), {}};
    co_return true;
  }
  std::vector<long long> ids;
  std::string with_ids;
  if (!endpoints::TokenIdsFromAnswer(rendered.body, &ids) || !WithInputIds(*body, ids, &with_ids)) {
    int status = 200;
    ReplaceWithBadGateway(&status, &rendered.body, "tokenize");
    *answer = LocalResponse{status, "application/json", std::move(rendered.body), {}};
    co_return true;
  }
  *body = std::move(with_ids);
  co_return false;
}

void EmbeddingsFilter::OnResponseBody(const RequestHead& head, int* status, HeaderList*, std::string* body) {
  if (*status != 200) {
    ReshapeSglangError(status, body);
    return;
  }
  std::string out;
  std::string err;
  const EmbeddingsAnswerFields fields{PoolingResponseId("embd", head), UnixSecondsNow(), model_};
  if (!VllmEmbeddingsAnswer(*body, encoding_, fields, &out, &err)) {
    ReplaceWithBadGateway(status, body, "embeddings");
    return;
  }
  *body = std::move(out);
}

}  // namespace shim::pooling

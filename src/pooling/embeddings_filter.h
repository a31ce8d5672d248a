// /v1/embeddings in vLLM's shapes over SGLang's (vLLM @9aaf83ef
// vllm/entrypoints/pooling/embed/protocol.py; SGLang @8905cbd4
// python/sglang/srt/entrypoints/openai/serving_embedding.py):
//   request   the encoding fields are read here and SGLang is asked for floats; the fields
//             SGLang has no use for (embed_dtype, endianness, normalize) are removed; a
//             chat-style request (`messages`) is rendered to token ids by SGLang's /tokenize
//             first (chat_embeddings.h), and SGLang's /v1/embeddings gets those as `input`
//   answer    `id` and `created`, which SGLang leaves out, are added, `model` is the served
//             name (vLLM's models.model_name(); SGLang answers with the model path), and
//             each embedding is base64-encoded when the client asked for it (the OpenAI
//             SDKs' default)
// One filter per request: it remembers the encoding asked for.
#pragma once
#include <memory>
#include <string>

#include "frontdoor/route_filter.h"
#include "pooling/embedding_encoding.h"
#include "translate/translation.h"

namespace shim::pooling {

// What a vLLM embeddings answer carries that SGLang's does not.
struct EmbeddingsAnswerFields {
  std::string id;
  long long created = 0;
  std::string model;  // vLLM answers with the first served name; SGLang with the model path
};

// Edits one SGLang embeddings answer into vLLM's: sets `model`, adds `id` and `created` unless
// present, and encodes each data[i].embedding. False with *err when the answer is not SGLang's
// shape.
bool VllmEmbeddingsAnswer(std::string_view sglang_body, const EmbeddingEncoding& encoding,
                          const EmbeddingsAnswerFields& fields, std::string* out, std::string* err);

// How the front door calls SGLang itself: a chat-style request is rendered by /tokenize.
struct SglangAccess {
  Endpoint backend;
  std::string api_key;  // SGLang's key, never the client's
};

class EmbeddingsFilter final : public RouteFilter {
 public:
  // `sglang` may be null: chat-style requests are then refused.
  EmbeddingsFilter(std::string model, std::shared_ptr<const SglangAccess> sglang)
      : model_(std::move(model)), sglang_(std::move(sglang)) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;

  // A chat-style request: its messages rendered to ids by SGLang's /tokenize.
  bool HasPreflight() const override { return !tokenize_body_.empty(); }
  boost::asio::awaitable<bool> Preflight(const RequestHead& head, std::string* body, LocalResponse* answer) override;

  bool WantsResponseBody(int status) const override { return true; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;

 private:
  std::string model_;  // the first served name
  std::shared_ptr<const SglangAccess> sglang_;
  EmbeddingEncoding encoding_;
  std::string tokenize_body_;  // set for a chat-style request
};

}  // namespace shim::pooling

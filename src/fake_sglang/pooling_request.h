// Bodies of SGLang's pooling routes when it serves an embedding / cross-encoder / classification
// model (--is-embedding): validation and answers of /v1/embeddings, /v1/rerank, /v1/classify,
// /encode, /classify and /generate. Plain functions: routes_pooling.cc only sends what they build.
//
// Upstream (SGLang; the project pins @8905cbd4, these routes were read at newer commits too):
//   python/sglang/srt/entrypoints/openai/serving_embedding.py @bf5ceddc (and @012bcb5f for the
//     token-id batch checks), serving_rerank.py (main with top_n / return_documents),
//     serving_classify.py @984762a0, serving_base.py @c5695a4b, protocol.py @004c82e0,
//   python/sglang/srt/entrypoints/http_server.py (encode_request, classify_request,
//     _create_error_response), python/sglang/srt/managers/io_struct.py EmbeddingReqInput,
//   python/sglang/srt/managers/tokenizer_manager.py (_handle_batch_output, _validate_one_request).
#pragma once
#include <string>
#include <string_view>

#include "fake_sglang/serve_config.h"

namespace shim::fake_sglang {

// A whole answer: status and the serialised JSON body (keys in SGLang's field order).
struct PoolingAnswer {
  int status = 200;
  std::string body;
};

struct PoolingCall {
  const ServeConfig* config = nullptr;
  std::string_view method;        // "POST", "PUT", "GET", ...
  std::string_view content_type;  // the request's Content-Type
  std::string_view body;
};

// POST /v1/embeddings: EmbeddingResponse {data, model, object, usage}, no id and no created.
// encoding_format and dimensions are accepted and ignored (SGLang answers floats).
PoolingAnswer EmbeddingsAnswer(const PoolingCall& call);

// POST|PUT /v1/rerank: a bare list of {score, document, index, meta_info}, best first.
PoolingAnswer RerankAnswer(const PoolingCall& call);

// POST /v1/classify: ClassifyResponse {id, object, created, model, data, usage}.
PoolingAnswer OpenAiClassifyAnswer(const PoolingCall& call);

// POST|PUT /encode and /classify (EmbeddingReqInput), and /generate on an embedding model:
// {"embedding", "meta_info"} for one input, a list of them for a batch; with
// is_cross_encoder_request the text is [query, document] pairs and each embedding is the
// pair's score. /classify's embedding is the classifier's two logits.
enum class NativePooling { kEncode, kClassify, kGenerate };
PoolingAnswer NativePoolingAnswer(const PoolingCall& call, NativePooling kind);

// What /v1/chat/completions and /v1/completions answer on an embedding model: the scheduler
// returns an embedding, and serving_chat / serving_completions read ret_item["text"], so the
// KeyError reaches serving_base.handle_request's catch-all as a 500.
PoolingAnswer GenerationOnEmbeddingModel();

}  // namespace shim::fake_sglang

// SGLang's pooling routes (python/sglang/srt/entrypoints/http_server.py @8905cbd4 and newer:
// /v1/embeddings, /v1/rerank, /v1/classify, /encode, /classify, and /generate on an embedding
// model). With --is-embedding they answer as SGLang serving an embedding / cross-encoder /
// classification model (pooling_request.h); without it they keep the native 200 naming the
// route, which the black-box tests use to see whether the front door let a request through.
#include "fake_sglang/pooling_request.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {
namespace {

PoolingCall CallOf(const EngineState& state, const Exchange& ex) {
  PoolingCall call;
  call.config = &state.config();
  auto method = ex.request().method_string();
  auto content_type = ex.request()[http::field::content_type];
  call.method = std::string_view(method.data(), method.size());
  call.content_type = std::string_view(content_type.data(), content_type.size());
  call.body = ex.request().body();
  return call;
}

enum class Pooling { kEmbeddings, kRerank, kOpenAiClassify, kEncode, kClassify, kGenerate };

PoolingAnswer Answer(const EngineState& state, const Exchange& ex, Pooling route) {
  PoolingCall call = CallOf(state, ex);
  switch (route) {
    case Pooling::kEmbeddings:
      return EmbeddingsAnswer(call);
    case Pooling::kRerank:
      return RerankAnswer(call);
    case Pooling::kOpenAiClassify:
      return OpenAiClassifyAnswer(call);
    case Pooling::kEncode:
      return NativePoolingAnswer(call, NativePooling::kEncode);
    case Pooling::kClassify:
      return NativePoolingAnswer(call, NativePooling::kClassify);
    case Pooling::kGenerate:
      // tokenizer_manager.py has no check in this direction: the scheduler pools the prompt
      // and /generate returns the embedding output as it is.
      return NativePoolingAnswer(call, NativePooling::kGenerate);
  }
  return PoolingAnswer{500, "{}"};
}

net::awaitable<void> Serve(EngineState& state, Exchange& ex, Pooling route) {
  if (state.config().is_embedding) {
    PoolingAnswer answer = Answer(state, ex, route);
    co_await ex.Send(static_cast<http::status>(answer.status), std::move(answer.body), "application/json");
  } else {
    co_await HandleNativeRoute(state, ex);
  }
}

}  // namespace

net::awaitable<void> HandleEmbeddings(EngineState& state, Exchange& ex) {
  co_await Serve(state, ex, Pooling::kEmbeddings);
}
net::awaitable<void> HandleRerank(EngineState& state, Exchange& ex) { co_await Serve(state, ex, Pooling::kRerank); }
net::awaitable<void> HandleOpenAiClassify(EngineState& state, Exchange& ex) {
  co_await Serve(state, ex, Pooling::kOpenAiClassify);
}
net::awaitable<void> HandleEncode(EngineState& state, Exchange& ex) { co_await Serve(state, ex, Pooling::kEncode); }
net::awaitable<void> HandleClassify(EngineState& state, Exchange& ex) { co_await Serve(state, ex, Pooling::kClassify); }
net::awaitable<void> HandleGenerate(EngineState& state, Exchange& ex) { co_await Serve(state, ex, Pooling::kGenerate); }

}  // namespace shim::fake_sglang

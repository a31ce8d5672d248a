// Route handlers of the stand-in, grouped by file: routes_openai.cc (generation),
// routes_info.cc (health, info, load, metrics), routes_models.cc (models, LoRA, tokenizer),
// routes_admin.cc (memory, cache and the other admin routes), routes_pooling.cc (embeddings,
// rerank, classify, encode). Each answers through the Exchange.
#pragma once
#include "fake_sglang/engine_state.h"
#include "fake_sglang/exchange.h"

namespace shim::fake_sglang {

using Handler = net::awaitable<void> (*)(EngineState&, Exchange&);

// Looks up the handler for a path (nullptr: 404 like FastAPI) and whether it is an admin
// route (ADMIN_OPTIONAL in http_server.py: --admin-api-key if set, else --api-key).
struct Route {
  Handler handler = nullptr;
  bool admin = false;
  bool allow_get = true;
  bool allow_post = true;
};
Route FindRoute(std::string_view path);

// Runs auth, recording and the handler; answers 404/405/401 itself.
net::awaitable<void> Dispatch(EngineState& state, Exchange& ex);

// Exits the process like a crashed engine (injected faults).
[[noreturn]] void Crash(const std::string& why);

net::awaitable<void> HandleChatCompletions(EngineState& state, Exchange& ex);
// SGLang-only routes (/generate, /encode, ...): 200 naming the route.
net::awaitable<void> HandleNativeRoute(EngineState& state, Exchange& ex);
net::awaitable<void> HandleCompletions(EngineState& state, Exchange& ex);
// routes_responses.cc: POST /v1/responses; GET /v1/responses/{id}, POST /v1/responses/{id}/cancel.
net::awaitable<void> HandleResponses(EngineState& state, Exchange& ex);
net::awaitable<void> HandleResponsesById(EngineState& state, Exchange& ex);
// routes_audio.cc: SGLang's multipart /v1/audio/transcriptions.
net::awaitable<void> HandleTranscriptions(EngineState& state, Exchange& ex);

// Pooling routes: SGLang's embedding-model answers with --is-embedding, else HandleNativeRoute.
net::awaitable<void> HandleEmbeddings(EngineState& state, Exchange& ex);
net::awaitable<void> HandleRerank(EngineState& state, Exchange& ex);
net::awaitable<void> HandleOpenAiClassify(EngineState& state, Exchange& ex);
net::awaitable<void> HandleEncode(EngineState& state, Exchange& ex);
net::awaitable<void> HandleClassify(EngineState& state, Exchange& ex);
net::awaitable<void> HandleGenerate(EngineState& state, Exchange& ex);

net::awaitable<void> HandleHealth(EngineState& state, Exchange& ex);
net::awaitable<void> HandlePing(EngineState& state, Exchange& ex);
net::awaitable<void> HandleRoot(EngineState& state, Exchange& ex);
net::awaitable<void> HandleModelInfo(EngineState& state, Exchange& ex);
net::awaitable<void> HandleServerInfo(EngineState& state, Exchange& ex);
net::awaitable<void> HandleLoads(EngineState& state, Exchange& ex);
net::awaitable<void> HandleGetLoad(EngineState& state, Exchange& ex);
net::awaitable<void> HandleMetrics(EngineState& state, Exchange& ex);

net::awaitable<void> HandleModels(EngineState& state, Exchange& ex);
net::awaitable<void> HandleLoadLora(EngineState& state, Exchange& ex);
net::awaitable<void> HandleUnloadLora(EngineState& state, Exchange& ex);
net::awaitable<void> HandleTokenize(EngineState& state, Exchange& ex);
net::awaitable<void> HandleDetokenize(EngineState& state, Exchange& ex);

net::awaitable<void> HandleFlushCache(EngineState& state, Exchange& ex);
net::awaitable<void> HandleReleaseMemory(EngineState& state, Exchange& ex);
net::awaitable<void> HandleResumeMemory(EngineState& state, Exchange& ex);
net::awaitable<void> HandlePauseGeneration(EngineState& state, Exchange& ex);
net::awaitable<void> HandleContinueGeneration(EngineState& state, Exchange& ex);
net::awaitable<void> HandleAbortRequest(EngineState& state, Exchange& ex);
net::awaitable<void> HandleOtherAdmin(EngineState& state, Exchange& ex);

}  // namespace shim::fake_sglang

// /v1/chat/completions and /v1/completions (python/sglang/srt/entrypoints/openai/serving_chat.py,
// serving_completions.py): validation, admission under --max-running-requests, tokens paced by
// FAKE_SGLANG_TTFT_MS / FAKE_SGLANG_ITL_MS, SSE streaming, and abort on client disconnect.
#include <chrono>

#include "fake_sglang/generator.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/openai_response.h"
#include "fake_sglang/pd_generation.h"
#include "fake_sglang/pooling_request.h"
#include "fake_sglang/routes.h"
#include "fake_sglang/schema_instance.h"

namespace shim::fake_sglang {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::chrono::steady_clock::duration Millis(double ms) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(ms));
}

json RoleChunk(const OpenAiRequest& r, const ResponseIds& ids, int index) {
  return ChatChunk(r, ids, index, json{{"role", "assistant"}, {"content", ""}}, nullptr, nullptr);
}

json ToolCallsChunk(const OpenAiRequest& r, const ResponseIds& ids, int index, const json& call) {
  return ChatChunk(r, ids, index, json{{"tool_calls", json::array({call})}}, nullptr, nullptr);
}

double Seconds(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

// Holds an admitted request's slot and KV tokens; frees both however the handler ends.
struct Admission {
  EngineState& state;
  long long used_tokens = 0;
  ~Admission() {
    state.AddUsedTokens(-used_tokens);
    state.Release();
  }
  void AddTokens(long long n) {
    used_tokens += n;
    state.AddUsedTokens(n);
  }
};

class GenerationRun {
 public:
  GenerationRun(EngineState& state, Exchange& ex, OpenAiRequest request)
      : state_(state), ex_(ex), r_(std::move(request)), ids_(NewResponseIds(r_.chat)) {}

  net::awaitable<void> Run();
  // A request that waited for its PD partner first: an abort during that wait ends it too.
  void set_arrival_epoch(uint64_t epoch) { arrival_epoch_ = epoch; }

 private:
  net::awaitable<bool> Emit(const json& chunk);
  net::awaitable<bool> EmitStep(size_t step);
  net::awaitable<bool> EmitFinish();
  json ChunkUsage() const { return Usage(prompt_tokens_, generated_, cached_); }
  void Abort();
  net::awaitable<bool> WaitWhilePaused(bool admitted);
  void EndAborted(size_t step);

  EngineState& state_;
  Exchange& ex_;
  OpenAiRequest r_;
  ResponseIds ids_;
  std::vector<Generation> gens_;
  long long prompt_tokens_ = 0;
  long long cached_ = 0;
  long long generated_ = 0;
  long long events_ = 0;
  uint64_t epoch_ = 0;  // the engine's abort epoch when this request was admitted
  std::optional<uint64_t> arrival_epoch_;
  Clock::time_point start_ = Clock::now();
};

// tokenizer_manager.py holds requests while generation is paused (is_pause_cond);
// the scheduler keeps paused requests where they are (in_place) or retracts them.
// Either way no token comes until /continue_generation, unless an abort ends an
// admitted request. False: the client left.
net::awaitable<bool> GenerationRun::WaitWhilePaused(bool admitted) {
  // One co_return at the end: GCC 12 emitted a trap for an early co_return here.
  bool connected = true;
  if (state_.paused()) ex_.StartWatch();
  while (connected && state_.paused() && !(admitted && state_.abort_epoch() != epoch_)) {
    connected = co_await ex_.Sleep(std::chrono::milliseconds(5));
  }
  co_return connected;
}

// An abort (abort_all) ends the request where it is: the tokens so far, finish_reason "abort"
// (schedule_batch.py FINISH_ABORT, reported by serving_chat.py as the finish reason).
void GenerationRun::EndAborted(size_t step) {
  for (Generation& g : gens_) {
    if (g.tokens.size() > step) g.tokens.resize(step);
    g.finish_reason = "abort";
    g.matched_stop.reset();
  }
}

void GenerationRun::Abort() {
  // tokenizer_manager.py aborts the request when the client disconnects; the scheduler
  // counts it in num_aborted_requests_total.
  state_.metrics().OnRequestEnd(Seconds(start_), generated_, /*aborted=*/true);
}

net::awaitable<bool> GenerationRun::Emit(const json& chunk) {
  bool ok = co_await ex_.SendEvent(chunk.dump(-1, ' ', false, json::error_handler_t::replace));
  if (ok && state_.knobs().crash_mid_stream > 0 && ++events_ >= state_.knobs().crash_mid_stream) {
    Crash("after " + std::to_string(events_) + " SSE events (FAKE_SGLANG_CRASH_MID_STREAM)");
  }
  co_return ok;
}

net::awaitable<bool> GenerationRun::EmitStep(size_t step) {
  for (size_t i = 0; i < gens_.size(); ++i) {
    const Generation& g = gens_[i];
    int index = static_cast<int>(i);
    json chunk;
    if (r_.chat) {
      if (step == 0) {
        // The first chunk of each choice carries the role (serving_chat.py).
        const json role_chunk = RoleChunk(r_, ids_, index);
        if (!co_await Emit(role_chunk)) co_return false;
      }
      if (step >= g.tokens.size()) continue;
      if (r_.use_tools) {
        if (step != 0) continue;
        json call{{"index", 0},
                  {"id", ToolCallId(ids_, index)},
                  {"type", "function"},
                  {"function", {{"name", r_.tool_name}, {"arguments", ""}}}};
        chunk = ChatChunk(r_, ids_, index, json{{"tool_calls", json::array({call})}}, nullptr, nullptr);
      } else {
        const char* field = r_.reasoning && step < ReasoningTokens(g) ? "reasoning_content" : "content";
        chunk = ChatChunk(r_, ids_, index, json{{field, g.tokens[step]}}, nullptr,
                          r_.logprobs ? ChatLogprobs(g, step, step + 1, r_.top_logprobs) : json(nullptr));
      }
    } else {
      std::string text;
      if (step == 0 && r_.echo) text = r_.prompts[i / static_cast<size_t>(r_.n)];
      if (step < g.tokens.size())
        text += g.tokens[step];
      else if (text.empty())
        continue;
      chunk = CompletionChunk(r_, ids_, index, text, nullptr,
                              r_.logprobs ? CompletionLogprobs(g, step, step + 1, r_.top_logprobs, 0) : json(nullptr));
    }
    if (r_.continuous_usage_stats) chunk["usage"] = ChunkUsage();
    if (!co_await Emit(chunk)) co_return false;
  }
  co_return true;
}

net::awaitable<bool> GenerationRun::EmitFinish() {
  for (size_t i = 0; i < gens_.size(); ++i) {
    const Generation& g = gens_[i];
    int index = static_cast<int>(i);
    json chunk;
    if (r_.chat) {
      json delta = json::object();
      json finish = g.finish_reason;
      if (r_.use_tools) {
        // The parsed arguments arrive as one delta, then finish_reason "tool_calls".
        json call{{"index", 0}, {"function", {{"arguments", ToolArguments(r_.tool_parameters).dump()}}}};
        const json args_chunk = ToolCallsChunk(r_, ids_, index, call);
        if (!co_await Emit(args_chunk)) co_return false;
        finish = "tool_calls";
      }
      chunk = ChatChunk(r_, ids_, index, delta, finish, nullptr);
    } else {
      chunk = CompletionChunk(r_, ids_, index, "", g.finish_reason, nullptr);
    }
    if (g.matched_stop) chunk["choices"][0]["matched_stop"] = *g.matched_stop;
    if (r_.continuous_usage_stats) chunk["usage"] = ChunkUsage();
    if (!co_await Emit(chunk)) co_return false;
  }
  if (r_.include_usage && !co_await Emit(UsageChunk(r_, ids_, ChunkUsage()))) co_return false;
  if (!co_await ex_.SendEvent("[DONE]")) co_return false;
  co_return co_await ex_.EndStream();
}

net::awaitable<void> GenerationRun::Run() {
  const FakeKnobs& knobs = state_.knobs();
  for (const std::string& prompt : r_.prompts) {
    prompt_tokens_ += std::max(1, CountTokens(prompt));
    for (int j = 0; j < r_.n; ++j) {
      GenerationParams params;
      params.prompt = prompt;
      params.choice_index = j;
      params.adapter = r_.adapter;
      params.max_tokens = r_.max_tokens;
      params.ignore_eos = r_.ignore_eos;
      params.stop = r_.stop;
      params.audio_items = r_.audio_items;
      gens_.push_back(Generate(params));
      // response_format: the grammar backend makes the content (after any reasoning) valid JSON.
      if (r_.chat && r_.json_schema && !r_.use_tools) {
        ShapeAsJson(&gens_.back(), r_.reasoning ? ReasoningTokens(gens_.back()) : 0, *r_.json_schema);
      }
    }
  }
  if (!co_await WaitWhilePaused(/*admitted=*/false)) {
    Abort();
    co_return;
  }
  // Admission: beyond --max-running-requests a request waits in the queue (num_queue_reqs).
  if (!state_.TryAdmit()) {
    state_.Enqueue();
    ex_.StartWatch();
    bool admitted = false;
    while (!admitted) {
      if (!co_await ex_.Sleep(std::chrono::milliseconds(2))) {
        state_.Dequeue();
        Abort();
        state_.NotifyIfIdle();
        co_return;
      }
      admitted = state_.TryAdmit();
    }
    state_.Dequeue();
  }
  Admission admission{state_};
  epoch_ = arrival_epoch_.value_or(state_.abort_epoch());
  uint64_t prompt_hash = 0;
  for (const std::string& prompt : r_.prompts) prompt_hash = prompt_hash * 31 + HashText(prompt);
  cached_ = state_.metrics().OnRequestStart(prompt_hash, prompt_tokens_, !state_.config().disable_radix_cache);
  admission.AddTokens(prompt_tokens_);

  if (knobs.hang) {
    co_await ex_.WaitForDisconnect();
    Abort();
    co_return;
  }
  if (r_.stream && !co_await ex_.BeginStream()) {
    Abort();
    co_return;
  }
  size_t steps = 0;
  for (const Generation& g : gens_) steps = std::max(steps, g.tokens.size());
  Clock::time_point last_token = start_;
  bool aborted = false;
  for (size_t step = 0; step < steps || (step == 0 && r_.stream); ++step) {
    if (!co_await WaitWhilePaused(/*admitted=*/true)) {
      Abort();
      co_return;
    }
    if (state_.abort_epoch() != epoch_) {
      aborted = true;
      EndAborted(step);
      break;
    }
    double delay_ms = step == 0 ? knobs.ttft_ms : knobs.itl_ms;
    if (delay_ms > 0) {
      ex_.StartWatch();
      if (!co_await ex_.Sleep(Millis(delay_ms))) {
        Abort();
        co_return;
      }
    }
    Clock::time_point now = Clock::now();
    if (step == 0)
      state_.metrics().OnFirstToken(Seconds(start_));
    else
      state_.metrics().OnInterToken(std::chrono::duration<double>(now - last_token).count());
    last_token = now;
    for (const Generation& g : gens_) {
      if (step < g.tokens.size()) {
        state_.metrics().OnToken();
        ++generated_;
        admission.AddTokens(1);
      }
    }
    if (r_.stream && !co_await EmitStep(step)) {
      Abort();
      co_return;
    }
  }
  bool written;
  if (r_.stream) {
    written = co_await EmitFinish();
  } else {
    std::string body = r_.chat ? ChatCompletionBody(r_, ids_, gens_, prompt_tokens_, cached_)
                               : CompletionBody(r_, ids_, gens_, prompt_tokens_, cached_);
    written = co_await ex_.Send(http::status::ok, std::move(body), "application/json");
  }
  if (!written) {
    Abort();
    co_return;
  }
  state_.metrics().OnRequestEnd(Seconds(start_), generated_, aborted);
  if (state_.faults().CrashAfterAnswer()) {
    Crash("after " + std::to_string(knobs.crash_after) + " answered requests (FAKE_SGLANG_CRASH_AFTER)");
  }
}

net::awaitable<void> HandleGeneration(EngineState& state, Exchange& ex, bool chat) {
  ParseContext context{&state.config(), &state.loras(), state.knobs().legacy_422};
  OpenAiRequest request;
  ApiError error;
  auto content_type = ex.request()[http::field::content_type];
  if (!ParseOpenAiRequest(content_type, ex.request().body(), chat, context, &request, &error)) {
    co_await ex.SendJson(static_cast<http::status>(error.status), error.body);
    co_return;
  }
  if (state.config().is_embedding) {
    // On an embedding model the scheduler pools the prompt instead of generating, and
    // serving_chat.py / serving_completions.py then read ret_item["text"] (pooling_request.h).
    PoolingAnswer answer = GenerationOnEmbeddingModel();
    co_await ex.Send(static_cast<http::status>(answer.status), std::move(answer.body), "application/json");
    co_return;
  }
  if (state.memory_released()) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = SglangErrorBody(503,
                                         "The engine's memory is released (release_memory_occupation); "
                                         "call /resume_memory_occupation first.",
                                         "ServiceUnavailable");
      co_await ex.SendJson(http::status::service_unavailable, reply);
    }
    co_return;
  }
  if (state.faults().NextRequestFails()) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply =
          SglangErrorBody(500, "Internal server error: injected fault (FAKE_SGLANG_500_*)", "InternalServerError");
      co_await ex.SendJson(http::status::internal_server_error, reply);
    }
    co_return;
  }
  PdGate gate;
  if (state.config().disaggregation_mode != "null") gate = co_await PassPdGate(state, ex, chat, request.stream);
  if (gate.verdict != PdGate::Verdict::kGenerate) co_return;
  // prefill.py _process_req: a prefill leg generates one token (then FINISH_LENGTH).
  if (gate.prefill_only) request.max_tokens = 1;
  GenerationRun run(state, ex, std::move(request));
  if (gate.waited) run.set_arrival_epoch(gate.arrival_epoch);
  co_await run.Run();
}

}  // namespace

net::awaitable<void> HandleChatCompletions(EngineState& state, Exchange& ex) {
  co_await HandleGeneration(state, ex, /*chat=*/true);
}

net::awaitable<void> HandleCompletions(EngineState& state, Exchange& ex) {
  co_await HandleGeneration(state, ex, /*chat=*/false);
}

}  // namespace shim::fake_sglang

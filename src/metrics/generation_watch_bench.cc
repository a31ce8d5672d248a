// Cost of the front door's per-request measurement (generation_watch.h,
// request_metrics.h): per streamed chunk, per whole request, and for a plain
// JSON answer. The baseline is copying the same bytes once, which any relay
// pays; docs/benchmarks.md records the ratios.
#include <benchmark/benchmark.h>

#include <string>

#include "metrics/generation_watch.h"
#include "metrics/request_metrics.h"

namespace shim::metrics {
namespace {

// An SGLang chat chunk as it streams one token (serving_chat.py field order).
const std::string kChunk =
    "data: {\"id\":\"0f3c9a7e2b8d4e51a6c0b9d8e7f61234\",\"object\":\"chat.completion.chunk\",\"created\":1764700000,"
    "\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"delta\":{\"role\":null,"
    "\"content\":\" token\",\"reasoning_content\":null,\"tool_calls\":null},\"logprobs\":null,"
    "\"finish_reason\":null,\"matched_stop\":null}],\"usage\":null}\n\n";
const std::string kLastChunk =
    "data: {\"id\":\"0f3c9a7e2b8d4e51a6c0b9d8e7f61234\",\"object\":\"chat.completion.chunk\",\"created\":1764700000,"
    "\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
    "\"finish_reason\":\"stop\",\"matched_stop\":128009}],\"usage\":null}\n\ndata: [DONE]\n\n";
const std::string kPlainBody =
    "{\"id\":\"0f3c9a7e2b8d4e51a6c0b9d8e7f61234\",\"object\":\"chat.completion\",\"created\":1764700000,"
    "\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
    "\"content\":\"" +
    std::string(600, 'x') +
    "\",\"reasoning_content\":null,\"tool_calls\":null},\"logprobs\":null,\"finish_reason\":\"stop\","
    "\"matched_stop\":128009}],\"usage\":{\"prompt_tokens\":42,\"total_tokens\":170,\"completion_tokens\":128,"
    "\"prompt_tokens_details\":null}}";

// Baseline: one copy of the chunk's bytes.
void BM_CopyChunk(benchmark::State& state) {
  std::string sink;
  for (auto _ : state) {
    sink.assign(kChunk);
    benchmark::DoNotOptimize(sink.data());
  }
}
BENCHMARK(BM_CopyChunk);

// What each streamed token costs the front door: one chunk through the watch.
void BM_WatchStreamedChunk(benchmark::State& state) {
  GenerationWatch watch(GenerationWatch::Clock::now());
  watch.OnResponseHead(200, true);
  const auto now = GenerationWatch::Clock::now();
  for (auto _ : state) watch.OnBody(kChunk, now);
}
BENCHMARK(BM_WatchStreamedChunk);

// A whole streamed request of 64 tokens, recorded: per-request cost is this
// minus 64 chunks.
void BM_WatchStreamedRequest64(benchmark::State& state) {
  RequestMetrics metrics(131072);
  for (auto _ : state) {
    const auto now = GenerationWatch::Clock::now();
    GenerationWatch watch(now);
    watch.OnResponseHead(200, true);
    for (int i = 0; i < 64; ++i) watch.OnBody(kChunk, now);
    watch.OnBody(kLastChunk, now);
    GenerationRecord record;
    if (watch.Finish(true, false, now, &record)) metrics.Record(record);
  }
}
BENCHMARK(BM_WatchStreamedRequest64);

// An unstreamed answer: the body kept and scanned once, then recorded.
void BM_WatchPlainRequest(benchmark::State& state) {
  RequestMetrics metrics(131072);
  for (auto _ : state) {
    const auto now = GenerationWatch::Clock::now();
    GenerationWatch watch(now);
    watch.OnResponseHead(200, false);
    watch.OnBody(kPlainBody, now);
    GenerationRecord record;
    if (watch.Finish(true, false, now, &record)) metrics.Record(record);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPlainBody.size()));
}
BENCHMARK(BM_WatchPlainRequest);

// GET /metrics adds these families to every scrape.
void BM_RenderRequestMetrics(benchmark::State& state) {
  RequestMetrics metrics(131072);
  for (auto _ : state) {
    std::string out;
    metrics.Render("meta-llama/Llama-3.1-8B-Instruct", "0", &out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_RenderRequestMetrics);

}  // namespace
}  // namespace shim::metrics

// The cost of vLLM's reasoning field name per streamed chunk (issue 14: at most a few µs):
// a reasoning delta renamed, a content delta that only pays the search for the key, and a
// whole non-streaming answer. Without a reasoning parser the chat route has no such filter.
#include <benchmark/benchmark.h>

#include <string>

#include "rewrite/reasoning_field.h"

namespace shim {
namespace {

// SGLang's stream chunks as its serving_chat.py writes them (one choice, usage null).
const std::string kReasoningFrame =
    "data: {\"id\":\"9c1f2e0a7b5d4c3e8f6a1b2c3d4e5f60\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
    "\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"delta\":{\"role\":null,\"content\":null,"
    "\"reasoning_content\":\" the\",\"tool_calls\":null},\"logprobs\":null,\"finish_reason\":null,"
    "\"matched_stop\":null}],\"usage\":null}\n\n";
const std::string kContentFrame =
    "data: {\"id\":\"9c1f2e0a7b5d4c3e8f6a1b2c3d4e5f60\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
    "\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"delta\":{\"role\":null,\"content\":\" the\","
    "\"tool_calls\":null},\"logprobs\":null,\"finish_reason\":null,\"matched_stop\":null}],\"usage\":null}\n\n";

void BM_ReasoningDeltaRenamed(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    benchmark::DoNotOptimize(RenameReasoningInAnswer(kReasoningFrame, ReasoningField::kReasoning, &out));
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_ReasoningDeltaRenamed);

void BM_ContentDeltaPassed(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    benchmark::DoNotOptimize(RenameReasoningInAnswer(kContentFrame, ReasoningField::kReasoning, &out));
  }
}
BENCHMARK(BM_ContentDeltaPassed);

void BM_WholeAnswerRenamed(benchmark::State& state) {
  std::string answer =
      "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"Qwen/Qwen3-8B\",\"choices\":"
      "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" +
      std::string(800, 'a') + "\",\"reasoning_content\":\"" + std::string(3000, 'r') +
      "\",\"tool_calls\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20}}";
  std::string out;
  for (auto _ : state) {
    benchmark::DoNotOptimize(RenameReasoningInAnswer(answer, ReasoningField::kReasoning, &out));
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_WholeAnswerRenamed);

}  // namespace
}  // namespace shim

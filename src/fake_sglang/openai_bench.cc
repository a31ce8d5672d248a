// Cost of one small non-streaming chat completion without the network: parse + validate,
// generate, build and serialise the answer. Tells whether the stand-in can stay far above
// the 20,000 req/s it must serve on one core.
#include <benchmark/benchmark.h>

#include "fake_sglang/generator.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/openai_response.h"

namespace shim::fake_sglang {
namespace {

const char kBody[] = R"({"model":"bench-model","messages":[{"role":"user","content":"Say hello"}],"max_tokens":8})";

void BM_ParseChat(benchmark::State& state) {
  ServeConfig config;
  LoraRegistry loras;
  ParseContext context{&config, &loras, false};
  for (auto _ : state) {
    OpenAiRequest request;
    ApiError error;
    benchmark::DoNotOptimize(ParseOpenAiRequest("application/json", kBody, true, context, &request, &error));
  }
}
BENCHMARK(BM_ParseChat);

void BM_GenerateAndSerialise(benchmark::State& state) {
  ServeConfig config;
  LoraRegistry loras;
  ParseContext context{&config, &loras, false};
  OpenAiRequest request;
  ApiError error;
  ParseOpenAiRequest("application/json", kBody, true, context, &request, &error);
  for (auto _ : state) {
    GenerationParams params;
    params.prompt = request.prompts[0];
    params.max_tokens = request.max_tokens;
    std::vector<Generation> gens{Generate(params)};
    ResponseIds ids = NewResponseIds(true);
    std::string text = ChatCompletionBody(request, ids, gens, 2, 0);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_GenerateAndSerialise);

}  // namespace
}  // namespace shim::fake_sglang

namespace shim::fake_sglang {
namespace {

void BM_GenerateOnly(benchmark::State& state) {
  for (auto _ : state) {
    GenerationParams params;
    params.prompt = "Say hello";
    params.max_tokens = 8;
    benchmark::DoNotOptimize(Generate(params));
  }
}
BENCHMARK(BM_GenerateOnly);

void BM_NewIds(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NewResponseIds(true));
}
BENCHMARK(BM_NewIds);

}  // namespace
}  // namespace shim::fake_sglang

// The cost of input_audio parts on the chat route: a chat body with a 1 MiB input_audio part
// rewritten to SGLang's audio_url part, the same body with an image instead (no input_audio:
// one memmem more than before), and a 2 KiB text-only body.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "rewrite/audio_parts.h"
#include "rewrite/request_rewriter.h"

namespace shim {
namespace {

std::string Base64Like(size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out(n, 'A');
  uint32_t x = 12345;
  for (char& c : out) {
    x = x * 1103515245u + 12345u;
    c = kAlphabet[(x >> 16) & 63];
  }
  return out;
}

std::string MediaChatBody(size_t bytes, bool audio) {
  std::string part =
      audio ? R"({"type":"input_audio","input_audio":{"format":"wav","data":")" + Base64Like(bytes) + R"("}})"
            : R"({"type":"image_url","image_url":{"url":"data:image/png;base64,)" + Base64Like(bytes) + R"("}})";
  return R"({"model":"m","messages":[{"role":"system","content":"You are helpful."},)"
         R"({"role":"user","content":[{"type":"text","text":"What is said here?"},)" +
         part + R"(]}],"temperature":0.2,"max_tokens":256})";
}

std::string SmallTextBody() {
  std::string body = R"({"model":"m","messages":[)";
  for (int i = 0; i < 16; ++i) {
    body += R"({"role":"user","content":"Question number )" + std::to_string(i) +
            R"(: what is the weather like in Paris and in Berlin today?"},)";
  }
  body += R"({"role":"user","content":"thanks"}],"temperature":0.7})";
  return body;
}

void Run(benchmark::State& state, const std::string& body) {
  RewriteOptions options;
  for (auto _ : state) {
    RequestRewrite r = RewriteRequestBody(RouteKind::kChatCompletions, body, options);
    benchmark::DoNotOptimize(r.body.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}

void BM_ChatInputAudio1MiB(benchmark::State& state) { Run(state, MediaChatBody(1 << 20, true)); }
BENCHMARK(BM_ChatInputAudio1MiB)->Unit(benchmark::kMicrosecond);

void BM_ChatImageNoAudio1MiB(benchmark::State& state) { Run(state, MediaChatBody(1 << 20, false)); }
BENCHMARK(BM_ChatImageNoAudio1MiB)->Unit(benchmark::kMicrosecond);

void BM_ChatTextNoAudio2KiB(benchmark::State& state) { Run(state, SmallTextBody()); }
BENCHMARK(BM_ChatTextNoAudio2KiB);

}  // namespace
}  // namespace shim

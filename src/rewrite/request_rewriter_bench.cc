// Rewriting speed. Targets (issue 5): a 10 MiB chat body with a base64 image
// in under 20 ms, a 2 KiB body in under 10 µs; SSE relaying must add no
// measurable per-chunk cost.
#include <benchmark/benchmark.h>

#include <string>

#include "rewrite/request_rewriter.h"
#include "rewrite/sse_rewriter.h"

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

// A multimodal chat request: one big image, and fields that need rewriting
// (strip list, nulls, request_id, structured outputs).
std::string ImageChatBody(size_t image_bytes, bool needs_rewrite) {
  std::string body = R"({"model":"m","messages":[{"role":"system","content":"You are helpful."},)"
                     R"({"role":"user","content":[{"type":"text","text":"Describe this image."},)"
                     R"({"type":"image_url","image_url":{"url":"data:image/png;base64,)" +
                     Base64Like(image_bytes) + R"("}}]}],"temperature":0.2,"max_tokens":256)";
  if (needs_rewrite) {
    body += R"(,"logprobs":false,"top_logprobs":null,"user":null,"request_id":"req-1",)"
            R"("structured_outputs":{"choice":["cat","dog","other"]})";
  }
  body += "}";
  return body;
}

// About 2 KiB: a short multi-turn chat with tools.
std::string SmallChatBody(bool needs_rewrite) {
  std::string body = R"({"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[)";
  for (int i = 0; i < 8; ++i) {
    body += R"({"role":"user","content":"Question number )" + std::to_string(i) +
            R"(: what is the weather like in Paris and in Berlin today, in \"celsius\"?"},)"
            R"({"role":"assistant","content":"Let me check the forecast for both cities."},)";
  }
  body += R"({"role":"user","content":"thanks"}],"tools":[{"type":"function","function":{"name":)"
          R"("get_weather","description":"Get the weather","parameters":{"type":"object",)"
          R"("properties":{"city":{"type":"string"}},"required":["city"]}}}],)"
          R"("tool_choice":"auto","temperature":0.7,"top_p":0.95,"max_tokens":512,"stream":true)";
  if (needs_rewrite) body += R"(,"logprobs":null,"top_logprobs":null,"request_id":"abc-123")";
  body += "}";
  return body;
}

void RunRewrite(benchmark::State& state, const std::string& body) {
  RewriteOptions options;
  for (auto _ : state) {
    RequestRewrite r = RewriteRequestBody(RouteKind::kChatCompletions, body, options);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}

void BM_Rewrite10MiBImageChat(benchmark::State& state) {
  std::string body = ImageChatBody(10 << 20, true);
  RunRewrite(state, body);
}
BENCHMARK(BM_Rewrite10MiBImageChat)->Unit(benchmark::kMillisecond);

void BM_Unchanged10MiBImageChat(benchmark::State& state) {
  std::string body = ImageChatBody(10 << 20, false);
  RunRewrite(state, body);
}
BENCHMARK(BM_Unchanged10MiBImageChat)->Unit(benchmark::kMillisecond);

void BM_Rewrite2KiBChat(benchmark::State& state) {
  std::string body = SmallChatBody(true);
  state.counters["body_bytes"] = static_cast<double>(body.size());
  RunRewrite(state, body);
}
BENCHMARK(BM_Rewrite2KiBChat)->Unit(benchmark::kMicrosecond);

void BM_Unchanged2KiBChat(benchmark::State& state) {
  std::string body = SmallChatBody(false);
  state.counters["body_bytes"] = static_cast<double>(body.size());
  RunRewrite(state, body);
}
BENCHMARK(BM_Unchanged2KiBChat)->Unit(benchmark::kMicrosecond);

// One typical streamed chat chunk through the SSE rewriter (fast path).
void BM_SseOrdinaryChunk(benchmark::State& state) {
  std::string chunk =
      "data: {\"id\":\"chatcmpl-0f1e2d3c\",\"object\":\"chat.completion.chunk\",\"created\":"
      "1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},"
      "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
  SseErrorRewriter rw;
  for (auto _ : state) {
    std::string_view out = rw.Feed(chunk);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * chunk.size()));
}
BENCHMARK(BM_SseOrdinaryChunk);

}  // namespace
}  // namespace shim

// What losing each SGLang flag costs, for releases that lack it (release_fit.h). A flag the
// shim can emit that some recorded release lacks must have a row: the sweep in
// release_fit_test.cc translates every vLLM flag for every release and fails on a refusal
// without one. Which releases lack what: data/reference/sglang-flags-by-version.json.
#include <cstring>

#include "translate/release_fit.h"

namespace shim {
namespace {

constexpr ReleaseGap kGaps[] = {
    // Observability only.
    {"--enable-trace", true, "OpenTelemetry tracing"},
    {"--otlp-traces-endpoint", true, "where OpenTelemetry traces go"},
    {"--enable-mfu-metrics", true, "model-FLOPs-utilisation metrics"},
    // Speed, memory or process layout only: every answer stays the same.
    {"--dcp-size", true, "decode context parallelism, a memory and speed optimisation"},
    {"--use-ray", true, "Ray as the worker launcher; SGLang starts its own workers"},
    {"--enable-priority-scheduling", true, "priority scheduling; requests are served first come, first served"},
    {"--mamba-backend", true, "the Mamba kernel backend"},
    {"--fastapi-root-path", true, "the API's root path, which the front door strips before SGLang sees it"},
    // These change what the model is asked or answers.
    {"--default-chat-template-kwargs", false, "it changes the prompts the chat template renders"},
    {"--sampling-defaults", false, "it chooses the default sampling parameters"},
    {"--limit-mm-data-per-request", false, "without it, requests over the multimodal limit would be served"},
    {"--enable-return-routed-experts", false, "answers would lack the routed experts"},
    {"--enable-mamba-cache-stochastic-rounding", false, "it changes the numerics of the Mamba cache"},
    {"--mamba-cache-philox-rounds", false, "it changes the numerics of the Mamba cache"},
};

}  // namespace

const ReleaseGap* FindReleaseGap(const std::string& sglang_flag) {
  for (const ReleaseGap& gap : kGaps) {
    if (sglang_flag == gap.sglang_flag) return &gap;
  }
  return nullptr;
}

}  // namespace shim

// Handlers for parallelism, memory and scheduler-budget rows.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/human_readable_int.h"
#include "common/strings.h"
#include "translate/flag_handlers.h"

namespace shim {
namespace {

using Action = FlagOutcome::Action;

// vLLM's ParallelConfig defaults (vllm/config/parallel.py).
constexpr const char* kDefaultMasterAddr = "127.0.0.1";
constexpr const char* kDefaultMasterPort = "29501";

// SGLang's mem_fraction_static covers weights + KV pool only; vLLM's gpu_memory_utilization
// covers everything the instance uses. Keep this much of the GPU for activations and CUDA graphs.
constexpr double kActivationMargin = 0.05;
constexpr double kMinStaticFraction = 0.05;
constexpr double kMaxStaticFraction = 0.95;

// Position of a flag in the command line, or SIZE_MAX.
size_t PositionOf(const TranslateContext& ctx, const ParsedFlag* flag) {
  if (!flag) return SIZE_MAX;
  return static_cast<size_t>(flag - ctx.parsed->flags.data());
}

std::string FormatFraction(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

bool EmitDistInitAddr(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, const char* other) {
  const ParsedFlag* partner = ctx->Find(other);
  if (PositionOf(*ctx, partner) < PositionOf(*ctx, &flag)) {
    SetOutcome(outcome, Action::kTranslated, {}, std::string("folded into --dist-init-addr (see ") + other + ")");
    return true;
  }
  std::string addr = ctx->Value("--master-addr").value_or(kDefaultMasterAddr);
  std::string port = ctx->Value("--master-port").value_or(kDefaultMasterPort);
  SetOutcome(outcome, Action::kTranslated, {"--dist-init-addr", addr + ":" + std::string(TrimSpaces(port))});
  return true;
}

}  // namespace

bool HandleMasterAddr(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  return EmitDistInitAddr(flag, ctx, outcome, "--master-port");
}

bool HandleMasterPort(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  return EmitDistInitAddr(flag, ctx, outcome, "--master-addr");
}

bool HandleExecutorBackend(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (FirstValue(flag) == "ray") {
    SetOutcome(outcome, Action::kTranslated, {"--use-ray"});
  } else {
    SetOutcome(outcome, Action::kDropped, {}, "SGLang runs its own worker processes");
  }
  return true;
}

bool HandleExpertParallel(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (flag.negated) {
    SetOutcome(outcome, Action::kDropped, {}, "expert parallelism is off by default in SGLang");
    return true;
  }
  std::string tp = "1";
  if (std::optional<std::string> given = ctx->Value("--tensor-parallel-size")) tp = std::string(TrimSpaces(*given));
  SetOutcome(outcome, Action::kTranslated, {"--ep-size", tp});
  return true;
}

bool HandleGpuMemoryUtilization(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: SGLang sizes its memory pool itself");
    return true;
  }
  std::optional<double> value = ParseDouble(TrimSpaces(FirstValue(flag)));
  // vLLM's CacheConfig validates 0 < gpu_memory_utilization <= 1.
  if (!value || !(*value > 0.0) || *value > 1.0) {
    *err = "argument --gpu-memory-utilization: must be greater than 0 and at most 1, got '" + FirstValue(flag) + "'";
    return false;
  }
  double fraction = std::clamp(*value - kActivationMargin, kMinStaticFraction, kMaxStaticFraction);
  SetOutcome(outcome, Action::kTranslated, {"--mem-fraction-static", FormatFraction(fraction)});
  return true;
}

bool HandleMaxNumBatchedTokens(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: SGLang's default budget");
    return true;
  }
  long long tokens = 0;
  std::string why;
  if (!ParseHumanReadableInt(FirstValue(flag), &tokens, &why)) {
    *err = "argument --max-num-batched-tokens: " + why;
    return false;
  }
  if (tokens <= 0) {
    *err = "argument --max-num-batched-tokens: must be positive, got '" + FirstValue(flag) + "'";
    return false;
  }
  const ParsedFlag* chunked = ctx->Find("--enable-chunked-prefill");
  if (chunked && chunked->negated) {
    // Without chunking the per-step token budget is SGLang's prefill budget.
    SetOutcome(outcome, Action::kTranslated, {"--max-prefill-tokens", std::to_string(tokens)},
               "chunked prefill is off: becomes --max-prefill-tokens");
  } else {
    SetOutcome(outcome, Action::kTranslated, {"--chunked-prefill-size", std::to_string(tokens)});
  }
  return true;
}

bool HandleEnableChunkedPrefill(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (flag.negated) {
    SetOutcome(outcome, Action::kTranslated, {"--chunked-prefill-size", "-1"});
  } else {
    SetOutcome(outcome, Action::kDropped, {}, "chunked prefill is on by default in SGLang");
  }
  return true;
}

}  // namespace shim

#include "translate/added_flags.h"

#include <charconv>
#include <system_error>

#include "common/invariants.h"
#include "metrics/vllm_buckets.h"

namespace shim {
namespace {

// SGLang @8905cbd4 python/sglang/srt/server_args.py declares the three --bucket-* flags with
// nargs="+", type=float; python/sglang/srt/managers/tokenizer_manager.py hands them to
// TokenizerMetricsCollector, which uses them instead of its own bounds for
// sglang:time_to_first_token_seconds, sglang:inter_token_latency_seconds and
// sglang:e2e_request_latency_seconds (present from SGLang v0.5.2 on).
constexpr const char* kBucketReason =
    "vLLM's histogram buckets, so quantile panels written for vLLM read the same le values";

AddedFlag Buckets(const char* flag, const std::vector<double>& bounds) {
  AddedFlag added{flag, {flag}, kBucketReason};
  for (double bound : bounds) added.sglang.push_back(ShortestDouble(bound));
  return added;
}

}  // namespace

std::string ShortestDouble(double value) {
  char buffer[64];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (!SHIM_BUG(result.ec == std::errc(), "a double did not fit 64 bytes")) return "nan";
  return std::string(buffer, result.ptr);
}

std::vector<AddedFlag> ShimAddedFlags() {
  std::vector<AddedFlag> out;
  out.push_back(Buckets("--bucket-time-to-first-token", metrics::VllmTimeToFirstTokenBuckets()));
  out.push_back(Buckets("--bucket-inter-token-latency", metrics::VllmTokenStepBuckets()));
  out.push_back(Buckets("--bucket-e2e-request-latency", metrics::VllmRequestPhaseBuckets()));
  // Last, and it takes no value: a stray word in VLLM_SGLANG_EXTRA_ARGS (appended after it) is
  // refused by SGLang instead of joining the list of bounds before it.
  out.push_back(AddedFlag{"--enable-metrics",
                          {"--enable-metrics"},
                          "the front door's /metrics is rebuilt from SGLang's, which SGLang serves only with it"});
  return out;
}

}  // namespace shim

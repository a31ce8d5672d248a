// The vLLM metrics the front door measures itself, one observation per
// finished generation request (metrics/generation_watch.h), with vLLM's
// names, labels and bucket bounds (metrics/vllm_buckets.h). SGLang has no
// per-request source for them; docs/metrics.md says how each differs from
// vLLM's. Single-threaded: recorded and rendered on the front door's thread.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/generation_watch.h"
#include "metrics/lora_requests_info.h"

namespace shim::metrics {

// Fixed bounds, counts per bucket; rendered cumulative as Prometheus wants.
class FixedHistogram {
 public:
  explicit FixedHistogram(std::vector<double> bounds);
  void Observe(double value);  // NaN and negative values are ignored
  // The _bucket (ending with +Inf), _count and _sum lines. `labels` is
  // `k="v",...` without braces.
  void Render(std::string_view name, std::string_view labels, std::string* out) const;
  uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::vector<std::string> bound_text_;  // formatted once
  std::vector<uint64_t> counts_;         // per bucket, not cumulative; the last is +Inf
  double sum_ = 0;
  uint64_t count_ = 0;
};

class RequestMetrics {
 public:
  // `max_model_len` caps the token-count buckets as vLLM's do; 0 when unknown
  // (the buckets then go up to 10 million tokens).
  explicit RequestMetrics(uint64_t max_model_len);

  void Record(const GenerationRecord& record);

  // vllm:lora_requests_info too (vLLM has it only with --enable-lora).
  void EnableLoraInfo(int max_loras, std::vector<std::string> base_names, std::function<double()> wall_clock);
  LoraRequestsInfo* lora() { return lora_.get(); }  // null unless enabled

  // Every family, zero until requests finish (vLLM creates them at start too).
  void Render(std::string_view model_name, std::string_view engine, std::string* out) const;

  // The family names rendered, so no other source renders them too.
  static const std::vector<std::string_view>& FamilyNames();

  uint64_t finished(FinishReason reason) const { return finished_[static_cast<size_t>(reason)]; }

 private:
  explicit RequestMetrics(const std::vector<double>& token_buckets);

  std::array<uint64_t, kFinishReasonNames.size()> finished_{};
  FixedHistogram prompt_tokens_;
  FixedHistogram generation_tokens_;
  FixedHistogram max_generation_tokens_;
  FixedHistogram time_per_output_token_;
  FixedHistogram prefill_time_;
  FixedHistogram decode_time_;
  FixedHistogram inference_time_;
  std::unique_ptr<LoraRequestsInfo> lora_;
};

}  // namespace shim::metrics

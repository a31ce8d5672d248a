#include "metrics/request_metrics.h"

#include <algorithm>
#include <cmath>

#include "metrics/prometheus_text.h"
#include "metrics/vllm_buckets.h"
#include "metrics/vllm_metrics.h"

namespace shim::metrics {
namespace {

// vLLM's token-count buckets stop at max_model_len; without it, at 10^7.
constexpr uint64_t kTokenBucketsWithoutModelLen = 10'000'000;

constexpr std::string_view kSuccess = "vllm:request_success_total";
constexpr std::string_view kPromptTokens = "vllm:request_prompt_tokens";
constexpr std::string_view kGenerationTokens = "vllm:request_generation_tokens";
constexpr std::string_view kMaxGenerationTokens = "vllm:request_max_num_generation_tokens";
constexpr std::string_view kTimePerOutputToken = "vllm:request_time_per_output_token_seconds";
constexpr std::string_view kPrefillTime = "vllm:request_prefill_time_seconds";
constexpr std::string_view kDecodeTime = "vllm:request_decode_time_seconds";
constexpr std::string_view kInferenceTime = "vllm:request_inference_time_seconds";

void AppendHeader(std::string_view name, std::string_view help, std::string_view type, std::string* out) {
  out->append("# HELP ").append(name).append(" ").append(help).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

FixedHistogram::FixedHistogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  bounds_.erase(std::remove_if(bounds_.begin(), bounds_.end(), [](double b) { return !std::isfinite(b); }),
                bounds_.end());
  for (double bound : bounds_) bound_text_.push_back(FormatBucketBound(bound));
  counts_.assign(bounds_.size() + 1, 0);
}

void FixedHistogram::Observe(double value) {
  if (std::isnan(value) || value < 0) return;
  // First bound >= value: Prometheus buckets are upper-inclusive.
  const size_t bucket = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  ++counts_[bucket];
  ++count_;
  sum_ += value;
}

void FixedHistogram::Render(std::string_view name, std::string_view labels, std::string* out) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    cumulative += counts_[i];
    out->append(name).append("_bucket{").append(labels).append(",le=\"");
    out->append(i < bound_text_.size() ? std::string_view(bound_text_[i]) : std::string_view("+Inf"));
    out->append("\"} ").append(FormatPrometheusValue(static_cast<double>(cumulative))).append("\n");
  }
  out->append(name).append("_count{").append(labels).append("} ");
  out->append(FormatPrometheusValue(static_cast<double>(count_))).append("\n");
  out->append(name).append("_sum{").append(labels).append("} ");
  out->append(FormatPrometheusValue(sum_)).append("\n");
}

RequestMetrics::RequestMetrics(uint64_t max_model_len)
    : RequestMetrics(VllmTokenCountBuckets(max_model_len ? max_model_len : kTokenBucketsWithoutModelLen)) {}

RequestMetrics::RequestMetrics(const std::vector<double>& token_buckets)
    : prompt_tokens_(token_buckets),
      generation_tokens_(token_buckets),
      max_generation_tokens_(token_buckets),
      time_per_output_token_(VllmTokenStepBuckets()),
      prefill_time_(VllmRequestPhaseBuckets()),
      decode_time_(VllmRequestPhaseBuckets()),
      inference_time_(VllmRequestPhaseBuckets()) {}

void RequestMetrics::Record(const GenerationRecord& record) {
  for (FinishReason reason : record.finish_reasons) ++finished_[static_cast<size_t>(reason)];
  if (record.prompt_tokens) prompt_tokens_.Observe(static_cast<double>(*record.prompt_tokens));
  if (record.generation_tokens) generation_tokens_.Observe(static_cast<double>(*record.generation_tokens));
  if (record.max_choice_generation_tokens) {
    max_generation_tokens_.Observe(static_cast<double>(*record.max_choice_generation_tokens));
  }
  if (record.first_token_seconds && record.decode_seconds) {
    // vLLM @9aaf83ef vllm/v1/metrics/stats.py update_from_finished_request:
    // decode time over the tokens after the first, 0 for a single token.
    const uint64_t tokens = record.generation_tokens.value_or(0);
    time_per_output_token_.Observe(tokens > 1 ? *record.decode_seconds / static_cast<double>(tokens - 1) : 0.0);
    prefill_time_.Observe(*record.first_token_seconds);
    decode_time_.Observe(*record.decode_seconds);
    inference_time_.Observe(*record.first_token_seconds + *record.decode_seconds);
  } else if (!record.streamed) {
    // Unstreamed, the front door sees only the whole response: it was all inference.
    inference_time_.Observe(record.e2e_seconds);
  }
}

void RequestMetrics::EnableLoraInfo(int max_loras, std::vector<std::string> base_names,
                                    std::function<double()> wall_clock) {
  lora_ = std::make_unique<LoraRequestsInfo>(max_loras, std::move(base_names), std::move(wall_clock));
}

void RequestMetrics::Render(std::string_view model_name, std::string_view engine, std::string* out) const {
  const std::string labels =
      "model_name=\"" + EscapeLabelValue(model_name) + "\",engine=\"" + EscapeLabelValue(engine) + "\"";
  AppendHeader(kSuccess, "Count of successfully processed requests.", "counter", out);
  for (size_t i = 0; i < finished_.size(); ++i) {
    out->append(kSuccess).append("{").append(labels).append(",finished_reason=\"");
    out->append(kFinishReasonNames[i]).append("\"} ");
    out->append(FormatPrometheusValue(static_cast<double>(finished_[i]))).append("\n");
  }
  struct Family {
    std::string_view name;
    std::string_view help;
    const FixedHistogram* histogram;
  };
  const Family families[] = {
      {kPromptTokens, "Number of prefill tokens processed.", &prompt_tokens_},
      {kGenerationTokens, "Number of generation tokens processed.", &generation_tokens_},
      {kMaxGenerationTokens, "Histogram of maximum number of requested generation tokens.", &max_generation_tokens_},
      {kTimePerOutputToken, "Histogram of time_per_output_token_seconds per request.", &time_per_output_token_},
      {kPrefillTime, "Histogram of time spent in PREFILL phase for request.", &prefill_time_},
      {kDecodeTime, "Histogram of time spent in DECODE phase for request.", &decode_time_},
      {kInferenceTime, "Histogram of time spent in RUNNING phase for request.", &inference_time_},
  };
  for (const Family& family : families) {
    AppendHeader(family.name, family.help, "histogram", out);
    family.histogram->Render(family.name, labels, out);
  }
  if (lora_) lora_->Render(out);
}

const std::vector<std::string_view>& RequestMetrics::FamilyNames() {
  static const std::vector<std::string_view> names = {
      kSuccess,     kPromptTokens, kGenerationTokens, kMaxGenerationTokens, kTimePerOutputToken,
      kPrefillTime, kDecodeTime,   kInferenceTime};
  return names;
}

}  // namespace shim::metrics

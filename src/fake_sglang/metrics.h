// SGLang's Prometheus metrics, as the stand-in reports them. Names, types and labels
// follow python/sglang/srt/metrics/collector.py (observability/metrics_collector.py at
// 8905cbd4): tokenizer metrics carry {model_name, engine_type}; scheduler metrics also
// carry {tp_rank, pp_rank, moe_ep_rank}, one series per tensor-parallel rank.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace shim::fake_sglang {

// A prometheus_client Histogram: `bounds` sorted, a last +Inf bound implied (and dropped when
// given, as prometheus_client adds it only when missing).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Appends the _bucket/_sum/_count lines; labels is `k="v",...` without braces.
  void Render(const std::string& name, const std::string& labels, std::string* out) const;
  uint64_t count() const { return count_; }

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> buckets_;  // non-cumulative counts per bound
  double sum_ = 0;
  uint64_t count_ = 0;
};

// The scheduler's PD queues (SGLang @8905cbd4 python/sglang/srt/metrics/collector.py):
// a prefill waiting for its decode, a decode looking for its prefill, a decode waiting for KV.
enum class PdQueue { kPrefillBootstrap = 0, kDecodePrealloc = 1, kDecodeTransfer = 2 };

struct LoadSnapshot {
  int running = 0;
  int queued = 0;
  long long used_tokens = 0;
  long long max_total_tokens = 1;
  int max_running_requests = 0;
  double gen_throughput = 0;
  double cache_hit_rate = 0;
  bool pd = false;  // --disaggregation-mode prefill|decode: the PD gauges are rendered
  int pd_queues[3] = {0, 0, 0};
  double token_usage() const { return max_total_tokens > 0 ? double(used_tokens) / double(max_total_tokens) : 0; }
};

// Bounds set by SGLang's --bucket-time-to-first-token, --bucket-inter-token-latency and
// --bucket-e2e-request-latency (TokenizerMetricsCollector in metrics/collector.py at 8905cbd4
// uses a given list instead of its own); an empty list keeps SGLang's default.
struct TokenizerBuckets {
  std::vector<double> time_to_first_token;
  std::vector<double> inter_token_latency;
  std::vector<double> e2e_request_latency;
};

// prometheus_client's floatToGoString, which writes the `le` label: Python's repr(), switched
// to an exponent from 1e6 up ("1e+06"); "+Inf", "-Inf", "NaN".
std::string FormatBucketBound(double bound);

class Metrics {
 public:
  explicit Metrics(const TokenizerBuckets& buckets = TokenizerBuckets());

  // A request was admitted: counts it and its prompt tokens; returns how many of them
  // the prefix cache already held (the whole prompt when the same prompt was seen before).
  long long OnRequestStart(uint64_t prompt_hash, long long prompt_tokens, bool radix_cache);
  void OnFirstToken(double ttft_s) { ttft_.Observe(ttft_s); }
  void OnInterToken(double itl_s) { itl_.Observe(itl_s); }
  void OnToken() { ++generation_tokens_; }
  void OnRequestEnd(double e2e_s, long long completion_tokens, bool aborted);

  double CacheHitRate() const;
  double GenThroughput(double now_s);  // generated tokens/s since the previous call

  // The Prometheus text exposition (text/plain; version=0.0.4).
  std::string Render(const std::string& model_name, int tp_size, const LoadSnapshot& load) const;

 private:
  double prompt_tokens_ = 0;
  double generation_tokens_ = 0;
  double cached_tokens_ = 0;
  double requests_ = 0;
  double aborted_ = 0;
  Histogram ttft_;
  Histogram itl_;
  Histogram e2e_;
  Histogram queue_time_;
  Histogram prompt_tokens_hist_;
  Histogram generation_tokens_hist_;
  std::unordered_set<uint64_t> seen_prompts_;  // bounded: the "radix cache"
  double last_throughput_time_ = 0;
  double last_throughput_tokens_ = 0;
  double last_throughput_ = 0;
};

}  // namespace shim::fake_sglang

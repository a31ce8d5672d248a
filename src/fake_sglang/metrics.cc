#include "fake_sglang/metrics.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <system_error>

#include "common/invariants.h"

namespace shim::fake_sglang {
namespace {

constexpr size_t kMaxCachedPrompts = 100000;

std::string FormatValue(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  std::string text = buffer;
  // prometheus_client prints floats with a decimal point ("7.0").
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

// Python's repr() of a float: the shortest digits that read back exactly, in fixed notation
// unless the decimal exponent is below -4 or 16 and above (float_repr_style 'short').
std::string PythonFloatRepr(double value) {
  char buffer[64];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  if (!SHIM_BUG(result.ec == std::errc(), "a double did not fit 64 bytes")) return "nan";
  std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));  // "-1.25e+03"
  std::string sign;
  if (!text.empty() && text.front() == '-') {
    sign = "-";
    text.remove_prefix(1);
  }
  size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  if (exponent < -4 || exponent >= 16) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) mantissa += "." + digits.substr(1);
    std::string power = std::to_string(exponent < 0 ? -exponent : exponent);
    if (power.size() < 2) power = "0" + power;
    return sign + mantissa + (exponent < 0 ? "e-" : "e+") + power;
  }
  int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) return sign + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  if (static_cast<size_t>(point) < digits.size()) return sign + digits.substr(0, point) + "." + digits.substr(point);
  return sign + digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
}

void Header(std::string* out, const std::string& name, const char* help, const char* type) {
  *out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void Sample(std::string* out, const std::string& name, const std::string& labels, double value) {
  *out += name + "{" + labels + "} " + FormatValue(value) + "\n";
}

// Bucket boundaries as in SGLang's collector (the sample output on SGLang's metrics page,
// https://docs.sglang.io/references/production_metrics.html, shows them).
std::vector<double> TtftBounds() {
  return {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,  0.25, 0.5,
          0.75,  1.0,   2.5,  5.0,  7.5,  10.0, 15.0, 20.0, 25.0, 30.0};
}
std::vector<double> ItlBounds() {
  return {0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06,
          0.08,  0.1,   0.2,   0.4,   0.6,  0.8,   1.0,  2.0,   4.0,  6.0,   8.0};
}
std::vector<double> E2eBounds() {
  return {0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 20.0, 40.0, 60.0, 80.0, 100.0, 200.0, 400.0, 800.0};
}
std::vector<double> TokenBounds() {
  return {100,  300,  500,  700,  1000,  1500,  2000,  3000,  4000, 5000,
          6000, 7000, 8000, 9000, 10000, 12000, 15000, 20000, 30000};
}

std::vector<double> OrDefault(const std::vector<double>& given, std::vector<double> (*defaults)()) {
  return given.empty() ? defaults() : given;
}

}  // namespace

std::string FormatBucketBound(double bound) {
  if (std::isnan(bound)) return "NaN";
  if (std::isinf(bound)) return bound > 0 ? "+Inf" : "-Inf";
  std::string text = PythonFloatRepr(bound);
  size_t dot = text.find('.');
  // prometheus_client: "Go switches to exponents sooner than Python" (positive values only).
  if (bound > 0 && dot != std::string::npos && dot > 6) {
    std::string mantissa = text.substr(0, 1) + "." + text.substr(1, dot - 1) + text.substr(dot + 1);
    while (!mantissa.empty() && (mantissa.back() == '0' || mantissa.back() == '.')) mantissa.pop_back();
    return mantissa + "e+0" + std::to_string(dot - 1);
  }
  return text;
}

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  if (!bounds_.empty() && bounds_.back() == std::numeric_limits<double>::infinity()) bounds_.pop_back();
  buckets_.assign(bounds_.size(), 0);
}

void Histogram::Observe(double value) {
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++buckets_[i];
      break;
    }
  }
  sum_ += value;
  ++count_;
}

void Histogram::Render(const std::string& name, const std::string& labels, std::string* out) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i];
    *out += name + "_bucket{" + labels + ",le=\"" + FormatBucketBound(bounds_[i]) + "\"} " +
            FormatValue(static_cast<double>(cumulative)) + "\n";
  }
  *out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + FormatValue(static_cast<double>(count_)) + "\n";
  *out += name + "_sum{" + labels + "} " + FormatValue(sum_) + "\n";
  *out += name + "_count{" + labels + "} " + FormatValue(static_cast<double>(count_)) + "\n";
}

Metrics::Metrics(const TokenizerBuckets& buckets)
    : ttft_(OrDefault(buckets.time_to_first_token, TtftBounds)),
      itl_(OrDefault(buckets.inter_token_latency, ItlBounds)),
      e2e_(OrDefault(buckets.e2e_request_latency, E2eBounds)),
      queue_time_(E2eBounds()),
      prompt_tokens_hist_(TokenBounds()),
      generation_tokens_hist_(TokenBounds()) {}

long long Metrics::OnRequestStart(uint64_t prompt_hash, long long prompt_tokens, bool radix_cache) {
  ++requests_;
  prompt_tokens_ += static_cast<double>(prompt_tokens);
  prompt_tokens_hist_.Observe(static_cast<double>(prompt_tokens));
  queue_time_.Observe(0.0);
  long long cached = 0;
  if (radix_cache) {
    if (seen_prompts_.count(prompt_hash)) {
      cached = prompt_tokens;
    } else if (seen_prompts_.size() < kMaxCachedPrompts) {
      seen_prompts_.insert(prompt_hash);
    }
  }
  cached_tokens_ += static_cast<double>(cached);
  return cached;
}

void Metrics::OnRequestEnd(double e2e_s, long long completion_tokens, bool aborted) {
  e2e_.Observe(e2e_s);
  generation_tokens_hist_.Observe(static_cast<double>(completion_tokens));
  if (aborted) ++aborted_;
}

double Metrics::CacheHitRate() const { return prompt_tokens_ > 0 ? cached_tokens_ / prompt_tokens_ : 0.0; }

double Metrics::GenThroughput(double now_s) {
  double elapsed = now_s - last_throughput_time_;
  if (elapsed >= 0.5) {
    last_throughput_ = (generation_tokens_ - last_throughput_tokens_) / elapsed;
    last_throughput_time_ = now_s;
    last_throughput_tokens_ = generation_tokens_;
  }
  return last_throughput_;
}

std::string Metrics::Render(const std::string& model_name, int tp_size, const LoadSnapshot& load) const {
  std::string out;
  out.reserve(16384);
  std::string escaped;
  for (char c : model_name) {
    if (c == '\\' || c == '"') escaped += '\\';
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped += c;
  }
  const std::string base = "model_name=\"" + escaped + "\",engine_type=\"unified\"";
  std::vector<std::string> ranks;
  for (int rank = 0; rank < std::max(1, tp_size); ++rank) {
    ranks.push_back(base + ",tp_rank=\"" + std::to_string(rank) + "\",pp_rank=\"0\",moe_ep_rank=\"0\"");
  }
  struct Gauge {
    const char* name;
    const char* help;
    double value;
  };
  const Gauge gauges[] = {
      {"sglang:num_running_reqs", "The number of running requests.", double(load.running)},
      {"sglang:num_queue_reqs", "The number of requests in the waiting queue.", double(load.queued)},
      {"sglang:num_grammar_queue_reqs", "The number of requests in the grammar waiting queue.", 0.0},
      {"sglang:num_used_tokens", "The number of used tokens.", double(load.used_tokens)},
      {"sglang:token_usage", "The token usage.", load.token_usage()},
      {"sglang:gen_throughput", "The generation throughput (token/s).", load.gen_throughput},
      {"sglang:cache_hit_rate", "The prefix cache hit rate.", load.cache_hit_rate},
      {"sglang:utilization", "The utilization.", load.token_usage()},
      {"sglang:max_total_num_tokens", "Maximum total number of tokens in the KV cache pool.",
       double(load.max_total_tokens)},
  };
  for (const Gauge& gauge : gauges) {
    Header(&out, gauge.name, gauge.help, "gauge");
    for (const std::string& labels : ranks) Sample(&out, gauge.name, labels, gauge.value);
  }
  const Gauge pd_gauges[] = {
      {"sglang:num_prefill_prealloc_queue_reqs", "The number of requests in the prefill prealloc queue.",
       double(load.pd_queues[static_cast<int>(PdQueue::kPrefillBootstrap)])},
      {"sglang:num_decode_prealloc_queue_reqs", "The number of requests in the decode prealloc queue.",
       double(load.pd_queues[static_cast<int>(PdQueue::kDecodePrealloc)])},
      {"sglang:num_decode_transfer_queue_reqs", "The number of requests in the decode transfer queue.",
       double(load.pd_queues[static_cast<int>(PdQueue::kDecodeTransfer)])},
  };
  // Rendered in PD mode only, so the unified engine's output the other tests know stays as it was.
  for (const Gauge& gauge : pd_gauges) {
    if (!load.pd) break;
    Header(&out, gauge.name, gauge.help, "gauge");
    for (const std::string& labels : ranks) Sample(&out, gauge.name, labels, gauge.value);
  }
  Header(&out, "sglang:queue_time_seconds", "Histogram of queueing time in seconds.", "histogram");
  for (const std::string& labels : ranks) queue_time_.Render("sglang:queue_time_seconds", labels, &out);

  struct Counter {
    const char* name;
    const char* help;
    double value;
  };
  const Counter counters[] = {
      {"sglang:prompt_tokens_total", "Number of prefill tokens processed.", prompt_tokens_},
      {"sglang:generation_tokens_total", "Number of generation tokens processed.", generation_tokens_},
      {"sglang:cached_tokens_total", "Number of cached prompt tokens.", cached_tokens_},
      {"sglang:num_requests_total", "Number of requests processed.", requests_},
      {"sglang:num_so_requests_total", "Number of structured output requests processed.", 0.0},
      {"sglang:num_aborted_requests_total", "Number of requests aborted.", aborted_},
  };
  for (const Counter& counter : counters) {
    // SGLang's sample output names the counter family with _total in HELP/TYPE
    // (https://docs.sglang.io/references/production_metrics.html).
    Header(&out, counter.name, counter.help, "counter");
    Sample(&out, counter.name, base, counter.value);
  }
  struct Hist {
    const char* name;
    const char* help;
    const Histogram* histogram;
  };
  const Hist histograms[] = {
      {"sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", &ttft_},
      {"sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", &itl_},
      {"sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds", &e2e_},
      {"sglang:prompt_tokens_histogram", "Histogram of prompt token length.", &prompt_tokens_hist_},
      {"sglang:generation_tokens_histogram", "Histogram of generation token length.", &generation_tokens_hist_},
  };
  for (const Hist& hist : histograms) {
    Header(&out, hist.name, hist.help, "histogram");
    hist.histogram->Render(hist.name, base, &out);
  }
  return out;
}

}  // namespace shim::fake_sglang

#include "metrics/cache_config_info.h"

#include <cmath>
#include <map>

namespace shim::metrics {
namespace {

// Per DP rank (absent label: rank 0), the largest value of `name` over the
// replicas that share the rank; nullopt when no series has it.
std::optional<std::map<std::string, double>> PerDpRank(const std::vector<Sample>& samples, std::string_view name) {
  std::map<std::string, double> ranks;
  for (const Sample& sample : samples) {
    if (sample.name != name || !std::isfinite(sample.value) || sample.value < 0) continue;
    const std::string* rank = sample.FindLabel("dp_rank");
    const std::string key = rank ? *rank : "0";
    auto [it, fresh] = ranks.try_emplace(key, sample.value);
    if (!fresh) it->second = std::max(it->second, sample.value);
  }
  if (ranks.empty()) return std::nullopt;
  return ranks;
}

double Sum(const std::map<std::string, double>& ranks) {
  double total = 0;
  for (const auto& [rank, value] : ranks) total += value;
  return total;
}

}  // namespace

const std::vector<std::string_view>& CacheConfigSampleNames() {
  static const std::vector<std::string_view> names = {"sglang:page_size", "sglang:num_pages",
                                                      "sglang:max_total_num_tokens"};
  return names;
}

std::optional<CacheConfigInfo> CacheConfigFromScrape(const std::vector<Sample>& samples, const Loads* loads) {
  CacheConfigInfo info;
  if (auto page = PerDpRank(samples, "sglang:page_size")) {
    double size = 0;
    for (const auto& [rank, value] : *page) size = std::max(size, value);
    if (size >= 1) info.block_size = static_cast<long long>(size);
  }
  if (auto pages = PerDpRank(samples, "sglang:num_pages")) {
    info.num_gpu_blocks = static_cast<long long>(Sum(*pages));
    return info;
  }
  double tokens = 0;
  if (auto capacity = PerDpRank(samples, "sglang:max_total_num_tokens")) {
    tokens = Sum(*capacity);
  } else if (loads != nullptr) {
    for (const RankLoad& rank : loads->ranks) tokens += rank.max_total_num_tokens.value_or(0);
  }
  if (tokens <= 0) return std::nullopt;
  info.num_gpu_blocks = static_cast<long long>(tokens) / info.block_size;
  return info;
}

void RenderCacheConfigInfo(const CacheConfigInfo& info, std::string_view engine, std::string* out) {
  out->append("# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n");
  out->append("# TYPE vllm:cache_config_info gauge\n");
  out->append("vllm:cache_config_info{engine=\"").append(EscapeLabelValue(engine)).append("\",block_size=\"");
  out->append(std::to_string(info.block_size)).append("\",num_gpu_blocks=\"");
  out->append(std::to_string(info.num_gpu_blocks)).append("\"} ").append(FormatPrometheusValue(1)).append("\n");
}

}  // namespace shim::metrics

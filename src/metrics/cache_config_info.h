// vllm:cache_config_info, vLLM's "info" gauge (value 1, facts as labels) that
// gateways read for the KV cache's shape: the Gateway API Inference Extension's
// model-server protocol reads block_size and num_gpu_blocks from it (its
// SGLang column reads sglang:page_size / num_pages). vLLM puts every
// CacheConfig field in a label; the shim gives the ones SGLang reports.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/loads.h"
#include "metrics/prometheus_text.h"

namespace shim::metrics {

struct CacheConfigInfo {
  long long block_size = 1;  // SGLang's page size in tokens (its default is 1)
  long long num_gpu_blocks = 0;
};

// The SGLang sample names read here, for the scrape to keep.
const std::vector<std::string_view>& CacheConfigSampleNames();

// From sglang:page_size and sglang:num_pages (newer SGLang), else the KV pool
// capacity in tokens (sglang:max_total_num_tokens, or /v1/loads) over the page
// size. Replicas of one scheduler (TP ranks) count once, DP ranks add up.
// nullopt while SGLang has reported no capacity.
std::optional<CacheConfigInfo> CacheConfigFromScrape(const std::vector<Sample>& samples, const Loads* loads);

// `vllm:cache_config_info{engine,block_size,num_gpu_blocks} 1` with its
// HELP/TYPE (vLLM labels it engine only, without model_name).
void RenderCacheConfigInfo(const CacheConfigInfo& info, std::string_view engine, std::string* out);

}  // namespace shim::metrics

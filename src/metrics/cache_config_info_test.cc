#include "metrics/cache_config_info.h"

#include <gtest/gtest.h>

namespace shim::metrics {
namespace {

std::vector<Sample> Parse(std::string_view text) {
  ParsedMetrics parsed;
  std::string err;
  EXPECT_TRUE(ParsePrometheusText(text, &parsed, &err)) << err;
  return parsed.samples;
}

TEST(CacheConfigInfo, PagesFromSglangWithReplicasOnceAndDpRanksAdded) {
  auto samples = Parse(
      "sglang:page_size{tp_rank=\"0\",dp_rank=\"0\"} 16\n"
      "sglang:page_size{tp_rank=\"1\",dp_rank=\"0\"} 16\n"
      "sglang:num_pages{tp_rank=\"0\",dp_rank=\"0\"} 1000\n"
      "sglang:num_pages{tp_rank=\"1\",dp_rank=\"0\"} 1000\n"
      "sglang:num_pages{tp_rank=\"0\",dp_rank=\"1\"} 900\n");
  auto info = CacheConfigFromScrape(samples, nullptr);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->block_size, 16);
  EXPECT_EQ(info->num_gpu_blocks, 1900);
}

TEST(CacheConfigInfo, CapacityInTokensWhenSglangHasNoPageGauges) {
  auto info = CacheConfigFromScrape(Parse("sglang:max_total_num_tokens{tp_rank=\"0\"} 262144\n"), nullptr);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->block_size, 1);  // SGLang's default page size
  EXPECT_EQ(info->num_gpu_blocks, 262144);
  Loads loads;
  loads.ranks = {RankLoad{0, 0, 0, 0.1, 1000}, RankLoad{1, 0, 0, 0.1, 3000}};
  info = CacheConfigFromScrape({}, &loads);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->num_gpu_blocks, 4000);
}

TEST(CacheConfigInfo, NothingKnownNothingShown) {
  EXPECT_FALSE(CacheConfigFromScrape(Parse("sglang:num_running_reqs 3\nsglang:page_size 16\n"), nullptr));
  EXPECT_FALSE(CacheConfigFromScrape(Parse("sglang:max_total_num_tokens NaN\n"), nullptr));
}

TEST(CacheConfigInfo, RendersVllmsInfoGauge) {
  std::string out;
  RenderCacheConfigInfo(CacheConfigInfo{16, 1900}, "0", &out);
  EXPECT_EQ(out,
            "# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n"
            "# TYPE vllm:cache_config_info gauge\n"
            "vllm:cache_config_info{engine=\"0\",block_size=\"16\",num_gpu_blocks=\"1900\"} 1\n");
}

}  // namespace
}  // namespace shim::metrics

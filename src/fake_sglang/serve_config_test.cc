// SGLang's --bucket-* flags as the stand-in takes them: the bounds of the tokenizer histograms
// (TokenizerMetricsCollector), refused at start-up where prometheus_client's Histogram refuses them.
#include "fake_sglang/serve_config.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "fake_sglang/cli.h"

namespace shim::fake_sglang {
namespace {

bool Build(const std::vector<std::string>& argv, ServeConfig* config, std::string* err) {
  ParsedArgs args;
  std::string message;
  EXPECT_EQ(ParseSglangArgs(argv, &args, &message), CliOutcome::kOk) << message;
  return BuildServeConfig(args, config, err);
}

TEST(ServeConfigTest, BucketFlagsSetTheTokenizerHistogramBounds) {
  ServeConfig config;
  std::string err;
  ASSERT_TRUE(Build({"--model-path", "m", "--enable-metrics", "--bucket-time-to-first-token", "0.001", "2560",
                     "--bucket-inter-token-latency", "0.01", "1e1", "--bucket-e2e-request-latency", "7680"},
                    &config, &err))
      << err;
  EXPECT_EQ(config.buckets.time_to_first_token, (std::vector<double>{0.001, 2560}));
  EXPECT_EQ(config.buckets.inter_token_latency, (std::vector<double>{0.01, 10}));
  EXPECT_EQ(config.buckets.e2e_request_latency, std::vector<double>{7680});
  // ServerArgs holds floats, as /server_info shows them.
  EXPECT_EQ(config.server_args["bucket_time_to_first_token"], nlohmann::json({0.001, 2560.0}));
  EXPECT_EQ(config.server_args["bucket_e2e_request_latency"], nlohmann::json({7680.0}));
}

TEST(ServeConfigTest, WithoutBucketFlagsTheDefaultsStay) {
  ServeConfig config;
  std::string err;
  ASSERT_TRUE(Build({"--model-path", "m", "--enable-metrics"}, &config, &err)) << err;
  EXPECT_TRUE(config.buckets.time_to_first_token.empty());
  EXPECT_TRUE(config.buckets.inter_token_latency.empty());
  EXPECT_TRUE(config.buckets.e2e_request_latency.empty());
  EXPECT_FALSE(config.server_args.contains("bucket_time_to_first_token"));
}

// prometheus_client Histogram._prepare_buckets, reached only when --enable-metrics builds the
// collector (tokenizer_manager.py).
TEST(ServeConfigTest, BoundsPrometheusClientRefusesStopTheStartWithMetricsOnly) {
  ServeConfig config;
  std::string err;
  EXPECT_FALSE(
      Build({"--model-path", "m", "--enable-metrics", "--bucket-e2e-request-latency", "2", "1"}, &config, &err));
  EXPECT_EQ(err, "Buckets not in sorted order");
  EXPECT_FALSE(Build({"--model-path", "m", "--enable-metrics", "--bucket-time-to-first-token", "inf"}, &config, &err));
  EXPECT_EQ(err, "Must have at least two buckets");
  EXPECT_TRUE(Build({"--model-path", "m", "--bucket-e2e-request-latency", "2", "1"}, &config, &err)) << err;
  EXPECT_TRUE(
      Build({"--model-path", "m", "--enable-metrics", "--bucket-inter-token-latency", "1", "1", "inf"}, &config, &err))
      << err;
}

}  // namespace
}  // namespace shim::fake_sglang

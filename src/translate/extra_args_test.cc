#include "translate/extra_args.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using Words = std::vector<std::string>;

TEST(ExtraArgsTest, GroupsUseSglangArity) {
  std::vector<SglangArgGroup> groups =
      GroupSglangArgs({"--tp", "2", "--tensor-parallel-size", "4", "--disable-radix-cache", "--lora-paths", "a=1",
                       "b=2", "--chunked-prefill-size", "-1", "--mem-fraction-static=0.5", "stray"});
  ASSERT_EQ(groups.size(), 7u);
  EXPECT_EQ(groups[0].key, "--tp");  // a prefix: SGLang's argparse would expand it, we do not guess
  EXPECT_EQ(groups[1].key, "--tp-size");
  EXPECT_EQ(groups[2].words, Words{"--disable-radix-cache"});
  EXPECT_EQ(groups[3].words, (Words{"--lora-paths", "a=1", "b=2"}));
  EXPECT_EQ(groups[4].words, (Words{"--chunked-prefill-size", "-1"}));
  EXPECT_EQ(groups[5].key, "--mem-fraction-static");
  EXPECT_EQ(groups[6].key, "");
}

TEST(ExtraArgsTest, ExtraFlagReplacesTranslatedOneAndItsValues) {
  Words warnings;
  Words merged =
      MergeExtraArgs({"--model-path", "m", "--tp-size", "2", "--lora-paths", "a=1", "--enable-metrics"},
                     {"--tensor-parallel-size", "8", "--lora-paths", "z=9", "--no-lora-strict-loading"}, &warnings);
  EXPECT_EQ(merged, (Words{"--model-path", "m", "--enable-metrics", "--tensor-parallel-size", "8", "--lora-paths",
                           "z=9", "--no-lora-strict-loading"}));
  EXPECT_TRUE(warnings.empty());
  merged = MergeExtraArgs({"--model-path", "m"}, {"--not-an-sglang-flag", "v"}, &warnings);
  EXPECT_EQ(merged, (Words{"--model-path", "m", "--not-an-sglang-flag", "v"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("--not-an-sglang-flag"), std::string::npos);
}

TEST(ExtraArgsTest, EqualsFormIsOneGroup) {
  std::vector<SglangArgGroup> groups =
      GroupSglangArgs({"--api-key=-abc", "--served-model-name=--port", "--enable-metrics"});
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key, "--api-key");
  EXPECT_EQ(groups[0].words, Words{"--api-key=-abc"});
  EXPECT_EQ(groups[1].key, "--served-model-name");
  EXPECT_EQ(groups[2].key, "--enable-metrics");
}

TEST(ExtraArgsTest, AppendSglangFlagAttachesValuesBeginningWithDash) {
  Words out;
  EXPECT_TRUE(AppendSglangFlag("--api-key", {"-abc"}, &out));
  EXPECT_TRUE(AppendSglangFlag("--random-seed", {"-5"}, &out));
  EXPECT_TRUE(AppendSglangFlag("--served-model-name", {"m"}, &out));
  EXPECT_TRUE(AppendSglangFlag("--cuda-graph-bs", {"-1", "-0.5", "2"}, &out));
  EXPECT_TRUE(AppendSglangFlag("--enable-metrics", {}, &out));
  EXPECT_EQ(out, (Words{"--api-key=-abc", "--random-seed=-5", "--served-model-name", "m", "--cuda-graph-bs", "-1",
                        "-0.5", "2", "--enable-metrics"}));
  // argparse attaches one value only; "-1e5" is a negative number only from Python 3.14 on.
  for (const Words& values : {Words{"a=1", "-b=2"}, Words{"1", "-1e5"}, Words{"1", "-"}, Words{"1", "-1."}}) {
    Words untouched{"x"};
    EXPECT_FALSE(AppendSglangFlag("--lora-paths", values, &untouched)) << values[1];
    EXPECT_EQ(untouched, Words{"x"});
  }
}

TEST(ExtraArgsTest, AttachDashValuesFollowsSglangArity) {
  Words words{"--otlp-traces-endpoint",
              "-e",
              "--enable-trace",
              "--chunked-prefill-size",
              "-1",
              "--served-model-name",
              "--port",
              "--api-key=-k",
              "--lora-paths",
              "a=1",
              "b=2",
              "--model-checksum",
              "--enable-lora"};
  std::string flag;
  ASSERT_TRUE(AttachDashValues(&words, &flag));
  EXPECT_EQ(words, (Words{"--otlp-traces-endpoint=-e", "--enable-trace", "--chunked-prefill-size=-1",
                          "--served-model-name=--port", "--api-key=-k", "--lora-paths", "a=1", "b=2",
                          "--model-checksum", "--enable-lora"}));
  // "+"/"*" values run to the next exact flag name: an adapter named "--port" stays a value.
  Words adapter{"--lora-paths", "--port=1"};
  ASSERT_TRUE(AttachDashValues(&adapter, &flag));
  EXPECT_EQ(adapter, Words{"--lora-paths=--port=1"});
  Words several{"--lora-paths", "a=1", "-b=2"};
  EXPECT_FALSE(AttachDashValues(&several, &flag));
  EXPECT_EQ(flag, "--lora-paths");
  EXPECT_EQ(several, (Words{"--lora-paths", "a=1", "-b=2"}));
}

TEST(ExtraArgsTest, ExtraArgsReplaceAnAttachedFlagAndNeverQuoteAKey) {
  Words warnings;
  EXPECT_EQ(MergeExtraArgs({"--model-path", "m", "--api-key=-abc", "--enable-metrics"}, {"--api-key", "k2"}, &warnings),
            (Words{"--model-path", "m", "--enable-metrics", "--api-key", "k2"}));
  EXPECT_TRUE(warnings.empty());
  // "--api-key -SeCrEt": SGLang will refuse it; the warning says why without the word.
  MergeExtraArgs({"--model-path", "m"}, {"--api-key", "-SeCrEt"}, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].find("SeCrEt"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("--api-key=VALUE"), std::string::npos) << warnings[0];
}

}  // namespace
}  // namespace shim

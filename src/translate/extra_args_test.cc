#include "translate/extra_args.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using Words = std::vector<std::string>;

TEST(ExtraArgsTest, GroupsUseSglangArity) {
  std::vector<SglangArgGroup> groups =
      GroupSglangArgs({"--tp", "2", "--tensor-parallel-size", "4", "--disable-radix-cache", "--lora-paths", "a=1", "b=2",
                       "--chunked-prefill-size", "-1", "--mem-fraction-static=0.5", "stray"});
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
  Words merged = MergeExtraArgs({"--model-path", "m", "--tp-size", "2", "--lora-paths", "a=1", "--enable-metrics"},
                                {"--tensor-parallel-size", "8", "--lora-paths", "z=9", "--no-lora-strict-loading"}, &warnings);
  EXPECT_EQ(merged, (Words{"--model-path", "m", "--enable-metrics", "--tensor-parallel-size", "8", "--lora-paths", "z=9",
                           "--no-lora-strict-loading"}));
  EXPECT_TRUE(warnings.empty());
  merged = MergeExtraArgs({"--model-path", "m"}, {"--not-an-sglang-flag", "v"}, &warnings);
  EXPECT_EQ(merged, (Words{"--model-path", "m", "--not-an-sglang-flag", "v"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("--not-an-sglang-flag"), std::string::npos);
}

}  // namespace
}  // namespace shim

#include "cli/human_readable_int.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

long long Parse(const std::string& text) {
  long long value = -99;
  std::string err;
  EXPECT_TRUE(ParseHumanReadableInt(text, &value, &err)) << text << ": " << err;
  return value;
}

// Cases from vLLM's human_readable_int docstring (vllm/utils/argparse_utils.py).
TEST(HumanReadableIntTest, DecimalAndBinarySuffixes) {
  EXPECT_EQ(Parse("1k"), 1000);
  EXPECT_EQ(Parse("1K"), 1024);
  EXPECT_EQ(Parse("25.6k"), 25600);
  EXPECT_EQ(Parse("2M"), 2 * 1048576);
  EXPECT_EQ(Parse("2m"), 2000000);
  EXPECT_EQ(Parse("80g"), 80000000000LL);
  EXPECT_EQ(Parse("1T"), 1LL << 40);
  EXPECT_EQ(Parse("4096"), 4096);
  EXPECT_EQ(Parse(" 32 "), 32);
  EXPECT_EQ(Parse("1_000"), 1000);
  EXPECT_EQ(Parse("-1"), -1);
}

TEST(HumanReadableIntTest, RejectsDecimalsWithBinarySuffixAndGarbage) {
  long long value = 0;
  std::string err;
  EXPECT_FALSE(ParseHumanReadableInt("1.5K", &value, &err));
  EXPECT_NE(err.find("Did you mean to use 1.5k"), std::string::npos) << err;
  for (const char* bad : {"", "k", "1x", "1.5", "abc", "1kk", "99999999999T", "1__0"}) {
    err.clear();
    EXPECT_FALSE(ParseHumanReadableInt(bad, &value, &err)) << bad;
    EXPECT_FALSE(err.empty());
  }
}

TEST(HumanReadableIntTest, AutoForMaxModelLen) {
  long long value = 0;
  bool is_auto = false;
  std::string err;
  for (const char* text : {"auto", "AUTO", "-1"}) {
    ASSERT_TRUE(ParseHumanReadableIntOrAuto(text, &value, &is_auto, &err)) << text;
    EXPECT_TRUE(is_auto);
  }
  ASSERT_TRUE(ParseHumanReadableIntOrAuto("32k", &value, &is_auto, &err));
  EXPECT_FALSE(is_auto);
  EXPECT_EQ(value, 32000);
  EXPECT_FALSE(ParseHumanReadableIntOrAuto("automatic", &value, &is_auto, &err));
}

}  // namespace
}  // namespace shim

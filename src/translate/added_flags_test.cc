// The flags every translation adds (added_flags.h): vLLM's histogram bounds, written so that
// SGLang's argparse (type=float) reads exactly vLLM's values, then --enable-metrics.
#include "translate/added_flags.h"

#include <gtest/gtest.h>

#include <clocale>
#include <cstdlib>
#include <set>
#include <string>

#include "metrics/vllm_buckets.h"
#include "translate/extra_args.h"
#include "translate/translator_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT

// vLLM @9aaf83ef vllm/v1/metrics/loggers.py (PrometheusStatLogger), as the words SGLang receives.
const Words kTimeToFirstToken = {"0.001", "0.005", "0.01", "0.02", "0.04", "0.06", "0.08", "0.1",
                                 "0.25",  "0.5",   "0.75", "1",    "2.5",  "5",    "7.5",  "10",
                                 "20",    "40",    "80",   "160",  "640",  "2560"};
const Words kInterTokenLatency = {"0.01", "0.025", "0.05", "0.075", "0.1", "0.15", "0.2", "0.3", "0.4", "0.5",
                                  "0.75", "1",     "2.5",  "5",     "7.5", "10",   "20",  "40",  "80"};
const Words kE2eRequestLatency = {"0.3", "0.5", "0.8", "1",  "1.5", "2",   "2.5", "5",   "10",   "15",  "20",
                                  "30",  "40",  "50",  "60", "120", "240", "480", "960", "1920", "7680"};

Words Flag(const std::string& flag, const Words& values) {
  Words words{flag};
  words.insert(words.end(), values.begin(), values.end());
  return words;
}

// The words of the one group with this key, as SGLang's argparse groups them; fails when the
// flag is missing or given twice.
Words GroupOf(const Words& argv, const std::string& key) {
  Words found;
  int count = 0;
  for (const SglangArgGroup& group : GroupSglangArgs(argv)) {
    if (group.key != key) continue;
    found = group.words;
    ++count;
  }
  EXPECT_EQ(count, 1) << key;
  return found;
}

TEST(AddedFlagsTest, PlainServeEndsWithVllmBucketsThenEnableMetrics) {
  Translation t = MustTranslate({"m"});
  Words want{"--model-path", "m", "--host", "127.0.0.1", "--port", "8001"};
  for (const Words& words : {Flag("--bucket-time-to-first-token", kTimeToFirstToken),
                             Flag("--bucket-inter-token-latency", kInterTokenLatency),
                             Flag("--bucket-e2e-request-latency", kE2eRequestLatency)}) {
    want.insert(want.end(), words.begin(), words.end());
  }
  want.push_back("--enable-metrics");
  EXPECT_EQ(t.sglang_argv, want);
  EXPECT_TRUE(t.flags.empty());
  ASSERT_EQ(t.added.size(), 4u);
  EXPECT_EQ(t.added[0].flag, "--bucket-time-to-first-token");
  EXPECT_EQ(t.added[3].flag, "--enable-metrics");
  for (const AddedFlag& added : t.added) {
    EXPECT_EQ(added.sglang.front(), added.flag);
    EXPECT_FALSE(added.reason.empty());
    EXPECT_EQ(added.reason.find('\n'), std::string::npos);
  }
  EXPECT_EQ(t.added[0].reason, "vLLM's histogram buckets, so quantile panels written for vLLM read the same le values");
}

// Python's float() is correctly rounded, as strtod is: each word is vLLM's double exactly.
TEST(AddedFlagsTest, BoundsReadBackAsVllmsExactDoubles) {
  const std::pair<const char*, const std::vector<double>*> lists[] = {
      {"--bucket-time-to-first-token", &metrics::VllmTimeToFirstTokenBuckets()},
      {"--bucket-inter-token-latency", &metrics::VllmTokenStepBuckets()},
      {"--bucket-e2e-request-latency", &metrics::VllmRequestPhaseBuckets()},
  };
  Translation t = MustTranslate({"m"});
  for (const auto& [flag, bounds] : lists) {
    SCOPED_TRACE(flag);
    Words words = GroupOf(t.sglang_argv, flag);
    ASSERT_EQ(words.size(), bounds->size() + 1);
    for (size_t i = 0; i < bounds->size(); ++i) {
      EXPECT_EQ(std::strtod(words[i + 1].c_str(), nullptr), (*bounds)[i]) << words[i + 1];
    }
  }
}

TEST(AddedFlagsTest, ShortestDoubleRoundTripsAndIgnoresTheLocale) {
  EXPECT_EQ(ShortestDouble(0.001), "0.001");
  EXPECT_EQ(ShortestDouble(2560.0), "2560");
  EXPECT_EQ(ShortestDouble(1e-05), "1e-05");
  EXPECT_EQ(ShortestDouble(0.1 + 0.2), "0.30000000000000004");
  const char* current = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = current ? current : "C";
  for (const char* comma_locale : {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "fr_FR"}) {
    if (std::setlocale(LC_NUMERIC, comma_locale) == nullptr) continue;
    EXPECT_EQ(ShortestDouble(2.5), "2.5") << comma_locale;
    break;
  }
  std::setlocale(LC_NUMERIC, saved.c_str());
}

// VLLM_SGLANG_EXTRA_ARGS replaces the shim's values (either spelling), never adds a second copy,
// and `translate` stops explaining what the shim no longer adds.
TEST(AddedFlagsTest, ExtraArgsReplaceTheBucketFlags) {
  Settings settings;
  settings.extra_args = {"--bucket-time-to-first-token", "0.5", "1", "--bucket-e2e-request-latency=30"};
  Translation t = MustTranslate({"m"}, settings);
  EXPECT_EQ(GroupOf(t.sglang_argv, "--bucket-time-to-first-token"),
            (Words{"--bucket-time-to-first-token", "0.5", "1"}));
  EXPECT_EQ(GroupOf(t.sglang_argv, "--bucket-e2e-request-latency"), Words{"--bucket-e2e-request-latency=30"});
  EXPECT_EQ(GroupOf(t.sglang_argv, "--bucket-inter-token-latency"),
            Flag("--bucket-inter-token-latency", kInterTokenLatency));
  EXPECT_EQ(GroupOf(t.sglang_argv, "--enable-metrics"), Words{"--enable-metrics"});
  std::set<std::string> keys;
  for (const SglangArgGroup& group : GroupSglangArgs(t.sglang_argv)) {
    EXPECT_TRUE(keys.insert(group.key).second) << group.key << " given twice";
  }
  ASSERT_EQ(t.added.size(), 2u);
  EXPECT_EQ(t.added[0].flag, "--bucket-inter-token-latency");
  EXPECT_EQ(t.added[1].flag, "--enable-metrics");
  for (const std::string& warning : t.warnings) EXPECT_EQ(warning.find("bucket"), std::string::npos) << warning;
}

}  // namespace
}  // namespace shim

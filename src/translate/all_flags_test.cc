// Feeds every flag of vllm-flags.json (and the legacy list) through the translator: each must
// be accepted, and everything emitted must be an exact SGLang flag from sglang-flags.json.
#include <gtest/gtest.h>

#include <set>

#include "translate/extra_args.h"
#include "translate/translator_test_util.h"
#include "translate/vllm_flag_samples_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT

void CheckAccepted(const json& flags) {
  std::set<std::string> sglang;
  for (const json& f : Load("sglang-flags.json")) {
    sglang.insert(f["flag"].get<std::string>());
    for (const json& a : f["aliases"]) sglang.insert(a.get<std::string>());
  }
  for (const json& f : flags) {
    const std::string flag = f["flag"].get<std::string>();
    if (flag == "--config") continue;  // expanded before parsing; covered by the config tests
    // `vllm serve X --model Y` moves Y in front of X, which then is a stray positional
    // (as in vLLM): give --model alone.
    Words args = flag == "--model" ? Words{} : Words{"org/model"};
    Words extra = ArgsFor(f);
    args.insert(args.end(), extra.begin(), extra.end());
    SCOPED_TRACE(flag);
    Translation t = MustTranslate(args);
    for (const std::string& w : t.warnings) EXPECT_EQ(w.find("unrecognized"), std::string::npos) << w;
    if (flag == "--model") {  // moved to the positional slot: no flag outcome
      EXPECT_EQ(t.frontend.model, "x");
      continue;
    }
    ASSERT_FALSE(t.flags.empty());
    std::string expected = flag;  // "--preemption_mode" (a 2024 spelling) is read as "--preemption-mode"
    for (char& c : expected) c = c == '_' ? '-' : c;
    EXPECT_EQ(t.flags[0].flag, expected);
    for (const SglangArgGroup& group : GroupSglangArgs(t.sglang_argv)) {
      EXPECT_TRUE(group.key.empty() || sglang.count(group.key)) << group.key;
    }
    EXPECT_EQ(t.sglang_argv[0], "--model-path");
    // A boolean-optional flag's --no- form is accepted too.
    if (f.contains("no_flag")) MustTranslate({"org/model", f["no_flag"].get<std::string>()});
  }
}

TEST(AllFlagsTest, EveryCurrentVllmFlagIsAccepted) { CheckAccepted(Load("vllm-flags.json")); }

TEST(AllFlagsTest, EveryLegacyVllmFlagIsAcceptedWithAWarning) { CheckAccepted(Load("vllm-flags-legacy.json")); }

TEST(AllFlagsTest, UnderscoreSpellingsAreAccepted) {
  for (const json& f : Load("vllm-flags.json")) {
    std::string flag = f["flag"].get<std::string>();
    if (flag == "--config") continue;
    Words args = ArgsFor(f);
    for (size_t i = 2; i < args[0].size(); ++i) {
      if (args[0][i] == '-') args[0][i] = '_';
    }
    if (flag != "--model") args.insert(args.begin(), "org/model");
    SCOPED_TRACE(args[0]);
    Translation t = MustTranslate(args);
    if (flag == "--model") continue;  // --model is matched before normalisation, as in vLLM
    ASSERT_FALSE(t.flags.empty());
    EXPECT_EQ(t.flags[0].flag, flag);
  }
}

// Any value that begins with '-', given as --flag=VALUE, either is refused with one vLLM-style
// line or reaches SGLang attached to its flag (never a separate word SGLang's argparse would
// read as an option), and never trips the translator's own check.
void CheckDashValues(const json& flags) {
  for (const json& f : flags) {
    const std::string flag = f["flag"].get<std::string>();
    if (!f["takes_value"].get<bool>() || flag == "--config" || flag == "--model") continue;
    for (const std::string value : {"-x", "-1", "--port", "-0.5"}) {
      SCOPED_TRACE(flag + "=" + value);
      Translation t;
      std::string err;
      if (!TranslateVllmArgs({"org/model", flag + "=" + value}, EntryPoint::kVllmServe, Settings(), &t, &err)) {
        EXPECT_EQ(err.find("internal error"), std::string::npos) << err;
        EXPECT_EQ(err.find('\n'), std::string::npos) << err;
        continue;
      }
      for (const SglangArgGroup& group : GroupSglangArgs(t.sglang_argv)) {
        EXPECT_FALSE(group.key.empty()) << group.words[0];
        for (size_t i = 1; i < group.words.size(); ++i) EXPECT_NE(group.words[i][0], '-') << group.words[i];
      }
    }
  }
}

TEST(AllFlagsTest, ValuesBeginningWithDashAreAttached) {
  CheckDashValues(Load("vllm-flags.json"));
  CheckDashValues(Load("vllm-flags-legacy.json"));
}

}  // namespace
}  // namespace shim

// Helpers shared by the translator tests.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "translate/translator.h"

namespace shim::testing {

using Words = std::vector<std::string>;

inline Translation MustTranslate(const Words& args, const Settings& settings = Settings(),
                                 EntryPoint entry = EntryPoint::kVllmServe) {
  Translation t;
  std::string err;
  EXPECT_TRUE(TranslateVllmArgs(args, entry, settings, &t, &err)) << err;
  return t;
}

inline std::string MustFail(const Words& args, const Settings& settings = Settings(),
                            EntryPoint entry = EntryPoint::kVllmServe) {
  Translation t;
  t.warnings.push_back("untouched");
  std::string err;
  EXPECT_FALSE(TranslateVllmArgs(args, entry, settings, &t, &err));
  EXPECT_EQ(t.warnings, Words{"untouched"});            // nothing partial on failure
  EXPECT_EQ(err.find('\n'), std::string::npos) << err;  // one line
  EXPECT_FALSE(err.empty());
  return err;
}

// The SGLang words between the fixed head (--model-path M --host H --port P) and the
// trailing --enable-metrics.
inline Words Middle(const Translation& t) {
  EXPECT_GE(t.sglang_argv.size(), 7u);
  EXPECT_EQ(t.sglang_argv.back(), "--enable-metrics");
  return Words(t.sglang_argv.begin() + 6, t.sglang_argv.end() - 1);
}

inline const FlagOutcome* Outcome(const Translation& t, const std::string& flag) {
  for (const FlagOutcome& outcome : t.flags) {
    if (outcome.flag == flag) return &outcome;
  }
  ADD_FAILURE() << "no outcome for " << flag;
  return nullptr;
}

}  // namespace shim::testing

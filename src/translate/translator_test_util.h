// Helpers shared by the translator tests.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "translate/added_flags.h"
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

// The words the shim adds after every translated flag: the --bucket-* flags, then
// --enable-metrics (added_flags_test.cc pins their values).
inline Words AddedTail() {
  Words tail;
  for (const AddedFlag& added : ShimAddedFlags()) tail.insert(tail.end(), added.sglang.begin(), added.sglang.end());
  return tail;
}

// head, then the added tail: a whole SGLang argv without VLLM_SGLANG_EXTRA_ARGS.
inline Words WithAddedTail(Words head) {
  Words tail = AddedTail();
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// The SGLang words between the fixed head (--model-path M --host H --port P) and the
// added tail.
inline Words Middle(const Translation& t) {
  const Words tail = AddedTail();
  EXPECT_GE(t.sglang_argv.size(), 6 + tail.size());
  if (t.sglang_argv.size() < 6 + tail.size()) return {};
  EXPECT_EQ(Words(t.sglang_argv.end() - static_cast<long>(tail.size()), t.sglang_argv.end()), tail);
  return Words(t.sglang_argv.begin() + 6, t.sglang_argv.end() - static_cast<long>(tail.size()));
}

inline const FlagOutcome* Outcome(const Translation& t, const std::string& flag) {
  for (const FlagOutcome& outcome : t.flags) {
    if (outcome.flag == flag) return &outcome;
  }
  ADD_FAILURE() << "no outcome for " << flag;
  return nullptr;
}

}  // namespace shim::testing

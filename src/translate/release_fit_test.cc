#include "translate/release_fit.h"

#include <gtest/gtest.h>

#include "translate/translator_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT

ReleaseChoice Choose(const std::string& version) {
  ReleaseChoice choice;
  std::string err;
  EXPECT_TRUE(ChooseSglangRelease(version, &choice, &err)) << err;
  return choice;
}

Translation TranslateFor(const std::string& version, const Words& args, const Settings& settings = Settings()) {
  Translation t;
  std::string err;
  EXPECT_TRUE(TranslateVllmArgsFor(Choose(version), args, EntryPoint::kVllmServe, settings, &t, &err)) << err;
  return t;
}

std::string RefusalFor(const std::string& version, const Words& args, const Settings& settings = Settings()) {
  Translation t;
  std::string err;
  EXPECT_FALSE(TranslateVllmArgsFor(Choose(version), args, EntryPoint::kVllmServe, settings, &t, &err));
  EXPECT_EQ(err.find('\n'), std::string::npos) << err;
  return err;
}

bool Contains(const Words& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// --otlp-traces-endpoint and --enable-trace arrived in SGLang v0.5.4/v0.5.6 (server_args.py
// at 1053e1be and 5c8bd8b5): tracing is dropped for v0.5.2, with a warning.
TEST(ReleaseFitTest, ObservabilityFlagsAreDroppedWithAWarning) {
  Translation t = TranslateFor("v0.5.2", {"m", "--otlp-traces-endpoint", "http://collector:4317"});
  EXPECT_FALSE(Contains(t.sglang_argv, "--otlp-traces-endpoint"));
  EXPECT_FALSE(Contains(t.sglang_argv, "--enable-trace"));
  const FlagOutcome* outcome = Outcome(t, "--otlp-traces-endpoint");
  ASSERT_NE(outcome, nullptr);
  EXPECT_EQ(outcome->action, FlagOutcome::Action::kDropped);
  EXPECT_NE(outcome->reason.find("SGLang v0.5.2 has no --otlp-traces-endpoint"), std::string::npos);
  ASSERT_EQ(t.warnings.size(), 2u);
  EXPECT_NE(t.warnings[1].find("--enable-trace"), std::string::npos) << t.warnings[1];
  // The same flags reach a release that has them.
  Translation newer = TranslateFor("v0.5.6.post2", {"m", "--otlp-traces-endpoint", "http://collector:4317"});
  EXPECT_TRUE(Contains(newer.sglang_argv, "--enable-trace"));
  EXPECT_TRUE(newer.warnings.empty());
}

TEST(ReleaseFitTest, FlagsThatChangeResultsAreRefusedNamingFlagAndRelease) {
  std::string err = RefusalFor("v0.5.6.post2", {"m", "--default-chat-template-kwargs", R"({"enable_thinking":false})"});
  EXPECT_EQ(err.rfind("argument --default-chat-template-kwargs: SGLang v0.5.6.post2 has no", 0), 0u) << err;
  EXPECT_NE(err.find("main@2026-07-20 or later"), std::string::npos) << err;
  err = RefusalFor("v0.5.2", {"m", "--generation-config", "vllm"});
  EXPECT_NE(err.find("--sampling-defaults"), std::string::npos) << err;
  EXPECT_NE(err.find("v0.5.4 or later"), std::string::npos) << err;
}

TEST(ReleaseFitTest, ChoicesTheReleaseLacksAreRefused) {
  // humming (2026) is not among v0.5.2's --quantization choices.
  std::string err = RefusalFor("v0.5.2", {"m", "--quantization", "humming"});
  EXPECT_NE(err.find("v0.5.2"), std::string::npos) << err;
  EXPECT_NE(err.find("humming"), std::string::npos) << err;
}

TEST(ReleaseFitTest, AddedFlagsFitTheReleaseToo) {
  // The metric bucket flags exist since v0.5.2, so every recorded release gets them.
  for (const SglangRelease& release : SglangReleases()) {
    Translation t = TranslateFor(release.label(), {"m"});
    EXPECT_EQ(t.added.size(), ShimAddedFlags().size()) << release.label();
  }
}

TEST(ReleaseFitTest, FitKeepsWhatTheReleaseHasAndRewritesAnAliasItKnows) {
  FitResult fit;
  std::string err;
  ASSERT_TRUE(
      FitWordsToRelease(SglangReleases().front(), "--x", false, {"--tp-size", "2", "--enable-trace"}, &fit, &err));
  EXPECT_EQ(fit.kept, (Words{"--tp-size", "2"}));
  ASSERT_EQ(fit.dropped.size(), 1u);
  // A flag no rule covers is refused, never passed to a crash.
  EXPECT_FALSE(FitWordsToRelease(SglangReleases().front(), "--x", false, {"--enable-ssl-refresh"}, &fit, &err));
  EXPECT_NE(err.find("--enable-ssl-refresh"), std::string::npos) << err;
}

TEST(ReleaseFitTest, ExtraArgsUnknownToAnExactReleaseAreAnError) {
  Settings settings;
  settings.extra_args = {"--enable-trace"};
  std::string err = RefusalFor("v0.5.2", {"m"}, settings);
  EXPECT_EQ(err, "VLLM_SGLANG_EXTRA_ARGS: SGLang v0.5.2 has no flag --enable-trace (it would exit at start)");
  // For a version between recorded lists the installed SGLang may know it: a warning.
  Translation t = TranslateFor("0.5.3", {"m"}, settings);
  EXPECT_TRUE(Contains(t.sglang_argv, "--enable-trace"));
  ASSERT_FALSE(t.warnings.empty());
  EXPECT_NE(t.warnings[0].find("may be newer"), std::string::npos) << t.warnings[0];
}

TEST(ReleaseFitTest, SettingsChooseTheRelease) {
  Settings settings;
  settings.sglang_version = "0.5.4";
  Translation t = MustTranslate({"m", "--enable-mfu-metrics"}, settings);
  EXPECT_EQ(t.sglang_release, "v0.5.4");
  EXPECT_FALSE(Contains(t.sglang_argv, "--enable-mfu-metrics"));
  settings.sglang_version = "nightly";
  std::string err = MustFail({"m"}, settings);
  EXPECT_EQ(err.rfind("VLLM_SGLANG_SGLANG_VERSION: ", 0), 0u) << err;
}

}  // namespace
}  // namespace shim

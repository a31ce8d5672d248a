#include "translate/sglang_release.h"

#include <gtest/gtest.h>

#include "translate/sglang_flags.h"

namespace shim {
namespace {

std::string LabelFor(const std::string& version) {
  ReleaseChoice choice;
  std::string err;
  EXPECT_TRUE(ChooseSglangRelease(version, &choice, &err)) << err;
  return choice.release ? choice.release->label() : "";
}

TEST(SglangReleaseTest, RecordedReleasesOldestFirst) {
  const std::vector<SglangRelease>& releases = SglangReleases();
  ASSERT_EQ(releases.size(), 8u);
  EXPECT_EQ(releases.front().label(), "v0.5.2");
  EXPECT_EQ(releases.front().commit(), "b0d25e72c401f37b55d689ddbf05b8c583afe854");
  EXPECT_EQ(NewestSglangRelease().label(), "main@2026-07-20");
  EXPECT_EQ(NewestSglangRelease().commit(), "8905cbd42f4a27dbecad6487cd3904278756fef8");
}

// The newest release comes from the generated table, without parsing the JSON; both must
// say the same of every flag.
TEST(SglangReleaseTest, NewestEqualsTheLastRecordedList) {
  const SglangRelease& newest = NewestSglangRelease();
  const SglangRelease& recorded = SglangReleases().back();
  EXPECT_TRUE(IsNewestSglangRelease(recorded));
  EXPECT_EQ(newest.label(), recorded.label());
  EXPECT_EQ(newest.commit(), recorded.commit());
  EXPECT_EQ(newest.date(), recorded.date());
  for (const SglangRelease* a : {&newest, &recorded}) {
    const SglangRelease* b = a == &newest ? &recorded : &newest;
    for (const SglangFlag& spec : SglangFlags()) {
      const ReleaseFlag* x = a->Find(spec.flag);
      const ReleaseFlag* y = b->Find(spec.flag);
      ASSERT_NE(x, nullptr) << spec.flag;
      ASSERT_NE(y, nullptr) << spec.flag;
      EXPECT_EQ(x->aliases, y->aliases) << spec.flag;
      EXPECT_EQ(x->nargs, y->nargs) << spec.flag;
      EXPECT_EQ(x->takes_value, y->takes_value) << spec.flag;
      EXPECT_EQ(x->choices, y->choices) << spec.flag;
    }
  }
  EXPECT_EQ(SglangName(newest), "SGLang");
  EXPECT_EQ(SglangName(SglangReleases().front()), "SGLang v0.5.2");
}

// Facts from server_args.py at each commit (data/reference/sglang-flags-by-version.json).
TEST(SglangReleaseTest, FlagsAliasesAndChoicesPerRelease) {
  const SglangRelease& oldest = SglangReleases().front();
  EXPECT_NE(oldest.Find("--model-path"), nullptr);
  EXPECT_NE(oldest.Find("--model"), nullptr);  // alias
  EXPECT_EQ(oldest.Find("--enable-trace"), nullptr);
  EXPECT_EQ(oldest.Find("--model-pat"), nullptr);  // no prefix matching
  EXPECT_TRUE(oldest.AllowsChoice("--tool-call-parser", "qwen25"));
  EXPECT_FALSE(oldest.AllowsChoice("--tool-call-parser", "hermes"));
  EXPECT_TRUE(oldest.AllowsChoice("--context-length", "anything"));  // free value
  EXPECT_FALSE(oldest.AllowsChoice("--no-such-flag", "x"));
  EXPECT_TRUE(NewestSglangRelease().AllowsChoice("--tool-call-parser", "hermes"));
  EXPECT_EQ(oldest.ChoicesText("--kv-cache-dtype"), "auto, fp8_e5m2, fp8_e4m3");
}

TEST(SglangReleaseTest, VersionKeysFollowPep440Order) {
  auto key = [](const char* v) { return *SglangVersionKey(v); };
  EXPECT_EQ(key("0.5.6.post2"), (std::vector<int>{0, 5, 6, 4}));
  EXPECT_EQ(key("v0.5.2"), (std::vector<int>{0, 5, 2, 0}));
  EXPECT_LT(key("0.5.16.dev3"), key("0.5.16"));
  EXPECT_LT(key("0.5.3rc2"), key("0.5.3"));
  EXPECT_LT(key("0.5.15"), key("0.5.15.post1.dev2+g12ab"));
  EXPECT_LT(key("0.5.15.post1.dev2+g12ab"), key("0.5.15.post1"));
  EXPECT_LT(key("0.5.9"), key("0.5.10"));
  EXPECT_EQ(key("1"), (std::vector<int>{1, 0, 0, 0}));
  EXPECT_FALSE(SglangVersionKey("main").has_value());
  EXPECT_FALSE(SglangVersionKey("").has_value());
}

TEST(SglangReleaseTest, VersionsMapToTheNewestListAtOrBelowThem) {
  EXPECT_EQ(LabelFor("0.5.2"), "v0.5.2");
  EXPECT_EQ(LabelFor("0.5.3.post1"), "v0.5.2");
  EXPECT_EQ(LabelFor("0.5.6"), "v0.5.4");
  EXPECT_EQ(LabelFor("0.5.6.post2"), "v0.5.6.post2");
  EXPECT_EQ(LabelFor("0.5.8"), "v0.5.6.post2");
  EXPECT_EQ(LabelFor("0.5.10.post1"), "main@2026-01-14");
  EXPECT_EQ(LabelFor("0.5.14"), "main@2026-04-15");  // KServe's SGLang runtime
  EXPECT_EQ(LabelFor("0.5.15.post1"), "main@2026-06-01");
  EXPECT_EQ(LabelFor("0.5.23"), "main@2026-07-20");
  EXPECT_EQ(LabelFor("main@2026-03-01"), "main@2026-03-01");
}

TEST(SglangReleaseTest, OnlyAnExactReleaseIsKnownNotToBeNewer) {
  ReleaseChoice choice;
  std::string err;
  ASSERT_TRUE(ChooseSglangRelease("v0.5.4", &choice, &err));
  EXPECT_FALSE(choice.may_be_newer);
  ASSERT_TRUE(ChooseSglangRelease("0.5.4", &choice, &err));
  EXPECT_FALSE(choice.may_be_newer);
  ASSERT_TRUE(ChooseSglangRelease("0.5.14", &choice, &err));
  EXPECT_TRUE(choice.may_be_newer);
  EXPECT_NE(choice.note.find("main@2026-04-15"), std::string::npos) << choice.note;
  ASSERT_TRUE(ChooseSglangRelease("0.5.23", &choice, &err));
  EXPECT_TRUE(choice.may_be_newer);
}

TEST(SglangReleaseTest, OlderThanEveryListGetsTheOldestWithAWarning) {
  ReleaseChoice choice;
  std::string err;
  ASSERT_TRUE(ChooseSglangRelease("0.4.9.post6", &choice, &err));
  EXPECT_EQ(choice.release->label(), "v0.5.2");
  EXPECT_NE(choice.note.find("older than every recorded release"), std::string::npos) << choice.note;
}

TEST(SglangReleaseTest, NotAVersionIsAOneLineError) {
  ReleaseChoice choice;
  std::string err;
  EXPECT_FALSE(ChooseSglangRelease("latest", &choice, &err));
  EXPECT_EQ(err.find('\n'), std::string::npos);
  EXPECT_NE(err.find("'latest'"), std::string::npos) << err;
  EXPECT_NE(err.find("v0.5.2"), std::string::npos) << err;  // lists the recorded releases
}

TEST(SglangReleaseTest, FallbackIsTheNewestAndSaysWhy) {
  ReleaseChoice choice = FallbackSglangRelease("no sglang package");
  EXPECT_EQ(choice.release, &NewestSglangRelease());
  EXPECT_TRUE(choice.may_be_newer);
  EXPECT_EQ(choice.note.rfind("no sglang package; ", 0), 0u) << choice.note;
}

}  // namespace
}  // namespace shim

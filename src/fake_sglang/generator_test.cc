#include "fake_sglang/generator.h"

#include <gtest/gtest.h>

namespace shim::fake_sglang {
namespace {

TEST(GeneratorTest, SamePromptSameAnswerDifferentPromptDifferentAnswer) {
  GenerationParams p;
  p.prompt = "hello world";
  Generation a = Generate(p), b = Generate(p);
  EXPECT_EQ(a.Text(), b.Text());
  EXPECT_GE(a.tokens.size(), 8u);
  EXPECT_LE(a.tokens.size(), 16u);
  EXPECT_EQ(a.finish_reason, "stop");
  GenerationParams q = p;
  q.prompt = "another prompt";
  EXPECT_NE(Generate(q).Text(), a.Text());
  q = p;
  q.choice_index = 1;
  EXPECT_NE(Generate(q).Text(), a.Text());
}

TEST(GeneratorTest, MaxTokensIgnoreEosAndStop) {
  GenerationParams p;
  p.prompt = "x";
  p.max_tokens = 3;
  Generation g = Generate(p);
  EXPECT_EQ(g.tokens.size(), 3u);
  EXPECT_EQ(g.finish_reason, "length");
  p.max_tokens = 40;
  p.ignore_eos = true;
  EXPECT_EQ(Generate(p).tokens.size(), 40u);
  Generation full = Generate(p);
  std::string stop = full.tokens[5];  // " word": stop at the 6th token
  p.stop = {stop};
  Generation stopped = Generate(p);
  EXPECT_EQ(stopped.finish_reason, "stop");
  EXPECT_EQ(stopped.matched_stop, stop);
  EXPECT_EQ(stopped.Text().find(stop), std::string::npos);
}

TEST(GeneratorTest, AdapterMarkerIsTheFirstToken) {
  GenerationParams p;
  p.prompt = "x";
  p.adapter = "sql";
  EXPECT_EQ(Generate(p).tokens[0], "[lora:sql]");
}

TEST(GeneratorTest, CountsWordsAndRoundTripsKnownIds) {
  EXPECT_EQ(CountTokens("  a b\tc\n"), 3);
  EXPECT_EQ(CountTokens(""), 0);
  EXPECT_EQ(DetokenizeIds(TokenizeIds("the quick fox")), "the quick fox");
}

}  // namespace
}  // namespace shim::fake_sglang

#include "fake_sglang/pooling_math.h"

#include <gtest/gtest.h>

#include <cmath>

namespace shim::fake_sglang {
namespace {

double Norm(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x * x;
  return std::sqrt(sum);
}

TEST(PoolingMathTest, EmbeddingsAreUnitLengthAndDeterministic) {
  std::vector<double> a = EmbeddingFor("hello world");
  ASSERT_EQ(a.size(), static_cast<size_t>(kEmbeddingDims));
  EXPECT_NEAR(Norm(a), 1.0, 1e-12);
  EXPECT_EQ(a, EmbeddingFor("hello world"));
  EXPECT_NE(a, EmbeddingFor("hello world!"));
  EXPECT_NEAR(Norm(EmbeddingFor("")), 1.0, 1e-12);
}

TEST(PoolingMathTest, TokenIdsEmbedApartFromText) {
  std::vector<int64_t> ids{1, 2, 3};
  EXPECT_EQ(TokenIdsKey(ids), TokenIdsKey(std::vector<int64_t>{1, 2, 3}));
  EXPECT_NE(TokenIdsKey(ids), TokenIdsKey(std::vector<int64_t>{1, 23}));
  EXPECT_NE(EmbeddingFor(TokenIdsKey(ids)), EmbeddingFor("1 2 3"));
}

TEST(PoolingMathTest, RerankScoreFollowsWordOverlap) {
  double none = RerankScore("giant panda", "the llama is a camelid");
  double half = RerankScore("giant panda", "a PANDA eats bamboo");
  double full = RerankScore("giant panda", "The giant panda, a bear.");
  EXPECT_GT(none, 0.0);
  EXPECT_LT(none, 0.05 + 0.001);
  EXPECT_NEAR(half, 0.05 + 0.45, 0.001);
  EXPECT_NEAR(full, 0.95, 0.001);
  EXPECT_LT(full, 1.0);
  EXPECT_LT(none, half);
  EXPECT_LT(half, full);
  EXPECT_EQ(full, RerankScore("giant panda", "The giant panda, a bear."));
  // Repeated words count once; an empty query overlaps nothing.
  EXPECT_NEAR(RerankScore("panda panda", "panda"), 0.95, 0.001);
  EXPECT_LT(RerankScore("", "panda"), 0.05 + 0.001);
}

TEST(PoolingMathTest, ClassifierLogitsAndSoftmax) {
  std::array<double, 2> logits = ClassifierLogits("great movie");
  EXPECT_EQ(logits, ClassifierLogits("great movie"));
  for (double l : logits) {
    EXPECT_GE(l, -2.0);
    EXPECT_LT(l, 2.0);
  }
  std::vector<double> probs = Softmax({logits[0], logits[1]});
  ASSERT_EQ(probs.size(), 2u);
  EXPECT_NEAR(probs[0] + probs[1], 1.0, 1e-12);
  EXPECT_EQ(probs[0] > probs[1], logits[0] > logits[1]);
  std::vector<double> even = Softmax({0.0, 0.0});
  EXPECT_DOUBLE_EQ(even[0], 0.5);
  EXPECT_TRUE(Softmax({}).empty());
}

}  // namespace
}  // namespace shim::fake_sglang

// vLLM @9aaf83ef vllm/entrypoints/pooling/scoring/io_processor.py (BiEncoderIOProcessor):
// queries and documents are embedded together, queries first, and each pair scores the
// cosine of its two embeddings; one query pairs with every document.
#include "pooling/bi_encoder.h"

#include <cmath>

#include <gtest/gtest.h>

namespace shim::pooling {
namespace {

using nlohmann::json;

TEST(BiEncoderTest, EmbedsQueriesThenDocumentsAsOneRequest) {
  json request = json::parse(R"({"model":"m","text_1":"q","text_2":["a","b"],"dimensions":8,"top_n":1})");
  EXPECT_EQ(json::parse(SglangEmbeddingsBody(request, {"q"}, {"a", "b"})),
            json::parse(R"({"model":"m","input":["q","a","b"],"dimensions":8})"));
}

TEST(BiEncoderTest, OneQueryScoresEveryDocument) {
  // q = (1,0); a = (1,0) → 1; b = (0,2) → 0; c = (-3,0) → -1.
  const std::string answer = R"({"object":"list","data":[
      {"object":"embedding","embedding":[1,0],"index":0},
      {"object":"embedding","embedding":[0,2],"index":2},
      {"object":"embedding","embedding":[1,0],"index":1},
      {"object":"embedding","embedding":[-3,0],"index":3}],
      "model":"m","usage":{"prompt_tokens":9,"total_tokens":9}})";
  std::vector<double> scores;
  long long tokens = 0;
  std::string err;
  ASSERT_TRUE(CosineScores(answer, 1, 3, &scores, &tokens, &err)) << err;
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_DOUBLE_EQ(scores[0], 1.0);
  EXPECT_DOUBLE_EQ(scores[1], 0.0);
  EXPECT_DOUBLE_EQ(scores[2], -1.0);
  EXPECT_EQ(tokens, 9);
}

TEST(BiEncoderTest, PairsQueryIWithDocumentI) {
  const std::string answer = R"({"data":[{"embedding":[1,1],"index":0},{"embedding":[1,0],"index":1},
      {"embedding":[1,1],"index":2},{"embedding":[1,1],"index":3}],"usage":{"prompt_tokens":4}})";
  std::vector<double> scores;
  long long tokens = 0;
  std::string err;
  ASSERT_TRUE(CosineScores(answer, 2, 2, &scores, &tokens, &err)) << err;
  EXPECT_DOUBLE_EQ(scores[0], 1.0);
  EXPECT_NEAR(scores[1], 1.0 / std::sqrt(2.0), 1e-12);  // (1,0) with (1,1), not (1,1) with (1,1)
}

TEST(BiEncoderTest, AZeroVectorScoresZeroNotNaN) {
  std::vector<double> scores;
  long long tokens = 0;
  std::string err;
  ASSERT_TRUE(CosineScores(R"({"data":[{"embedding":[0,0]},{"embedding":[1,0]}]})", 1, 1, &scores, &tokens, &err));
  EXPECT_EQ(scores[0], 0.0);
  EXPECT_EQ(tokens, 0);
}

TEST(BiEncoderTest, RefusesAnswersThatAreNotOneVectorPerText) {
  std::vector<double> scores;
  long long tokens = 0;
  std::string err;
  for (const char* text :
       {"not json", "[1]", R"({"data":{}})", R"({"data":[{"embedding":[1]}]})",
        R"({"data":[{"embedding":[1]},{"embedding":[1,2]}]})", R"({"data":[{"embedding":[1]},{"embedding":"AAAA"}]})",
        R"({"data":[{"embedding":[1],"index":1},{"embedding":[1],"index":1}]})",
        R"({"data":[{"embedding":[1],"index":5},{"embedding":[1]}]})",
        R"({"data":[{"embedding":[]},{"embedding":[]}]})", R"({"data":[{"embedding":[1]},{"embedding":["x"]}]})",
        R"({"data":[1,2]})"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(CosineScores(text, 1, 1, &scores, &tokens, &err));
    EXPECT_FALSE(err.empty());
  }
}

}  // namespace
}  // namespace shim::pooling

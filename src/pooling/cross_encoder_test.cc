// Shapes from vLLM @9aaf83ef vllm/entrypoints/pooling/scoring/protocol.py (RerankResponse,
// ScoreResponse) and SGLang @8905cbd4 python/sglang/srt/entrypoints/openai/serving_rerank.py.
#include "pooling/cross_encoder.h"

#include <gtest/gtest.h>

namespace shim::pooling {
namespace {

using nlohmann::json;

TEST(CrossEncoderTest, RerankRequestKeepsTheTextAndTheModel) {
  RerankPlan plan;
  std::string body;
  std::string err;
  ASSERT_TRUE(SglangRerankRequest(json::parse(R"({"model":"m","query":"q","documents":["a","b"],"top_n":1})"), &plan,
                                  &body, &err))
      << err;
  EXPECT_EQ(json::parse(body), json::parse(R"({"model":"m","query":"q","documents":["a","b"]})"));
  EXPECT_EQ(plan.top_n, 1u);
  EXPECT_EQ(plan.documents, (std::vector<std::string>{"a", "b"}));
}

TEST(CrossEncoderTest, RerankRequestRefusals) {
  RerankPlan plan;
  std::string body;
  std::string err;
  for (const char* text :
       {R"({"documents":["a"]})", R"({"query":1,"documents":["a"]})", R"({"query":"q"})",
        R"({"query":"q","documents":[]})", R"({"query":"q","documents":[{"content":[]}]})",
        R"({"query":"q","documents":["a"],"top_n":-1})", R"({"query":"q","documents":["a"],"top_n":"2"})", R"([1])"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(SglangRerankRequest(json::parse(text), &plan, &body, &err));
    EXPECT_FALSE(err.empty());
  }
}

TEST(CrossEncoderTest, RerankAnswerIsSortedCutAndShapedLikeVllm) {
  RerankPlan plan{{"doc zero", "doc one", "doc two"}, 2};
  const std::string sglang = R"([{"score":0.9,"document":"doc one","index":1,"meta_info":{"prompt_tokens":5}},
      {"score":0.4,"document":"doc two","index":2,"meta_info":{"prompt_tokens":6}},
      {"score":0.1,"document":"doc zero","index":0,"meta_info":{"prompt_tokens":4}}])";
  std::string out;
  std::string err;
  ASSERT_TRUE(VllmRerankAnswer(sglang, plan, "score-abc", "served", &out, &err)) << err;
  EXPECT_EQ(json::parse(out), json::parse(R"({"id":"score-abc","model":"served",
      "usage":{"prompt_tokens":15,"total_tokens":15},
      "results":[{"index":1,"document":{"text":"doc one","multi_modal":null},"relevance_score":0.9},
                 {"index":2,"document":{"text":"doc two","multi_modal":null},"relevance_score":0.4}]})"));
}

TEST(CrossEncoderTest, RerankAnswerRefusesAnythingElse) {
  RerankPlan plan{{"a"}, 0};
  std::string out;
  std::string err;
  for (const char* text : {R"({"results":[]})", R"([{"score":"x","index":0}])", R"([{"score":1,"index":3}])",
                           R"([{"score":1}])", "not json"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(VllmRerankAnswer(text, plan, "id", "m", &out, &err));
  }
}

TEST(CrossEncoderTest, ScorePairsOneToOneOneToManyAndManyToMany) {
  ScorePlan plan;
  std::string body;
  std::string err;
  ASSERT_TRUE(SglangScoreRequest(json::parse(R"({"text_1":"q","text_2":"d"})"), &plan, &body, &err)) << err;
  EXPECT_EQ(json::parse(body), json::parse(R"({"text":[["q","d"]],"is_cross_encoder_request":true})"));
  ASSERT_TRUE(
      SglangScoreRequest(json::parse(R"({"model":"m","queries":"q","documents":["a","b"]})"), &plan, &body, &err));
  EXPECT_EQ(json::parse(body),
            json::parse(R"({"model":"m","text":[["q","a"],["q","b"]],"is_cross_encoder_request":true})"));
  EXPECT_EQ(plan.pairs, 2u);
  ASSERT_TRUE(SglangScoreRequest(json::parse(R"({"data_1":["x","y"],"data_2":["a","b"]})"), &plan, &body, &err));
  EXPECT_EQ(json::parse(body)["text"], json::parse(R"([["x","a"],["y","b"]])"));
  ASSERT_TRUE(SglangScoreRequest(json::parse(R"({"queries":["x"],"items":["a","b"]})"), &plan, &body, &err));
  EXPECT_EQ(plan.pairs, 2u);
}

TEST(CrossEncoderTest, ScoreRefusals) {
  ScorePlan plan;
  std::string body;
  std::string err;
  EXPECT_FALSE(SglangScoreRequest(json::parse(R"({"text_1":["a","b"],"text_2":["c","d","e"]})"), &plan, &body, &err));
  EXPECT_NE(err.find("1:1, 1:N or N:N"), std::string::npos);
  EXPECT_FALSE(SglangScoreRequest(json::parse(R"({"text_1":"a"})"), &plan, &body, &err));
  EXPECT_FALSE(SglangScoreRequest(json::parse(R"({"text_1":"a","text_2":[]})"), &plan, &body, &err));
  EXPECT_FALSE(SglangScoreRequest(json::parse(R"({"text_1":"a","text_2":5})"), &plan, &body, &err));
}

TEST(CrossEncoderTest, ScoreAnswerKeepsRequestOrder) {
  ScorePlan plan{2};
  std::string out;
  std::string err;
  ASSERT_TRUE(VllmScoreAnswer(R"([{"embedding":0.25,"meta_info":{"prompt_tokens":3}},
                                  {"embedding":[0.75],"meta_info":{"prompt_tokens":4}}])",
                              plan, "score-1", 1700000000, "served", &out, &err))
      << err;
  EXPECT_EQ(json::parse(out), json::parse(R"({"id":"score-1","object":"list","created":1700000000,"model":"served",
      "data":[{"index":0,"object":"score","score":0.25},{"index":1,"object":"score","score":0.75}],
      "usage":{"prompt_tokens":7,"total_tokens":7,"completion_tokens":0,"prompt_tokens_details":null}})"));
  EXPECT_FALSE(VllmScoreAnswer(R"([{"embedding":0.25}])", plan, "id", 0, "m", &out, &err));  // one score short
  EXPECT_FALSE(VllmScoreAnswer(R"([{"embedding":[0.1,0.2]},{"embedding":0.3}])", plan, "id", 0, "m", &out, &err));
}

}  // namespace
}  // namespace shim::pooling

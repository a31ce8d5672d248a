#include "endpoints/tokenize_shapes.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

class TokenizeTest : public ::testing::Test {
 protected:
  ModelRegistry registry_{ModelRegistryConfig{{"m"}, "/m", 2048, 1}};
};

TEST_F(TokenizeTest, CompletionStyle) {
  TokenizePlan plan;
  EndpointReply reject;
  ASSERT_TRUE(PlanTokenize(R"({"model":"m","prompt":"hello","return_token_strs":true})", registry_, &plan, &reject));
  EXPECT_FALSE(plan.chat);
  EXPECT_TRUE(plan.return_token_strs);
  EXPECT_EQ(json::parse(plan.sglang_body), json::parse(R"({"prompt":"hello","add_special_tokens":true})"));
}

TEST_F(TokenizeTest, ChatStyleDefaults) {
  TokenizePlan plan;
  EndpointReply reject;
  ASSERT_TRUE(PlanTokenize(R"({"messages":[{"role":"user","content":"hi"}]})", registry_, &plan, &reject));
  EXPECT_TRUE(plan.chat);
  json body = json::parse(plan.sglang_body);
  EXPECT_EQ(body["add_generation_prompt"], true);
  EXPECT_EQ(body["continue_final_message"], false);
  EXPECT_EQ(body["add_special_tokens"], false);
  EXPECT_EQ(body["messages"][0]["content"], "hi");
}

TEST_F(TokenizeTest, Errors) {
  TokenizePlan plan;
  EndpointReply reject;
  EXPECT_FALSE(PlanTokenize(R"({"model":"other","prompt":"x"})", registry_, &plan, &reject));
  EXPECT_EQ(reject.status, 404);
  EXPECT_FALSE(PlanTokenize(R"({})", registry_, &plan, &reject));
  EXPECT_EQ(reject.status, 400);
  EXPECT_FALSE(PlanTokenize(R"({"prompt":3})", registry_, &plan, &reject));
  EXPECT_FALSE(PlanTokenize("[]", registry_, &plan, &reject));
  EXPECT_FALSE(PlanTokenize(R"({"messages":[],"add_generation_prompt":true,"continue_final_message":true})", registry_,
                            &plan, &reject));
  EXPECT_EQ(reject.status, 400);
}

// SGLang renders chat with the generation prompt, or a final assistant message left open, in
// the model's template (SGLang serving_chat.py _apply_jinja_template): what it would count
// differently from vLLM is refused, with the field named.
TEST_F(TokenizeTest, ChatStyleThatSglangWouldRenderDifferentlyIsRefused) {
  const char* cases[][2] = {
      {R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":false})", "add_generation_prompt"},
      {R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":false,"continue_final_message":true})",
       "continue_final_message"},
      {R"({"messages":[{"role":"user","content":"hi"}],"add_special_tokens":true})", "add_special_tokens"},
      {R"({"messages":[{"role":"user","content":"hi"}],"chat_template":"{{ messages }}"})", "chat_template"},
      {R"({"messages":[{"role":"user","content":"hi"}],"mm_processor_kwargs":{"a":1}})", "mm_processor_kwargs"},
  };
  for (const auto& [body, param] : cases) {
    SCOPED_TRACE(body);
    TokenizePlan plan;
    EndpointReply reject;
    EXPECT_FALSE(PlanTokenize(body, registry_, &plan, &reject));
    EXPECT_EQ(reject.status, 400);
    EXPECT_EQ(json::parse(reject.body)["error"]["param"], param);
  }
  TokenizePlan plan;
  EndpointReply reject;
  EXPECT_TRUE(PlanTokenize(R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],)"
                           R"("add_generation_prompt":false,"continue_final_message":true})",
                           registry_, &plan, &reject));
}

TEST_F(TokenizeTest, ConvertsAnswer) {
  std::string out;
  // The configured length (2048) wins over SGLang's (4096): /v1/models reports the same.
  ASSERT_TRUE(
      ConvertTokenizeAnswer(R"({"tokens":[1,2,3],"count":3,"max_model_len":4096})", registry_, std::nullopt, &out));
  EXPECT_EQ(json::parse(out), json::parse(R"({"count":3,"max_model_len":2048,"tokens":[1,2,3],"token_strs":null})"));
  ASSERT_TRUE(ConvertTokenizeAnswer(R"({"tokens":[7]})", registry_, std::vector<std::string>{"a"}, &out));
  EXPECT_EQ(json::parse(out), json::parse(R"({"count":1,"max_model_len":2048,"tokens":[7],"token_strs":["a"]})"));
  EXPECT_FALSE(ConvertTokenizeAnswer(R"({"text":"x"})", registry_, std::nullopt, &out));
  EXPECT_FALSE(ConvertTokenizeAnswer("oops", registry_, std::nullopt, &out));
}

TEST_F(TokenizeTest, Detokenize) {
  std::string body;
  EndpointReply reject;
  ASSERT_TRUE(PlanDetokenize(R"({"tokens":[1,2]})", registry_, &body, &reject));
  EXPECT_EQ(json::parse(body), json::parse(R"({"tokens":[1,2],"skip_special_tokens":false})"));
  EXPECT_FALSE(PlanDetokenize(R"({"tokens":[-1]})", registry_, &body, &reject));
  EXPECT_EQ(reject.status, 400);
  EXPECT_FALSE(PlanDetokenize(R"({"tokens":"1"})", registry_, &body, &reject));
  EXPECT_FALSE(PlanDetokenize(R"({"tokens":[1.5]})", registry_, &body, &reject));
  EXPECT_FALSE(PlanDetokenize(R"({})", registry_, &body, &reject));
  std::string out;
  ASSERT_TRUE(ConvertDetokenizeAnswer(R"({"text":"hi"})", &out));
  EXPECT_EQ(out, R"({"prompt":"hi"})");
  EXPECT_FALSE(ConvertDetokenizeAnswer(R"({"prompt":"hi"})", &out));
}

// TokenizeResponse field order (vllm/entrypoints/serve/tokenize/protocol.py);
// the configured length wins over SGLang's.
TEST(TokenizeShapes, AnswerMembersInVllmOrder) {
  ModelRegistry registry({{"m"}, "/m", 2048, 1});
  std::string out;
  ASSERT_TRUE(
      ConvertTokenizeAnswer(R"({"tokens":[5,6],"count":2,"max_model_len":9999})", registry, std::nullopt, &out));
  EXPECT_EQ(out, R"({"count":2,"max_model_len":2048,"tokens":[5,6],"token_strs":null})");
}

}  // namespace
}  // namespace shim::endpoints

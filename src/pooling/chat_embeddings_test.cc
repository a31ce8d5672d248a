#include "pooling/chat_embeddings.h"

#include <gtest/gtest.h>

namespace shim::pooling {
namespace {

using nlohmann::json;

bool Plan(const std::string& body, std::string* tokenize_body, std::string* err) {
  return PlanChatRendering(body, tokenize_body, err);
}

TEST(ChatEmbeddingsTest, RendersWithTheGenerationPromptThroughSglangsTokenize) {
  std::string out;
  std::string err;
  ASSERT_TRUE(Plan(R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],)"
                   R"("add_generation_prompt":true,"chat_template_kwargs":{"enable_thinking":false},)"
                   R"("encoding_format":"base64"})",
                   &out, &err))
      << err;
  // SGLang's TokenizeRequest: messages, continue_final_message, chat_template_kwargs, tools.
  EXPECT_EQ(json::parse(out), json::parse(R"({"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],)"
                                          R"("continue_final_message":false,)"
                                          R"("chat_template_kwargs":{"enable_thinking":false}})"));
}

TEST(ChatEmbeddingsTest, ContinuesAFinalAssistantMessage) {
  std::string out;
  std::string err;
  ASSERT_TRUE(Plan(R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],)"
                   R"("continue_final_message":true,"add_generation_prompt":false})",
                   &out, &err))
      << err;
  EXPECT_EQ(json::parse(out)["continue_final_message"], true);
}

TEST(ChatEmbeddingsTest, RefusesWhatSglangWouldRenderDifferently) {
  const char* cases[] = {
      // vLLM's default for embeddings: no generation prompt, which SGLang always adds.
      R"({"messages":[{"role":"user","content":"hi"}]})",
      R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":false})",
      R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true,"continue_final_message":true})",
      R"({"messages":[{"role":"user","content":"hi"}],"continue_final_message":true})",
      R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true,"add_special_tokens":true})",
      R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true,"chat_template":"{{x}}"})",
      R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true,"mm_processor_kwargs":{}})",
      R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}],)"
      R"("add_generation_prompt":true})",
      R"({"messages":[],"add_generation_prompt":true})",
      R"({"messages":"hi","add_generation_prompt":true})",
      R"({"messages":[{"content":"no role"}],"add_generation_prompt":true})",
      R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":"yes"})",
      R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true,"tools":{}})",
  };
  for (const char* body : cases) {
    SCOPED_TRACE(body);
    std::string out;
    std::string err;
    EXPECT_FALSE(Plan(body, &out, &err));
    EXPECT_FALSE(err.empty());
  }
}

TEST(ChatEmbeddingsTest, IdsReplaceAnyInput) {
  std::string out;
  ASSERT_TRUE(WithInputIds(R"({"model":"m","input":"stale"})", {1, 2, 3}, &out));
  EXPECT_EQ(json::parse(out), json::parse(R"({"model":"m","input":[1,2,3]})"));
  EXPECT_FALSE(WithInputIds("[1]", {1}, &out));
}

TEST(ChatEmbeddingsTest, KnowsTheRenderingFields) {
  for (const char* key : {"messages", "add_generation_prompt", "continue_final_message", "add_special_tokens",
                          "chat_template", "chat_template_kwargs", "mm_processor_kwargs", "tools"}) {
    EXPECT_TRUE(IsChatRenderingField(key)) << key;
  }
  for (const char* key : {"model", "input", "encoding_format", "dimensions", "user", "truncate_prompt_tokens"}) {
    EXPECT_FALSE(IsChatRenderingField(key)) << key;
  }
}

}  // namespace
}  // namespace shim::pooling

#include "endpoints/chat_rendering.h"

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

TEST(ChatRenderingTest, DefaultsFollowTheRoute) {
  const json request = json::parse(R"({"messages":[{"role":"user","content":"hi"}]})");
  ChatRendering out;
  std::string err;
  std::string param;
  // /tokenize: vLLM adds the generation prompt by default, as SGLang always does.
  ASSERT_TRUE(ReadChatRendering(request, true, &out, &err, &param)) << err;
  EXPECT_TRUE(out.add_generation_prompt);
  EXPECT_FALSE(out.continue_final_message);
  EXPECT_FALSE(out.add_special_tokens);
  // Embeddings: vLLM's default renders no generation prompt, which SGLang cannot do.
  EXPECT_FALSE(ReadChatRendering(request, false, &out, &err, &param));
  EXPECT_EQ(param, "add_generation_prompt");
  EXPECT_NE(err.find("add_generation_prompt=true"), std::string::npos) << err;
}

TEST(ChatRenderingTest, NamesTheFieldItRefuses) {
  const char* cases[][2] = {
      {R"({"messages":[],"add_generation_prompt":"yes"})", "add_generation_prompt"},
      {R"({"messages":[],"add_generation_prompt":true,"continue_final_message":true})", ""},
      {R"({"messages":[{"role":"user","content":"q"}],"continue_final_message":true,"add_generation_prompt":false})",
       "continue_final_message"},
      {R"({"messages":[{"role":"user","content":"q"}],"add_special_tokens":true})", "add_special_tokens"},
      {R"({"messages":[{"role":"user","content":"q"}],"chat_template":"x"})", "chat_template"},
      {R"({"messages":[{"role":"user","content":"q"}],"media_io_kwargs":{}})", "media_io_kwargs"},
  };
  for (const auto& [text, field] : cases) {
    SCOPED_TRACE(text);
    ChatRendering out;
    std::string err;
    std::string param = "unset";
    EXPECT_FALSE(ReadChatRendering(json::parse(text), true, &out, &err, &param));
    EXPECT_EQ(param, field);
    EXPECT_FALSE(err.empty());
  }
}

TEST(ChatRenderingTest, ContinuesAFinalAssistantMessage) {
  const json request =
      json::parse(R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],)"
                  R"("continue_final_message":true,"add_generation_prompt":false,"chat_template":null})");
  ChatRendering out;
  std::string err;
  std::string param;
  ASSERT_TRUE(ReadChatRendering(request, false, &out, &err, &param)) << err;
  EXPECT_TRUE(out.continue_final_message);
  EXPECT_FALSE(out.add_generation_prompt);
}

}  // namespace
}  // namespace shim::endpoints

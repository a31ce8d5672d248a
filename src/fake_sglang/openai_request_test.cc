// Validation like SGLang's request models and handlers
// (python/sglang/srt/entrypoints/openai/protocol.py, serving_chat.py, serving_base.py).
#include "fake_sglang/openai_request.h"

#include <gtest/gtest.h>

namespace shim::fake_sglang {
namespace {

struct Fixture {
  ServeConfig config;
  LoraRegistry loras;
  bool legacy = false;
  bool Parse(const std::string& body, bool chat, OpenAiRequest* r, ApiError* e,
             const std::string& content_type = "application/json") {
    ParseContext context{&config, &loras, legacy};
    return ParseOpenAiRequest(content_type, body, chat, context, r, e);
  }
};

TEST(OpenAiRequestTest, ChatLogprobsNullIsA400WithTheFlatBody) {  // sglang issue #4440
  Fixture f;
  OpenAiRequest r;
  ApiError e;
  ASSERT_FALSE(f.Parse(R"({"messages":[{"role":"user","content":"hi"}],"logprobs":null})", true, &r, &e));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.body["object"], "error");
  EXPECT_EQ(e.body["type"], "Bad Request");
  EXPECT_EQ(e.body["code"], 400);
  EXPECT_TRUE(e.body["param"].is_null());
  EXPECT_NE(e.body["message"].get<std::string>().find("logprobs"), std::string::npos);
}

TEST(OpenAiRequestTest, NullableFieldsAndUnknownFieldsPass) {
  Fixture f;
  OpenAiRequest r;
  ApiError e;
  ASSERT_TRUE(f.Parse(R"({"messages":[{"role":"user","content":"hi"}],"top_logprobs":null,"temperature":null,
                          "max_tokens":null,"guided_json":{"a":1},"stop":null,"seed":null})",
                      true, &r, &e))
      << e.body.dump();
  EXPECT_FALSE(r.max_tokens.has_value());
}

TEST(OpenAiRequestTest, EmptyMessagesIsHandlerLevel400) {
  Fixture f;
  OpenAiRequest r;
  ApiError e;
  ASSERT_FALSE(f.Parse(R"({"messages":[]})", true, &r, &e));
  EXPECT_EQ(e.body["message"], "Messages cannot be empty.");
  EXPECT_EQ(e.body["type"], "BadRequestError");
}

TEST(OpenAiRequestTest, CompletionsRejectNullAndZeroMaxTokens) {
  Fixture f;
  OpenAiRequest r;
  ApiError e;
  EXPECT_FALSE(f.Parse(R"({"prompt":"hi","max_tokens":null})", false, &r, &e));
  EXPECT_FALSE(f.Parse(R"({"prompt":"hi","max_tokens":0})", false, &r, &e));
  ASSERT_TRUE(f.Parse(R"({"prompt":"hi"})", false, &r, &e));
  EXPECT_EQ(r.max_tokens, 16);  // CompletionRequest.max_tokens default
}

TEST(OpenAiRequestTest, MalformedBodiesAndContentType) {
  Fixture f;
  OpenAiRequest r;
  ApiError e;
  EXPECT_FALSE(f.Parse("{not json", true, &r, &e));
  EXPECT_EQ(e.status, 400);
  EXPECT_FALSE(f.Parse("[1,2]", true, &r, &e));
  EXPECT_FALSE(f.Parse(R"({"messages":"x"})", true, &r, &e));
  EXPECT_FALSE(f.Parse(R"({"messages":[{"role":"user","content":"hi"}]})", true, &r, &e, "text/plain"));
  EXPECT_FALSE(f.Parse(R"({"messages":[{"role":"user","content":"hi"}],"tools":[{"function":{"name":7}}],
                            "tool_choice":{"type":"function","function":{"name":"x"}}})",
                       true, &r, &e));
  EXPECT_EQ(e.body["message"], "Tool 'x' not found in tools list.");
}

TEST(OpenAiRequestTest, Legacy422ModeReproducesFastApiBody) {
  Fixture f;
  f.legacy = true;
  OpenAiRequest r;
  ApiError e;
  ASSERT_FALSE(f.Parse(R"({"messages":[{"role":"user","content":"hi"}],"logprobs":true})", true, &r, &e));
  EXPECT_EQ(e.status, 422);
  ASSERT_TRUE(e.body["detail"].is_array());
  EXPECT_EQ(e.body["detail"][0]["loc"][1], "logprobs");
  EXPECT_TRUE(f.Parse(R"({"messages":[{"role":"user","content":"hi"}]})", true, &r, &e));
}

TEST(OpenAiRequestTest, LoraSelectedByColonModelOrLoraPath) {
  Fixture f;
  f.config.enable_lora = true;
  std::string err;
  ASSERT_TRUE(f.loras.Load({"sql", "/a/sql", false}, &err));
  OpenAiRequest r;
  ApiError e;
  ASSERT_TRUE(f.Parse(R"({"model":"base:sql","messages":[{"role":"user","content":"hi"}]})", true, &r, &e));
  EXPECT_EQ(r.adapter, "sql");
  ASSERT_TRUE(f.Parse(R"({"model":"sql","messages":[{"role":"user","content":"hi"}]})", true, &r, &e));
  EXPECT_EQ(r.adapter, "");  // vLLM-style adapter name alone runs the base model in SGLang
  ASSERT_TRUE(f.Parse(R"({"lora_path":"sql","messages":[{"role":"user","content":"hi"}]})", true, &r, &e));
  EXPECT_EQ(r.adapter, "sql");
  EXPECT_FALSE(f.Parse(R"({"model":"base:nope","messages":[{"role":"user","content":"hi"}]})", true, &r, &e));
}

TEST(OpenAiRequestTest, ToolsNeedAParserAndToolChoiceNotNone) {
  Fixture f;
  const std::string body =
      R"({"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"get_weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]})";
  OpenAiRequest r;
  ApiError e;
  ASSERT_TRUE(f.Parse(body, true, &r, &e));
  EXPECT_FALSE(r.use_tools);
  f.config.tool_call_parser = "llama3";
  ASSERT_TRUE(f.Parse(body, true, &r, &e));
  EXPECT_TRUE(r.use_tools);
  EXPECT_EQ(r.tool_name, "get_weather");
  EXPECT_EQ(ToolArguments(r.tool_parameters), (nlohmann::json{{"city", "sample"}}));
}

}  // namespace
}  // namespace shim::fake_sglang

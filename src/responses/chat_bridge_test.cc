// vLLM @9aaf83ef vllm/entrypoints/openai/responses/protocol.py: ResponsesRequest (text.format
// becomes structured output) and ResponsesResponse.from_request.
#include "responses/chat_bridge.h"

#include <gtest/gtest.h>

namespace shim::responses {
namespace {

using nlohmann::json;

const json kSchemaFormat = json::parse(
    R"({"format":{"type":"json_schema","name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}}},"strict":true}})");

TEST(ChatBridgeTest, OnlyJsonTextFormatsTakeTheChatRoute) {
  EXPECT_TRUE(NeedsChatBridge(json{{"input", "x"}, {"text", kSchemaFormat}}));
  EXPECT_TRUE(NeedsChatBridge(json::parse(R"({"text":{"format":{"type":"json_object"}}})")));
  EXPECT_FALSE(NeedsChatBridge(json::parse(R"({"text":{"format":{"type":"text"}}})")));
  EXPECT_FALSE(NeedsChatBridge(json::parse(R"({"input":"x"})")));
  EXPECT_FALSE(NeedsChatBridge(json::parse(R"({"text":{"format":{"type":5}}})")));
  EXPECT_FALSE(NeedsChatBridge(json::parse(R"({"text":"plain"})")));
}

TEST(ChatBridgeTest, RequestCarriesMessagesSamplingAndTheSchema) {
  json request = json::parse(R"({"model":"m","instructions":"be brief","max_output_tokens":20,"temperature":0.5,
      "input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]},
               {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
               {"type":"function_call_output","call_id":"c1","output":"42"},
               {"type":"reasoning","summary":[]}],
      "tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],"reasoning":{"effort":"low"},
      "stream":true,"store":false})");
  request["text"] = kSchemaFormat;
  BridgePlan plan;
  std::string body;
  std::string err;
  ASSERT_TRUE(ChatRequestFromResponses(request, json(), &plan, &body, &err)) << err;
  json chat = json::parse(body);
  EXPECT_EQ(chat["model"], "m");
  EXPECT_EQ(chat["max_tokens"], 20);
  EXPECT_EQ(chat["temperature"], 0.5);
  EXPECT_EQ(chat["reasoning_effort"], "low");
  EXPECT_EQ(chat["stream"], true);
  EXPECT_EQ(chat["stream_options"], json::parse(R"({"include_usage":true})"));
  EXPECT_EQ(chat["messages"], json::parse(R"([{"role":"system","content":"be brief"},
      {"role":"user","content":[{"type":"text","text":"hi"}]},
      {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"c1","content":"42"}])"));
  EXPECT_EQ(chat["tools"],
            json::parse(R"([{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}])"));
  EXPECT_EQ(chat["response_format"], json::parse(R"({"type":"json_schema","json_schema":{"name":"person",
      "schema":{"type":"object","properties":{"name":{"type":"string"}}},"strict":true}})"));
  EXPECT_TRUE(plan.stream);
  EXPECT_FALSE(plan.store);
  EXPECT_EQ(plan.id.substr(0, 5), "resp_");
}

TEST(ChatBridgeTest, PreviousConversationComesFirst) {
  json previous = json::parse(R"([{"role":"system","content":"old"},{"role":"user","content":"a"},
      {"role":"assistant","content":"b"}])");
  json request = {{"input", "c"}, {"text", kSchemaFormat}};
  BridgePlan plan;
  std::string body;
  std::string err;
  ASSERT_TRUE(ChatRequestFromResponses(request, previous, &plan, &body, &err)) << err;
  EXPECT_EQ(json::parse(body)["messages"], json::parse(R"([{"role":"user","content":"a"},
      {"role":"assistant","content":"b"},{"role":"user","content":"c"}])"));
}

TEST(ChatBridgeTest, RefusesWhatItCannotCarry) {
  BridgePlan plan;
  std::string body;
  std::string err;
  for (const char* text : {R"({"text":{}})", R"({"input":5})", R"({"input":[{"type":"computer_call"}]})",
                           R"({"input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]})",
                           R"({"input":"x","background":true})", R"({"input":"x","tools":[{"type":"web_search"}]})",
                           R"({"input":"x","instructions":3})"}) {
    SCOPED_TRACE(text);
    json request = json::parse(text);
    if (!request.contains("text")) request["text"] = kSchemaFormat;
    EXPECT_FALSE(ChatRequestFromResponses(request, json(), &plan, &body, &err));
    EXPECT_FALSE(err.empty());
  }
}

TEST(ChatBridgeTest, ChatAnswerBecomesVllmsResponse) {
  BridgePlan plan;
  std::string body;
  std::string err;
  json request = {{"input", "hi"}, {"text", kSchemaFormat}, {"max_output_tokens", 9}};
  ASSERT_TRUE(ChatRequestFromResponses(request, json(), &plan, &body, &err));
  std::string out;
  json assistant;
  ASSERT_TRUE(ResponsesAnswerFromChat(R"({"id":"c","model":"m","choices":[{"index":0,"finish_reason":"stop",
      "message":{"role":"assistant","content":"{\"name\":\"x\"}","reasoning_content":"think",
      "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}}],
      "usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})",
                                      plan, &out, &assistant, &err))
      << err;
  json r = json::parse(out);
  EXPECT_EQ(r["id"], plan.id);
  EXPECT_EQ(r["object"], "response");
  EXPECT_EQ(r["status"], "completed");
  EXPECT_EQ(r["model"], "m");
  EXPECT_EQ(r["max_output_tokens"], 9);
  EXPECT_EQ(r["text"], kSchemaFormat);
  EXPECT_EQ(r["incomplete_details"], nullptr);
  ASSERT_EQ(r["output"].size(), 3u);
  EXPECT_EQ(r["output"][0]["type"], "reasoning");
  EXPECT_EQ(r["output"][0]["content"][0]["text"], "think");
  EXPECT_EQ(r["output"][1]["type"], "message");
  EXPECT_EQ(r["output"][1]["content"][0], json::parse(R"({"annotations":[],"text":"{\"name\":\"x\"}",
      "type":"output_text","logprobs":null})"));
  EXPECT_EQ(r["output"][2]["type"], "function_call");
  EXPECT_EQ(r["output"][2]["call_id"], "call_1");
  EXPECT_EQ(r["usage"]["input_tokens"], 3);
  EXPECT_EQ(r["usage"]["output_tokens"], 4);
  EXPECT_EQ(assistant["content"], "{\"name\":\"x\"}");
  ASSERT_TRUE(
      ResponsesAnswerFromChat(R"({"model":"m","choices":[{"finish_reason":"length","message":{"content":"{\"na"}}]})",
                              plan, &out, &assistant, &err));
  EXPECT_EQ(json::parse(out)["status"], "incomplete");
  EXPECT_EQ(json::parse(out)["incomplete_details"], json::parse(R"({"reason":"max_output_tokens"})"));
  EXPECT_FALSE(ResponsesAnswerFromChat(R"({"choices":[]})", plan, &out, &assistant, &err));
  EXPECT_FALSE(ResponsesAnswerFromChat("[1]", plan, &out, &assistant, &err));
}

}  // namespace
}  // namespace shim::responses

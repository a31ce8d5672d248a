// The event sequence of vLLM @9aaf83ef vllm/entrypoints/openai/responses/simple_streaming_events.py
// for a streamed chat answer.
#include "responses/chat_stream_bridge.h"

#include <gtest/gtest.h>

namespace shim::responses {
namespace {

using nlohmann::json;

struct Event {
  std::string type;
  json data;
};

std::vector<Event> Events(const std::string& text) {
  std::vector<Event> events;
  size_t pos = 0;
  while ((pos = text.find("event: ", pos)) != std::string::npos) {
    size_t eol = text.find('\n', pos);
    size_t data = text.find("data: ", eol) + 6;
    size_t end = text.find("\n\n", data);
    events.push_back({text.substr(pos + 7, eol - pos - 7), json::parse(text.substr(data, end - data))});
    pos = end;
  }
  return events;
}

std::string Chunk(const std::string& delta_json, const std::string& finish = "null") {
  return "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" + delta_json +
         ",\"finish_reason\":" + finish + "}]}\n\n";
}

BridgePlan Plan() {
  BridgePlan plan;
  std::string body;
  std::string err;
  json request = json::parse(R"({"input":"hi","stream":true,"text":{"format":{"type":"json_object"}}})");
  EXPECT_TRUE(ChatRequestFromResponses(request, json(), &plan, &body, &err));
  return plan;
}

TEST(ChatStreamBridgeTest, ReasoningThenTextThenCompleted) {
  BridgePlan plan = Plan();
  ChatStreamBridge bridge(&plan);
  std::string all;
  std::string out;
  for (const std::string& frame :
       {Chunk(R"({"role":"assistant","content":""})"), Chunk(R"({"reasoning_content":"th"})"),
        Chunk(R"({"reasoning_content":"ink"})"), Chunk(R"({"content":"{\"a\""})"), Chunk(R"({"content":":1}"})"),
        Chunk("{}", "\"stop\""),
        std::string("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":2,"
                    "\"completion_tokens\":5,\"total_tokens\":7}}\n\n"),
        std::string("data: [DONE]\n\n")}) {
    bridge.OnChatFrame(frame, &out);
    all += out;
  }
  std::vector<Event> events = Events(all);
  std::vector<std::string> types;
  for (const Event& e : events) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{
                       "response.created", "response.in_progress", "response.output_item.added",
                       "response.reasoning_part.added", "response.reasoning_text.delta",
                       "response.reasoning_text.delta", "response.reasoning_text.done", "response.reasoning_part.done",
                       "response.output_item.done", "response.output_item.added", "response.content_part.added",
                       "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                       "response.content_part.done", "response.output_item.done", "response.completed"}));
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].data["sequence_number"], i);
    EXPECT_EQ(events[i].data["type"], events[i].type);
  }
  EXPECT_EQ(events[0].data["response"]["status"], "in_progress");
  EXPECT_EQ(events[13].data["text"], "{\"a\":1}");
  const json& done = events.back().data["response"];
  EXPECT_EQ(done["id"], plan.id);
  EXPECT_EQ(done["status"], "completed");
  EXPECT_EQ(done["model"], "m");
  EXPECT_EQ(done["output"][0]["content"][0]["text"], "think");
  EXPECT_EQ(done["output"][1]["content"][0]["text"], "{\"a\":1}");
  EXPECT_EQ(done["usage"]["total_tokens"], 7);
  EXPECT_TRUE(bridge.finished());
  EXPECT_EQ(json::parse(bridge.final_response()), done);
  EXPECT_EQ(bridge.assistant_turn()["content"], "{\"a\":1}");
  bridge.OnChatFrame("data: [DONE]\n\n", &out);
  EXPECT_TRUE(out.empty());  // nothing after the end
}

TEST(ChatStreamBridgeTest, ToolCallsAndLength) {
  BridgePlan plan = Plan();
  ChatStreamBridge bridge(&plan);
  std::string all;
  std::string out;
  for (const std::string& frame :
       {Chunk(R"({"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"f","arguments":""}}]})"),
        Chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"x\""}}]})"),
        Chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":":2}"}}]})"), Chunk("{}", "\"length\""),
        std::string("data: [DONE]\n\n")}) {
    bridge.OnChatFrame(frame, &out);
    all += out;
  }
  std::vector<Event> events = Events(all);
  const json& done = events.back().data["response"];
  EXPECT_EQ(done["status"], "incomplete");
  ASSERT_EQ(done["output"].size(), 1u);
  EXPECT_EQ(done["output"][0]["type"], "function_call");
  EXPECT_EQ(done["output"][0]["call_id"], "call_9");
  EXPECT_EQ(done["output"][0]["arguments"], "{\"x\":2}");
  int deltas = 0;
  for (const Event& e : events) deltas += e.type == "response.function_call_arguments.delta";
  EXPECT_EQ(deltas, 2);
}

TEST(ChatStreamBridgeTest, EngineErrorBecomesAnErrorEvent) {
  BridgePlan plan = Plan();
  ChatStreamBridge bridge(&plan);
  std::string out;
  bridge.OnChatFrame(Chunk(R"({"content":"a"})"), &out);
  bridge.OnChatFrame(
      "data: {\"error\":{\"object\":\"error\",\"message\":\"boom\",\"type\":\"InternalServerError\",\"code\":500}}\n\n",
      &out);
  std::vector<Event> events = Events(out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "error");
  EXPECT_EQ(events[0].data["message"], "boom");
  EXPECT_EQ(events[0].data["code"], 500);
  bridge.OnChatFrame("data: not json\n\n", &out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace shim::responses

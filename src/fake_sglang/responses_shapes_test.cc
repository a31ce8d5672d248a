#include "fake_sglang/responses_shapes.h"

#include <gtest/gtest.h>

namespace shim::fake_sglang {
namespace {

using nlohmann::json;

TEST(ResponsesShapesTest, InputMessagesKeepSglangsPreviousResponseQuirk) {
  json prev_messages = json::parse(R"([{"role":"user","content":"first"}])");
  json prev_output = json::parse(R"([{"type":"reasoning","content":[{"type":"reasoning_text","text":"r"}]},
                                     {"type":"message","content":[{"type":"output_text","text":"answer"}]}])");
  json body = json::parse(R"({"instructions":"be brief","input":"second"})");
  json want = json::parse(R"([{"role":"system","content":"be brief"},{"role":"user","content":"first"},
                              {"role":"system","content":"be brief"},{"role":"user","content":"second"}])");
  EXPECT_EQ(ConstructInputMessages(body, &prev_messages, &prev_output), want);
  EXPECT_EQ(InputMessagesText(want), "be brief\nfirst\nbe brief\nsecond");
}

TEST(ResponsesShapesTest, InputListAndParts) {
  json body = json::parse(R"({"input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]},7]})");
  json messages = ConstructInputMessages(body, nullptr, nullptr);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(InputMessagesText(messages), "hi");
  EXPECT_EQ(ConstructInputMessages(json::parse(R"({"input":3})"), nullptr, nullptr), json::array());
}

TEST(ResponsesShapesTest, OutputItemsAndTextFormat) {
  json items = OutputItems("thinking", " answer");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["type"], "reasoning");
  EXPECT_EQ(items[0]["content"][0], json::parse(R"({"type":"reasoning_text","text":"thinking"})"));
  EXPECT_EQ(items[1]["content"][0]["text"], " answer");
  EXPECT_EQ(items[1]["id"].get<std::string>().size(), 4u + 32u);
  json body = json::parse(R"({"model":"m","input":"x","text":{"format":{"type":"json_object"}}})");
  json with_reasoning = ResponseObject(body, "resp_1", 5, items, "completed", nullptr);
  EXPECT_TRUE(with_reasoning["text"].is_null());
  json plain = ResponseObject(body, "resp_1", 5, OutputItems("", "a"), "completed", nullptr);
  EXPECT_EQ(plain["text"], json::parse(R"({"format":{"type":"text"}})"));
  EXPECT_EQ(plain["reasoning"], json::parse(R"({"effort":null,"summary":null})"));
  EXPECT_EQ(plain["metadata"], json::object());
  EXPECT_EQ(plain["store"], true);
}

TEST(ResponsesShapesTest, UsageShapes) {
  json chat = ChatStyleUsage(3, 4);
  EXPECT_EQ(chat, json::parse(R"({"prompt_tokens":3,"total_tokens":7,"completion_tokens":4,
                                  "prompt_tokens_details":null,"reasoning_tokens":0})"));
  EXPECT_EQ(StreamUsage(chat), json::parse(R"({"input_tokens":3,"input_tokens_details":{"cached_tokens":0},
      "output_tokens":4,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":7})"));
}

TEST(ResponsesShapesTest, ErrorsAndFrames) {
  EXPECT_EQ(
      NestedError("gone", 404, "response_id"),
      json::parse(R"({"error":{"message":"gone","type":"invalid_request_error","param":"response_id","code":404}})"));
  EXPECT_EQ(ResponsesFrame(json{{"type", "response.created"}}),
            "event: response.created\ndata: {\"type\":\"response.created\"}\n\n");
}

}  // namespace
}  // namespace shim::fake_sglang

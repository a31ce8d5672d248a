// vLLM @9aaf83ef vllm/entrypoints/openai/responses/protocol.py ResponseUsage from SGLang
// @8905cbd4 serving_responses.py's chat-style UsageInfo.
#include "responses/responses_usage.h"

#include <gtest/gtest.h>

namespace shim::responses {
namespace {

using nlohmann::json;

const char* kVllmUsage =
    R"({"input_tokens":5,"input_tokens_details":{"cached_tokens":2,"input_tokens_per_turn":[],)"
    R"("cached_tokens_per_turn":[]},"output_tokens":7,"output_tokens_details":{"reasoning_tokens":3,)"
    R"("tool_output_tokens":0,"output_tokens_per_turn":[],"tool_output_tokens_per_turn":[]},"total_tokens":12})";

TEST(ResponsesUsageTest, ChatUsageBecomesVllmsResponseUsage) {
  nlohmann::ordered_json usage;
  ASSERT_TRUE(ResponseUsageFromChatUsage(json::parse(R"({"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,
      "reasoning_tokens":3,"prompt_tokens_details":{"cached_tokens":2}})"),
                                         &usage));
  EXPECT_EQ(usage.dump(), kVllmUsage);
  ASSERT_TRUE(ResponseUsageFromChatUsage(json::parse(R"({"prompt_tokens":1,"completion_tokens":2})"), &usage));
  EXPECT_EQ(usage["total_tokens"], 3);
  EXPECT_FALSE(ResponseUsageFromChatUsage(json::parse(kVllmUsage), &usage));
  EXPECT_FALSE(ResponseUsageFromChatUsage(json::parse("[]"), &usage));
}

TEST(ResponsesUsageTest, WholeAnswerKeepsEveryOtherByte) {
  const std::string body =
      R"({"id":"resp_1","output":[{"text":"prompt_tokens"}], "usage":{"prompt_tokens":5,"completion_tokens":7,)"
      R"("total_tokens":12,"reasoning_tokens":3,"prompt_tokens_details":{"cached_tokens":2}},"user":null})";
  std::string out;
  ASSERT_TRUE(FixAnswerUsage(body, &out));
  EXPECT_EQ(out, std::string(R"({"id":"resp_1","output":[{"text":"prompt_tokens"}], "usage":)") + kVllmUsage +
                     R"(,"user":null})");
  EXPECT_FALSE(FixAnswerUsage(out, &out));                              // already vLLM's
  EXPECT_FALSE(FixAnswerUsage(R"({"usage":null})", &out));              // nothing to do
  EXPECT_FALSE(FixAnswerUsage(R"({"usage":{"prompt_tokens":)", &out));  // not JSON
}

TEST(ResponsesUsageTest, StreamEventUsageIsFixedInPlace) {
  const std::string frame =
      "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"usage\":"
      "{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}},\"sequence_number\":9}\n\n";
  std::string out;
  ASSERT_TRUE(FixEventUsage(frame, &out));
  EXPECT_EQ(out.substr(0, 50), frame.substr(0, 50));
  EXPECT_EQ(out.substr(out.size() - 23), ",\"sequence_number\":9}\n\n");
  json data = json::parse(out.substr(out.find("data: ") + 6));
  EXPECT_EQ(data["response"]["usage"]["input_tokens"], 1);
  EXPECT_EQ(data["response"]["usage"]["output_tokens_details"]["reasoning_tokens"], 0);
  std::string untouched;
  EXPECT_FALSE(FixEventUsage("event: response.output_text.delta\ndata: {\"delta\":\"hi\"}\n\n", &untouched));
}

}  // namespace
}  // namespace shim::responses

// The shapes are vLLM's ChatCompletionResponse and CompletionResponse (vLLM @9aaf83ef
// vllm/entrypoints/openai/chat_completion/protocol.py, completion/protocol.py), which carry
// kv_transfer_params for the router.
#include "pd/prefill_answer.h"

#include <gtest/gtest.h>

namespace shim::pd {
namespace {

using nlohmann::json;

TEST(PrefillAnswerTest, AChatLegGetsAChatCompletionWithTheTransferParams) {
  json answer = json::parse(
      PrefillLegAnswer(LegRoute::kChatCompletions, "req-1", "served", 1700000000, {"10.0.0.7", 8998, 123456789}));
  EXPECT_EQ(answer["id"], "chatcmpl-req-1");
  EXPECT_EQ(answer["object"], "chat.completion");
  EXPECT_EQ(answer["created"], 1700000000);
  EXPECT_EQ(answer["model"], "served");
  ASSERT_EQ(answer["choices"].size(), 1u);
  EXPECT_EQ(answer["choices"][0]["message"], json::parse(R"({"role":"assistant","content":"","tool_calls":[]})"));
  EXPECT_EQ(answer["choices"][0]["finish_reason"], "length");
  const json& params = answer["kv_transfer_params"];
  EXPECT_EQ(params["remote_host"], "10.0.0.7");
  EXPECT_EQ(params["remote_port"], 8998);
  EXPECT_EQ(params["bootstrap_room"], 123456789);
  EXPECT_EQ(params["do_remote_prefill"], true);
}

TEST(PrefillAnswerTest, ACompletionLegGetsATextCompletion) {
  json answer = json::parse(PrefillLegAnswer(LegRoute::kCompletions, "abc", "m\"x", 1, {"prefill.svc", 9000, 0}));
  EXPECT_EQ(answer["id"], "cmpl-abc");
  EXPECT_EQ(answer["object"], "text_completion");
  EXPECT_EQ(answer["model"], "m\"x");
  EXPECT_EQ(answer["choices"][0]["text"], "");
  EXPECT_FALSE(answer["choices"][0].contains("message"));
  BootstrapTarget back;
  std::string err;
  ASSERT_TRUE(BootstrapTargetFromKvTransferParams(answer["kv_transfer_params"], &back, &err)) << err;
  EXPECT_EQ(back.host, "prefill.svc");
  EXPECT_EQ(back.port, 9000);
  EXPECT_EQ(back.room, 0u);
}

}  // namespace
}  // namespace shim::pd

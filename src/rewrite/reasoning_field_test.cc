// SGLang's chat answers with a reasoning parser (python/sglang/srt/entrypoints/openai/protocol.py
// @8905cbd4: ChatMessage.reasoning_content, DeltaMessage.reasoning_content) and vLLM's field
// (vllm/entrypoints/openai/chat_completion/protocol.py @9aaf83ef: `reasoning`).
#include "rewrite/reasoning_field.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

std::string Answer(std::string_view json, ReasoningField field) {
  std::string out;
  return RenameReasoningInAnswer(json, field, &out) ? out : std::string(json);
}

TEST(ReasoningFieldTest, WholeAnswerGetsVllmsName) {
  const std::string sglang =
      R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"4","reasoning_content":"2+2","tool_calls":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":3}})";
  EXPECT_EQ(
      Answer(sglang, ReasoningField::kReasoning),
      R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"4","reasoning":"2+2","tool_calls":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":3}})");
  EXPECT_EQ(
      Answer(sglang, ReasoningField::kBoth),
      R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"4","reasoning_content":"2+2","reasoning":"2+2","tool_calls":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":3}})");
  EXPECT_EQ(Answer(sglang, ReasoningField::kReasoningContent), sglang);
}

TEST(ReasoningFieldTest, StreamFramesEveryChoice) {
  const std::string frame =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\" a\"}},{\"index\":1,\"delta\":{"
      "\"reasoning_content\" : null}}]}\n\n";
  EXPECT_EQ(Answer(frame, ReasoningField::kReasoning),
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\" a\"}},{\"index\":1,\"delta\":{"
            "\"reasoning\" : null}}]}\n\n");
  EXPECT_EQ(Answer("data: [DONE]\n\n", ReasoningField::kReasoning), "data: [DONE]\n\n");
}

TEST(ReasoningFieldTest, OnlyKeysAtTheMessageDepthAreRenamed) {
  std::string out;
  // In the text, in a deeper object, or at the root: not SGLang's field.
  EXPECT_FALSE(RenameReasoningInAnswer(
      R"({"reasoning_content":1,"choices":[{"message":{"content":"\"reasoning_content\":","x":{"reasoning_content":2}}}]})",
      ReasoningField::kReasoning, &out));
  // An escaped quote before the key's text inside a string does not end it.
  EXPECT_FALSE(RenameReasoningInAnswer(R"({"choices":[{"message":{"content":"a\\\"reasoning_content\":1"}}]})",
                                       ReasoningField::kReasoning, &out));
}

TEST(ReasoningFieldTest, RequestHistoryGetsSglangsName) {
  std::string out;
  ASSERT_TRUE(RenameReasoningInMessages(
      R"([{"role":"user","content":"q"},{"role":"assistant","content":"a","reasoning":"because"}])", &out));
  EXPECT_EQ(out, R"([{"role":"user","content":"q"},{"role":"assistant","content":"a","reasoning_content":"because"}])");
  // A tool schema's property named reasoning is deeper than a message's keys.
  EXPECT_FALSE(
      RenameReasoningInMessages(R"([{"role":"user","content":[{"type":"text","text":"x","reasoning":1}]}])", &out));
  // Already in SGLang's name: left alone.
  EXPECT_FALSE(RenameReasoningInMessages(R"([{"role":"assistant","reasoning":"a","reasoning_content":"a"}])", &out));
}

TEST(ReasoningFieldTest, MalformedTextNeverReadsOutOfBounds) {
  std::string out;
  for (std::string_view text : {"}}}]]{\"reasoning_content\":", "{\"choices\":[{\"message\":{\"reasoning_content\"",
                                "\"reasoning_content\"", "]]]]]]]]]{{{{\"reasoning_content\":\"", ""}) {
    RenameReasoningInAnswer(text, ReasoningField::kBoth, &out);
    RenameReasoningInMessages(text, &out);
  }
}

TEST(ReasoningFieldTest, ParsesTheSetting) {
  ReasoningField field;
  ASSERT_TRUE(ParseReasoningField("both", &field));
  EXPECT_EQ(field, ReasoningField::kBoth);
  EXPECT_FALSE(ParseReasoningField("Reasoning", &field));
}

}  // namespace
}  // namespace shim

#include "rewrite/json_key_edit.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

TEST(JsonKeyEditTest, RenamesKeysAtOneDepthOnly) {
  std::string out;
  ASSERT_TRUE(RenameJsonKeys(R"({"a":{"k":1,"b":{"k":2}},"k":3})", "k", "j", 2, false, &out));
  EXPECT_EQ(out, R"({"a":{"j":1,"b":{"k":2}},"k":3})");
  ASSERT_TRUE(RenameJsonKeys(R"({"a":{"k" : "v"}})", "k", "j", 2, true, &out));
  EXPECT_EQ(out, R"({"a":{"k" : "v","j":"v"}})");
  EXPECT_FALSE(RenameJsonKeys(R"({"a":["k",{"x":"k"}]})", "k", "j", 2, false, &out));  // array items, values
}

// SGLang @8905cbd4 answers "tool_calls": null; vLLM's ChatMessage has a list
// (vllm/entrypoints/openai/chat_completion/protocol.py @9aaf83ef).
TEST(JsonKeyEditTest, ReplacesOnlyNullValues) {
  std::string out;
  const std::string answer = R"({"choices":[{"message":{"content":"tool_calls: null","tool_calls":null}},)"
                             R"({"message":{"tool_calls":[{"id":"x"}]}},{"message":{"tool_calls" :  null }}]})";
  ASSERT_TRUE(ReplaceNullMembers(answer, "tool_calls", "[]", 4, &out));
  EXPECT_EQ(out, R"({"choices":[{"message":{"content":"tool_calls: null","tool_calls":[]}},)"
                 R"({"message":{"tool_calls":[{"id":"x"}]}},{"message":{"tool_calls" :  [] }}]})");
  EXPECT_FALSE(ReplaceNullMembers(R"({"choices":[{"message":{"tool_calls":[]}}]})", "tool_calls", "[]", 4, &out));
  EXPECT_FALSE(ReplaceNullMembers(R"({"tool_calls":null})", "tool_calls", "[]", 4, &out));
}

TEST(JsonKeyEditTest, NullsValuesAtOneDepthOnly) {
  std::string out;
  const std::string answer = R"({"reasoning":"top","choices":[{"delta":{"reasoning":"a \"q\" {","content":"x"}},)"
                             R"({"delta":{"reasoning" : ["deep"] }},{"delta":{"reasoning":null}}]})";
  ASSERT_TRUE(NullJsonMembers(answer, "reasoning", 4, &out));
  EXPECT_EQ(out, R"({"reasoning":"top","choices":[{"delta":{"reasoning":null,"content":"x"}},)"
                 R"({"delta":{"reasoning" : null }},{"delta":{"reasoning":null}}]})");
  EXPECT_FALSE(NullJsonMembers(R"({"choices":[{"delta":{"reasoning":null}}]})", "reasoning", 4, &out));
  EXPECT_FALSE(NullJsonMembers(R"({"choices":[{"delta":{"content":"x"}}]})", "reasoning", 4, &out));
}

TEST(JsonKeyEditTest, MalformedTextStaysInBounds) {
  std::string out;
  for (std::string_view text :
       {R"(]]]{"k":)", R"({"k")", R"({{{{"k":null)", R"("k":null}}}})", R"({"a":{"k":"\"}})", R"({"a":{"k":nul)"}) {
    RenameJsonKeys(text, "k", "j", 2, true, &out);
    ReplaceNullMembers(text, "k", "[]", 2, &out);
    NullJsonMembers(text, "k", 2, &out);
  }
}

}  // namespace
}  // namespace shim
